// Starts the components that run beside the API server: shared informers, the DaemonSet controller, the
// scheduler, garbage collector, node lifecycle, pod GC, quota, ServiceAccount and disruption controllers and
// the node fleet, all under one runtime Manager so that they start and stop together. Given `clientAs`, each
// component acts as its own identity (COMPONENT_USERS) with the least-privilege role the bootstrap policy binds
// to it; otherwise every component shares `client`. The control plane's event recorders share one budget that
// yields to a saturated event loop, and `governHeap` adds the heap governor for a process that runs one cluster.
import { COMPONENT_USERS, type ComponentName } from "../apiserver/auth/component-identities.js";
import type { UserInfo } from "../apiserver/auth/user-info.js";
import type { Client } from "../client/client.js";
import { DEFAULT_CONTROL_PLANE_EVENTS_BUDGET, EventBudget } from "../client/event-budget.js";
import { EventRecorder } from "../client/event-recorder.js";
import { DaemonSetController } from "../controllers/daemonset/controller.js";
import { DisruptionController } from "../controllers/disruption/controller.js";
import { EndpointsController } from "../controllers/endpoints/endpoints-controller.js";
import { EndpointSliceController } from "../controllers/endpoints/endpointslice-controller.js";
import { GarbageCollector } from "../controllers/garbagecollector/index.js";
import { NodeIpamController } from "../controllers/nodeipam/range-allocator.js";
import { NodeLifecycleController } from "../controllers/nodelifecycle/index.js";
import { PodGC } from "../controllers/podgc/index.js";
import { ResourceQuotaController } from "../controllers/resourcequota/controller.js";
import { ServiceAccountController } from "../controllers/serviceaccount/controller.js";
import { InformerFactory } from "../informer/factory.js";
import { DEFAULT_FLEET_TIMINGS, type FleetTimings, NodeFleet } from "../nodes/index.js";
import { clusterPodCIDR, FLEET_LABEL } from "../nodes/node-template.js";
import { Manager, type Runnable } from "../runtime/manager.js";
import { Scheduler } from "../scheduler/index.js";
import { type Clock, realClock } from "../util/clock.js";
import { HeapGovernor } from "../util/heap-governor.js";
import { childLogger, type Logger } from "../util/log.js";
import { EventLoopLoad, type LoopLoad } from "../util/loop-load.js";
import { ALL_CONTROLLERS, type ControllerName, type ControllerSelection } from "./controller-selection.js";

export interface ComponentOptions {
  client: Client;
  /** A client acting as `user` (LocalClient.withUser); absent, every component uses `client`. */
  clientAs?: (user: UserInfo) => Client;
  logger: Logger;
  clock?: Clock;
  /** How long a node may miss heartbeats before it is marked Unknown (ms). */
  nodeMonitorGracePeriodMs?: number;
  /** The simulated kubelets' timings (the benchmark starts pods with no delay). */
  fleetTimings?: Partial<FleetTimings>;
  /** The event loop's load, which event writes yield to (default: measured; tests may fix it). */
  loopLoad?: LoopLoad;
  /**
   * Let V8's heap grow roomily while the loop is busy and keep it lean when idle (HeapGovernor). It sets
   * process-wide V8 flags, so only the process's one cluster (`everynode up`, the benchmark) turns it on.
   */
  governHeap?: boolean;
  /** Which of kube-controller-manager's controllers run (`--controllers`); default all. */
  controllers?: ControllerSelection;
}

export class Components {
  private readonly manager: Manager;
  private readonly stop = new AbortController();
  private running: Promise<void> | undefined;
  readonly informers: InformerFactory;
  /** The simulated kubelets: pods/log reads their containers' logs. */
  readonly fleet: NodeFleet;
  /** One budget for the control plane's event writes (the fleet has its own). */
  private readonly controlPlaneEvents: EventBudget;
  private readonly heapGovernor: HeapGovernor | undefined;
  private readonly controllers: ControllerSelection;

  constructor(o: ComponentOptions) {
    const clock = o.clock ?? realClock;
    this.controllers = o.controllers ?? ALL_CONTROLLERS;
    const clientOf = (component: ComponentName): Client =>
      o.clientAs ? o.clientAs(COMPONENT_USERS[component]) : o.client;
    this.informers = new InformerFactory(clientOf("sharedInformers"), {
      logger: childLogger(o.logger, { component: "informer" }),
    });
    const loopLoad = o.loopLoad ?? new EventLoopLoad();
    if (o.governHeap) {
      const log = childLogger(o.logger, { component: "heap-governor" });
      this.heapGovernor = new HeapGovernor({
        load: loopLoad,
        onChange: (mode) =>
          log.debug({ mode }, mode === "roomy" ? "busy: letting the heap grow" : "quiet: giving memory back"),
      });
    }
    this.controlPlaneEvents = new EventBudget({
      ...DEFAULT_CONTROL_PLANE_EVENTS_BUDGET,
      clock,
      load: loopLoad,
      onOverflow: () =>
        o.logger.info("too many control-plane events at once: dropping the oldest (events are best-effort)"),
      onError: (err) => o.logger.debug({ err }, "control-plane event not recorded"),
    });
    const recorder = (client: Client, component: string) =>
      new EventRecorder(
        client,
        { component },
        () => clock.now(),
        (err) => o.logger.debug({ err, component }, "event not recorded"),
        this.controlPlaneEvents.gate,
      );
    this.manager = new Manager({ logger: o.logger });
    this.manager.add({ name: "informers", start: (signal) => this.informers.start(signal) });
    this.addController("daemonset-controller", () => {
      const daemonSetClient = clientOf("daemonSetController");
      const daemonsets = new DaemonSetController({
        client: daemonSetClient,
        informers: this.informers,
        logger: childLogger(o.logger, { component: "daemonset-controller" }),
        recorder: recorder(daemonSetClient, "daemonset-controller"),
        clock,
      });
      return { name: "daemonset-controller", start: (signal) => daemonsets.start(signal) };
    });
    const gcClient = clientOf("garbageCollector");
    this.addController(
      "garbage-collector-controller",
      () =>
        new GarbageCollector({
          client: gcClient,
          informers: this.informers,
          logger: childLogger(o.logger, { component: "garbage-collector" }),
          clock,
          recorder: recorder(gcClient, "garbage-collector-controller"),
        }),
    );
    this.addController(
      "pod-garbage-collector-controller",
      () =>
        new PodGC({
          client: clientOf("podGarbageCollector"),
          informers: this.informers,
          logger: childLogger(o.logger, { component: "pod-gc" }),
          clock,
        }),
    );
    const nodeLifecycleClient = clientOf("nodeLifecycleController");
    this.addController(
      "node-lifecycle-controller",
      () =>
        new NodeLifecycleController({
          client: nodeLifecycleClient,
          informers: this.informers,
          logger: childLogger(o.logger, { component: "node-lifecycle-controller" }),
          clock,
          recorder: recorder(nodeLifecycleClient, "node-controller"),
          taintEvictionRecorder: recorder(nodeLifecycleClient, "taint-eviction-controller"),
          nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodMs,
        }),
    );
    this.addController(
      "node-ipam-controller",
      () =>
        new NodeIpamController({
          client: clientOf("nodeIpamController"),
          informers: this.informers,
          logger: childLogger(o.logger, { component: "node-ipam-controller" }),
          cidrAt: clusterPodCIDR,
          clock,
        }),
    );
    // One kubelet identity for every simulated node: the node authorizer limits it to the nodes this fleet runs.
    this.fleet = new NodeFleet({
      client: clientOf("nodeFleet"),
      informers: this.informers,
      clock,
      nodeFilter: (node) => node.metadata.labels?.[FLEET_LABEL] === undefined,
      // Kubelets renew their Lease at least four times per grace period (upstream: 10 s against 40 s), so a short
      // --node-monitor-grace-period does not mark healthy nodes Unknown between two renewals.
      timings: {
        leaseRenewIntervalMs: Math.min(
          DEFAULT_FLEET_TIMINGS.leaseRenewIntervalMs,
          (o.nodeMonitorGracePeriodMs ?? Number.POSITIVE_INFINITY) / 4,
        ),
        ...o.fleetTimings,
      },
      logger: childLogger(o.logger, { component: "node-fleet" }),
      eventLoad: loopLoad,
    });
    this.manager.add(this.fleet);
    this.addController(
      "resourcequota-controller",
      () =>
        new ResourceQuotaController({
          client: clientOf("resourceQuotaController"),
          informers: this.informers,
          logger: childLogger(o.logger, { component: "resourcequota-controller" }),
          clock,
        }),
    );
    this.addController(
      "serviceaccount-controller",
      () =>
        new ServiceAccountController({
          client: clientOf("serviceAccountController"),
          informers: this.informers,
          logger: childLogger(o.logger, { component: "serviceaccount-controller" }),
          clock,
        }),
    );
    const disruptionClient = clientOf("disruptionController");
    this.addController(
      "disruption-controller",
      () =>
        new DisruptionController({
          client: disruptionClient,
          informers: this.informers,
          logger: childLogger(o.logger, { component: "disruption-controller" }),
          // Upstream's disruption controller records its events as "controllermanager".
          recorder: recorder(disruptionClient, "controllermanager"),
          clock,
        }),
    );
    this.addController(
      "endpoints-controller",
      () =>
        new EndpointsController({
          client: clientOf("endpointController"),
          informers: this.informers,
          logger: childLogger(o.logger, { component: "endpoints-controller" }),
          clock,
        }),
    );
    this.addController(
      "endpointslice-controller",
      () =>
        new EndpointSliceController({
          client: clientOf("endpointSliceController"),
          informers: this.informers,
          logger: childLogger(o.logger, { component: "endpointslice-controller" }),
          clock,
        }),
    );
    const schedulerClient = clientOf("scheduler");
    this.manager.add(
      new Scheduler({
        client: schedulerClient,
        informers: this.informers,
        logger: childLogger(o.logger, { component: "scheduler" }),
        recorder: recorder(schedulerClient, "default-scheduler"),
        clock,
      }),
    );
  }

  /** Runs the controller `make` builds, unless --controllers turned it off. */
  private addController(name: ControllerName, make: () => Runnable): void {
    if (this.controllers(name)) this.manager.add(make());
  }

  start(): void {
    this.heapGovernor?.start();
    this.running = this.manager.start(this.stop.signal);
  }

  /** Events recorded and not yet written: they wait while a rollout keeps the event loop busy. */
  get pendingEvents(): number {
    return this.controlPlaneEvents.queued + this.fleet.pendingEvents;
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.running?.catch(() => {});
    this.controlPlaneEvents.stop();
    this.heapGovernor?.stop();
  }
}
