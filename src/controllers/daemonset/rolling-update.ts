// The `rollingUpdate` step as a plan, with upstream's two algorithms: without surge, delete old pods while staying
// within maxUnavailable (manage recreates them); with surge, create new pods beside old ones within maxSurge.
import { templateGeneration } from "./daemonset-meta.js";
import { compileDaemonSetPlacement, type PlacementDecision } from "./placement.js";
import { isPodDeleting, isPodUpdated, podAvailable } from "./pods.js";
import { rollingUpdateLimits } from "./strategy.js";
import type { DaemonSetLike, NodeLike, PodLike } from "./types.js";

export interface RollingUpdatePlan {
  /** Names of old pods to delete. */
  podsToDelete: string[];
  /** Nodes to create a new pod on (surge only). */
  nodesNeedingPods: string[];
  maxSurge: number;
  maxUnavailable: number;
  desiredNumberScheduled: number;
}

export interface RollingUpdateOptions {
  /** NodeShouldRunDaemonPod for this DaemonSet; compiled from `ds` when omitted. */
  placement?: (node: NodeLike) => PlacementDecision;
  /**
   * The order nodes are visited in. Upstream ranges over a Go map (random order), which decides which candidates
   * win when the limit is reached; names listed here come first in this order, the rest follow in map order.
   */
  nodeOrder?: readonly string[];
}

interface NodePods {
  newPod?: PodLike;
  oldPod?: PodLike;
}

/**
 * findUpdatedPodsOnNode: the node's non-deleting new pod and old pod, or undefined when it has two of either kind
 * (manage prunes those first).
 */
export function findUpdatedPodsOnNode(
  ds: DaemonSetLike,
  pods: readonly PodLike[],
  hash: string,
): NodePods | undefined {
  const generation = templateGeneration(ds);
  const found: NodePods = {};
  for (const pod of pods) {
    if (isPodDeleting(pod)) continue;
    const slot = isPodUpdated(pod, hash, generation) ? "newPod" : "oldPod";
    if (found[slot]) return undefined;
    found[slot] = pod;
  }
  return found;
}

function orderedEntries(
  byNode: Map<string, readonly PodLike[]>,
  nodeOrder: readonly string[] | undefined,
): [string, readonly PodLike[]][] {
  const entries = [...byNode];
  if (!nodeOrder) return entries;
  const rank = new Map(nodeOrder.map((name, i) => [name, i]));
  const rankOf = (name: string) => rank.get(name) ?? Number.MAX_SAFE_INTEGER;
  // Array.prototype.sort is stable, so unlisted nodes keep map order.
  return entries.sort(([a], [b]) => rankOf(a) - rankOf(b));
}

const podName = (pod: PodLike): string => pod.metadata?.name ?? "";
const clamp = (value: number, max: number): number => Math.min(Math.max(value, 0), max);

interface Visit {
  nodeName: string;
  pods: NodePods | undefined;
}

/** maxSurge = 0: old pods are deleted, never more than maxUnavailable nodes at once without an available pod. */
function planWithoutSurge(
  visits: readonly Visit[],
  maxUnavailable: number,
  isAvailable: (p: PodLike) => boolean,
) {
  let numUnavailable = 0;
  const forced: string[] = [];
  const candidates: string[] = [];
  for (const { pods } of visits) {
    if (!pods) {
      numUnavailable++; // duplicates: manage cleans up first
      continue;
    }
    const { newPod, oldPod } = pods;
    if ((!newPod && !oldPod) || (newPod && oldPod)) {
      numUnavailable++; // manage creates or deletes here
    } else if (newPod) {
      if (!isAvailable(newPod)) numUnavailable++;
    } else if (oldPod && !isAvailable(oldPod)) {
      forced.push(podName(oldPod)); // already down: replacing it costs nothing
      numUnavailable++;
    } else if (oldPod && numUnavailable < maxUnavailable) {
      candidates.push(podName(oldPod));
    }
  }
  const allowed = clamp(maxUnavailable - numUnavailable, candidates.length);
  return { podsToDelete: [...forced, ...candidates.slice(0, allowed)], nodesNeedingPods: [] };
}

/**
 * maxSurge > 0: a new pod is created next to each old one (forced when the old one is unavailable, otherwise up
 * to maxSurge at a time) and the old one is deleted once the new one is available. Old pods on nodes that should
 * no longer run the DaemonSet are only deleted while more pods are available than desired.
 */
function planWithSurge(
  visits: readonly Visit[],
  maxSurge: number,
  desired: number,
  isAvailable: (p: PodLike) => boolean,
  shouldRun: (nodeName: string) => boolean,
) {
  const podsToDelete: string[] = [];
  const shouldNotRun: string[] = [];
  const forcedNodes: string[] = [];
  const candidateNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const { nodeName, pods } of visits) {
    if (!pods) {
      numSurge++; // duplicates: manage cleans up first
      continue;
    }
    const { newPod, oldPod } = pods;
    // Availability counts every node, even those being sunset.
    const counted = oldPod ?? newPod;
    if (counted && isAvailable(counted)) numAvailable++;
    if (!oldPod) continue; // nothing to replace; manage looks after this node
    if (!newPod) {
      if (!isAvailable(oldPod)) {
        if (!shouldRun(nodeName)) podsToDelete.push(podName(oldPod));
        else forcedNodes.push(nodeName);
      } else if (!shouldRun(nodeName)) {
        shouldNotRun.push(podName(oldPod));
      } else if (numSurge < maxSurge) {
        candidateNodes.push(nodeName);
      }
    } else if (!isAvailable(newPod)) {
      numSurge++; // waiting for the new pod
    } else {
      podsToDelete.push(podName(oldPod));
    }
  }
  // Keep the application fully available when its pods move: sunset pods go only as replacements become available.
  const deletable = clamp(numAvailable - desired, shouldNotRun.length);
  podsToDelete.push(...shouldNotRun.slice(0, deletable));
  const allowed = clamp(maxSurge - numSurge, candidateNodes.length);
  return { podsToDelete, nodesNeedingPods: [...forcedNodes, ...candidateNodes.slice(0, allowed)] };
}

/**
 * rollingUpdate: visits every node with pods plus every desired node without any (deleting pods ignored) and
 * returns the pods to delete and the nodes to create on. Throws, as upstream returns an error, on an invalid
 * maxSurge/maxUnavailable or when surge planning needs a node that is not in `nodes`.
 */
export function planRollingUpdate(
  ds: DaemonSetLike,
  nodes: readonly NodeLike[],
  podsByNode: ReadonlyMap<string, readonly PodLike[]>,
  hash: string,
  now: number,
  options: RollingUpdateOptions = {},
): RollingUpdatePlan {
  const placement = options.placement ?? compileDaemonSetPlacement(ds);
  const byNode = new Map<string, readonly PodLike[]>(podsByNode);
  const nodesByName = new Map<string, NodeLike>();
  let desiredNumberScheduled = 0;
  for (const node of nodes) {
    const nodeName = node.metadata?.name ?? "";
    nodesByName.set(nodeName, node);
    if (!placement(node).shouldRun) continue;
    desiredNumberScheduled++;
    if (!byNode.has(nodeName)) byNode.set(nodeName, []);
  }
  let limits: ReturnType<typeof rollingUpdateLimits>;
  try {
    limits = rollingUpdateLimits(ds, desiredNumberScheduled);
  } catch (e) {
    throw new Error(`couldn't get unavailable numbers: ${(e as Error).message}`);
  }
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const isAvailable = (pod: PodLike) => podAvailable(pod, minReadySeconds, now);
  const visits = orderedEntries(byNode, options.nodeOrder).map(([nodeName, pods]) => ({
    nodeName,
    pods: findUpdatedPodsOnNode(ds, pods, hash),
  }));
  const shouldRun = (nodeName: string): boolean => {
    const node = nodesByName.get(nodeName);
    if (!node) throw new Error(`couldn't get node for nodeName "${nodeName}": node "${nodeName}" not found`);
    return placement(node).shouldRun;
  };
  const actions =
    limits.maxSurge === 0
      ? planWithoutSurge(visits, limits.maxUnavailable, isAvailable)
      : planWithSurge(visits, limits.maxSurge, desiredNumberScheduled, isAvailable, shouldRun);
  return { ...actions, ...limits, desiredNumberScheduled };
}
