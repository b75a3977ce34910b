// The DefaultPreemption PostFilter's verdict (1.32), as a dry run: whether evicting lower-priority pods could
// make room, and the "preemption: 0/N nodes are available: ..." message when it could not. Evicting victims is
// not implemented; when preemption would help the pod simply waits, with upstream's message minus that part.

import { type Rejection, runFilters } from "./filters.js";
import { fitErrorMessage } from "./fit-error.js";
import type { NodeInfo } from "./node-info.js";
import type { PodInfo } from "./pod-info.js";

export const PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NO_PREEMPTION_VICTIMS = "No preemption victims found for incoming pod";
export const NOT_ELIGIBLE_PREEMPTION_POLICY_NEVER = "not eligible due to preemptionPolicy=Never.";

const notHelpful: Rejection = Object.freeze({
  plugin: "DefaultPreemption",
  code: "UnschedulableAndUnresolvable",
  reasons: Object.freeze([PREEMPTION_NOT_HELPFUL]),
});
const noVictims: Rejection = Object.freeze({
  plugin: "DefaultPreemption",
  code: "UnschedulableAndUnresolvable",
  reasons: Object.freeze([NO_PREEMPTION_VICTIMS]),
});

export type PreemptionVerdict =
  /** Preemption cannot help: the PostFilter message, "preemption: ...". */
  | { helps: false; message: string }
  /** Evicting lower-priority pods on `nodeName` would let the pod fit. */
  | { helps: true; nodeName: string };

/**
 * SelectVictimsOnNode's first step: with every lower-priority pod gone, does the pod fit? Undefined when it
 * does, else the node's status for preemption's own FitError.
 */
function statusWithoutLowerPriorityPods(pod: PodInfo, node: NodeInfo): Rejection | undefined {
  const victims = [...node.pods.values()].filter((p) => p.priority < pod.priority);
  if (victims.length === 0) return noVictims;
  const trial = node.clone();
  for (const v of victims) trial.removePod(v.uid);
  return runFilters(pod, trial);
}

/**
 * Evaluator.Preempt up to the choice of candidates: only nodes rejected as Unschedulable (resources, ports) are
 * worth a dry run; every other node counts as "Preemption is not helpful for scheduling".
 */
export function evaluatePreemption(
  pod: PodInfo,
  numAllNodes: number,
  nodeStatuses: ReadonlyMap<string, Rejection>,
  nodeInfo: (name: string) => NodeInfo | undefined,
): PreemptionVerdict {
  if (pod.pod.spec?.preemptionPolicy === "Never") {
    return { helps: false, message: `preemption: ${NOT_ELIGIBLE_PREEMPTION_POLICY_NEVER}` };
  }
  const statuses = new Map<string, Rejection>();
  for (const [name, status] of nodeStatuses) {
    if (status.code !== "Unschedulable") continue;
    const node = nodeInfo(name);
    if (!node) continue;
    const after = statusWithoutLowerPriorityPods(pod, node);
    if (!after) return { helps: true, nodeName: name };
    statuses.set(name, after);
  }
  const message = fitErrorMessage(numAllNodes, { nodeStatuses: statuses, absentNodesStatus: notHelpful });
  return { helps: false, message: `preemption: ${message}` };
}
