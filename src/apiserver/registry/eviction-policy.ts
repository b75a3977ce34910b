// The decisions of the eviction subresource (upstream EvictionREST), as pure functions over a pod and its
// disruption budget: when a budget can be skipped, when an unready pod may go without spending the budget,
// and checkAndDecrement, which either spends one disruption or refuses with the Status clients rely on.
import {
  ALWAYS_ALLOW,
  budgetSelectsPod,
  DISRUPTION_BUDGET_CAUSE,
  updateDisruptionAllowedCondition,
} from "../../api/disruption-budget.js";
import { ApiError } from "../../api/errors.js";
import { deepCopy, type KubeObject } from "../../api/object.js";
import { isPodReady, rfc3339Seconds } from "../../api/pod-conditions.js";

/**
 * More entries than this in status.disruptedPods mean many granted evictions the disruption controller has
 * not confirmed yet: further evictions are refused until it catches up.
 */
export const MAX_DISRUPTED_POD_SIZE = 2000;

/** kubectl matches this text; it must stay exactly as upstream writes it. */
export const VIOLATES_BUDGET_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

export const MULTIPLE_BUDGETS_MESSAGE =
  "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

const isTerminal = (pod: KubeObject): boolean =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/**
 * canIgnorePDB: a finished, pending or already deleting pod is deleted without consulting any budget, since
 * it does not count as available anyway.
 */
export function canIgnoreBudget(pod: KubeObject): boolean {
  return isTerminal(pod) || pod.status?.phase === "Pending" || Boolean(pod.metadata.deletionTimestamp);
}

/**
 * Whether the delete must be pinned to the pod version that was checked, so that a pod turning ready in the
 * meantime is not deleted on the strength of a stale decision (terminal and deleting pods cannot turn ready).
 */
export function shouldEnforceResourceVersion(pod: KubeObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

/** The budgets in `budgets` that select `pod`. */
export function budgetsForPod(pod: KubeObject, budgets: readonly KubeObject[]): KubeObject[] {
  return budgets.filter((pdb) => budgetSelectsPod(pdb, pod));
}

/**
 * A running pod that is not ready does not count as healthy, so evicting it spends nothing: allowed under
 * AlwaysAllow, and under IfHealthyBudget (the default) while the application has the healthy pods it needs.
 * False for ready pods, which always go through checkAndDecrement.
 */
export function unhealthyPodMayBeEvicted(pod: KubeObject, pdb: KubeObject): boolean {
  if (isPodReady(pod)) return false;
  if (pdb.spec?.unhealthyPodEvictionPolicy === ALWAYS_ALLOW) return true;
  const current = pdb.status?.currentHealthy ?? 0;
  const desired = pdb.status?.desiredHealthy ?? 0;
  return current >= desired && desired > 0;
}

function tooManyRequests(cause: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, "TooManyRequests", VIOLATES_BUDGET_MESSAGE, {
    causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }],
    ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
  });
}

/** The budget's status is older than its spec (or the pod changed under a granted eviction): retry later. */
export function budgetBeingProcessed(pdbName: string): ApiError {
  return tooManyRequests(`The disruption budget ${pdbName} is still being processed by the server.`, 10);
}

function forbiddenBudget(pdbName: string, why: string): ApiError {
  return new ApiError(403, "Forbidden", `poddisruptionbudget.policy "${pdbName}" is forbidden: ${why}`, {
    name: pdbName,
    group: "policy",
    kind: "poddisruptionbudget",
  });
}

/**
 * checkAndDecrement: refuses the eviction when the budget's status is stale or allows no disruption, and
 * otherwise returns a copy of the budget with one disruption spent and the pod recorded in disruptedPods
 * at `now` (the controller then counts it as gone until it is deleted, or the entry expires).
 */
export function checkAndDecrement(pdb: KubeObject, podName: string, now: number): KubeObject {
  const name = pdb.metadata.name!;
  const status = pdb.status ?? {};
  const allowed: number = status.disruptionsAllowed ?? 0;
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw budgetBeingProcessed(name);
  if (allowed < 0) throw forbiddenBudget(name, "pdb disruptions allowed is negative");
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw forbiddenBudget(
      name,
      "DisruptedPods map too big - too many evictions not confirmed by PDB controller",
    );
  }
  if (allowed === 0) {
    throw tooManyRequests(
      `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
      0,
    );
  }
  const updated = deepCopy(pdb);
  updated.status.disruptionsAllowed = allowed - 1;
  if (updated.status.disruptionsAllowed === 0) updateDisruptionAllowedCondition(updated.status, now);
  updated.status.disruptedPods = { ...updated.status.disruptedPods, [podName]: rfc3339Seconds(now) };
  return updated;
}
