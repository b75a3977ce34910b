// Facts about daemon pods that every step of the controller asks: readiness and availability (pkg/api/v1/pod),
// whether a pod runs the current template, the order that decides which duplicate survives, the node→pods map.
import type { PodCondition } from "kubernetes-types/core/v1.js";
import { getTargetNodeName } from "./placement.js";
import {
  CONTROLLER_REVISION_HASH_LABEL,
  type DaemonSetLike,
  POD_TEMPLATE_GENERATION_LABEL,
  type PodLike,
} from "./types.js";

/** Go's zero time.Time (0001-01-01T00:00:00Z): what an unset metav1.Time decodes to. */
const GO_ZERO_TIME_MS = -62135596800000;

/** A metav1.Time in epoch milliseconds; unset or unparsable reads as Go's zero time. */
export function timestampMillis(value: string | undefined): number {
  if (!value) return GO_ZERO_TIME_MS;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? GO_ZERO_TIME_MS : ms;
}

function readyCondition(pod: PodLike): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === "Ready");
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: PodLike): boolean {
  return readyCondition(pod)?.status === "True";
}

/**
 * podutil.IsPodAvailable: Ready, and either minReadySeconds is 0 or the Ready transition happened at least
 * minReadySeconds before `now` (epoch ms). Current upstream compares with <=; a pod whose transition time is
 * unset only counts when minReadySeconds is 0.
 */
export function podAvailable(pod: PodLike, minReadySeconds: number, now: number): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== "True") return false;
  if (!minReadySeconds) return true;
  const since = timestampMillis(ready.lastTransitionTime);
  return since !== GO_ZERO_TIME_MS && since + minReadySeconds * 1000 <= now;
}

/** podutil.IsPodTerminal: Succeeded or Failed, containers never restart again. */
export function isPodTerminal(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

export function isPodDeleting(pod: PodLike): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

/**
 * util.IsPodUpdated: the pod carries the current revision hash, or (older pods) the DaemonSet's template
 * generation in `pod-template-generation`.
 */
export function isPodUpdated(pod: PodLike, hash: string, dsTemplateGeneration: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const templateMatches =
    dsTemplateGeneration !== undefined && labels[POD_TEMPLATE_GENERATION_LABEL] === dsTemplateGeneration;
  const hashMatches = hash.length > 0 && labels[CONTROLLER_REVISION_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}

/**
 * podByCreationTimestampAndPhase: bound pods before unbound ones, then the oldest first, then by name. The first
 * pod in this order is the one a node keeps and the one its status reports.
 */
export function compareDaemonPods(a: PodLike, b: PodLike): number {
  const aBound = Boolean(a.spec?.nodeName);
  const bBound = Boolean(b.spec?.nodeName);
  if (aBound !== bBound) return aBound ? -1 : 1;
  const aTime = timestampMillis(a.metadata?.creationTimestamp);
  const bTime = timestampMillis(b.metadata?.creationTimestamp);
  if (aTime !== bTime) return aTime - bTime;
  const aName = a.metadata?.name ?? "";
  const bName = b.metadata?.name ?? "";
  return aName < bName ? -1 : aName > bName ? 1 : 0;
}

/** A sorted copy in compareDaemonPods order. */
export function sortDaemonPods<P extends PodLike>(pods: readonly P[]): P[] {
  return [...pods].sort(compareDaemonPods);
}

export interface PodsByNodeOptions {
  /** cleanupHistory wants every pod; the other steps drop pods that are both terminal and deleting. */
  includeDeletedTerminal?: boolean;
}

/**
 * getNodesToDaemonPods over already-claimed pods: grouped by target node (getTargetNodeName), in input order.
 * Pods without a target node are skipped, and so are terminal pods being deleted unless asked for: the kubelet or
 * pod GC finishes those and the controller has nothing left to do with them. Only nodes with pods get an entry.
 */
export function podsByNode<P extends PodLike>(
  pods: Iterable<P>,
  options: PodsByNodeOptions = {},
): Map<string, P[]> {
  const byNode = new Map<string, P[]>();
  for (const pod of pods) {
    if (!options.includeDeletedTerminal && isPodTerminal(pod) && isPodDeleting(pod)) continue;
    const nodeName = getTargetNodeName(pod);
    if (nodeName === undefined) continue;
    const list = byNode.get(nodeName);
    if (list) list.push(pod);
    else byNode.set(nodeName, [pod]);
  }
  return byNode;
}

/**
 * failedPodsBackoffKey: `<ds uid>/<status.observedGeneration>/<node>`, so a new generation starts a fresh backoff.
 */
export function failedPodsBackoffKey(ds: DaemonSetLike, nodeName: string): string {
  return `${ds.metadata?.uid ?? ""}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
}
