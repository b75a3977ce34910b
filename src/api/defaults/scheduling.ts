// SetDefaults_PriorityClass: a class preempts lower priorities unless it says Never. `value` has no omitempty
// in Go, so a 1.32 server always shows it, zero or not.
import { PREEMPT_LOWER_PRIORITY } from "../scheduling/priority-classes.js";
import { isSet, type JsonRecord } from "../validation/json-access.js";

export function setPriorityClassDefaults(pc: JsonRecord): void {
  if (!isSet(pc.preemptionPolicy)) pc.preemptionPolicy = PREEMPT_LOWER_PRIORITY;
  if (!isSet(pc.value)) pc.value = 0;
}
