// The pod garbage collector (upstream pkg/controller/podgc): every gcCheckPeriod it force-deletes pods nobody
// else will clean up: pods bound to a node that is gone (confirmed by a live GET after a quarantine), terminating
// pods on an out-of-service node, terminating pods never scheduled, and terminated pods beyond a threshold.
import type { Pod, PodCondition } from "kubernetes-types/core/v1.js";
import { isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { findResource, type ResourceInfo } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import type { InformerFactory, Lister, SharedInformer } from "../../informer/index.js";
import type { Runnable } from "../../runtime/index.js";
import { type Clock, realClock, sleep } from "../../util/clock.js";
import { childLogger, type Logger } from "../../util/log.js";

const PODS: ResourceInfo = findResource("", "v1", "pods")!;
const NODES: ResourceInfo = findResource("", "v1", "nodes")!;

/** Upstream gcCheckPeriod: how often a pass runs. */
export const GC_CHECK_PERIOD_MS = 20_000;
/** Upstream quarantineTime: how long a node may be missing from the informer before a live GET decides. */
export const QUARANTINE_MS = 40_000;
/** kube-controller-manager --terminated-pod-gc-threshold. */
export const TERMINATED_POD_THRESHOLD = 12_500;

/** The taint that marks a node out of service (v1.TaintNodeOutOfService). */
export const OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";

export interface PodGCOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  clock?: Clock;
  gcCheckPeriodMs?: number;
  quarantineMs?: number;
  /** Terminated pods kept before the oldest are deleted; 0 disables that pass. */
  terminatedPodThreshold?: number;
}

type PodObject = KubeObject & Pick<Pod, "spec" | "status">;

const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

const isTerminating = (pod: PodObject) => !!pod.metadata.deletionTimestamp;
const isTerminated = (pod: PodObject) =>
  !["Pending", "Running", "Unknown"].includes(pod.status?.phase ?? "Pending");
const isEvicted = (pod: PodObject) => pod.status?.phase === "Failed" && pod.status?.reason === "Evicted";

/** Evicted pods first, then oldest first, then by name (upstream byEvictionAndCreationTimestamp). */
export function byEvictionAndCreationTimestamp(a: PodObject, b: PodObject): number {
  if (isEvicted(a) !== isEvicted(b)) return isEvicted(a) ? -1 : 1;
  const ta = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1;
}

function isNodeReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
  );
}

export class PodGC implements Runnable {
  readonly name = "pod-garbage-collector";
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly podInformer: SharedInformer<PodObject>;
  private readonly nodeInformer: SharedInformer;
  private readonly pods: Lister<PodObject>;
  private readonly nodes: Lister;
  private readonly gcCheckPeriodMs: number;
  private readonly quarantineMs: number;
  private readonly terminatedPodThreshold: number;
  /** Nodes seen missing from the informer, with the time a live check becomes due (upstream nodeQueue). */
  private readonly quarantine = new Map<string, number>();

  constructor(options: PodGCOptions) {
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.log = childLogger(options.logger, { controller: "podgc" });
    this.podInformer = options.informers.informerFor<PodObject>(PODS);
    this.nodeInformer = options.informers.informerFor(NODES);
    this.pods = this.podInformer.lister();
    this.nodes = this.nodeInformer.lister();
    this.gcCheckPeriodMs = options.gcCheckPeriodMs ?? GC_CHECK_PERIOD_MS;
    this.quarantineMs = options.quarantineMs ?? QUARANTINE_MS;
    this.terminatedPodThreshold = options.terminatedPodThreshold ?? TERMINATED_POD_THRESHOLD;
  }

  /** Waits for the pod and node caches, then runs a pass at once and every gcCheckPeriod until aborted. */
  async start(signal: AbortSignal): Promise<void> {
    const synced = await Promise.all([
      this.podInformer.waitForSync(signal),
      this.nodeInformer.waitForSync(signal),
    ]);
    if (signal.aborted) return;
    if (!synced.every(Boolean)) throw new Error("pod garbage collector: informers failed to sync");
    this.log.info("starting pod garbage collector");
    do {
      try {
        await this.gc();
      } catch (err) {
        this.log.error({ err }, "pod garbage collection pass failed");
      }
    } while (await sleep(this.clock, this.gcCheckPeriodMs, signal));
  }

  /** One pass over the cached pods and nodes (upstream gc). */
  async gc(): Promise<void> {
    const pods = this.pods.list();
    if (this.terminatedPodThreshold > 0) await this.gcTerminated(pods);
    await this.gcTerminating(pods);
    await this.gcOrphaned(pods);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: PodObject[]): Promise<void> {
    const terminated = pods.filter(isTerminated);
    const deleteCount = terminated.length - this.terminatedPodThreshold;
    if (deleteCount <= 0) return;
    this.log.info({ numPods: deleteCount }, "garbage collecting terminated pods");
    terminated.sort(byEvictionAndCreationTimestamp);
    await this.forceDeleteAll(terminated.slice(0, deleteCount), "terminated");
  }

  /** Terminating pods on a node that is not ready and tainted out-of-service will never be finished by it. */
  private async gcTerminating(pods: PodObject[]): Promise<void> {
    const stuck = pods.filter((pod) => {
      if (!isTerminating(pod) || !pod.spec?.nodeName) return false;
      const node = this.nodes.get(undefined, pod.spec.nodeName);
      if (!node) return false;
      return (
        !isNodeReady(node) &&
        (node.spec?.taints ?? []).some((t: { key: string }) => t.key === OUT_OF_SERVICE_TAINT)
      );
    });
    if (stuck.length === 0) return;
    stuck.sort(byEvictionAndCreationTimestamp);
    await this.forceDeleteAll(stuck, "terminating on an out-of-service node");
  }

  /** Pods bound to nodes that no longer exist (upstream gcOrphaned). */
  private async gcOrphaned(pods: PodObject[]): Promise<void> {
    const existing = new Set(this.nodes.list().map((n) => n.metadata.name!));
    const now = this.clock.now();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (nodeName && !existing.has(nodeName) && !this.quarantine.has(nodeName)) {
        this.quarantine.set(nodeName, now + this.quarantineMs);
      }
    }
    const deletedNodes = await this.discoverDeletedNodes(existing, now);
    if (deletedNodes.size === 0) return;
    const condition: PodCondition = {
      type: "DisruptionTarget",
      status: "True",
      reason: "DeletionByPodGC",
      message: "PodGC: node no longer exists",
    };
    const orphaned = pods.filter((pod) => deletedNodes.has(pod.spec?.nodeName ?? ""));
    await this.forceDeleteAll(orphaned, "orphaned", condition);
  }

  /** Nodes whose quarantine is over and which a live GET confirms absent. */
  private async discoverDeletedNodes(existing: Set<string>, now: number): Promise<Set<string>> {
    const deleted = new Set<string>();
    for (const [nodeName, dueAt] of this.quarantine) {
      if (dueAt > now) continue;
      this.quarantine.delete(nodeName);
      if (existing.has(nodeName)) continue;
      try {
        await this.client.get(NODES, undefined, nodeName);
      } catch (err) {
        if (isNotFound(err)) deleted.add(nodeName);
        // Otherwise the node is quarantined again on the next pass if still needed.
        else this.log.error({ err, node: nodeName }, "error while getting node");
      }
    }
    return deleted;
  }

  private async gcUnscheduledTerminating(pods: PodObject[]): Promise<void> {
    const unscheduled = pods.filter((pod) => isTerminating(pod) && !pod.spec?.nodeName);
    await this.forceDeleteAll(unscheduled, "unscheduled terminating");
  }

  private async forceDeleteAll(pods: PodObject[], why: string, condition?: PodCondition): Promise<void> {
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.markFailedAndDeletePod(pod, condition);
          this.log.info(
            { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, why },
            "forced deletion of pod succeeded",
          );
        } catch (err) {
          if (!isNotFound(err)) this.log.error({ err, pod: pod.metadata.name, why }, "failed to delete pod");
        }
      }),
    );
  }

  /**
   * Moves the pod to Failed first (with `condition`, if any): without a kubelet nobody else would, and the
   * phase tells its controller how it ended. Then deletes it at once (grace period 0).
   */
  private async markFailedAndDeletePod(pod: PodObject, condition?: PodCondition): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    const phase = pod.status?.phase;
    if (phase !== "Succeeded" && phase !== "Failed") {
      const status: Record<string, unknown> = { phase: "Failed" };
      if (condition) status.conditions = [withTransitionTime(pod, condition, this.clock.now())];
      await this.client.patch(
        PODS,
        namespace,
        name!,
        "strategic",
        { metadata: { uid }, status },
        { subresource: "status" },
      );
    }
    await this.client.delete(PODS, namespace, name!, { gracePeriodSeconds: 0 });
  }
}

/** The condition with lastTransitionTime kept when its status is unchanged, else now (UpdatePodCondition). */
function withTransitionTime(pod: PodObject, condition: PodCondition, now: number): PodCondition {
  const current = pod.status?.conditions?.find((c) => c.type === condition.type);
  const lastTransitionTime =
    current && current.status === condition.status && current.lastTransitionTime
      ? current.lastTransitionTime
      : rfc3339(now);
  return { ...condition, lastTransitionTime };
}
