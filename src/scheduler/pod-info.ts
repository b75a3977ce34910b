// A pod as the scheduler works with it, computed once per attempt (framework.PodInfo plus the PreFilter states):
// requests, host ports, tolerations, compiled node affinity and the node names a matchFields term pins it to.
import type { NodeSelectorTerm, Toleration } from "kubernetes-types/core/v1.js";
import { type KubeObject, namespacedName } from "../api/object.js";
import {
  compileNodeSelectorTerm,
  compileRequiredNodeAffinity,
  NODE_NAME_FIELD,
  type NodeMatcher,
} from "../api/scheduling/node-affinity.js";
import { type HostPort, podHostPorts } from "./host-ports.js";
import { type NonZeroRequest, podNonZeroRequests, podRequests, type Resource } from "./pod-resources.js";

/** What a pod holds on its node: the node cache adds and subtracts these. */
export interface PodAccount {
  /** The pod as last seen (preemption reads its labels, start time, deletion and conditions). */
  pod: KubeObject;
  uid: string;
  /** namespace/name, for logs. */
  key: string;
  nodeName: string;
  priority: number;
  requests: Resource;
  nonZero: NonZeroRequest;
  ports: HostPort[];
}

export interface PreferredTerm {
  weight: number;
  matches: NodeMatcher;
}

export interface PodInfo {
  pod: KubeObject;
  key: string;
  uid: string;
  priority: number;
  requests: Resource;
  nonZero: NonZeroRequest;
  ports: HostPort[];
  tolerations: readonly Toleration[];
  /** Whether NodeAffinity has anything to check (a nodeSelector or required node affinity). */
  hasRequiredNodeAffinity: boolean;
  matchesRequiredNodeAffinity: NodeMatcher;
  preferredNodeAffinity: PreferredTerm[];
  /**
   * NodeAffinity's PreFilter result: the only nodes worth checking when every required term names nodes with a
   * `metadata.name In [...]` field requirement (DaemonSet pods), undefined when any node may fit. An empty set
   * means the terms contradict each other and no node can fit.
   */
  pinnedNodes: ReadonlySet<string> | undefined;
}

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export const podPriority = (pod: KubeObject): number => Number(pod.spec?.priority ?? 0);

/** NodeAffinity.PreFilter: union over terms of the intersection of each term's node-name requirements. */
export function pinnedNodeNames(pod: KubeObject): ReadonlySet<string> | undefined {
  const terms: NodeSelectorTerm[] | undefined =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== NODE_NAME_FIELD || r.operator !== "In") continue;
      const values = new Set(r.values ?? []);
      names = names ? new Set([...names].filter((n) => values.has(n))) : values;
    }
    // A term that names no node lets every node through, and the terms are ORed.
    if (!names) return undefined;
    for (const n of names) union.add(n);
  }
  return union;
}

function preferredTerms(pod: KubeObject): PreferredTerm[] {
  const out: PreferredTerm[] = [];
  for (const p of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    const matches = p?.preference ? compileNodeSelectorTerm(p.preference) : undefined;
    // Upstream skips zero-weight terms and rejects unparsable ones at validation.
    if (matches && p.weight) out.push({ weight: Number(p.weight), matches });
  }
  return out;
}

export function podInfo(pod: KubeObject): PodInfo {
  const spec = pod.spec ?? {};
  return {
    pod,
    key: namespacedName(pod),
    uid: pod.metadata.uid ?? "",
    priority: podPriority(pod),
    requests: podRequests(pod),
    nonZero: podNonZeroRequests(pod),
    ports: podHostPorts(pod),
    tolerations: spec.tolerations ?? [],
    hasRequiredNodeAffinity:
      spec.nodeSelector !== undefined ||
      spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined,
    matchesRequiredNodeAffinity: compileRequiredNodeAffinity(spec),
    preferredNodeAffinity: preferredTerms(pod),
    pinnedNodes: pinnedNodeNames(pod),
  };
}

/** What `info` will hold once on `nodeName` (the assumed pod). */
export function accountFromInfo(info: PodInfo, nodeName: string): PodAccount {
  return {
    pod: info.pod,
    uid: info.uid,
    key: info.key,
    nodeName,
    priority: info.priority,
    requests: info.requests,
    nonZero: info.nonZero,
    ports: info.ports,
  };
}

/** What a pod bound to a node holds there. */
export function podAccount(pod: KubeObject): PodAccount {
  return {
    pod,
    uid: pod.metadata.uid ?? namespacedName(pod),
    key: namespacedName(pod),
    nodeName: pod.spec?.nodeName ?? "",
    priority: podPriority(pod),
    requests: podRequests(pod),
    nonZero: podNonZeroRequests(pod),
    ports: podHostPorts(pod),
  };
}
