// Which node-level events a kubelet records, as pure functions: the start-up ones (pkg/kubelet: BirthCry, the
// condition setters run on a fresh Node, the container manager enforcing Node Allocatable), one per condition
// transition (nodestatus/setters.go) and one when spec.unschedulable changes (recordNodeSchedulableEvent).
import type { KubeObject } from "../api/object.js";
import { KUBELET_CONDITIONS, type NodeCondition, READY } from "./node-conditions.js";
import type { ConditionTransition } from "./node-status.js";

export interface NodeEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/**
 * What the kubelet's events are about: not the Node object itself but a reference it builds from its node name,
 * with that name as the UID and no namespace (so they land in "default"). `kubectl describe node` looks events up
 * under this UID as well as the Node's real one.
 */
export function kubeletNodeRef(nodeName: string): KubeObject {
  return { apiVersion: "", kind: "Node", metadata: { name: nodeName, uid: nodeName } };
}

/** The kubelet's recordNodeStatusEvent: `Node <name> status is now: <reason>`. */
export function nodeStatusEvent(nodeName: string, reason: string): NodeEvent {
  return { type: "Normal", reason, message: `Node ${nodeName} status is now: ${reason}` };
}

const PRESSURE_CONDITIONS = KUBELET_CONDITIONS.filter((kind) => kind !== READY);

/**
 * The events of a kubelet starting on a node that reports `conditions`: Starting, one event per pressure
 * condition (the setters see a fresh Node, so each condition is new and recorded whatever its status),
 * NodeAllocatableEnforced, then NodeReady when the node is ready (a starting kubelet turns ready after its first
 * runtime check; a Ready condition that starts out false is not recorded).
 */
export function kubeletStartEvents(nodeName: string, conditions: readonly NodeCondition[]): NodeEvent[] {
  const status = (type: string) => conditions.find((c) => c.type === type)?.status;
  const events: NodeEvent[] = [{ type: "Normal", reason: "Starting", message: "Starting kubelet." }];
  for (const kind of PRESSURE_CONDITIONS) {
    const s = status(kind.type);
    if (s !== "True" && s !== "False") continue;
    const reason = (s === "True" ? kind.whenTrue : kind.whenFalse).event;
    if (reason) events.push(nodeStatusEvent(nodeName, reason));
  }
  events.push({
    type: "Normal",
    reason: "NodeAllocatableEnforced",
    message: "Updated Node Allocatable limit across pods",
  });
  const ready = READY.whenTrue.event;
  if (status(READY.type) === "True" && ready) events.push(nodeStatusEvent(nodeName, ready));
  return events;
}

/** One event per condition that changed status and has an event reason (NodeReady, NodeHasDiskPressure, …). */
export function conditionTransitionEvents(
  nodeName: string,
  transitions: readonly ConditionTransition[],
): NodeEvent[] {
  return transitions.flatMap((t) => (t.event ? [nodeStatusEvent(nodeName, t.event)] : []));
}

/**
 * NodeNotSchedulable / NodeSchedulable when spec.unschedulable differs from what the kubelet saw last (it starts
 * from "schedulable", so a node already cordoned when its kubelet starts gets NodeNotSchedulable).
 */
export function schedulableEvent(
  nodeName: string,
  wasUnschedulable: boolean,
  unschedulable: boolean,
): NodeEvent | undefined {
  if (wasUnschedulable === unschedulable) return undefined;
  return nodeStatusEvent(nodeName, unschedulable ? "NodeNotSchedulable" : "NodeSchedulable");
}

/** spec.unschedulable as the kubelet reads it (absent is false). */
export const isUnschedulable = (node: KubeObject): boolean => node.spec?.unschedulable === true;
