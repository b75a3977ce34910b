// What the controller remembers about each node's heartbeats (upstream nodeHealthData) and how one look at the
// node and its Lease moves it forward (the first half of tryUpdateNodeHealth). Probe times are the controller's
// own clock readings when it noticed a heartbeat, never the kubelet's timestamps, so clock skew does not matter.
import type { KubeObject } from "../../api/object.js";
import { getNodeCondition, type NodeCondition, parseTime } from "./node-conditions.js";

export interface NodeHealth {
  /** When the controller last saw the node heartbeat (a new Ready heartbeat or a renewed Lease). */
  probeTimestamp: number;
  /** When the controller saw the Ready condition last change. */
  readyTransitionTimestamp: number;
  /** The Ready condition as last recorded; undefined when the node had none. */
  readyCondition?: NodeCondition;
  /** The Lease's renewTime as last recorded. */
  leaseRenewTime?: number;
}

export interface GracePeriods {
  /** How long a node that has posted status may stay silent (nodeMonitorGracePeriod). */
  monitorMs: number;
  /** How long a node that never posted a Ready condition gets (nodeStartupGracePeriod). */
  startupMs: number;
}

export interface HealthObservation {
  health: NodeHealth;
  gracePeriodMs: number;
  /** The node's Ready condition as observed, or a stand-in Unknown one when it has none. */
  observedReady: NodeCondition;
}

/** Folds one observation of the node (and its Lease's renewTime, if any) into its saved health. */
export function observeNodeHealth(
  saved: NodeHealth | undefined,
  node: KubeObject,
  leaseRenewTime: number | undefined,
  now: number,
  grace: GracePeriods,
): HealthObservation {
  const current = getNodeCondition(node, "Ready");
  let health: NodeHealth | undefined = saved && { ...saved };
  let observedReady: NodeCondition;
  let gracePeriodMs: number;
  if (!current) {
    // Never posted: count from the node's creation, with the longer startup grace period.
    const created = parseTime(node.metadata.creationTimestamp) ?? now;
    observedReady = {
      type: "Ready",
      status: "Unknown",
      lastHeartbeatTime: node.metadata.creationTimestamp,
      lastTransitionTime: node.metadata.creationTimestamp,
    };
    gracePeriodMs = grace.startupMs;
    if (health) health.readyCondition = undefined;
    else health = { probeTimestamp: created, readyTransitionTimestamp: created };
  } else {
    observedReady = { ...current };
    gracePeriodMs = grace.monitorMs;
  }
  const savedCondition = health?.readyCondition;
  const savedLease = health?.leaseRenewTime;
  if (!health || (!savedCondition && current)) {
    // First sight of the node (or of its Ready condition): assume it just reported.
    health = { readyCondition: current, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (savedCondition && current && savedCondition.lastHeartbeatTime !== current.lastHeartbeatTime) {
    const transitioned = savedCondition.lastTransitionTime !== current.lastTransitionTime;
    health = {
      readyCondition: current,
      probeTimestamp: now,
      readyTransitionTimestamp: transitioned ? now : health.readyTransitionTimestamp,
    };
  }
  // A renewed Lease is a heartbeat too, even when the kubelet posts no status.
  if (leaseRenewTime !== undefined && (savedLease === undefined || savedLease < leaseRenewTime)) {
    health.leaseRenewTime = leaseRenewTime;
    health.probeTimestamp = now;
  }
  return { health, gracePeriodMs, observedReady };
}

/** Whether the node has been silent longer than its grace period. */
export function isSilent(observation: HealthObservation, now: number): boolean {
  return now > observation.health.probeTimestamp + observation.gracePeriodMs;
}
