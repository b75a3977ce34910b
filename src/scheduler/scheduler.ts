// The scheduler (kube-scheduler's default-scheduler): watches pods, nodes and PodDisruptionBudgets through shared
// informers, keeps the node cache, the nominations and the scheduling queue up to date one event at a time, and
// runs scheduling cycles one pod at a time; bindings, preemptions and status writes run concurrently on a
// bounded number of slots.
import { jsonEqual } from "../api/equal.js";
import { type KubeObject, namespacedName } from "../api/object.js";
import { NODES, POD_DISRUPTION_BUDGETS, PODS } from "../api/resources.js";
import type { Client } from "../client/client.js";
import { EventRecorder } from "../client/event-recorder.js";
import type { InformerFactory } from "../informer/factory.js";
import type { SharedInformer } from "../informer/shared-informer.js";
import type { Runnable } from "../runtime/manager.js";
import { type Clock, realClock } from "../util/clock.js";
import type { Logger } from "../util/log.js";
import { runFilters } from "./filters.js";
import { truncateMessage } from "./fit-error.js";
import { Nominator, nominatedNodeName } from "./nominator.js";
import { type PodScheduledReason, podScheduledFalse, statusPatch } from "./pod-condition.js";
import { accountFromInfo, type PodAccount, type PodInfo, podInfo } from "./pod-info.js";
import { PreemptionExecutor } from "./preemption-executor.js";
import { PodScheduler, type Unschedulable } from "./schedule-pod.js";
import { SchedulerCache } from "./scheduler-cache.js";
import { type QueuedPod, SchedulingQueue, type SchedulingQueueOptions } from "./scheduling-queue.js";
import { WriteSlots } from "./write-slots.js";

export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

export interface SchedulerOptions {
  client: Client;
  /**
   * The process's shared informers; the scheduler uses the pods, nodes and PodDisruptionBudgets informers
   * (starting them is the caller's).
   */
  informers: InformerFactory;
  logger: Logger;
  /** Defaults to a recorder with source component "default-scheduler". */
  recorder?: EventRecorder;
  clock?: Clock;
  /** Pods whose spec.schedulerName is this are ours (unset counts as "default-scheduler"). */
  schedulerName?: string;
  /** Bindings and status writes in flight at once (default 128: upstream binds asynchronously without a cap). */
  parallelism?: number;
  /** Tie-breaking among equally good nodes. */
  random?: () => number;
  queue?: Omit<SchedulingQueueOptions, "clock">;
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const isTerminal = (pod: KubeObject): boolean =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** isPodUpdated: a change beyond status, resourceVersion, generation, managedFields and finalizers. */
function isPodUpdated(oldPod: KubeObject, newPod: KubeObject): boolean {
  const strip = ({
    resourceVersion,
    generation,
    managedFields,
    finalizers,
    ...meta
  }: KubeObject["metadata"]) => meta;
  return !jsonEqual(oldPod.spec, newPod.spec) || !jsonEqual(strip(oldPod.metadata), strip(newPod.metadata));
}

/** Node changes that can make a pod fit where it did not (upstream's UpdateNodeLabel/Taint/Allocatable, spec changes). */
function nodeSchedulingChanged(oldNode: KubeObject, newNode: KubeObject): boolean {
  return (
    !jsonEqual(oldNode.metadata.labels, newNode.metadata.labels) ||
    !jsonEqual(oldNode.spec, newNode.spec) ||
    !jsonEqual(oldNode.status?.allocatable, newNode.status?.allocatable) ||
    !jsonEqual(oldNode.status?.capacity, newNode.status?.capacity)
  );
}

export class Scheduler implements Runnable {
  readonly name = "scheduler";
  readonly queue: SchedulingQueue;
  readonly cache = new SchedulerCache();
  readonly nominator = new Nominator();
  private readonly podScheduler: PodScheduler;
  private readonly preemption: PreemptionExecutor;
  private readonly pods: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly budgets: SharedInformer;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly schedulerName: string;
  private readonly slots: WriteSlots;
  private started = false;

  constructor(private readonly o: SchedulerOptions) {
    this.clock = o.clock ?? realClock;
    this.log = o.logger;
    this.schedulerName = o.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.recorder =
      o.recorder ??
      new EventRecorder(
        o.client,
        { component: DEFAULT_SCHEDULER_NAME },
        () => this.clock.now(),
        (err) => this.log.debug({ err }, "event write failed"),
      );
    this.queue = new SchedulingQueue({ ...o.queue, clock: this.clock });
    this.slots = new WriteSlots(o.parallelism ?? 128);
    this.pods = o.informers.informerFor(PODS);
    this.nodes = o.informers.informerFor(NODES);
    this.budgets = o.informers.informerFor(POD_DISRUPTION_BUDGETS);
    this.podScheduler = new PodScheduler(this.cache, {
      random: o.random,
      nominator: this.nominator,
      pdbs: () => this.budgets.lister().list(),
      now: () => this.clock.now(),
    });
    this.preemption = new PreemptionExecutor({
      client: o.client,
      recorder: this.recorder,
      clock: this.clock,
      schedulerName: this.schedulerName,
    });
    this.registerHandlers();
  }

  /** Schedules pods until `signal` aborts, then waits for the writes in flight. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error("scheduler was already started");
    this.started = true;
    const synced = await Promise.all(
      [this.pods, this.nodes, this.budgets].map((informer) => informer.waitForSync(signal)),
    );
    if (signal.aborted || !synced.every(Boolean)) return;
    this.queue.run(signal);
    this.log.info("scheduler started");
    try {
      while (await this.slots.acquire(signal)) {
        const pod = await this.nextPod(signal);
        if (!pod) {
          this.slots.release();
          break;
        }
        this.scheduleOne(pod);
      }
    } finally {
      this.queue.close();
      await this.slots.drain();
      await this.recorder.flush();
    }
  }

  private async nextPod(signal: AbortSignal): Promise<QueuedPod | undefined> {
    for (;;) {
      const pod = this.queue.pop();
      if (pod) return pod;
      if (!(await this.queue.waitForPod(signal))) return undefined;
    }
  }

  /** One scheduling cycle, on a held write slot that the binding or the status write takes over. */
  private scheduleOne(queued: QueuedPod): void {
    let info: PodInfo;
    try {
      info = infoOf(queued);
    } catch (err) {
      this.log.error({ err, pod: queued.key }, "cannot read pod for scheduling");
      this.queue.addBackoff(queued);
      this.slots.release();
      return;
    }
    const outcome = this.podScheduler.schedule(info);
    if (!outcome.node) {
      this.log.debug(
        { pod: queued.key, message: outcome.message },
        "unable to schedule pod; no fit; waiting",
      );
      this.queue.addUnschedulable(queued, info.pinnedNodes);
      this.slots.hand(this.handleUnschedulable(queued, info, outcome));
      return;
    }
    const nodeName = outcome.node.name;
    this.nominator.remove(info.uid);
    this.cache.assume(accountFromInfo(info, nodeName));
    this.queue.done(queued);
    this.slots.hand(this.bind(queued, info, nodeName));
  }

  /** DefaultBinder, then the Scheduled event; on failure the assumed pod is dropped and the pod retried. */
  private async bind(queued: QueuedPod, info: PodInfo, nodeName: string): Promise<void> {
    const { name, namespace } = info.pod.metadata;
    try {
      await this.o.client.createSubresource(PODS, namespace, name!, "binding", {
        apiVersion: "v1",
        kind: "Binding",
        metadata: { name, namespace, uid: info.uid },
        target: { apiVersion: "v1", kind: "Node", name: nodeName },
      });
      this.recorder.event(
        asPod(info.pod),
        "Normal",
        "Scheduled",
        `Successfully assigned ${namespace}/${name} to ${nodeName}`,
      );
    } catch (err) {
      this.log.info({ err, pod: info.key, node: nodeName }, "binding failed");
      const freed = this.cache.forget(info.uid);
      if (freed) this.nodeChanged(freed);
      const current = this.pods.lister().get(namespace, name!);
      // Deleted, replaced, or bound by someone else meanwhile: nothing left to schedule.
      if (!current || current.metadata.uid !== info.uid || !this.wantsScheduling(current)) return;
      queued.pod = current;
      queued.info = undefined;
      this.queue.addBackoff(queued);
      await this.reportFailure(
        current,
        "SchedulerError",
        `running Bind plugin "DefaultBinder": ${errorMessage(err)}`,
      );
    }
  }

  /**
   * The PostFilter's outcome: with a preemption, the nomination is recorded at once (so the next cycles keep the
   * room free), the victims are evicted, and the pod's status names the node; otherwise only the failure (and a
   * cleared nomination) is reported.
   */
  private async handleUnschedulable(queued: QueuedPod, info: PodInfo, outcome: Unschedulable): Promise<void> {
    const plan = outcome.preemption;
    if (!plan) {
      const nominated = this.nominator.nodeFor(info.uid) ?? nominatedNodeName(info.pod);
      const clear = outcome.clearNomination && nominated !== "";
      if (clear) this.nominator.remove(info.uid);
      await this.reportFailure(info.pod, "Unschedulable", outcome.message, clear ? null : undefined);
      return;
    }
    this.nominator.nominate(info, plan.nodeName);
    // Lower-priority pods nominated to the node may no longer fit there: they look for another place now.
    const lower = this.nominator.nominatedPods(plan.nodeName).filter((p) => p.priority < info.priority);
    for (const p of lower) {
      this.nominator.remove(p.uid);
      this.queue.activate(p.key);
    }
    try {
      await this.preemption.prepareCandidate(
        info.pod,
        plan.nodeName,
        plan.victims.map(podOf),
        lower.map(podOf),
      );
    } catch (err) {
      this.log.info({ err, pod: info.key, node: plan.nodeName }, "preemption failed");
      this.nominator.remove(info.uid);
      this.queue.activate(queued.key);
      await this.reportFailure(
        info.pod,
        "Unschedulable",
        `${outcome.message} preemption: ${errorMessage(err)}`,
      );
      return;
    }
    await this.reportFailure(info.pod, "Unschedulable", outcome.message, plan.nodeName);
  }

  /**
   * handleSchedulingFailure's reporting: a FailedScheduling event, and the PodScheduled=False condition and the
   * nominated node (`nomination`: a node to set, null to clear, undefined to leave) written when they change.
   */
  private async reportFailure(
    pod: KubeObject,
    reason: PodScheduledReason,
    message: string,
    nomination?: string | null,
  ): Promise<void> {
    const latest = this.pods.lister().get(pod.metadata.namespace, pod.metadata.name!) ?? pod;
    if (latest.metadata.uid !== pod.metadata.uid) return;
    this.recorder.event(asPod(latest), "Warning", "FailedScheduling", truncateMessage(message));
    const condition = podScheduledFalse(latest, reason, message, this.clock.now());
    const nominationChanged = nomination !== undefined && (nomination ?? "") !== nominatedNodeName(latest);
    if (!condition && !nominationChanged) return;
    try {
      await this.o.client.patch(
        PODS,
        latest.metadata.namespace,
        latest.metadata.name!,
        "strategic",
        statusPatch(condition, nominationChanged ? nomination : undefined),
        {
          subresource: "status",
        },
      );
    } catch (err) {
      this.log.debug({ err, pod: namespacedName(latest) }, "cannot update pod condition");
    }
  }

  /** Pods this scheduler should place: unbound, ours, not deleting, not finished, not gated. */
  private wantsScheduling(pod: KubeObject): boolean {
    const spec = pod.spec ?? {};
    return (
      !spec.nodeName &&
      !pod.metadata.deletionTimestamp &&
      (spec.schedulerName || DEFAULT_SCHEDULER_NAME) === this.schedulerName &&
      !isTerminal(pod) &&
      !(spec.schedulingGates?.length > 0)
    );
  }

  /**
   * Something changed on `nodeName`: unschedulable pods that could now fit there are retried. The check is the
   * filters themselves on that one node (a queueing hint that is exact for the plugins implemented here).
   */
  private nodeChanged(nodeName: string): void {
    const node = this.cache.node(nodeName);
    if (!node) return;
    this.queue.moveOnNodeChange(nodeName, (queued) => {
      const info = infoOf(queued);
      if (info.pinnedNodes && !info.pinnedNodes.has(nodeName)) return false;
      return runFilters(info, node) === undefined;
    });
  }

  private registerHandlers(): void {
    this.pods.addEventHandler({
      onAdd: (pod) => this.onPodAdd(pod),
      onUpdate: (oldPod, pod) => this.onPodUpdate(oldPod, pod),
      onDelete: (pod) => this.onPodDelete(pod),
    });
    this.nodes.addEventHandler({
      onAdd: (node) => {
        this.cache.setNode(node);
        this.nodeChanged(node.metadata.name!);
      },
      onUpdate: (oldNode, node) => {
        this.cache.setNode(node);
        if (nodeSchedulingChanged(oldNode, node)) this.nodeChanged(node.metadata.name!);
      },
      onDelete: (node) => this.cache.removeNode(node.metadata.name!),
    });
  }

  private onPodAdd(pod: KubeObject): void {
    if (pod.spec?.nodeName) {
      if (!isTerminal(pod)) this.cache.upsertBoundPod(pod);
      this.queue.delete(namespacedName(pod));
      this.nominator.remove(pod.metadata.uid ?? "");
    } else if (this.wantsScheduling(pod) && !this.cache.isAssumed(pod.metadata.uid ?? "")) {
      this.nominator.podSeen(pod);
      this.queue.addOrUpdate(namespacedName(pod), pod);
    }
  }

  private onPodUpdate(oldPod: KubeObject, pod: KubeObject): void {
    const key = namespacedName(pod);
    if (pod.spec?.nodeName || !this.wantsScheduling(pod)) this.nominator.remove(pod.metadata.uid ?? "");
    else if (!this.cache.isAssumed(pod.metadata.uid ?? "")) this.nominator.podSeen(pod, oldPod);
    if (pod.spec?.nodeName) {
      this.queue.delete(key);
      const freed = isTerminal(pod)
        ? this.cache.removePod(pod.metadata.uid ?? key)
        : this.cache.upsertBoundPod(pod);
      if (freed) this.nodeChanged(freed);
      return;
    }
    if (!this.wantsScheduling(pod)) {
      this.queue.delete(key);
      return;
    }
    // A pod whose binding is in flight is already placed; its updates would only schedule it twice.
    if (this.cache.isAssumed(pod.metadata.uid ?? "")) return;
    this.queue.addOrUpdate(key, pod, isPodUpdated(oldPod, pod));
  }

  private onPodDelete(pod: KubeObject): void {
    const key = namespacedName(pod);
    this.queue.delete(key);
    this.nominator.remove(pod.metadata.uid ?? key);
    const freed = this.cache.removePod(pod.metadata.uid ?? key);
    if (freed) this.nodeChanged(freed);
  }
}

const podOf = (account: PodAccount): KubeObject => account.pod;

/** The pod's scheduling view, computed once until the pod changes. */
function infoOf(queued: QueuedPod): PodInfo {
  queued.info ??= podInfo(queued.pod);
  return queued.info;
}

/** Informer lists leave out kind and apiVersion; events need them in involvedObject. */
const asPod = (pod: KubeObject): KubeObject => (pod.kind ? pod : { ...pod, apiVersion: "v1", kind: "Pod" });
