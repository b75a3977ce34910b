// DaemonSet status as upstream's updateDaemonSetStatus counts it, and whether the stored status needs a write.
import type { DaemonSetStatus } from "kubernetes-types/apps/v1.js";
import { templateGeneration } from "./daemonset-meta.js";
import { compileDaemonSetPlacement, type PlacementDecision } from "./placement.js";
import { isPodReady, isPodUpdated, podAvailable, sortDaemonPods } from "./pods.js";
import type { DaemonSetLike, NodeLike, PodLike } from "./types.js";

export interface DaemonSetStatusCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

const COUNT_FIELDS: readonly (keyof DaemonSetStatusCounts)[] = [
  "desiredNumberScheduled",
  "currentNumberScheduled",
  "numberMisscheduled",
  "numberReady",
  "updatedNumberScheduled",
  "numberAvailable",
  "numberUnavailable",
];

export interface ComputeStatusOptions {
  /** NodeShouldRunDaemonPod for this DaemonSet; compiled from `ds` when omitted. */
  placement?: (node: NodeLike) => PlacementDecision;
}

/**
 * The counts over the known nodes. A node is "scheduled" when any pod maps to it (unbound pending pods and
 * terminating pods included); ready, available and updated look at the node's first pod in sort order only.
 * `podsByNode` is getNodesToDaemonPods without deleted terminal pods.
 */
export function computeStatus(
  ds: DaemonSetLike,
  nodes: readonly NodeLike[],
  podsByNode: ReadonlyMap<string, readonly PodLike[]>,
  hash: string,
  now: number,
  options: ComputeStatusOptions = {},
): DaemonSetStatusCounts {
  const placement = options.placement ?? compileDaemonSetPlacement(ds);
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const generation = templateGeneration(ds);
  const counts: DaemonSetStatusCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  for (const node of nodes) {
    const pods = podsByNode.get(node.metadata?.name ?? "") ?? [];
    const scheduled = pods.length > 0;
    if (!placement(node).shouldRun) {
      if (scheduled) counts.numberMisscheduled++;
      continue;
    }
    counts.desiredNumberScheduled++;
    if (!scheduled) continue;
    counts.currentNumberScheduled++;
    const pod = sortDaemonPods(pods)[0];
    if (isPodReady(pod)) {
      counts.numberReady++;
      if (podAvailable(pod, minReadySeconds, now)) counts.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) counts.updatedNumberScheduled++;
  }
  counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
  return counts;
}

/** Whether the stored status already holds these counts (unset counts read as 0). */
export function statusEqual(
  status: Partial<DaemonSetStatus> | undefined,
  counts: DaemonSetStatusCounts,
): boolean {
  return COUNT_FIELDS.every((field) => (status?.[field] ?? 0) === counts[field]);
}

/** storeDaemonSetStatus skips the write when the counts are unchanged and the generation is already observed. */
export function statusUpToDate(ds: DaemonSetLike, counts: DaemonSetStatusCounts): boolean {
  return (
    statusEqual(ds.status, counts) && (ds.status?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0)
  );
}

/**
 * The status to write: the stored one (collisionCount and conditions kept) with the new counts, and
 * observedGeneration raised to the generation only after a full sync (not while expectations are pending).
 */
export function nextStatus(
  ds: DaemonSetLike,
  counts: DaemonSetStatusCounts,
  updateObservedGeneration: boolean,
): DaemonSetStatus {
  const status: DaemonSetStatus = { ...(ds.status as DaemonSetStatus | undefined), ...counts };
  if (updateObservedGeneration) status.observedGeneration = ds.metadata?.generation ?? 0;
  return status;
}

/**
 * With minReadySeconds, pods become available without any event: upstream resyncs after minReadySeconds while
 * ready ≠ available. Returns that delay in ms, or undefined when no resync is needed.
 */
export function availabilityResyncDelay(
  ds: DaemonSetLike,
  counts: DaemonSetStatusCounts,
): number | undefined {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  if (minReadySeconds <= 0 || counts.numberReady === counts.numberAvailable) return undefined;
  return minReadySeconds * 1000;
}
