// The node fleet: simulated kubelets for every Node in the cluster, in one process. Shared informers feed it
// (nodes, pods indexed by spec.nodeName, and services for the containers' view of the cluster network); one
// TimerWheel holds every lease renewal, status report and pod step; one work queue with a few workers performs
// every write, so a burst of changes to one object becomes one write. Nodes that appear join (their first writes
// spread out when thousands appear at once), deleted nodes leave; pods bound to a node run through sim-pod.ts and
// their status is patched after each transition.
import { ApiError, isNotFound } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import { SERVICES } from "../api/resources.js";
import type { Client } from "../client/client.js";
import {
  DEFAULT_NODE_EVENTS_BUDGET,
  DEFAULT_POD_EVENTS_BUDGET,
  EventBudget,
  type EventBudgetOptions,
} from "../client/event-budget.js";
import { EventRecorder } from "../client/event-recorder.js";
import type { InformerFactory } from "../informer/factory.js";
import { indexByNodeName, NODE_NAME_INDEX } from "../informer/indexers.js";
import type { HandlerRegistration, SharedInformer } from "../informer/shared-informer.js";
import { Controller } from "../runtime/controller.js";
import type { Runnable } from "../runtime/manager.js";
import { ItemExponentialFailureRateLimiter } from "../runtime/workqueue/rate-limiters.js";
import { type Clock, realClock } from "../util/clock.js";
import { createLogger, type Logger } from "../util/log.js";
import type { LoopLoad } from "../util/loop-load.js";
import { ClusterNetwork } from "./cluster-network.js";
import { interactiveShellArgv, streamOutput, untilStopped } from "./container-attach.js";
import { ContainerExec, type ExecStreams, runningContainer } from "./container-exec.js";
import { FleetPods, PODS } from "./fleet-pods.js";
import type { ProcessPlan } from "./main-process.js";
import { type AgentContext, NODES, NodeAgent } from "./node-agent.js";
import { kubeletNodeRef, type NodeEvent } from "./node-events.js";
import {
  type FollowOptions,
  followLog,
  type PodLogOptions,
  readLog,
  selectContainer,
  selectInstance,
} from "./pod-logs.js";
import type { SimContainer } from "./sim-container.js";
import { DEFAULT_POD_TIMINGS, type PodTimings, type SimPod } from "./sim-pod.js";
import { type ScheduledTask, TimerWheel } from "./timer-wheel.js";

/** Used only when the pod informer has no NODE_NAME_INDEX yet, so no other component's index name is taken. */
const FLEET_NODE_INDEX = "nodes.everynode.dev/node-name";

export interface FleetTimings extends PodTimings {
  /** Lease spec.leaseDurationSeconds (upstream 40). */
  leaseDurationSeconds: number;
  /** How often each node renews its Lease (upstream: a quarter of the duration, 10 s). */
  leaseRenewIntervalMs: number;
  /** How often an unchanged NodeStatus is reported anyway (upstream nodeStatusReportFrequency, 5 min). */
  statusReportIntervalMs: number;
  /** First writes of nodes that appear together are spread at this rate (nodes per second). */
  registrationsPerSecond: number;
}

export const DEFAULT_FLEET_TIMINGS: FleetTimings = {
  ...DEFAULT_POD_TIMINGS,
  leaseDurationSeconds: 40,
  leaseRenewIntervalMs: 10_000,
  statusReportIntervalMs: 5 * 60_000,
  registrationsPerSecond: 1000,
};

/** Upstream's lease controller jitters renewals by 4%. */
const RENEW_JITTER = 0.04;

export interface NodeFleetOptions {
  client: Client;
  /** Shared informers (nodes, pods); the caller starts the factory, as for every controller. */
  informers: InformerFactory;
  clock?: Clock;
  logger?: Logger;
  timings?: Partial<FleetTimings>;
  /** Which Nodes the fleet runs (default: all); e.g. only labelled ones when attached to a real cluster. */
  nodeFilter?: (node: KubeObject) => boolean;
  /** Concurrent writes (default 32). */
  writeConcurrency?: number;
  /** Record kubelet Events (Pulled, Created, Started, BackOff, Killing, NodeReady…); default true. */
  recordEvents?: boolean;
  /** Lines kept per container instance (default 1000). */
  maxLogLines?: number;
  /** Source of jitter (default Math.random). */
  random?: () => number;
  /** The event loop's load: pod events slow down while it is saturated (default: fixed rates). */
  eventLoad?: LoopLoad;
}

interface AgentTasks {
  lease?: ScheduledTask;
  status?: ScheduledTask;
  /** The first renewal has happened (and the next was placed at a random point of the interval). */
  leaseSpread?: boolean;
}

export class NodeFleet implements Runnable {
  readonly name = "node-fleet";
  readonly timings: FleetTimings;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly nodeFilter: (node: KubeObject) => boolean;
  private readonly nodeInformer: SharedInformer;
  private readonly podInformer: SharedInformer;
  private readonly nodeIndex: string;
  private readonly wheel: TimerWheel;
  private readonly writer: Controller;
  private readonly agents = new Map<string, NodeAgent>();
  private readonly agentTasks = new Map<NodeAgent, AgentTasks>();
  private readonly pods: FleetPods;
  private readonly recorders = new Map<string, EventRecorder>();
  /** One budget for the node-level events of every node, so thousands starting at once stay in the background. */
  private readonly nodeEvents: EventBudget;
  /** One budget for the event writes of every kubelet's recorder (pod events), so that they trail a rollout. */
  private readonly podEvents: EventBudget;
  private readonly agentContext: AgentContext;
  private readonly execs: ContainerExec;
  private nextRegistrationAt = Number.NEGATIVE_INFINITY;

  constructor(o: NodeFleetOptions) {
    this.client = o.client;
    this.clock = o.clock ?? realClock;
    this.log = o.logger ?? createLogger("node-fleet");
    this.random = o.random ?? Math.random;
    this.nodeFilter = o.nodeFilter ?? (() => true);
    this.timings = { ...DEFAULT_FLEET_TIMINGS, ...o.timings };
    this.nodeInformer = o.informers.informerFor(NODES);
    this.podInformer = o.informers.informerFor(PODS);
    if (this.podInformer.store.hasIndex(NODE_NAME_INDEX)) this.nodeIndex = NODE_NAME_INDEX;
    else {
      this.nodeIndex = FLEET_NODE_INDEX;
      if (!this.podInformer.store.hasIndex(FLEET_NODE_INDEX)) {
        this.podInformer.addIndexers({ [FLEET_NODE_INDEX]: indexByNodeName });
      }
    }
    this.wheel = new TimerWheel(this.clock, (err) => this.log.error({ err }, "fleet timer failed"));
    this.pods = new FleetPods({
      client: this.client,
      clock: this.clock,
      wheel: this.wheel,
      store: this.podInformer.store,
      enqueue: (key) => this.writer.enqueue(`pod/${key}`),
    });
    const services = o.informers.informerFor(SERVICES);
    const network = new ClusterNetwork(
      {
        services: (namespace) => services.lister().list(namespace),
        pods: (namespace) => this.podInformer.lister().list(namespace),
        node: (name) => this.nodeInformer.store.get(name),
      },
      () => this.clock.now(),
    );
    this.execs = new ContainerExec({ client: this.client, clock: this.clock, network });
    const recordEvents = o.recordEvents ?? true;
    const budget = (
      kind: string,
      limits: Pick<EventBudgetOptions, "burst" | "perSecond" | "busyPerSecond" | "maxQueued">,
    ) =>
      new EventBudget({
        ...limits,
        clock: this.clock,
        load: o.eventLoad,
        onOverflow: () =>
          this.log.info(`too many ${kind} events at once: dropping the oldest (events are best-effort)`),
        onError: (err) => this.log.debug({ err }, `${kind} event not recorded`),
      });
    this.nodeEvents = budget("node", DEFAULT_NODE_EVENTS_BUDGET);
    this.podEvents = budget("pod", DEFAULT_POD_EVENTS_BUDGET);
    this.agentContext = {
      client: this.client,
      timings: this.timings,
      maxLogLines: o.maxLogLines ?? 1000,
      recorder: (nodeName) => (recordEvents ? this.recorder(nodeName) : undefined),
      recordNodeEvent: (nodeName, event) => {
        if (recordEvents) this.nodeEvents.submit(() => this.recordNodeEvent(nodeName, event));
      },
      onInvalidAnnotation: (annotation, value, why) =>
        this.log.debug({ annotation, value, why }, "ignoring a simulation annotation"),
      followProcess: (sim, c, argv) => this.followProcess(sim, c, argv),
    };
    this.writer = new Controller({
      name: "node-fleet",
      logger: this.log,
      clock: this.clock,
      workers: o.writeConcurrency ?? 128,
      // The kubelet's lease controller retries after 200 ms, backing off to 7 s.
      rateLimiter: new ItemExponentialFailureRateLimiter<string>(200, 7000),
      waitForSync: (signal) =>
        Promise.all([this.nodeInformer.waitForSync(signal), this.podInformer.waitForSync(signal)]).then((r) =>
          r.every(Boolean),
        ),
      reconcile: (key) => this.reconcile(key),
    });
  }

  /** Nodes the fleet runs now. */
  get nodeCount(): number {
    return this.agents.size;
  }

  /** Kubelet events recorded but not yet written (waiting in the fleet's event budgets). */
  get pendingEvents(): number {
    return this.podEvents.queued + this.nodeEvents.queued;
  }

  /** Pods the fleet runs now. */
  get podCount(): number {
    return this.pods.size;
  }

  async start(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const registrations: HandlerRegistration[] = [
      this.nodeInformer.addEventHandler({
        onAdd: (node) => this.nodeChanged(node),
        onUpdate: (_old, node) => this.nodeChanged(node),
        onDelete: (node) => this.nodeDeleted(node),
      }),
      this.podInformer.addEventHandler({
        onAdd: (pod) => this.podChanged(pod),
        onUpdate: (_old, pod) => this.podChanged(pod),
        onDelete: (pod) => this.pods.deleted(pod),
      }),
    ];
    try {
      await this.writer.start(signal);
    } finally {
      for (const r of registrations) r.remove();
      this.wheel.stop();
      this.nodeEvents.stop();
      this.podEvents.stop();
      await Promise.all([...this.recorders.values()].map((r) => r.flush()));
    }
  }

  // ------------------------------------------------------------------ logs

  /**
   * A container's log, for the API server's pods/log. Throws ApiError (404 for a pod the fleet does not run,
   * 400 with the kubelet's message for a container that has no log yet).
   */
  logs(
    namespace: string,
    pod: string,
    container: string | undefined,
    options: FollowOptions,
  ): AsyncIterable<string>;
  logs(
    namespace: string,
    pod: string,
    container?: string,
    options?: PodLogOptions & { follow?: false },
  ): string[];
  logs(
    namespace: string,
    pod: string,
    container?: string,
    options: (PodLogOptions & { follow?: boolean }) | FollowOptions = {},
  ): string[] | AsyncIterable<string> {
    const sim = this.pods.get(`${namespace}/${pod}`);
    if (!sim) throw ApiError.notFound({ group: "", resource: "pods" }, pod);
    const c = selectContainer(sim, container);
    const log = c.instanceLog(selectInstance(sim, c, options.previous ?? false));
    if (options.follow) return followLog(log, options as FollowOptions, this.clock);
    return readLog(log, options, this.clock.now());
  }

  // ------------------------------------------------------------------ exec

  /** For the API server's pods/exec and attach: throws ApiError unless the container runs (before the upgrade). */
  checkExec(namespace: string, pod: string, container: string): void {
    runningContainer(this.runPod(namespace, pod), container);
  }

  /** Runs `command` in a running container of a pod the fleet runs (exec/ documents the simulated programs). */
  exec(
    namespace: string,
    pod: string,
    container: string,
    command: string[],
    io: ExecStreams,
  ): Promise<number> {
    const sim = this.runPod(namespace, pod);
    const c = runningContainer(sim, container);
    const node = this.agents.get(sim.pod.spec?.nodeName ?? "")?.node;
    return this.execs.run(sim, c, node, command, io);
  }

  /**
   * Attaches to a running container's own process: an interactive shell (its end ends the container: the shell
   * exited, or its input did; a client that only went away leaves it running unless the container takes stdin
   * once), or else the container's output from now on.
   */
  async attach(namespace: string, pod: string, container: string, io: ExecStreams): Promise<void> {
    const sim = this.runPod(namespace, pod);
    const c = runningContainer(sim, container);
    const shell = interactiveShellArgv(c);
    if (!shell || !io.stdin) return streamOutput(c, io, this.clock);
    const instance = c.containerID;
    const node = this.agents.get(sim.pod.spec?.nodeName ?? "")?.node;
    // The session ends with the container too (its pod deleted, its node gone), as the runtime closes the streams.
    const session = untilStopped(c, this.clock, io.signal);
    const code = await this.execs.run(sim, c, node, shell, { ...io, signal: session });
    if (session.aborted && !io.signal.aborted) return;
    if (io.signal.aborted && c.spec.stdinOnce !== true) return;
    this.pods.processExited(`${namespace}/${pod}`, container, instance, io.signal.aborted ? 0 : code);
  }

  /** Follows a container's own process ahead of time (main-process.ts) and hands the pod what it found. */
  private followProcess(sim: SimPod, c: SimContainer, argv: string[]): void {
    const key = `${sim.namespace}/${sim.name}`;
    const instance = c.containerID;
    const startedAt = c.running?.startedAt ?? this.clock.now();
    const node = this.agents.get(sim.pod.spec?.nodeName ?? "")?.node;
    this.execs
      .plan({ pod: sim, container: c, node, argv, startedAt })
      .catch((err): ProcessPlan => {
        this.log.warn({ err, pod: key, container: c.name }, "could not follow the container's process");
        return { kind: "unknown" };
      })
      .then((plan) => this.pods.processPlanned(key, c.name, instance, plan))
      .catch((err) => this.log.error({ err, pod: key }, "could not apply the container's process plan"));
  }

  /** The pod as this fleet runs it; a pod on a node run elsewhere (another `everynode fleet`) is out of reach. */
  private runPod(namespace: string, pod: string) {
    const key = `${namespace}/${pod}`;
    const sim = this.pods.get(key);
    if (sim) return sim;
    const node = this.podInformer.store.get(key)?.spec?.nodeName;
    if (!node) throw ApiError.notFound({ group: "", resource: "pods" }, pod);
    throw new ApiError(503, "ServiceUnavailable", `no kubelet serves exec for node ${node} in this process`);
  }

  // ------------------------------------------------------------------ nodes

  private nodeChanged(node: KubeObject): void {
    const name = node.metadata.name ?? "";
    const agent = this.agents.get(name);
    if (!this.nodeFilter(node)) {
      if (agent) this.removeAgent(agent);
      return;
    }
    if (agent && agent.uid !== node.metadata.uid) this.removeAgent(agent);
    if (!agent || agent.uid !== node.metadata.uid) {
      this.addAgent(node);
      return;
    }
    const { resumed } = agent.setNode(node);
    if (agent.sim.heartbeatStopped) return;
    if (resumed) {
      this.log.info({ node: name }, "node heartbeat resumed");
      this.writer.enqueue(`lease/${name}`);
      this.writer.enqueue(`node/${name}`);
      for (const pod of this.podInformer.store.byIndex(this.nodeIndex, name)) this.podChanged(pod, true);
    } else if (agent.needsStatusWrite(this.clock.now())) {
      this.writer.enqueue(`node/${name}`);
    }
  }

  private addAgent(node: KubeObject): void {
    const agent = new NodeAgent(node, this.agentContext);
    this.agents.set(agent.nodeName, agent);
    // Thousands of nodes appearing at once (the first list) register a millisecond apart, not all at once.
    const now = this.clock.now();
    this.nextRegistrationAt = Math.max(
      now,
      this.nextRegistrationAt + 1000 / this.timings.registrationsPerSecond,
    );
    const at = this.nextRegistrationAt;
    this.agentTasks.set(agent, {
      lease: this.wheel.schedule(at, () => this.writer.enqueue(`lease/${agent.nodeName}`)),
      status: this.wheel.schedule(at, () => this.writer.enqueue(`node/${agent.nodeName}`)),
    });
    for (const pod of this.podInformer.store.byIndex(this.nodeIndex, agent.nodeName)) this.podChanged(pod);
  }

  /** Pods go to the agent of their node, if the fleet runs it. */
  private podChanged(pod: KubeObject, resync = false): void {
    const nodeName = pod.spec?.nodeName;
    this.pods.changed(pod, nodeName ? this.agents.get(nodeName) : undefined, resync);
  }

  private nodeDeleted(node: KubeObject): void {
    const agent = this.agents.get(node.metadata.name ?? "");
    if (agent && agent.uid === node.metadata.uid) this.removeAgent(agent);
  }

  /** The node leaves: no more writes for it; its pods are left to the pod garbage collector. */
  private removeAgent(agent: NodeAgent): void {
    this.agents.delete(agent.nodeName);
    const tasks = this.agentTasks.get(agent);
    tasks?.lease?.cancel();
    tasks?.status?.cancel();
    this.agentTasks.delete(agent);
    for (const key of [...agent.pods]) this.pods.drop(key);
    this.recorders.delete(agent.nodeName);
  }

  /** A node event the budget let through; one for a node that has left meanwhile is dropped. */
  private recordNodeEvent(nodeName: string, event: NodeEvent): void {
    if (!this.agents.has(nodeName)) return;
    this.recorder(nodeName).event(kubeletNodeRef(nodeName), event.type, event.reason, event.message);
  }

  private recorder(nodeName: string): EventRecorder {
    let recorder = this.recorders.get(nodeName);
    if (!recorder) {
      recorder = new EventRecorder(
        this.client,
        { component: "kubelet", host: nodeName },
        () => this.clock.now(),
        (err) => this.log.debug({ err, node: nodeName }, "event not recorded"),
        // Every kubelet's writes go through the pod events budget.
        this.podEvents.gate,
      );
      this.recorders.set(nodeName, recorder);
    }
    return recorder;
  }

  // ------------------------------------------------------------------ writes

  /**
   * Renews the node's Lease and returns when to renew it next: an interval later with upstream's jitter. The
   * second renewal comes at a random point of the first interval instead, so that nodes registered together — a
   * whole fleet at start-up — do not renew in one burst every 10 s but evenly across it, as real kubelets, which
   * never start in the same instant, do.
   */
  private async renewLease(agent: NodeAgent, now: number): Promise<number> {
    await agent.renewLease(now);
    const interval = this.timings.leaseRenewIntervalMs;
    const tasks = this.agentTasks.get(agent);
    if (tasks && !tasks.leaseSpread) {
      tasks.leaseSpread = true;
      return now + interval * this.random();
    }
    return now + interval * (1 + RENEW_JITTER * this.random());
  }

  private async reconcile(key: string): Promise<void> {
    const slash = key.indexOf("/");
    const kind = key.slice(0, slash);
    const rest = key.slice(slash + 1);
    if (kind === "pod") return this.pods.sync(rest);
    const agent = this.agents.get(rest);
    if (!agent || agent.sim.heartbeatStopped) return;
    const now = this.clock.now();
    let next: number;
    try {
      next = kind === "lease" ? await this.renewLease(agent, now) : await agent.syncStatus(now);
    } catch (err) {
      // The Node was deleted under us: its informer event removes the agent; nothing to retry.
      if (isNotFound(err) && this.nodeInformer.store.get(rest)?.metadata.uid !== agent.uid) return;
      throw err;
    }
    // One pending renewal (or report) per node: a resumed heartbeat must not start a second chain.
    const tasks = this.agentTasks.get(agent);
    if (!tasks || this.agents.get(rest) !== agent) return;
    const task = kind === "lease" ? "lease" : "status";
    tasks[task]?.cancel();
    tasks[task] = this.wheel.schedule(alignToHeartbeatTick(next), () => this.writer.enqueue(key));
  }
}

/**
 * Heartbeats fall due on 100 ms ticks. Spread evenly, 10,000 nodes renewing every 10 s would each be a storage
 * commit of their own, a thousand a second; on ticks they share ten. No one can tell: a renewal is due within
 * seconds, not milliseconds.
 */
const HEARTBEAT_TICK_MS = 100;

function alignToHeartbeatTick(at: number): number {
  return Math.ceil(at / HEARTBEAT_TICK_MS) * HEARTBEAT_TICK_MS;
}
