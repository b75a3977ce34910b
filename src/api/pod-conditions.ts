// Pod conditions as pkg/api/v1/pod reads and writes them: readiness (IsPodReady) and UpdatePodCondition, whose
// transition time moves only when the status does. Shared by the eviction subresource and the controllers.
import type { KubeObject } from "./object.js";

/** v1.DisruptionTarget: the pod is about to be terminated because of a disruption (here, an eviction). */
export const DISRUPTION_TARGET = "DisruptionTarget";

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export const rfc3339Seconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

export function podCondition(pod: KubeObject, type: string): PodCondition | undefined {
  const conditions: PodCondition[] = pod.status?.conditions ?? [];
  return conditions.find((c) => c.type === type);
}

/** podutil.IsPodReady: the Ready condition is True. */
export const isPodReady = (pod: KubeObject): boolean => podCondition(pod, "Ready")?.status === "True";

/**
 * podutil.UpdatePodCondition on a pod the caller owns: sets `condition` (status, reason, message), keeping the
 * old transition time when the status is unchanged. Returns whether anything changed.
 */
export function updatePodCondition(
  pod: KubeObject,
  condition: Pick<PodCondition, "type" | "status" | "reason" | "message">,
  now: number,
): boolean {
  pod.status ??= {};
  const conditions: PodCondition[] = pod.status.conditions ?? [];
  const old = conditions.find((c) => c.type === condition.type);
  const next: PodCondition = {
    type: condition.type,
    status: condition.status,
    lastProbeTime: null,
    lastTransitionTime: old?.status === condition.status ? old.lastTransitionTime : rfc3339Seconds(now),
  };
  if (condition.reason) next.reason = condition.reason;
  if (condition.message) next.message = condition.message;
  pod.status.conditions = old ? conditions.map((c) => (c === old ? next : c)) : [...conditions, next];
  if (!old) return true;
  return !(
    old.status === next.status &&
    (old.reason ?? "") === (next.reason ?? "") &&
    (old.message ?? "") === (next.message ?? "") &&
    !old.lastProbeTime &&
    old.lastTransitionTime === next.lastTransitionTime
  );
}
