// The node lifecycle controller (upstream pkg/controller/nodelifecycle): every nodeMonitorPeriod it checks each
// node's heartbeats (Ready condition and Lease) and marks silent nodes Unknown; it keeps the NoSchedule taints
// in step with node conditions and cordon, adds the NoExecute not-ready/unreachable taint through a per-zone
// rate-limited queue, marks pods of failing nodes not ready, and runs the taint manager that evicts pods.
//
// Deviation from upstream: the NoExecute tainting pass runs at the end of each health pass and, while nodes wait
// in a zone queue, every 100 ms (NodeEvictionPeriod), instead of polling every 100 ms forever.
import { jsonEqual } from "../../api/equal.js";
import { deepCopy, type KubeObject } from "../../api/object.js";
import { findResource } from "../../api/resources.js";
import type { Taint } from "../../api/scheduling/taints.js";
import type { Client } from "../../client/client.js";
import { EventRecorder } from "../../client/event-recorder.js";
import {
  type InformerFactory,
  type Lister,
  NODE_NAME_INDEX,
  type SharedInformer,
} from "../../informer/index.js";
import { Controller, type Runnable } from "../../runtime/index.js";
import { type Clock, realClock, sleep, type Timer } from "../../util/clock.js";
import { childLogger, type Logger } from "../../util/log.js";
import { YieldBudget } from "../../util/yield-budget.js";
import {
  getNodeCondition,
  markKubeletConditionsUnknown,
  type NodeCondition,
  parseTime,
} from "./node-conditions.js";
import { isSilent, type NodeHealth, observeNodeHealth } from "./node-health.js";
import {
  desiredNoScheduleTaints,
  managedNoScheduleTaints,
  NODES,
  NOT_READY_TAINT,
  swapNodeTaints,
  taintExists,
  taintSetDiff,
  UNREACHABLE_TAINT,
} from "./node-taints.js";
import { markPodsNotReady } from "./pod-readiness.js";
import { ensureNodeNameIndex } from "./pods-by-node.js";
import { RateLimitedTimedQueue } from "./rate-limited-queue.js";
import { type PodObject, TaintEvictionController } from "./taint-eviction.js";
import { computeZoneState, isExcludedFromDisruptionChecks, type ZoneState, zoneKey } from "./zones.js";

const PODS = findResource("", "v1", "pods")!;
const LEASES = findResource("coordination.k8s.io", "v1", "leases")!;

/** Where kubelets keep their heartbeat Leases, one per node, named after it. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

/** kube-controller-manager defaults. */
export const NODE_LIFECYCLE_DEFAULTS = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  evictionLimiterQps: 0.1,
  secondaryEvictionLimiterQps: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
} as const;

/** How often a zone queue with waiting nodes is retried (upstream scheduler.NodeEvictionPeriod). */
const NODE_EVICTION_PERIOD_MS = 100;
/** Attempts at a node's health update, rereading the node in between (upstream NodeHealthUpdateRetry). */
const NODE_HEALTH_UPDATE_RETRY = 5;
/** Nodes whose health is checked concurrently (upstream nodeUpdateWorkerSize). */
const NODE_UPDATE_WORKERS = 8;

/** Beta labels kept equal to their GA counterparts (upstream labelReconcileInfo). */
const LABEL_RECONCILE = [
  { primary: "kubernetes.io/os", secondary: "beta.kubernetes.io/os" },
  { primary: "kubernetes.io/arch", secondary: "beta.kubernetes.io/arch" },
];

export interface NodeLifecycleOptions {
  client: Client;
  /** Shared factory; the caller starts it. */
  informers: InformerFactory;
  logger: Logger;
  clock?: Clock;
  /** Records the controller's events (component node-controller); defaults to a recorder on `client`. */
  recorder?: EventRecorder;
  /** Records the taint manager's events (component taint-eviction-controller); defaults to `recorder`. */
  taintEvictionRecorder?: EventRecorder;
  nodeMonitorPeriodMs?: number;
  /** How long a node may miss heartbeats before it is marked Unknown (`--node-monitor-grace-period`). */
  nodeMonitorGracePeriodMs?: number;
  nodeStartupGracePeriodMs?: number;
  evictionLimiterQps?: number;
  secondaryEvictionLimiterQps?: number;
  largeClusterThreshold?: number;
  unhealthyZoneThreshold?: number;
  /** Run the taint manager (NoExecute evictions) as part of this controller; default true. */
  taintEviction?: boolean;
}

interface HealthResult {
  node: KubeObject;
  observedReady: NodeCondition;
  currentReady: NodeCondition | undefined;
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  // A pass over 10,000 nodes is mostly synchronous work; slices keep it from blocking API requests.
  const budget = new YieldBudget();
  const worker = async () => {
    while (next < items.length) {
      await fn(items[next++]);
      await budget.maybeYield();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class NodeLifecycleController implements Runnable {
  readonly name = "node-lifecycle-controller";
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly config: Required<
    Omit<
      NodeLifecycleOptions,
      "client" | "informers" | "logger" | "clock" | "recorder" | "taintEvictionRecorder"
    >
  >;
  private readonly nodeInformer: SharedInformer;
  private readonly leaseInformer: SharedInformer;
  private readonly podInformer: SharedInformer<PodObject>;
  private readonly nodes: Lister;
  private readonly leases: Lister;
  private readonly pods: Lister<PodObject>;
  private readonly nodeUpdates: Controller;
  private readonly podUpdates: Controller;
  private readonly taintManager?: TaintEvictionController;

  private readonly knownNodes = new Map<string, KubeObject>();
  private readonly health = new Map<string, NodeHealth>();
  private readonly nodesToRetry = new Set<string>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly zoneNoExecuteTainter = new Map<string, RateLimitedTimedQueue>();
  private taintingChain: Promise<void> = Promise.resolve();
  private taintingRetry?: Timer;
  private stopped = false;
  private passes = 0;

  constructor(options: NodeLifecycleOptions) {
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.log = childLogger(options.logger, { controller: "node-lifecycle" });
    const d = NODE_LIFECYCLE_DEFAULTS;
    this.config = {
      nodeMonitorPeriodMs: options.nodeMonitorPeriodMs ?? d.nodeMonitorPeriodMs,
      nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs ?? d.nodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: options.nodeStartupGracePeriodMs ?? d.nodeStartupGracePeriodMs,
      evictionLimiterQps: options.evictionLimiterQps ?? d.evictionLimiterQps,
      secondaryEvictionLimiterQps: options.secondaryEvictionLimiterQps ?? d.secondaryEvictionLimiterQps,
      largeClusterThreshold: options.largeClusterThreshold ?? d.largeClusterThreshold,
      unhealthyZoneThreshold: options.unhealthyZoneThreshold ?? d.unhealthyZoneThreshold,
      taintEviction: options.taintEviction ?? true,
    };
    const now = () => this.clock.now();
    this.recorder = options.recorder ?? new EventRecorder(this.client, { component: "node-controller" }, now);
    this.nodeInformer = options.informers.informerFor(NODES);
    this.leaseInformer = options.informers.informerFor(LEASES);
    this.podInformer = options.informers.informerFor<PodObject>(PODS);
    ensureNodeNameIndex(this.podInformer);
    this.nodes = this.nodeInformer.lister();
    this.leases = this.leaseInformer.lister();
    this.pods = this.podInformer.lister();

    const common = {
      logger: this.log,
      clock: this.clock,
      waitForSync: (s: AbortSignal) => this.waitForSync(s),
    };
    this.nodeUpdates = new Controller({
      ...common,
      name: "node_lifecycle_controller",
      workers: NODE_UPDATE_WORKERS,
      reconcile: (name) => this.doNodeProcessingPass(name),
    });
    this.podUpdates = new Controller({
      ...common,
      name: "node_lifecycle_controller_pods",
      workers: 4,
      reconcile: (key) => this.processPod(key),
    });
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.nodeUpdates.enqueue(node.metadata.name!),
      onUpdate: (_old, node) => this.nodeUpdates.enqueue(node.metadata.name!),
      onDelete: (node) => this.nodesToRetry.delete(node.metadata.name!),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podUpdated(undefined, pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
    });
    if (this.config.taintEviction) {
      this.taintManager = new TaintEvictionController({
        client: this.client,
        informers: options.informers,
        logger: options.logger,
        clock: this.clock,
        recorder:
          options.taintEvictionRecorder ??
          options.recorder ??
          new EventRecorder(this.client, { component: "taint-eviction-controller" }, now),
      });
    }
  }

  /** How many health passes have finished (each nodeMonitorPeriod); lets callers wait for one. */
  get completedHealthPasses(): number {
    return this.passes;
  }

  async start(signal: AbortSignal): Promise<void> {
    if (!(await this.waitForSync(signal))) return;
    this.log.info("starting node lifecycle controller");
    signal.addEventListener("abort", () => this.stop(), { once: true });
    await Promise.all([
      this.nodeUpdates.start(signal),
      this.podUpdates.start(signal),
      this.taintManager?.start(signal),
      this.monitorLoop(signal),
    ]);
  }

  private async waitForSync(signal: AbortSignal): Promise<boolean> {
    const informers = [this.nodeInformer, this.leaseInformer, this.podInformer];
    const synced = await Promise.all(informers.map((i) => i.waitForSync(signal)));
    return !signal.aborted && synced.every(Boolean);
  }

  private stop(): void {
    this.stopped = true;
    if (this.taintingRetry) this.clock.clearTimeout(this.taintingRetry);
    this.taintingRetry = undefined;
  }

  /** A health pass at once, then one every nodeMonitorPeriod after the previous one ends. */
  private async monitorLoop(signal: AbortSignal): Promise<void> {
    do {
      try {
        await this.monitorNodeHealth();
      } catch (err) {
        this.log.error({ err }, "error monitoring node health");
      }
      this.passes++;
    } while (await sleep(this.clock, this.config.nodeMonitorPeriodMs, signal));
  }

  // ---------------------------------------------------------------- health

  /**
   * One pass over every node (upstream monitorNodeHealth): update health and mark silent nodes Unknown, queue
   * or remove the NoExecute taints, mark pods of newly failing nodes not ready, and reassess zones.
   */
  async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodes.list();
    const { added, deleted, newZoneRepresentatives } = this.classifyNodes(nodes);
    for (const node of newZoneRepresentatives) this.addPodEvictorForNewZone(node);
    for (const node of added) {
      const name = node.metadata.name!;
      this.log.info({ node: name }, "controller observed a new node");
      this.nodeEvent(node, "RegisteredNode", `Registered Node ${name} in Controller`);
      this.knownNodes.set(name, node);
      this.addPodEvictorForNewZone(node);
      await this.markNodeAsReachable(node);
    }
    for (const node of deleted) {
      const name = node.metadata.name!;
      this.log.info({ node: name }, "controller observed a node deletion");
      this.nodeEvent(node, "RemovingNode", `Removing Node ${name} from Controller`);
      this.knownNodes.delete(name);
      this.health.delete(name);
    }
    const zoneToNodeConditions = new Map<string, (NodeCondition | undefined)[]>();
    await forEachLimited(nodes, NODE_UPDATE_WORKERS, (node) => this.updateNode(node, zoneToNodeConditions));
    await this.handleDisruption(zoneToNodeConditions, nodes);
    await this.doNoExecuteTaintingPass();
  }

  private async updateNode(
    node: KubeObject,
    zoneToNodeConditions: Map<string, (NodeCondition | undefined)[]>,
  ) {
    const name = node.metadata.name!;
    let target = node;
    let result: HealthResult | undefined;
    for (let attempt = 0; attempt < NODE_HEALTH_UPDATE_RETRY && !result; attempt++) {
      try {
        result = await this.tryUpdateNodeHealth(target);
      } catch (err) {
        this.log.warn({ err, node: name }, "error updating node health; rereading the node");
        try {
          target = await this.client.get(NODES, undefined, name);
        } catch (getErr) {
          this.log.error({ err: getErr, node: name }, "failed to reread a node to retry its health update");
          return;
        }
      }
    }
    if (!result) {
      this.log.error({ node: name }, "giving up updating the health of the node; no pods will be evicted");
      return;
    }
    const { observedReady, currentReady } = result;
    if (!isExcludedFromDisruptionChecks(result.node)) {
      const zone = zoneKey(result.node);
      const conditions = zoneToNodeConditions.get(zone);
      // Appended in place: copying the zone's list per node made a pass over one 10,000-node zone quadratic.
      if (conditions) conditions.push(currentReady);
      else zoneToNodeConditions.set(zone, [currentReady]);
    }
    if (currentReady) {
      await this.processTaintBaseEviction(result.node, observedReady);
      const becameNotReady = currentReady.status !== "True" && observedReady.status === "True";
      const retry = this.nodesToRetry.has(name) && observedReady.status !== "True";
      if (becameNotReady) {
        // Reported once, when the status changes.
        this.recorder.event(
          nodeRef(result.node),
          "Normal",
          "NodeNotReady",
          `Node ${name} status is now: NodeNotReady`,
        );
      }
      if (becameNotReady || retry) {
        try {
          // The node's pods are looked up only here: a pass over 10,000 healthy nodes needs none of them.
          const pods = this.pods.byIndex(NODE_NAME_INDEX, name);
          await markPodsNotReady(this.client, this.recorder, pods, name, this.clock.now());
        } catch (err) {
          this.log.error({ err, node: name }, "unable to mark all pods NotReady on node; queuing for retry");
          this.nodesToRetry.add(name);
          return;
        }
      }
    }
    this.nodesToRetry.delete(name);
  }

  /**
   * Folds the latest heartbeats into the node's health and, if it has been silent past its grace period, posts
   * its kubelet conditions as Unknown through the status subresource (upstream tryUpdateNodeHealth). `cached` is
   * never changed: a node that went silent is copied before its conditions are marked Unknown.
   */
  private async tryUpdateNodeHealth(cached: KubeObject): Promise<HealthResult> {
    let node = cached;
    const name = node.metadata.name!;
    const now = this.clock.now();
    const lease = this.leases.get(NODE_LEASE_NAMESPACE, name);
    const leaseRenewTime = parseTime(lease?.spec?.renewTime);
    const observation = observeNodeHealth(this.health.get(name), node, leaseRenewTime, now, {
      monitorMs: this.config.nodeMonitorGracePeriodMs,
      startupMs: this.config.nodeStartupGracePeriodMs,
    });
    let health = observation.health;
    let current = node;
    let currentReady = getNodeCondition(node, "Ready");
    try {
      if (isSilent(observation, now)) {
        node = deepCopy(cached);
        markKubeletConditionsUnknown(node, now);
        current = node;
        currentReady = getNodeCondition(node, "Ready");
        if (!jsonEqual(currentReady, observation.observedReady)) {
          this.log.info(
            { node: name, silentForMs: now - health.probeTimestamp },
            "node stopped posting status",
          );
          current = await this.client.update(NODES, undefined, node, { subresource: "status" });
          health = {
            readyCondition: currentReady,
            probeTimestamp: health.probeTimestamp,
            readyTransitionTimestamp: now,
            leaseRenewTime,
          };
        }
      }
    } finally {
      this.health.set(name, health);
    }
    return { node: current, observedReady: observation.observedReady, currentReady };
  }

  private classifyNodes(nodes: KubeObject[]) {
    const added: KubeObject[] = [];
    const newZoneRepresentatives: KubeObject[] = [];
    const present = new Set<string>();
    for (const node of nodes) {
      present.add(node.metadata.name!);
      if (!this.knownNodes.has(node.metadata.name!)) added.push(node);
      else if (!this.zoneStates.has(zoneKey(node))) newZoneRepresentatives.push(node);
    }
    const deleted = [...this.knownNodes.values()].filter((n) => !present.has(n.metadata.name!));
    return { added, deleted, newZoneRepresentatives };
  }

  // ---------------------------------------------------------------- NoExecute tainting

  private addPodEvictorForNewZone(node: KubeObject): void {
    const zone = zoneKey(node);
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, "Initial");
    this.zoneNoExecuteTainter.set(
      zone,
      new RateLimitedTimedQueue(this.config.evictionLimiterQps, this.clock),
    );
    this.log.info({ zone }, "initializing eviction for zone");
  }

  private tainterFor(node: KubeObject): RateLimitedTimedQueue {
    this.addPodEvictorForNewZone(node);
    return this.zoneNoExecuteTainter.get(zoneKey(node))!;
  }

  /** Swaps between not-ready and unreachable at once; otherwise queues the node for its NoExecute taint. */
  private async processTaintBaseEviction(node: KubeObject, observedReady: NodeCondition): Promise<void> {
    const name = node.metadata.name!;
    const taints = node.spec?.taints;
    switch (observedReady.status) {
      case "False":
        if (taintExists(taints, UNREACHABLE_TAINT)) {
          await this.swapTaintsLogged(node, [NOT_READY_TAINT], [UNREACHABLE_TAINT]);
        } else if (this.markNodeForTainting(node, "False")) {
          this.log.info({ node: name }, "node is NotReady; adding it to the taint queue");
        }
        break;
      case "Unknown":
        if (taintExists(taints, NOT_READY_TAINT)) {
          await this.swapTaintsLogged(node, [UNREACHABLE_TAINT], [NOT_READY_TAINT]);
        } else if (this.markNodeForTainting(node, "Unknown")) {
          this.log.info({ node: name }, "node is unresponsive; adding it to the taint queue");
        }
        break;
      case "True":
        if (await this.markNodeAsReachable(node))
          this.log.info({ node: name }, "node is healthy again; removed taints");
        break;
    }
  }

  private markNodeForTainting(node: KubeObject, status: "False" | "Unknown"): boolean {
    const queue = this.tainterFor(node);
    const name = node.metadata.name!;
    const wanted = status === "False" ? NOT_READY_TAINT : UNREACHABLE_TAINT;
    // Not tainted yet (or the taint was removed by hand): queue it afresh.
    if (!taintExists(node.spec?.taints, wanted)) queue.remove(name);
    return queue.add(name, node.metadata.uid ?? "");
  }

  /** Removes the NoExecute not-ready/unreachable taints and forgets the node in its zone queue. */
  private async markNodeAsReachable(node: KubeObject): Promise<boolean> {
    const taints = node.spec?.taints;
    if (taintExists(taints, UNREACHABLE_TAINT) || taintExists(taints, NOT_READY_TAINT)) {
      try {
        await swapNodeTaints(
          this.client,
          node,
          node.metadata.name!,
          [],
          [UNREACHABLE_TAINT, NOT_READY_TAINT],
          this.clock.now(),
        );
      } catch (err) {
        this.log.error({ err, node: node.metadata.name }, "failed to remove taints from node; will retry");
        return false;
      }
    }
    return this.tainterFor(node).remove(node.metadata.name!);
  }

  private async swapTaintsLogged(node: KubeObject, add: Taint[], remove: Taint[]): Promise<boolean> {
    try {
      await swapNodeTaints(this.client, node, node.metadata.name!, add, remove, this.clock.now());
      return true;
    } catch (err) {
      this.log.error(
        { err, node: node.metadata.name },
        "failed to swap node taints; will try again in the next pass",
      );
      return false;
    }
  }

  /** Adds the queued NoExecute taints each zone's limiter allows (upstream doNoExecuteTaintingPass), in turn. */
  private doNoExecuteTaintingPass(): Promise<void> {
    this.taintingChain = this.taintingChain.then(() => this.noExecuteTaintingPassOnce());
    return this.taintingChain;
  }

  private async noExecuteTaintingPassOnce(): Promise<void> {
    for (const queue of this.zoneNoExecuteTainter.values()) {
      await queue.try(async ({ value }) => {
        const node = this.nodes.get(undefined, value);
        if (!node) return { done: true };
        const ready = getNodeCondition(node, "Ready");
        if (!ready) return { done: false, retryAfterMs: 50 };
        // not-ready and unreachable mirror the Ready condition, so they exclude each other.
        if (ready.status === "False")
          return { done: await this.swapTaintsLogged(node, [NOT_READY_TAINT], [UNREACHABLE_TAINT]) };
        if (ready.status === "Unknown")
          return { done: await this.swapTaintsLogged(node, [UNREACHABLE_TAINT], [NOT_READY_TAINT]) };
        return { done: true };
      });
    }
    const waiting = [...this.zoneNoExecuteTainter.values()].some((q) => q.pending > 0);
    if (waiting && !this.taintingRetry && !this.stopped) {
      this.taintingRetry = this.clock.setTimeout(() => {
        this.taintingRetry = undefined;
        void this.doNoExecuteTaintingPass();
      }, NODE_EVICTION_PERIOD_MS);
    }
  }

  // ---------------------------------------------------------------- zones

  /**
   * Sets each zone's tainting rate from its health (upstream handleDisruption). When every zone is fully
   * disrupted the problem is more likely the control plane's view than the nodes: all NoExecute tainting stops
   * and those taints are removed, until some node is ready again.
   */
  private async handleDisruption(
    zoneToNodeConditions: Map<string, (NodeCondition | undefined)[]>,
    nodes: KubeObject[],
  ): Promise<void> {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conditions] of zoneToNodeConditions) {
      const { state } = computeZoneState(conditions, this.config.unhealthyZoneThreshold);
      if (state !== "FullDisruption") allAreFullyDisrupted = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, "Initial");
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneToNodeConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== "FullDisruption") {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      this.log.warn("all nodes are not ready; entering master disruption mode");
      for (const node of nodes) await this.markNodeAsReachable(node);
      for (const zone of this.zoneStates.keys()) {
        this.zoneNoExecuteTainter.get(zone)?.swapLimiter(0);
        this.zoneStates.set(zone, "FullDisruption");
      }
      return;
    }
    if (allWasFullyDisrupted) {
      this.log.info("some nodes are ready; exiting master disruption mode");
      // Nodes were not watched meanwhile: give every node a fresh grace period.
      const now = this.clock.now();
      for (const node of nodes) {
        const health = this.health.get(node.metadata.name!);
        if (health) Object.assign(health, { probeTimestamp: now, readyTransitionTimestamp: now });
      }
      for (const zone of this.zoneStates.keys()) {
        const state = newStates.get(zone)!;
        this.setLimiterInZone(zone, zoneToNodeConditions.get(zone)?.length ?? 0, state);
        this.zoneStates.set(zone, state);
      }
      return;
    }
    for (const [zone, state] of [...this.zoneStates]) {
      const next = newStates.get(zone);
      if (!next || state === next) continue;
      this.log.info({ zone, state: next }, "zone is now in a new state");
      this.setLimiterInZone(zone, zoneToNodeConditions.get(zone)?.length ?? 0, next);
      this.zoneStates.set(zone, next);
    }
  }

  private setLimiterInZone(zone: string, zoneSize: number, state: ZoneState): void {
    const queue = this.zoneNoExecuteTainter.get(zone);
    if (!queue) return;
    const { evictionLimiterQps, secondaryEvictionLimiterQps, largeClusterThreshold } = this.config;
    if (state === "Normal" || state === "FullDisruption") queue.swapLimiter(evictionLimiterQps);
    // A partly disrupted small zone stops tainting; a large one slows down.
    else if (state === "PartialDisruption") {
      queue.swapLimiter(zoneSize > largeClusterThreshold ? secondaryEvictionLimiterQps : 0);
    }
  }

  // ---------------------------------------------------------------- NoSchedule taints and labels

  /** Keeps the node's condition and unschedulable NoSchedule taints, and its beta labels, in step. */
  private async doNodeProcessingPass(name: string): Promise<void> {
    const failures: unknown[] = [];
    await this.doNoScheduleTaintingPass(name).catch((err) => failures.push(err));
    await this.reconcileNodeLabels(name).catch((err) => failures.push(err));
    if (failures.length > 0) throw new AggregateError(failures, `failed to process node ${name}`);
  }

  private async doNoScheduleTaintingPass(name: string): Promise<void> {
    const node = this.nodes.get(undefined, name);
    if (!node) return;
    const { toAdd, toRemove } = taintSetDiff(
      desiredNoScheduleTaints(node),
      managedNoScheduleTaints(node.spec?.taints),
    );
    if (toAdd.length === 0 && toRemove.length === 0) return;
    await swapNodeTaints(this.client, node, name, toAdd, toRemove, this.clock.now());
  }

  private async reconcileNodeLabels(name: string): Promise<void> {
    const labels: Record<string, string> = this.nodes.get(undefined, name)?.metadata.labels ?? {};
    const updates: Record<string, string> = {};
    for (const { primary, secondary } of LABEL_RECONCILE) {
      if (primary in labels && labels[secondary] !== labels[primary]) updates[secondary] = labels[primary];
    }
    if (Object.keys(updates).length === 0) return;
    await this.client.patch(NODES, undefined, name, "strategic", { metadata: { labels: updates } });
  }

  // ---------------------------------------------------------------- pods

  private podUpdated(oldPod: PodObject | undefined, pod: PodObject): void {
    const nodeName = pod.spec?.nodeName;
    if (nodeName && nodeName !== oldPod?.spec?.nodeName) {
      this.podUpdates.enqueue(`${pod.metadata.namespace}/${pod.metadata.name}`);
    }
  }

  /** A pod newly bound to a node that is not ready is marked not ready too (upstream processPod). */
  private async processPod(key: string): Promise<void> {
    const slash = key.indexOf("/");
    const pod = this.pods.get(key.slice(0, slash), key.slice(slash + 1));
    if (!pod?.spec?.nodeName) return;
    const nodeName = pod.spec.nodeName;
    const health = this.health.get(nodeName);
    // Health not gathered yet, or the node is gone: the next health pass handles it.
    if (!health) return;
    if (!this.nodes.get(undefined, nodeName))
      throw new Error(`node ${nodeName} of pod ${key} is not in the cache`);
    const ready = health.readyCondition;
    if (ready && ready.status !== "True") {
      await markPodsNotReady(this.client, this.recorder, [pod], nodeName, this.clock.now());
    }
  }

  private nodeEvent(node: KubeObject, reason: string, event: string): void {
    this.recorder.event(nodeRef(node), "Normal", reason, `Node ${node.metadata.name} event: ${event}`);
  }
}

/** The reference upstream records node events against: apiVersion, kind, name and uid only. */
function nodeRef(node: KubeObject): KubeObject {
  return { apiVersion: "v1", kind: "Node", metadata: { name: node.metadata.name, uid: node.metadata.uid } };
}
