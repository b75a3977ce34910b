// What a simulated kubelet reports on its Node, as pure functions: the standard labels a manifest may lack,
// a complete status (capacity, allocatable, addresses, nodeInfo, daemon endpoints) with conditions that follow
// the simulation annotations, and whether the stored status differs from it (heartbeat times aside).
import { jsonEqual } from "../api/equal.js";
import { rfc3339 } from "../api/kube-time.js";
import type { KubeObject } from "../api/object.js";
import {
  KUBELET_CONDITIONS,
  NETWORK_UNAVAILABLE,
  type NodeCondition,
  type NodeConditionKind,
  nodeCondition,
} from "./node-conditions.js";
import {
  ARCH_LABEL,
  BETA_ARCH_LABEL,
  BETA_OS_LABEL,
  DEFAULT_NODE_CAPACITY,
  KUBELET_PORT,
  OS_LABEL,
  simulatedNodeInfo,
  standardNodeLabels,
} from "./node-template.js";
import { formatIPv4, hashedAddress, parseIPv4 } from "./pod-ip-pool.js";
import type { NodeSimulation } from "./sim-annotations.js";

/** Node internal IPs for manifests without addresses: stable per name, inside 10.0.128.0/17. */
const FALLBACK_NODE_NET = parseIPv4("10.0.128.0") as number;

/** The node's OS and architecture: its labels when present, else linux/amd64. */
function platform(node: KubeObject): { os: string; arch: string } {
  const labels = node.metadata.labels ?? {};
  return {
    os: labels[OS_LABEL] ?? labels[BETA_OS_LABEL] ?? "linux",
    arch: labels[ARCH_LABEL] ?? labels[BETA_ARCH_LABEL] ?? "amd64",
  };
}

/** Standard labels the Node lacks (undefined when none); labels a manifest sets are never changed. */
export function missingNodeLabels(node: KubeObject): Record<string, string> | undefined {
  const name = node.metadata.name ?? "";
  const { os, arch } = platform(node);
  const labels = node.metadata.labels ?? {};
  const missing = Object.entries(standardNodeLabels(name, os, arch)).filter(
    ([key]) => labels[key] === undefined,
  );
  return missing.length > 0 ? Object.fromEntries(missing) : undefined;
}

/** The address pods on this node get as hostIP. */
export function nodeInternalIP(node: KubeObject): string {
  const addresses: { type?: string; address?: string }[] = node.status?.addresses ?? [];
  const internal = addresses.find((a) => a.type === "InternalIP" && a.address)?.address;
  return internal ?? formatIPv4(hashedAddress(node.metadata.name ?? "", FALLBACK_NODE_NET, 15));
}

/** A condition the node reports as `status` (the transition time kept when the status did not change). */
function reported(
  kind: NodeConditionKind,
  status: boolean,
  current: NodeCondition | undefined,
  heartbeat: string,
): NodeCondition {
  const unchanged = current?.status === (status ? "True" : "False");
  return nodeCondition(
    kind,
    status,
    heartbeat,
    unchanged && current?.lastTransitionTime ? current.lastTransitionTime : heartbeat,
  );
}

export interface ConditionTransition {
  type: string;
  status: string;
  /** Node event reason for it, when the kubelet records one (NodeReady, NodeHasDiskPressure, …). */
  event?: string;
}

export interface DesiredNodeStatus {
  /** The status fields the kubelet owns, with heartbeat times set to `now`. */
  status: Record<string, any>;
  /** Conditions whose status differs from the stored one. */
  transitions: ConditionTransition[];
}

/** The status this node reports at `now`, given its simulation controls. */
export function desiredNodeStatus(node: KubeObject, sim: NodeSimulation, now: number): DesiredNodeStatus {
  const current: Record<string, any> = node.status ?? {};
  const name = node.metadata.name ?? "";
  const { os, arch } = platform(node);
  const heartbeat = rfc3339(now);
  const byType = new Map<string, NodeCondition>(
    ((current.conditions ?? []) as NodeCondition[]).map((c) => [c.type, c]),
  );

  const conditions: NodeCondition[] = [];
  const transitions: ConditionTransition[] = [];
  const report = (kind: NodeConditionKind, status: boolean) => {
    const before = byType.get(kind.type);
    const condition = reported(kind, status, before, heartbeat);
    conditions.push(condition);
    if (before?.status !== condition.status) {
      const event = (status ? kind.whenTrue : kind.whenFalse).event;
      transitions.push({ type: kind.type, status: condition.status, ...(event ? { event } : {}) });
    }
  };
  // The kubelet never sets NetworkUnavailable; the simulation plays the route controller's part, and clears
  // the condition it set once the annotation goes.
  const networkDown = sim.trueConditions.has("NetworkUnavailable");
  if (networkDown || byType.get(NETWORK_UNAVAILABLE.type)?.status === "True")
    report(NETWORK_UNAVAILABLE, networkDown);
  for (const kind of KUBELET_CONDITIONS) {
    report(kind, kind.type === "Ready" || sim.trueConditions.has(kind.type));
  }

  const capacity = { ...DEFAULT_NODE_CAPACITY, ...current.capacity };
  const addresses: { type: string; address: string }[] = current.addresses?.length
    ? current.addresses
    : [
        { type: "InternalIP", address: nodeInternalIP(node) },
        { type: "Hostname", address: name },
      ];
  const status = {
    capacity,
    allocatable: { ...capacity, ...current.allocatable },
    conditions,
    addresses,
    daemonEndpoints: {
      kubeletEndpoint: { Port: current.daemonEndpoints?.kubeletEndpoint?.Port || KUBELET_PORT },
    },
    nodeInfo: { ...simulatedNodeInfo(os, arch), ...current.nodeInfo },
  };
  return { status, transitions };
}

const withoutHeartbeat = ({ lastHeartbeatTime: _, ...rest }: NodeCondition) => rest;

/** Whether the stored status differs from `desired` in anything but heartbeat times. */
export function nodeStatusChanged(
  current: Record<string, any> | undefined,
  desired: Record<string, any>,
): boolean {
  const stored = current ?? {};
  for (const [field, value] of Object.entries(desired)) {
    if (field === "conditions") continue;
    if (!jsonEqual(stored[field], value)) return true;
  }
  const storedConditions = new Map<string, NodeCondition>(
    ((stored.conditions ?? []) as NodeCondition[]).map((c) => [c.type, c]),
  );
  return (desired.conditions as NodeCondition[]).some((c) => {
    const before = storedConditions.get(c.type);
    return !before || !jsonEqual(withoutHeartbeat(before), withoutHeartbeat(c));
  });
}

/** When the node last reported its status (the Ready condition's heartbeat), or undefined. */
export function lastNodeReport(node: KubeObject): number | undefined {
  const ready = ((node.status?.conditions ?? []) as NodeCondition[]).find((c) => c.type === "Ready");
  const ms = ready?.lastHeartbeatTime ? Date.parse(ready.lastHeartbeatTime) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
