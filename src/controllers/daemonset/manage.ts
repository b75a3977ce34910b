// The `manage` step as a plan: per node (podsShouldBeOnNode), which nodes need a daemon pod and which pods must go,
// including failed/succeeded pods, duplicates and surge pairs; the caller performs it through syncNodes.
import { compileDaemonSetPlacement, type PlacementDecision } from "./placement.js";
import { failedPodsBackoffKey, isPodDeleting, isPodReady, podAvailable, sortDaemonPods } from "./pods.js";
import { allowsSurge } from "./strategy.js";
import {
  CONTROLLER_REVISION_HASH_LABEL,
  type DaemonSetEvent,
  type DaemonSetLike,
  EventReason,
  type NodeLike,
  type PodLike,
} from "./types.js";

export interface ManagePlan {
  /** Nodes to create a daemon pod on, in node order. */
  nodesNeedingDaemonPods: string[];
  /** Names of pods (in the DaemonSet's namespace) to delete. */
  podsToDelete: string[];
  /** Events to record on the DaemonSet. */
  events: DaemonSetEvent[];
  /** Backoff keys of failed pods deleted in this plan: the caller advances them (Backoff.next(key, now)). */
  backoffKeysToAdvance: string[];
  /**
   * Backoff keys of failed pods kept because of backoff: after advancing, the caller requeues the DaemonSet after
   * Backoff.get(key) for each.
   */
  backoffRequeueKeys: string[];
}

export interface ManageOptions {
  /**
   * Backoff.isInBackOffSinceUpdate(key, now), bound by the caller. Default: never in backoff, so every failed pod
   * is deleted at once.
   */
  failedPodInBackoff?: (key: string) => boolean;
}

const emptyPlan = (): ManagePlan => ({
  nodesNeedingDaemonPods: [],
  podsToDelete: [],
  events: [],
  backoffKeysToAdvance: [],
  backoffRequeueKeys: [],
});

const podRef = (pod: PodLike): string => `${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}`;
const podName = (pod: PodLike): string => pod.metadata?.name ?? "";

/**
 * Splits the non-deleting pods of a node that should keep its daemon pod: failed pods are deleted (one per
 * backoff window: once a key is advanced here, further failed pods of the node wait), succeeded pods are deleted,
 * anything else counts as running.
 */
function pruneFinishedPods(
  nodeName: string,
  pods: readonly PodLike[],
  ds: DaemonSetLike,
  inBackoff: (key: string) => boolean,
  plan: ManagePlan,
): PodLike[] {
  const running: PodLike[] = [];
  for (const pod of pods) {
    if (isPodDeleting(pod)) continue;
    const phase = pod.status?.phase;
    if (phase === "Failed") {
      const key = failedPodsBackoffKey(ds, nodeName);
      if (plan.backoffKeysToAdvance.includes(key) || inBackoff(key)) {
        if (!plan.backoffRequeueKeys.includes(key)) plan.backoffRequeueKeys.push(key);
        continue;
      }
      plan.backoffKeysToAdvance.push(key);
      plan.events.push({
        type: "Warning",
        reason: EventReason.FailedDaemonPod,
        message: `Found failed daemon pod ${podRef(pod)} on node ${nodeName}, will try to kill it`,
      });
      plan.podsToDelete.push(podName(pod));
    } else if (phase === "Succeeded") {
      plan.events.push({
        type: "Normal",
        reason: EventReason.SucceededDaemonPod,
        message: `Found succeeded daemon pod ${podRef(pod)} on node ${nodeName}, will try to delete it`,
      });
      plan.podsToDelete.push(podName(pod));
    } else {
      running.push(pod);
    }
  }
  return running;
}

/**
 * With surge, a node may hold one pod of the current revision ("new") and one of another ("old"), the oldest of
 * each; every other running pod goes. The old one also goes once it is not Ready or the new one is Available.
 */
function pruneSurgePods(
  running: readonly PodLike[],
  ds: DaemonSetLike,
  hash: string,
  now: number,
  plan: ManagePlan,
): void {
  let oldestNew: PodLike | undefined;
  let oldestOld: PodLike | undefined;
  for (const pod of sortDaemonPods(running)) {
    const isNew = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
    if (isNew && !oldestNew) oldestNew = pod;
    else if (!isNew && !oldestOld) oldestOld = pod;
    else plan.podsToDelete.push(podName(pod));
  }
  if (!oldestNew || !oldestOld) return;
  if (!isPodReady(oldestOld) || podAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now)) {
    plan.podsToDelete.push(podName(oldestOld));
  }
}

/**
 * podsShouldBeOnNode: what manage does for one node, given its placement and the pods mapped to it.
 * - should run and no pods → create one;
 * - may keep pods → prune failed/succeeded pods, then keep the first running pod in sort order (no surge) or the
 *   surge pair (creating one when none runs and the node should run);
 * - may not keep pods → delete every pod that is not already being deleted.
 */
export function podsShouldBeOnNode(
  nodeName: string,
  placement: PlacementDecision,
  podsOnNode: readonly PodLike[] | undefined,
  ds: DaemonSetLike,
  hash: string,
  now: number,
  options: ManageOptions = {},
): ManagePlan {
  const plan = emptyPlan();
  const pods = podsOnNode ?? [];
  const hasPods = pods.length > 0;
  if (placement.shouldRun && !hasPods) {
    plan.nodesNeedingDaemonPods.push(nodeName);
  } else if (placement.shouldContinueRunning) {
    const running = pruneFinishedPods(nodeName, pods, ds, options.failedPodInBackoff ?? (() => false), plan);
    if (!allowsSurge(ds)) {
      // Nothing is created here: a replacement waits until the extra pods are gone.
      if (running.length > 1)
        for (const pod of sortDaemonPods(running).slice(1)) plan.podsToDelete.push(podName(pod));
    } else if (running.length === 0) {
      if (placement.shouldRun) plan.nodesNeedingDaemonPods.push(nodeName);
    } else if (running.length > 1) {
      pruneSurgePods(running, ds, hash, now, plan);
    }
  } else if (hasPods) {
    for (const pod of pods) if (!isPodDeleting(pod)) plan.podsToDelete.push(podName(pod));
  }
  return plan;
}

export interface PlanManageOptions extends ManageOptions {
  /** NodeShouldRunDaemonPod for this DaemonSet; compiled from `ds` when omitted. */
  placement?: (node: NodeLike) => PlacementDecision;
}

function appendPlan(into: ManagePlan, from: ManagePlan): void {
  into.nodesNeedingDaemonPods.push(...from.nodesNeedingDaemonPods);
  into.podsToDelete.push(...from.podsToDelete);
  into.events.push(...from.events);
  into.backoffKeysToAdvance.push(...from.backoffKeysToAdvance);
  into.backoffRequeueKeys.push(...from.backoffRequeueKeys);
}

/**
 * getUnscheduledPodsWithoutNode: unbound pods aimed at nodes that no longer exist. The scheduler can never bind
 * them and pod GC only removes bound pods, so the DaemonSet deletes them.
 */
export function unscheduledPodsWithoutNode(
  nodes: readonly NodeLike[],
  podsByNode: ReadonlyMap<string, readonly PodLike[]>,
): string[] {
  const known = new Set(nodes.map((n) => n.metadata?.name ?? ""));
  const result: string[] = [];
  for (const [nodeName, pods] of podsByNode) {
    if (known.has(nodeName)) continue;
    for (const pod of pods) if (!pod.spec?.nodeName) result.push(podName(pod));
  }
  return result;
}

/**
 * manage: podsShouldBeOnNode over every node, in node order, plus the unbound pods of vanished nodes.
 * `podsByNode` is getNodesToDaemonPods without deleted terminal pods (see pods.ts podsByNode).
 */
export function planManage(
  ds: DaemonSetLike,
  nodes: readonly NodeLike[],
  podsByNode: ReadonlyMap<string, readonly PodLike[]>,
  hash: string,
  now: number,
  options: PlanManageOptions = {},
): ManagePlan {
  const placement = options.placement ?? compileDaemonSetPlacement(ds);
  const plan = emptyPlan();
  for (const node of nodes) {
    const nodeName = node.metadata?.name ?? "";
    appendPlan(
      plan,
      podsShouldBeOnNode(nodeName, placement(node), podsByNode.get(nodeName), ds, hash, now, options),
    );
  }
  plan.podsToDelete.push(...unscheduledPodsWithoutNode(nodes, podsByNode));
  return plan;
}
