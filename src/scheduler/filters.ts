// The Filter plugins of kube-scheduler's default profile (1.32) that apply without volumes or inter-pod affinity,
// as pure functions of a pod and one node: undefined when the pod fits, otherwise a Rejection carrying upstream's
// status code and reason strings (the pieces of the "0/N nodes are available: ..." message).
import {
  findMatchingUntoleratedTaint,
  isNoScheduleOrNoExecute,
  tolerationsTolerateTaint,
  WellKnownTaint,
} from "../api/scheduling/taints.js";
import type { NodeInfo } from "./node-info.js";
import type { PodInfo } from "./pod-info.js";

/**
 * framework.Code for a rejected node: Unschedulable may be fixed by preempting pods on the node,
 * UnschedulableAndUnresolvable cannot (preemption skips such nodes).
 */
export type RejectionCode = "Unschedulable" | "UnschedulableAndUnresolvable";

export interface Rejection {
  plugin: string;
  code: RejectionCode;
  /** Status.Reasons(): one per failed check; the FitError counts nodes per reason. */
  reasons: readonly string[];
}

export interface FilterPlugin {
  readonly name: string;
  filter(pod: PodInfo, node: NodeInfo): Rejection | undefined;
}

/** Upstream's reason strings, word for word: users and tools read them in events and pod conditions. */
export const ErrReason = {
  NodeUnschedulable: "node(s) were unschedulable",
  NodeName: "node(s) didn't match the requested node name",
  NodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  NodePorts: "node(s) didn't have free ports for the requested pod ports",
  TooManyPods: "Too many pods",
} as const;

/** TaintToleration's reason names the first untolerated taint as `{key: value}`. */
export const untoleratedTaintReason = (taint: { key: string; value?: string }): string =>
  `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;

export const insufficientReason = (resource: string): string => `Insufficient ${resource}`;

const rejection = (plugin: string, code: RejectionCode, ...reasons: string[]): Rejection =>
  Object.freeze({ plugin, code, reasons: Object.freeze(reasons) });

const UNSCHEDULABLE = rejection(
  "NodeUnschedulable",
  "UnschedulableAndUnresolvable",
  ErrReason.NodeUnschedulable,
);
const WRONG_NODE_NAME = rejection("NodeName", "UnschedulableAndUnresolvable", ErrReason.NodeName);
const AFFINITY_MISMATCH = rejection("NodeAffinity", "UnschedulableAndUnresolvable", ErrReason.NodeAffinity);
const PORTS_TAKEN = rejection("NodePorts", "Unschedulable", ErrReason.NodePorts);

const UNSCHEDULABLE_TAINT = { key: WellKnownTaint.Unschedulable, effect: "NoSchedule" };

/** NodeUnschedulable: spec.unschedulable keeps pods off unless they tolerate the unschedulable taint. */
export const nodeUnschedulable: FilterPlugin = {
  name: "NodeUnschedulable",
  filter(pod, node) {
    if (!node.node?.spec?.unschedulable) return undefined;
    return tolerationsTolerateTaint(pod.tolerations, UNSCHEDULABLE_TAINT) ? undefined : UNSCHEDULABLE;
  },
};

/** NodeName: a pod that names its node fits only there. */
export const nodeName: FilterPlugin = {
  name: "NodeName",
  filter(pod, node) {
    const wanted = pod.pod.spec?.nodeName;
    return !wanted || wanted === node.name ? undefined : WRONG_NODE_NAME;
  },
};

/** TaintToleration: every NoSchedule and NoExecute taint must be tolerated. */
export const taintToleration: FilterPlugin = {
  name: "TaintToleration",
  filter(pod, node) {
    const taint = findMatchingUntoleratedTaint(
      node.node?.spec?.taints,
      pod.tolerations,
      isNoScheduleOrNoExecute,
    );
    if (!taint) return undefined;
    return rejection("TaintToleration", "UnschedulableAndUnresolvable", untoleratedTaintReason(taint));
  },
};

/** NodeAffinity: the nodeSelector and the required node affinity terms must match the node. */
export const nodeAffinity: FilterPlugin = {
  name: "NodeAffinity",
  filter(pod, node) {
    if (!pod.hasRequiredNodeAffinity || !node.node) return undefined;
    return pod.matchesRequiredNodeAffinity(node.node) ? undefined : AFFINITY_MISMATCH;
  },
};

/** NodePorts: each requested host port must be free on the node. */
export const nodePorts: FilterPlugin = {
  name: "NodePorts",
  filter(pod, node) {
    if (pod.ports.length === 0) return undefined;
    return pod.ports.some((p) => node.usedPorts.conflicts(p)) ? PORTS_TAKEN : undefined;
  },
};

/**
 * NodeResourcesFit (fitsRequest): the pod count, then CPU, memory, ephemeral storage and scalar resources, each
 * against allocatable minus what the node's pods already request. Every shortfall is a reason of its own.
 */
export const nodeResourcesFit: FilterPlugin = {
  name: "NodeResourcesFit",
  filter(pod, node) {
    const reasons: string[] = [];
    const alloc = node.allocatable;
    const used = node.requested;
    if (node.podCount + 1 > alloc.allowedPodNumber) reasons.push(ErrReason.TooManyPods);
    const req = pod.requests;
    if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU)
      reasons.push(insufficientReason("cpu"));
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) reasons.push(insufficientReason("memory"));
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
      reasons.push(insufficientReason("ephemeral-storage"));
    }
    for (const [name, amount] of req.scalar) {
      if (amount === 0) continue;
      if (amount > (alloc.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0))
        reasons.push(insufficientReason(name));
    }
    return reasons.length === 0 ? undefined : rejection("NodeResourcesFit", "Unschedulable", ...reasons);
  },
};

/** The default profile's filter order: the first plugin that rejects a node decides its reasons. */
export const DEFAULT_FILTERS: readonly FilterPlugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
];

/** RunFilterPlugins without runAllFilters: stops at the first rejection. */
export function runFilters(pod: PodInfo, node: NodeInfo, filters = DEFAULT_FILTERS): Rejection | undefined {
  for (const plugin of filters) {
    const rejected = plugin.filter(pod, node);
    if (rejected) return rejected;
  }
  return undefined;
}
