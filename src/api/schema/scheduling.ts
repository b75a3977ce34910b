// Schema of scheduling.k8s.io/v1 PriorityClass: a cluster-wide name for a pod priority value.

import { bool, definition, int32, str } from "./builders.js";
import { objectMetaField, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const PriorityClass: Schema = definition(
  "io.k8s.api.scheduling.v1.PriorityClass",
  "Names a priority value that pods select with spec.priorityClassName; higher values schedule first and may preempt lower ones.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    value: int32(
      "The priority pods of this class get. User-defined classes go up to 1000000000; larger values belong to the system classes.",
    ),
    globalDefault: bool(
      "Whether pods without a priorityClassName get this class's value. At most one class may be the global default; should several be, the lowest value wins.",
    ),
    description: str("Free text saying when this class should be used."),
    preemptionPolicy: str(
      "Whether pods of this class may evict lower-priority pods to make room: PreemptLowerPriority (the default) or Never. Cannot be changed.",
      { enum: ["Never", "PreemptLowerPriority"] },
    ),
  },
  { required: ["value"], gvk: { group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass" } },
);
