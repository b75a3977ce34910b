// Picks one node among those that fit, with a reduced default profile: NodeResourcesFit LeastAllocated (weight 1),
// NodeAffinity preferred terms (weight 2) and TaintToleration PreferNoSchedule (weight 3), ties broken at random
// as upstream's selectHost does. Spreading, inter-pod affinity and image locality are left out.
import { tolerationsTolerateTaint } from "../api/scheduling/taints.js";
import type { NodeInfo } from "./node-info.js";
import type { PodInfo } from "./pod-info.js";

export const MAX_NODE_SCORE = 100;

const WEIGHT = { fit: 1, affinity: 2, taints: 3 } as const;

/** leastRequestedScore: the share of the resource left free after placing the pod, 0..100. */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * NodeResourcesFit's LeastAllocated score over CPU and memory (weight 1 each), counting requests with the
 * scheduler's defaults for containers that set none, so that empty pods still spread.
 */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  let sum = 0;
  let weights = 0;
  const alloc = node.allocatable;
  if (alloc.milliCPU > 0) {
    sum += leastRequested(node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, alloc.milliCPU);
    weights++;
  }
  if (alloc.memory > 0) {
    sum += leastRequested(node.nonZeroRequested.memory + pod.nonZero.memory, alloc.memory);
    weights++;
  }
  return weights === 0 ? 0 : Math.floor(sum / weights);
}

/** TaintToleration's raw score: how many PreferNoSchedule taints the pod does not tolerate (fewer is better). */
export function intolerablePreferNoScheduleTaints(pod: PodInfo, node: NodeInfo): number {
  let count = 0;
  for (const taint of node.node?.spec?.taints ?? []) {
    if (taint.effect === "PreferNoSchedule" && !tolerationsTolerateTaint(pod.tolerations, taint)) count++;
  }
  return count;
}

/** NodeAffinity's raw score: the summed weights of the preferred terms the node matches. */
export function preferredAffinityWeight(pod: PodInfo, node: NodeInfo): number {
  if (!node.node) return 0;
  let sum = 0;
  for (const term of pod.preferredNodeAffinity) if (term.matches(node.node)) sum += term.weight;
  return sum;
}

/** helper.DefaultNormalizeScore: scales raw scores to 0..100 by the largest one, reversed when fewer is better. */
export function normalizeScores(raw: readonly number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw);
  if (max === 0) return raw.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return raw.map((s) => {
    const scaled = Math.floor((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - scaled : scaled;
  });
}

/** The weighted total per node, in the order given. */
export function scoreNodes(pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
  const taints = normalizeScores(
    nodes.map((n) => intolerablePreferNoScheduleTaints(pod, n)),
    true,
  );
  const affinity =
    pod.preferredNodeAffinity.length > 0
      ? normalizeScores(
          nodes.map((n) => preferredAffinityWeight(pod, n)),
          false,
        )
      : undefined;
  return nodes.map(
    (n, i) =>
      WEIGHT.fit * leastAllocatedScore(pod, n) +
      WEIGHT.taints * taints[i] +
      WEIGHT.affinity * (affinity?.[i] ?? 0),
  );
}

/** selectHost: the best-scoring node, one of equals chosen uniformly (reservoir sampling). One node: no scoring. */
export function selectHost(
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  random: () => number = Math.random,
): NodeInfo {
  if (nodes.length === 1) return nodes[0];
  const scores = scoreNodes(pod, nodes);
  let best = 0;
  let ties = 1;
  for (let i = 1; i < nodes.length; i++) {
    if (scores[i] > scores[best]) {
      best = i;
      ties = 1;
    } else if (scores[i] === scores[best]) {
      ties++;
      if (Math.floor(random() * ties) === 0) best = i;
    }
  }
  return nodes[best];
}
