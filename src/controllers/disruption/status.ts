// The status arithmetic of the disruption controller (upstream buildDisruptedPodMap, countHealthyPods,
// updatePdbStatus and failSafe) as pure functions of the budget, its pods and the time.
import {
  conditionsAreUpToDate,
  DISRUPTION_ALLOWED_CONDITION,
  SYNC_FAILED_REASON,
  setStatusCondition,
  updateDisruptionAllowedCondition,
} from "../../api/disruption-budget.js";
import { jsonEqual } from "../../api/equal.js";
import type { KubeObject } from "../../api/object.js";
import { isPodReady } from "../../api/pod-conditions.js";

/**
 * How long an eviction the API server granted may take to show up as a deleting pod; past it the controller
 * assumes the pod will not be deleted and counts it again.
 */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

export interface DisruptedPodMap {
  /** Granted evictions still within their deletion timeout, by pod name. */
  disruptedPods: Record<string, string>;
  /** When the earliest of them expires (epoch ms): the budget must be looked at again then. */
  recheckAt?: number;
  /** Pods whose eviction was granted but that were not deleted in time. */
  notDeleted: KubeObject[];
}

/**
 * buildDisruptedPodMap: keeps the entries of status.disruptedPods whose pod still exists, is not yet being
 * deleted and is within the deletion timeout.
 */
export function buildDisruptedPodMap(
  pdb: KubeObject,
  pods: readonly KubeObject[],
  now: number,
): DisruptedPodMap {
  const granted: Record<string, string> = pdb.status?.disruptedPods ?? {};
  const result: DisruptedPodMap = { disruptedPods: {}, notDeleted: [] };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name!;
    if (!Object.hasOwn(granted, name)) continue;
    const expectedDeletion = Date.parse(granted[name]) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < now) {
      result.notDeleted.push(pod);
      continue;
    }
    result.disruptedPods[name] = granted[name];
    if (result.recheckAt === undefined || expectedDeletion < result.recheckAt)
      result.recheckAt = expectedDeletion;
  }
  return result;
}

/** countHealthyPods: ready pods that are neither being deleted nor about to be (a granted eviction). */
export function countHealthyPods(
  pods: readonly KubeObject[],
  disruptedPods: Record<string, string>,
  now: number,
): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const granted = disruptedPods[pod.metadata.name!];
    if (granted !== undefined && Date.parse(granted) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

export interface BudgetCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedCount: number;
  disruptedPods: Record<string, string>;
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string>): boolean =>
  jsonEqual(a ?? {}, b);

/**
 * updatePdbStatus: the status to write, or undefined when the stored one already says the same for this
 * generation. No disruption is allowed while no pods are expected, so a budget whose pods have not appeared
 * yet is safe when they do.
 */
export function nextStatus(
  pdb: KubeObject,
  counts: BudgetCounts,
  now: number,
): Record<string, any> | undefined {
  const { currentHealthy, desiredHealthy, expectedCount, disruptedPods } = counts;
  const surplus = currentHealthy - desiredHealthy;
  const disruptionsAllowed = expectedCount <= 0 || surplus <= 0 ? 0 : surplus;
  const status = pdb.status ?? {};
  const generation = pdb.metadata.generation ?? 0;
  if (
    status.currentHealthy === currentHealthy &&
    status.desiredHealthy === desiredHealthy &&
    status.expectedPods === expectedCount &&
    status.disruptionsAllowed === disruptionsAllowed &&
    sameMap(status.disruptedPods, disruptedPods) &&
    (status.observedGeneration ?? 0) === generation &&
    conditionsAreUpToDate(pdb)
  ) {
    return undefined;
  }
  const next: Record<string, any> = {
    observedGeneration: generation,
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods: expectedCount,
    conditions: status.conditions ?? [],
  };
  if (Object.keys(disruptedPods).length > 0) next.disruptedPods = disruptedPods;
  updateDisruptionAllowedCondition(next, now);
  return next;
}

/**
 * failSafe: when the budget cannot be computed, at least allow no disruption, and say why in a
 * DisruptionAllowed=False condition with reason SyncFailed. Everything else is left as it was.
 */
export function failSafeStatus(pdb: KubeObject, message: string, now: number): Record<string, any> {
  const status = { ...(pdb.status ?? {}), disruptionsAllowed: 0 };
  status.conditions = setStatusCondition(
    status.conditions,
    {
      type: DISRUPTION_ALLOWED_CONDITION,
      status: "False",
      reason: SYNC_FAILED_REASON,
      message,
      observedGeneration: status.observedGeneration ?? 0,
    },
    now,
  );
  return status;
}
