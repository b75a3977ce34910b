// PodDisruptionBudget facts shared by the eviction subresource and the disruption controller
// (component-helpers/apps/poddisruptionbudget and the policy/v1 PDB lister): which budgets select a pod, and
// the DisruptionAllowed condition that mirrors status.disruptionsAllowed.
import { selectorFromLabelSelector } from "./labels.js";
import type { KubeObject } from "./object.js";
import { rfc3339Seconds } from "./pod-conditions.js";

export const DISRUPTION_ALLOWED_CONDITION = "DisruptionAllowed";
export const SUFFICIENT_PODS_REASON = "SufficientPods";
export const INSUFFICIENT_PODS_REASON = "InsufficientPods";
export const SYNC_FAILED_REASON = "SyncFailed";
/** policyv1.DisruptionBudgetCause: the Status cause of an eviction refused by a budget. */
export const DISRUPTION_BUDGET_CAUSE = "DisruptionBudget";
export const ALWAYS_ALLOW = "AlwaysAllow";

/** A metav1.Condition. */
export interface BudgetCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/**
 * Whether `pdb` selects `pod`: same namespace and a matching selector. In policy/v1 a null selector selects
 * nothing and an empty one every pod; a selector that cannot be parsed selects nothing.
 */
export function budgetSelectsPod(pdb: KubeObject, pod: KubeObject): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  try {
    return selectorFromLabelSelector(pdb.spec?.selector).matches(pod.metadata.labels ?? {});
  } catch {
    return false;
  }
}

/**
 * apimeta.SetStatusCondition without mutation: the conditions with `next` set. The transition time moves
 * only when the status changes; reason, message and observedGeneration always follow `next`.
 */
export function setStatusCondition(
  conditions: readonly BudgetCondition[] | undefined,
  next: Omit<BudgetCondition, "lastTransitionTime">,
  now: number,
): BudgetCondition[] {
  const list = conditions ?? [];
  const old = list.find((c) => c.type === next.type);
  if (!old) return [...list, { ...next, lastTransitionTime: rfc3339Seconds(now) }];
  const lastTransitionTime = old.status === next.status ? old.lastTransitionTime : rfc3339Seconds(now);
  return list.map((c) => (c === old ? { ...old, ...next, lastTransitionTime } : c));
}

/** The DisruptionAllowed condition disruptionsAllowed implies (pdbhelper.UpdateDisruptionAllowedCondition). */
function disruptionAllowedCondition(
  status: Record<string, any>,
): Omit<BudgetCondition, "lastTransitionTime"> {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  return {
    type: DISRUPTION_ALLOWED_CONDITION,
    status: allowed ? "True" : "False",
    reason: allowed ? SUFFICIENT_PODS_REASON : INSUFFICIENT_PODS_REASON,
    message: "",
    observedGeneration: status.observedGeneration ?? 0,
  };
}

/** Sets the DisruptionAllowed condition of `status` (a copy the caller owns) from its disruptionsAllowed. */
export function updateDisruptionAllowedCondition(status: Record<string, any>, now: number): void {
  status.conditions = setStatusCondition(status.conditions, disruptionAllowedCondition(status), now);
}

/** pdbhelper.ConditionsAreUpToDate: the condition exists and agrees with the status of this generation. */
export function conditionsAreUpToDate(pdb: KubeObject): boolean {
  const status = pdb.status ?? {};
  const condition = (status.conditions ?? []).find(
    (c: BudgetCondition) => c.type === DISRUPTION_ALLOWED_CONDITION,
  );
  if (!condition) return false;
  if ((status.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  const expected = disruptionAllowedCondition(status);
  return condition.status === expected.status && condition.reason === expected.reason;
}
