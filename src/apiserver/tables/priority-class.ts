// PriorityClass rows for `kubectl get priorityclasses`: the value, whether it is the global default, the age
// and the preemption policy (empty when unset), in upstream's column order.
import type { PriorityClass } from "kubernetes-types/scheduling/v1.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { since } from "./format.js";
import type { TablePrinter } from "./types.js";

export const priorityClassPrinter: TablePrinter<PriorityClass> = {
  columns: [
    nameColumn,
    column("Value", "integer", "The priority pods of this class get."),
    column("Global-Default", "boolean", "Whether pods without a priorityClassName get this class."),
    ageColumn,
    column("PreemptionPolicy", "string", "Whether pods of this class may preempt lower-priority pods."),
  ],
  cells(pc, now) {
    return [
      pc.metadata?.name ?? "",
      pc.value ?? 0,
      pc.globalDefault ?? false,
      since(pc.metadata?.creationTimestamp, now),
      pc.preemptionPolicy ?? "",
    ];
  },
};
