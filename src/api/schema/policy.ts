// Schema of policy/v1 PodDisruptionBudget: how many of a set of pods voluntary disruptions (evictions) must
// leave running, and the counts the disruption controller keeps in its status.

import { definition, int32, int64, list, mapOf, ref, str } from "./builders.js";
import { Condition, IntOrString, LabelSelector, objectMetaField, Time, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const PodDisruptionBudgetSpec: Schema = definition(
  "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
  "Which pods a disruption budget protects and how many of them evictions must spare.",
  {
    minAvailable: ref(
      IntOrString,
      "An eviction is allowed only if at least this many selected pods (a count or a percentage) stay available without the evicted one; cannot be combined with maxUnavailable.",
    ),
    selector: ref(
      LabelSelector,
      "Label query over the pods the budget protects; null selects no pods, an empty selector every pod of the namespace.",
      { patchStrategy: "replace" },
    ),
    maxUnavailable: ref(
      IntOrString,
      "An eviction is allowed only if at most this many selected pods (a count or a percentage) are unavailable after it; cannot be combined with minAvailable.",
    ),
    unhealthyPodEvictionPolicy: str(
      "When running but not ready pods may be evicted: IfHealthyBudget (the default) only while the application meets its budget, AlwaysAllow at any time.",
      { enum: ["AlwaysAllow", "IfHealthyBudget"] },
    ),
  },
);

export const PodDisruptionBudgetStatus: Schema = definition(
  "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
  "What the disruption controller last observed about the protected pods; it may lag behind the cluster.",
  {
    observedGeneration: int64("The budget generation this status was computed for."),
    disruptedPods: mapOf(
      Time,
      "Pods whose eviction the API server granted but the controller has not yet seen being deleted, by name; entries expire after a timeout.",
    ),
    disruptionsAllowed: int32("How many pod disruptions are allowed right now."),
    currentHealthy: int32("How many selected pods are healthy (ready) now."),
    desiredHealthy: int32("How many selected pods must stay healthy."),
    expectedPods: int32("How many pods the budget counts."),
    conditions: list(
      Condition,
      "The controller's conditions; DisruptionAllowed says whether any protected pod may be disrupted now.",
      { patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"] },
    ),
  },
  { required: ["disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"] },
);

export const PodDisruptionBudget: Schema = definition(
  "io.k8s.api.policy.v1.PodDisruptionBudget",
  "Limits how many pods of a set voluntary disruptions such as node drains may take down at once.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(PodDisruptionBudgetSpec, "The pods the budget protects and the size of the budget."),
    status: ref(
      PodDisruptionBudgetStatus,
      "The budget's current state, written by the disruption controller.",
    ),
  },
  { gvk: { group: "policy", version: "v1", kind: "PodDisruptionBudget" } },
);
