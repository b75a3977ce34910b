// The PodScheduled=False condition the scheduler reports on a pod it cannot place, written only when it changes
// (podutil.UpdatePodCondition semantics: the transition time moves only when the status does), together with
// the node preemption nominated it to.
import type { KubeObject } from "../api/object.js";

/** v1.PodReasonUnschedulable and v1.PodReasonSchedulerError. */
export type PodScheduledReason = "Unschedulable" | "SchedulerError";

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

/**
 * The condition to write, or undefined when the pod already carries it (same status, reason and message), so an
 * unschedulable pod retried again and again costs no write.
 */
export function podScheduledFalse(
  pod: KubeObject,
  reason: PodScheduledReason,
  message: string,
  now: number,
): PodCondition | undefined {
  const old: PodCondition | undefined = (pod.status?.conditions ?? []).find(
    (c: PodCondition) => c.type === "PodScheduled",
  );
  if (
    old &&
    old.status === "False" &&
    old.reason === reason &&
    old.message === message &&
    !old.lastProbeTime
  ) {
    return undefined;
  }
  return {
    type: "PodScheduled",
    status: "False",
    reason,
    message,
    lastProbeTime: null,
    lastTransitionTime:
      old?.status === "False" && old.lastTransitionTime ? old.lastTransitionTime : rfc3339Seconds(now),
  };
}

/**
 * A strategic merge patch for the status subresource, as util.PatchPodStatus sends: the condition (merged by
 * type) and the nominated node (a name, or null to clear it), each when given.
 */
export function statusPatch(condition: PodCondition | undefined, nominatedNodeName?: string | null): unknown {
  const status: Record<string, unknown> = {};
  if (condition) status.conditions = [condition];
  if (nominatedNodeName !== undefined) status.nominatedNodeName = nominatedNodeName || null;
  return { status };
}
