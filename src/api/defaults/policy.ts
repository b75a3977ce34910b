// PodDisruptionBudget has no defaulter upstream, but its spec and status are Go structs and the four status
// counts have no omitempty: a 1.32 server always shows `spec`, `status` and those counts, zero or not.
import { isRecord, isSet, type JsonRecord } from "../validation/json-access.js";

const ALWAYS_ENCODED_COUNTS = ["disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"];

export function setPodDisruptionBudgetDefaults(pdb: JsonRecord): void {
  if (!isRecord(pdb.spec)) pdb.spec = {};
  if (!isRecord(pdb.status)) pdb.status = {};
  const status = pdb.status as JsonRecord;
  for (const field of ALWAYS_ENCODED_COUNTS) if (!isSet(status[field])) status[field] = 0;
}
