// Starts the components that run beside the API server on one client: shared informers, the DaemonSet
// controller (and, as they land, the scheduler, garbage collector, node lifecycle, pod GC and the node fleet),
// all under one runtime Manager so that they start and stop together.
import type { Client } from "../client/client.js";
import { EventRecorder } from "../client/event-recorder.js";
import { DaemonSetController } from "../controllers/daemonset/controller.js";
import { DisruptionController } from "../controllers/disruption/controller.js";
import { GarbageCollector } from "../controllers/garbagecollector/index.js";
import { NodeLifecycleController } from "../controllers/nodelifecycle/index.js";
import { PodGC } from "../controllers/podgc/index.js";
import { ServiceAccountController } from "../controllers/serviceaccount/controller.js";
import { InformerFactory } from "../informer/factory.js";
import { type FleetTimings, NodeFleet } from "../nodes/index.js";
import { FLEET_LABEL } from "../nodes/node-template.js";
import { Manager } from "../runtime/manager.js";
import { Scheduler } from "../scheduler/index.js";
import { type Clock, realClock } from "../util/clock.js";
import type { Logger } from "../util/log.js";

export interface ComponentOptions {
  client: Client;
  logger: Logger;
  clock?: Clock;
  /** How long a node may miss heartbeats before it is marked Unknown (ms). */
  nodeMonitorGracePeriodMs?: number;
  /** The simulated kubelets' timings (the benchmark starts pods with no delay). */
  fleetTimings?: Partial<FleetTimings>;
}

export class Components {
  private readonly manager: Manager;
  private readonly stop = new AbortController();
  private running: Promise<void> | undefined;
  readonly informers: InformerFactory;
  /** The simulated kubelets: pods/log reads their containers' logs. */
  readonly fleet: NodeFleet;

  constructor(o: ComponentOptions) {
    const clock = o.clock ?? realClock;
    this.informers = new InformerFactory(o.client, { logger: o.logger.child({ component: "informer" }) });
    const recorder = (component: string) =>
      new EventRecorder(
        o.client,
        { component },
        () => clock.now(),
        (err) => o.logger.debug({ err, component }, "event not recorded"),
      );
    this.manager = new Manager({ logger: o.logger });
    this.manager.add({ name: "informers", start: (signal) => this.informers.start(signal) });
    const daemonsets = new DaemonSetController({
      client: o.client,
      informers: this.informers,
      logger: o.logger.child({ component: "daemonset-controller" }),
      recorder: recorder("daemonset-controller"),
      clock,
    });
    this.manager.add({ name: "daemonset-controller", start: (signal) => daemonsets.start(signal) });
    this.manager.add(
      new GarbageCollector({
        client: o.client,
        informers: this.informers,
        logger: o.logger.child({ component: "garbage-collector" }),
        clock,
        recorder: recorder("garbage-collector-controller"),
      }),
    );
    this.manager.add(
      new PodGC({
        client: o.client,
        informers: this.informers,
        logger: o.logger.child({ component: "pod-gc" }),
        clock,
      }),
    );
    this.manager.add(
      new NodeLifecycleController({
        client: o.client,
        informers: this.informers,
        logger: o.logger.child({ component: "node-lifecycle-controller" }),
        clock,
        recorder: recorder("node-controller"),
        taintEvictionRecorder: recorder("taint-eviction-controller"),
        nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodMs,
      }),
    );
    this.fleet = new NodeFleet({
      client: o.client,
      informers: this.informers,
      clock,
      nodeFilter: (node) => node.metadata.labels?.[FLEET_LABEL] === undefined,
      timings: o.fleetTimings,
      logger: o.logger.child({ component: "node-fleet" }),
    });
    this.manager.add(this.fleet);
    this.manager.add(
      new ServiceAccountController({
        client: o.client,
        informers: this.informers,
        logger: o.logger.child({ component: "serviceaccount-controller" }),
        clock,
      }),
    );
    this.manager.add(
      new DisruptionController({
        client: o.client,
        informers: this.informers,
        logger: o.logger.child({ component: "disruption-controller" }),
        // Upstream's disruption controller records its events as "controllermanager".
        recorder: recorder("controllermanager"),
        clock,
      }),
    );
    this.manager.add(
      new Scheduler({
        client: o.client,
        informers: this.informers,
        logger: o.logger.child({ component: "scheduler" }),
        recorder: recorder("default-scheduler"),
        clock,
      }),
    );
  }

  start(): void {
    this.running = this.manager.start(this.stop.signal);
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.running?.catch(() => {});
  }
}
