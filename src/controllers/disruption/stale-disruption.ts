// Stale DisruptionTarget conditions (upstream nonTerminatingPodHasStaleDisruptionCondition): a pod marked as
// about to be disrupted that still has no deletionTimestamp after a while was not disrupted after all, and
// the controller sets the condition back to False.
import type { KubeObject } from "../../api/object.js";
import { DISRUPTION_TARGET, podCondition } from "../../api/pod-conditions.js";

export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;

/** The kubelet's own disruption reason is never stale: its pod may take arbitrarily long to terminate. */
const TERMINATION_BY_KUBELET = "TerminationByKubelet";

/**
 * Milliseconds until the pod's DisruptionTarget=True condition counts as stale (0: it already does), or
 * undefined when the pod has no condition that can become stale.
 */
export function staleDisruptionWait(
  pod: KubeObject,
  now: number,
  timeoutMs = STALE_POD_DISRUPTION_TIMEOUT_MS,
): number | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return undefined;
  const condition = podCondition(pod, DISRUPTION_TARGET);
  if (condition?.status !== "True" || condition.reason === TERMINATION_BY_KUBELET) return undefined;
  const since = Date.parse(condition.lastTransitionTime ?? "");
  const elapsed = Number.isNaN(since) ? Number.POSITIVE_INFINITY : now - since;
  return Math.max(0, timeoutMs - elapsed);
}
