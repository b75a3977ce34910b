// Node conditions as the node lifecycle controller reads and writes them: lookup, and upstream's marking of a
// silent node's conditions as Unknown (tryUpdateNodeHealth), with the reasons and messages clients rely on.
import type { NodeCondition } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../../api/object.js";

export type { NodeCondition };

/** The conditions the controller turns Unknown when the kubelet goes quiet (NetworkUnavailable is not the kubelet's). */
export const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] as const;

export const rfc3339 = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/** Milliseconds since the epoch of a metav1.Time / MicroTime string, or undefined when absent or malformed. */
export function parseTime(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function getNodeCondition(node: KubeObject, type: string): NodeCondition | undefined {
  return (node.status?.conditions as NodeCondition[] | undefined)?.find((c) => c.type === type);
}

/** Whether the node's Ready condition is True (upstream nodeutil.IsNodeReady). */
export function isNodeReady(node: KubeObject): boolean {
  return getNodeCondition(node, "Ready")?.status === "True";
}

/**
 * Marks the kubelet's conditions Unknown on `node` (changed in place): a condition the kubelet never posted is
 * added as NodeStatusNeverUpdated; one not yet Unknown becomes NodeStatusUnknown with its transition time now.
 */
export function markKubeletConditionsUnknown(node: KubeObject, now: number): void {
  node.status ??= {};
  node.status.conditions ??= [];
  const conditions: NodeCondition[] = node.status.conditions;
  const nowText = rfc3339(now);
  for (const type of KUBELET_CONDITIONS) {
    const current = conditions.find((c) => c.type === type);
    if (!current) {
      conditions.push({
        type,
        status: "Unknown",
        reason: "NodeStatusNeverUpdated",
        message: "Kubelet never posted node status.",
        lastHeartbeatTime: node.metadata.creationTimestamp,
        lastTransitionTime: nowText,
      });
    } else if (current.status !== "Unknown") {
      Object.assign(current, {
        status: "Unknown",
        reason: "NodeStatusUnknown",
        message: "Kubelet stopped posting node status.",
        lastTransitionTime: nowText,
      });
    }
  }
}
