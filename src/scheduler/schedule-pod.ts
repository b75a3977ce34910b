// One scheduling cycle's decision (upstream schedulePod + findNodesThatFitPod + the PostFilter): the node a pod
// goes to, or why it fits nowhere, in the exact words of the FailedScheduling event. Synchronous and without I/O;
// a pod pinned to named nodes (DaemonSet pods) costs one check per named node, not one per node.

import { type Rejection, runFilters } from "./filters.js";
import {
  ERR_NO_NODES_AVAILABLE,
  ERR_REASON_AFFINITY_CONFLICT,
  fitErrorMessage,
  preFilterNarrowedStatus,
} from "./fit-error.js";
import type { NodeInfo } from "./node-info.js";
import type { PodInfo } from "./pod-info.js";
import { evaluatePreemption } from "./preemption.js";
import type { SchedulerCache } from "./scheduler-cache.js";
import { selectHost } from "./scoring.js";

export type ScheduleOutcome = { node: NodeInfo } | { node?: undefined; message: string };

/** Default minFeasibleNodesToFind and minFeasibleNodesPercentageToFind. */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/**
 * numFeasibleNodesToFind with the adaptive percentage (percentageOfNodesToScore unset): every node up to 100,
 * then 50% shrinking with cluster size to 5%, never fewer than 100.
 */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES) return numAllNodes;
  const percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES, Math.trunc((numAllNodes * percentage) / 100));
}

export class PodScheduler {
  /** Where the next search over all nodes starts, so every node gets its turn (nextStartNodeIndex). */
  private nextStartNodeIndex = 0;

  constructor(
    private readonly cache: SchedulerCache,
    private readonly random: () => number = Math.random,
  ) {}

  schedule(pod: PodInfo): ScheduleOutcome {
    const all = this.cache.nodes();
    if (all.length === 0) return { message: ERR_NO_NODES_AVAILABLE };
    const pinned = pod.pinnedNodes;
    if (pinned?.size === 0) {
      // NodeAffinity's PreFilter rejects the pod outright: no node is checked.
      const conflict: Rejection = {
        plugin: "NodeAffinity",
        code: "UnschedulableAndUnresolvable",
        reasons: [ERR_REASON_AFFINITY_CONFLICT],
      };
      const statuses = new Map<string, Rejection>();
      const verdict = evaluatePreemption(pod, all.length, statuses, () => undefined);
      const postFilterMsg = verdict.helps ? undefined : verdict.message;
      return {
        message: fitErrorMessage(all.length, {
          nodeStatuses: statuses,
          absentNodesStatus: conflict,
          preFilterMsg: ERR_REASON_AFFINITY_CONFLICT,
          postFilterMsg,
        }),
      };
    }
    const statuses = new Map<string, Rejection>();
    const feasible = pinned ? this.filterPinned(pod, pinned, statuses) : this.filterAll(pod, all, statuses);
    if (feasible.length > 0) return { node: selectHost(pod, feasible, this.random) };
    const verdict = evaluatePreemption(pod, all.length, statuses, (name) => this.cache.node(name));
    return {
      message: fitErrorMessage(all.length, {
        nodeStatuses: statuses,
        absentNodesStatus: pinned ? preFilterNarrowedStatus(["NodeAffinity"]) : undefined,
        postFilterMsg: verdict.helps ? undefined : verdict.message,
      }),
    };
  }

  /** Only the named nodes that exist are checked; the rest count as "didn't satisfy plugin(s) [NodeAffinity]". */
  private filterPinned(
    pod: PodInfo,
    names: ReadonlySet<string>,
    statuses: Map<string, Rejection>,
  ): NodeInfo[] {
    const feasible: NodeInfo[] = [];
    for (const name of names) {
      const node = this.cache.node(name);
      if (!node) continue;
      const rejected = runFilters(pod, node);
      if (rejected) statuses.set(name, rejected);
      else feasible.push(node);
    }
    return feasible;
  }

  /** findNodesThatPassFilters: from the rotating start, until enough nodes fit or all were checked. */
  private filterAll(pod: PodInfo, nodes: readonly NodeInfo[], statuses: Map<string, Rejection>): NodeInfo[] {
    const wanted = numFeasibleNodesToFind(nodes.length);
    const start = this.nextStartNodeIndex % nodes.length;
    const feasible: NodeInfo[] = [];
    let processed = 0;
    for (; processed < nodes.length && feasible.length < wanted; processed++) {
      const node = nodes[(start + processed) % nodes.length];
      const rejected = runFilters(pod, node);
      if (rejected) statuses.set(node.name, rejected);
      else feasible.push(node);
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length;
    return feasible;
  }
}
