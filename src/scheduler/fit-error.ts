// Why a pod fits nowhere, in upstream's words (framework.Diagnosis and FitError.Error, 1.32): the message of the
// PodScheduled=False condition and of the FailedScheduling event, e.g.
// "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. preemption: ...".
import type { Rejection } from "./filters.js";

export interface Diagnosis {
  /** The rejection of every node that was checked. */
  nodeStatuses: ReadonlyMap<string, Rejection>;
  /**
   * What every node absent from nodeStatuses counts as: nodes a PreFilter result ruled out, or, in preemption's
   * own FitError, nodes preemption cannot help on.
   */
  absentNodesStatus?: Rejection;
  /** A PreFilter rejection's message; when set, per-node reasons are left out (they would repeat it). */
  preFilterMsg?: string;
  /** The PostFilter (preemption) outcome, already prefixed "preemption: ". */
  postFilterMsg?: string;
}

/** framework.NoNodeAvailableMsg and schedule_one.go's ErrNoNodesAvailable. */
export const noNodesAvailableMessage = (numAllNodes: number): string =>
  `0/${numAllNodes} nodes are available`;
export const ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods";

/** Events and conditions keep messages within validation.NoteLengthLimit, as upstream truncates them. */
export const NOTE_LENGTH_LIMIT = 1024;

export function truncateMessage(message: string): string {
  if (message.length <= NOTE_LENGTH_LIMIT) return message;
  const suffix = " ...";
  return message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}

/** Go's sort.Strings: byte-wise order, so "10 ..." sorts before "2 ...". */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** FitError.Error: "0/N nodes are available: <PreFilterMsg>. <count reason, ...>. <PostFilterMsg>". */
export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis): string {
  let message = `${noNodesAvailableMessage(numAllNodes)}:`;
  if (diagnosis.preFilterMsg) {
    message += ` ${diagnosis.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    const count = (reason: string, n: number) => counts.set(reason, (counts.get(reason) ?? 0) + n);
    for (const status of diagnosis.nodeStatuses.values()) for (const r of status.reasons) count(r, 1);
    const absent = numAllNodes - diagnosis.nodeStatuses.size;
    if (absent > 0 && diagnosis.absentNodesStatus) {
      for (const r of diagnosis.absentNodesStatus.reasons) count(r, absent);
    }
    const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byteOrder);
    if (histogram.length > 0) message += ` ${histogram.join(", ")}.`;
  }
  if (diagnosis.postFilterMsg) message += ` ${diagnosis.postFilterMsg}`;
  return message;
}

/** The status nodes get when NodeAffinity's PreFilter narrowed the search to the nodes a pod names. */
export function preFilterNarrowedStatus(plugins: readonly string[]): Rejection {
  return {
    plugin: plugins[0] ?? "",
    code: "UnschedulableAndUnresolvable",
    reasons: [`node(s) didn't satisfy plugin(s) [${plugins.join(" ")}]`],
  };
}

/** NodeAffinity's PreFilter when the terms name nodes that cannot all hold at once. */
export const ERR_REASON_AFFINITY_CONFLICT = "pod affinity terms conflict";
