// Prometheus export of work-queue metrics under client-go's names (workqueue_*, labelled by queue name),
// registered only on the Registry the caller passes in.
import { Counter, exponentialBuckets, Gauge, Histogram, type Registry } from "prom-client";
import type { InFlightWork, QueueMetrics } from "./workqueue/metrics.js";

/** 10ns … 10s by decades, as component-base's workqueue metrics use. */
const DURATION_BUCKETS = exponentialBuckets(1e-8, 10, 10);

/** Creates per-queue {@link QueueMetrics} backed by one set of workqueue_* metrics on a registry. */
export class WorkqueueMetricsProvider {
  private static readonly byRegistry = new WeakMap<Registry, WorkqueueMetricsProvider>();

  private readonly depth: Gauge<"name">;
  private readonly adds: Counter<"name">;
  private readonly queueDuration: Histogram<"name">;
  private readonly workDuration: Histogram<"name">;
  private readonly retries: Counter<"name">;
  /** In-flight readers by queue name, polled only when the registry is scraped. */
  private readonly inFlightReaders = new Map<string, () => InFlightWork>();

  /** The provider for `registry`, created on first use so the metrics are registered exactly once. */
  static forRegistry(registry: Registry): WorkqueueMetricsProvider {
    let provider = WorkqueueMetricsProvider.byRegistry.get(registry);
    if (!provider) {
      provider = new WorkqueueMetricsProvider(registry);
      WorkqueueMetricsProvider.byRegistry.set(registry, provider);
    }
    return provider;
  }

  private constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ["name"] as const;
    this.depth = new Gauge({
      name: "workqueue_depth",
      help: "Items pending in the work queue",
      labelNames,
      registers,
    });
    this.adds = new Counter({
      name: "workqueue_adds_total",
      help: "Items added to the work queue, collapsed duplicates excluded",
      labelNames,
      registers,
    });
    this.queueDuration = new Histogram({
      name: "workqueue_queue_duration_seconds",
      help: "Seconds an item waited in the work queue before a worker took it",
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.workDuration = new Histogram({
      name: "workqueue_work_duration_seconds",
      help: "Seconds a worker spent processing one item",
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.retries = new Counter({
      name: "workqueue_retries_total",
      help: "Delayed or rate-limited re-adds to the work queue",
      labelNames,
      registers,
    });
    const readers = this.inFlightReaders;
    new Gauge({
      name: "workqueue_unfinished_work_seconds",
      help: "Seconds of work in progress that no worker has finished yet; large values suggest stuck workers",
      labelNames,
      registers,
      collect() {
        for (const [name, read] of readers) this.set({ name }, read().unfinishedSeconds);
      },
    });
    new Gauge({
      name: "workqueue_longest_running_processor_seconds",
      help: "Seconds the longest-running worker of the queue has been processing its item",
      labelNames,
      registers,
      collect() {
        for (const [name, read] of readers) this.set({ name }, read().longestSeconds);
      },
    });
  }

  /** Metrics for the queue called `name`; queues sharing a name share series. */
  newQueueMetrics(name: string): QueueMetrics {
    const labels = { name };
    return {
      add: () => {
        this.adds.inc(labels);
        this.depth.inc(labels);
      },
      get: (queuedSeconds) => {
        this.depth.dec(labels);
        this.queueDuration.observe(labels, queuedSeconds);
      },
      done: (workSeconds) => this.workDuration.observe(labels, workSeconds),
      retry: () => this.retries.inc(labels),
      trackInFlight: (read) => {
        this.inFlightReaders.set(name, read);
      },
    };
  }
}

/** Shorthand: workqueue_* metrics for queue `name` on `registry`. */
export function promQueueMetrics(registry: Registry, name: string): QueueMetrics {
  return WorkqueueMetricsProvider.forRegistry(registry).newQueueMetrics(name);
}

/**
 * The registry every Controller created afterwards reports its queue to, unless given metrics of its own: the
 * process sets it once (client-go's workqueue.SetProvider), so the controllers need not carry a registry around.
 */
let defaultRegistry: Registry | undefined;

export function setDefaultQueueMetricsRegistry(registry: Registry | undefined): void {
  defaultRegistry = registry;
}

/** Metrics for queue `name` on the default registry, or none when no registry was set. */
export function defaultQueueMetrics(name: string): QueueMetrics | undefined {
  return defaultRegistry && promQueueMetrics(defaultRegistry, name);
}
