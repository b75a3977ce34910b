// One scheduling cycle's decision (upstream schedulePod + findNodesThatFitPod + the PostFilter): the node a pod
// goes to, or why it fits nowhere, in the exact words of the FailedScheduling event, plus the preemption to
// carry out when evicting lower-priority pods makes room. Synchronous and without I/O; a pod pinned to named
// nodes (DaemonSet pods) costs one check per named node, not one per node. Pods nominated to a node count there
// for every pod of lower or equal priority.
import type { KubeObject } from "../api/object.js";
import { type Rejection, runFilters } from "./filters.js";
import {
  ERR_NO_NODES_AVAILABLE,
  ERR_REASON_AFFINITY_CONFLICT,
  fitErrorMessage,
  preFilterNarrowedStatus,
} from "./fit-error.js";
import type { NodeInfo } from "./node-info.js";
import { Nominator, nominatedNodeName } from "./nominator.js";
import type { PodAccount, PodInfo } from "./pod-info.js";
import { type PreemptionOutcome, preempt } from "./preemption.js";
import type { SchedulerCache } from "./scheduler-cache.js";
import { selectHost } from "./scoring.js";

/** A pod that fits nowhere this cycle. */
export interface Unschedulable {
  node?: undefined;
  /** The FitError text (without the preemption part when preemption made room). */
  message: string;
  /** Victims to evict on `nodeName`, where the pod is then nominated. */
  preemption?: { nodeName: string; victims: PodAccount[] };
  /** The pod's nominatedNodeName must be cleared (preemption found no candidate). */
  clearNomination: boolean;
}

export type ScheduleOutcome = { node: NodeInfo } | Unschedulable;

export interface PodSchedulerOptions {
  /** Tie-breaking among equally good nodes and preemption's starting offset. */
  random?: () => number;
  /** Pods nominated to nodes by earlier preemptions (a private one by default). */
  nominator?: Nominator;
  /** The cluster's PodDisruptionBudgets, read when preempting (none by default). */
  pdbs?: () => readonly KubeObject[];
  now?: () => number;
}

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
  private readonly random: () => number;
  private readonly nominator: Nominator;
  private readonly pdbs: () => readonly KubeObject[];
  private readonly now: () => number;

  constructor(
    private readonly cache: SchedulerCache,
    options: PodSchedulerOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.nominator = options.nominator ?? new Nominator();
    this.pdbs = options.pdbs ?? (() => []);
    this.now = options.now ?? Date.now;
  }

  schedule(pod: PodInfo): ScheduleOutcome {
    const all = this.cache.nodes();
    if (all.length === 0) return { message: ERR_NO_NODES_AVAILABLE, clearNomination: false };
    const pinned = pod.pinnedNodes;
    if (pinned?.size === 0) {
      // NodeAffinity's PreFilter rejects the pod outright: no node is checked.
      const conflict: Rejection = {
        plugin: "NodeAffinity",
        code: "UnschedulableAndUnresolvable",
        reasons: [ERR_REASON_AFFINITY_CONFLICT],
      };
      return this.unschedulable(pod, all.length, new Map(), {
        absentNodesStatus: conflict,
        preFilterMsg: ERR_REASON_AFFINITY_CONFLICT,
      });
    }
    const nominated = this.nominatedNodeThatFits(pod);
    if (nominated) return { node: nominated };
    const statuses = new Map<string, Rejection>();
    const feasible = pinned ? this.filterPinned(pod, pinned, statuses) : this.filterAll(pod, all, statuses);
    if (feasible.length > 0) return { node: selectHost(pod, feasible, this.random) };
    return this.unschedulable(pod, all.length, statuses, {
      absentNodesStatus: pinned ? preFilterNarrowedStatus(["NodeAffinity"]) : undefined,
    });
  }

  /** The FitError, after the PostFilter (preemption) had its say. */
  private unschedulable(
    pod: PodInfo,
    numAllNodes: number,
    statuses: Map<string, Rejection>,
    diagnosis: { absentNodesStatus?: Rejection; preFilterMsg?: string },
  ): Unschedulable {
    const outcome: PreemptionOutcome = preempt(pod, {
      numAllNodes,
      nodeStatuses: statuses,
      nodeInfo: (name) => this.cache.node(name),
      nominator: this.nominator,
      pdbs: this.pdbs(),
      now: this.now(),
      random: this.random,
    });
    const message = fitErrorMessage(numAllNodes, {
      nodeStatuses: statuses,
      ...diagnosis,
      postFilterMsg: outcome.preempt ? undefined : outcome.message,
    });
    if (outcome.preempt) {
      return {
        message,
        preemption: { nodeName: outcome.nodeName, victims: outcome.victims },
        clearNomination: false,
      };
    }
    return { message, clearNomination: outcome.clearNomination };
  }

  /** evaluateNominatedNode: a pod nominated by an earlier preemption goes there if it fits now. */
  private nominatedNodeThatFits(pod: PodInfo): NodeInfo | undefined {
    const name = this.nominator.nodeFor(pod.uid) ?? nominatedNodeName(pod.pod);
    if (!name || (pod.pinnedNodes && !pod.pinnedNodes.has(name))) return undefined;
    const node = this.cache.node(name);
    return node && !this.filter(pod, node) ? node : undefined;
  }

  /** RunFilterPluginsWithNominatedPods: nominated pods of at least this priority count as already there. */
  private filter(pod: PodInfo, node: NodeInfo): Rejection | undefined {
    const nominated = this.nominator.nominatedPodsAbove(pod, node.name);
    if (nominated.length === 0) return runFilters(pod, node);
    const withNominated = node.clone();
    for (const p of nominated) withNominated.addPod(p);
    return runFilters(pod, withNominated);
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
      const rejected = this.filter(pod, node);
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
      const rejected = this.filter(pod, node);
      if (rejected) statuses.set(node.name, rejected);
      else feasible.push(node);
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length;
    return feasible;
  }
}
