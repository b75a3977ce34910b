// The taint manager (upstream pkg/controller/tainteviction): deletes pods from nodes with NoExecute taints
// they do not tolerate, at once or when their tolerationSeconds run out; a scheduled eviction is cancelled when
// the taint goes, the toleration covers it for good, or the pod goes. Events as upstream: TaintManagerEviction.
import type { Pod, PodCondition } from "kubernetes-types/core/v1.js";
import { jsonEqual } from "../../api/equal.js";
import { isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { findResource } from "../../api/resources.js";
import { isNoExecute, type Taint } from "../../api/scheduling/taints.js";
import type { Client } from "../../client/client.js";
import type { EventRecorder } from "../../client/event-recorder.js";
import {
  type InformerFactory,
  type Lister,
  NODE_NAME_INDEX,
  type SharedInformer,
} from "../../informer/index.js";
import { Controller, type Runnable } from "../../runtime/index.js";
import type { Clock } from "../../util/clock.js";
import { childLogger, type Logger } from "../../util/log.js";
import { evictionTime } from "./eviction-time.js";
import { rfc3339 } from "./node-conditions.js";
import { NODES } from "./node-taints.js";
import { ensureNodeNameIndex } from "./pods-by-node.js";
import { TimedWorkerQueue } from "./timed-workers.js";

const PODS = findResource("", "v1", "pods")!;

/** Upstream retries a taint eviction this many times before giving up until the next update. */
const DELETE_ATTEMPTS = 5;

export type PodObject = KubeObject & Pick<Pod, "spec" | "status">;

export interface TaintEvictionOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  clock: Clock;
  recorder: EventRecorder;
}

const noExecuteTaints = (node: KubeObject | undefined): Taint[] =>
  ((node?.spec?.taints ?? []) as Taint[]).filter(isNoExecute);

const splitKey = (key: string): [string, string] => {
  const slash = key.indexOf("/");
  return [key.slice(0, slash), key.slice(slash + 1)];
};

export class TaintEvictionController implements Runnable {
  readonly name = "taint-eviction-controller";
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly podInformer: SharedInformer<PodObject>;
  private readonly nodeInformer: SharedInformer;
  private readonly pods: Lister<PodObject>;
  private readonly nodes: Lister;
  /** NoExecute taints of every node that has some (upstream taintedNodes). */
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly evictions: TimedWorkerQueue;
  private readonly nodeUpdates: Controller;
  private readonly podUpdates: Controller;

  constructor(options: TaintEvictionOptions) {
    this.client = options.client;
    this.clock = options.clock;
    this.log = childLogger(options.logger, { controller: this.name });
    this.recorder = options.recorder;
    this.podInformer = options.informers.informerFor<PodObject>(PODS);
    this.nodeInformer = options.informers.informerFor(NODES);
    ensureNodeNameIndex(this.podInformer);
    this.pods = this.podInformer.lister();
    this.nodes = this.nodeInformer.lister();
    this.evictions = new TimedWorkerQueue(
      this.clock,
      (key, fireAt) => this.deletePod(key, fireAt),
      (key, err) => this.log.error({ err, pod: key }, "taint eviction failed"),
    );
    const waitForSync = (signal: AbortSignal) =>
      Promise.all([this.podInformer.waitForSync(signal), this.nodeInformer.waitForSync(signal)]).then((r) =>
        r.every(Boolean),
      );
    const common = { logger: this.log, clock: this.clock, waitForSync, workers: 1 };
    this.nodeUpdates = new Controller({
      ...common,
      name: "noexec_taint_node",
      reconcile: async (name) => this.handleNodeUpdate(name),
    });
    this.podUpdates = new Controller({
      ...common,
      name: "noexec_taint_pod",
      reconcile: async (key) => this.handlePodUpdate(key),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podUpdated(undefined, pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podUpdated(pod, undefined),
    });
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.nodeUpdated(undefined, node),
      onUpdate: (old, node) => this.nodeUpdated(old, node),
      onDelete: (node) => this.nodeUpdated(node, undefined),
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    await Promise.all([this.nodeUpdates.start(signal), this.podUpdates.start(signal)]);
  }

  private podUpdated(oldPod: PodObject | undefined, pod: PodObject | undefined): void {
    if (
      oldPod &&
      pod &&
      oldPod.spec?.nodeName === pod.spec?.nodeName &&
      jsonEqual(oldPod.spec?.tolerations ?? [], pod.spec?.tolerations ?? [])
    ) {
      return;
    }
    const meta = (pod ?? oldPod)!.metadata;
    this.podUpdates.enqueue(`${meta.namespace}/${meta.name}`);
  }

  private nodeUpdated(oldNode: KubeObject | undefined, node: KubeObject | undefined): void {
    if (oldNode && node && jsonEqual(noExecuteTaints(oldNode), noExecuteTaints(node))) return;
    this.nodeUpdates.enqueue((node ?? oldNode)!.metadata.name!);
  }

  private handlePodUpdate(key: string): void {
    const [namespace, name] = splitKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod) {
      this.cancelWorkWithEvent(key);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    // A node without NoExecute taints cancelled its pods' evictions when its taints went.
    const taints = this.taintedNodes.get(nodeName);
    if (taints) this.processPodOnNode(key, pod, taints, this.clock.now());
  }

  private handleNodeUpdate(name: string): void {
    const node = this.nodes.get(undefined, name);
    if (!node) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(node);
    // Record the taints before reading the pods: a pod that arrives later is checked against them.
    if (taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    const pods = this.pods.byIndex(NODE_NAME_INDEX, name);
    const now = this.clock.now();
    for (const pod of pods) {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (taints.length === 0) this.cancelWorkWithEvent(key);
      else this.processPodOnNode(key, pod, taints, now);
    }
  }

  private processPodOnNode(key: string, pod: PodObject, taints: Taint[], now: number): void {
    const fireAt = evictionTime(taints, pod.spec?.tolerations, now);
    if (fireAt === undefined) {
      // Tolerated for good: nothing to wait for.
      this.cancelWorkWithEvent(key);
      return;
    }
    const scheduled = this.evictions.scheduled(key);
    if (scheduled) {
      if (scheduled.fireAt <= fireAt) return;
      this.cancelWorkWithEvent(key);
    }
    this.evictions.addWork(key, now, fireAt);
  }

  private cancelWorkWithEvent(key: string): void {
    if (this.evictions.cancelWork(key)) this.event(key, `Cancelling deletion of Pod ${key}`);
  }

  private event(key: string, message: string): void {
    const [namespace, name] = splitKey(key);
    this.recorder.event(
      { apiVersion: "v1", kind: "Pod", metadata: { namespace, name } },
      "Normal",
      "TaintManagerEviction",
      message,
    );
  }

  /** Marks the pod with the DisruptionTarget condition, then deletes it (gracefully), retrying a few times. */
  private async deletePod(key: string, _fireAt: number): Promise<void> {
    this.log.info({ pod: key }, "deleting pod");
    this.event(key, `Marking for deletion Pod ${key}`);
    const [namespace, name] = splitKey(key);
    let lastError: unknown;
    for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      try {
        await this.addConditionAndDeletePod(namespace, name);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        lastError = err;
      }
    }
    throw lastError;
  }

  private async addConditionAndDeletePod(namespace: string, name: string): Promise<void> {
    const pod = (await this.client.get(PODS, namespace, name)) as PodObject;
    const condition: PodCondition = {
      type: "DisruptionTarget",
      status: "True",
      reason: "DeletionByTaintManager",
      message: "Taint manager: deleting due to NoExecute taint",
    };
    const current = pod.status?.conditions?.find((c) => c.type === condition.type);
    const unchanged =
      current?.status === condition.status &&
      current.reason === condition.reason &&
      current.message === condition.message;
    if (!unchanged) {
      const lastTransitionTime =
        current?.status === condition.status && current.lastTransitionTime
          ? current.lastTransitionTime
          : rfc3339(this.clock.now());
      await this.client.patch(
        PODS,
        namespace,
        name,
        "strategic",
        {
          metadata: { uid: pod.metadata.uid },
          status: { conditions: [{ ...condition, lastTransitionTime }] },
        },
        { subresource: "status" },
      );
    }
    await this.client.delete(PODS, namespace, name);
  }
}
