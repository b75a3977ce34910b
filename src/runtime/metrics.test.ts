// Unit tests for the prom-client work-queue metrics: client-go names, the name label, own registry only, and
// the default registry every Controller reports to once the process sets it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { register as globalRegistry, Registry } from "prom-client";
import { FakeClock } from "../util/clock.js";
import { Controller } from "./controller.js";
import { defaultQueueMetrics, promQueueMetrics, setDefaultQueueMetricsRegistry } from "./metrics.js";
import { captureLogger } from "./testing.js";
import { DelayingQueue } from "./workqueue/delaying-queue.js";

async function sampleValue(registry: Registry, metric: string, queue: string, suffix = ""): Promise<number> {
  const all = await registry.getMetricsAsJSON();
  const found = all.find((m) => m.name === metric);
  assert.ok(found, `${metric} is registered`);
  // Histogram samples carry their series name (…_sum, …_count); plain metrics do not.
  const samples = found.values as Array<{ value: number; labels: { name?: unknown }; metricName?: string }>;
  const sample = samples.find(
    (v) => v.labels.name === queue && (suffix === "" || v.metricName === `${metric}${suffix}`),
  );
  assert.ok(sample, `${metric}${suffix} has a sample for ${queue}`);
  return sample.value;
}

describe("promQueueMetrics", () => {
  it("exports depth, adds, retries, durations and in-flight work for each named queue", async () => {
    const registry = new Registry();
    const clock = new FakeClock();
    const queue = new DelayingQueue({
      name: "daemonset",
      clock,
      metrics: promQueueMetrics(registry, "daemonset"),
    });
    queue.add("a");
    queue.add("b");
    queue.addAfter("c", 10);
    assert.equal(await sampleValue(registry, "workqueue_depth", "daemonset"), 2);
    const item = (await queue.get())!;
    clock.advance(3000);
    assert.equal(await sampleValue(registry, "workqueue_unfinished_work_seconds", "daemonset"), 3);
    assert.equal(await sampleValue(registry, "workqueue_longest_running_processor_seconds", "daemonset"), 3);
    queue.done(item);

    assert.equal(await sampleValue(registry, "workqueue_depth", "daemonset"), 2, "b, plus c once it was due");
    assert.equal(await sampleValue(registry, "workqueue_adds_total", "daemonset"), 3);
    assert.equal(await sampleValue(registry, "workqueue_retries_total", "daemonset"), 1);
    assert.equal(await sampleValue(registry, "workqueue_queue_duration_seconds", "daemonset", "_count"), 1);
    assert.equal(await sampleValue(registry, "workqueue_work_duration_seconds", "daemonset", "_sum"), 3);
  });

  it("shares one set of metrics per registry across queues and leaves the global registry alone", async () => {
    const registry = new Registry();
    const first = promQueueMetrics(registry, "one");
    const second = promQueueMetrics(registry, "two");
    first.add();
    second.add();
    second.add();
    assert.equal(await sampleValue(registry, "workqueue_adds_total", "one"), 1);
    assert.equal(await sampleValue(registry, "workqueue_adds_total", "two"), 2);
    assert.equal(globalRegistry.getSingleMetric("workqueue_adds_total"), undefined);
    promQueueMetrics(new Registry(), "three");
  });

  it("gives every Controller created after setDefaultQueueMetricsRegistry its queue's metrics there", async () => {
    const registry = new Registry();
    setDefaultQueueMetricsRegistry(registry);
    try {
      const { logger } = captureLogger();
      const controller = new Controller({ name: "defaulted", reconcile: async () => {}, logger });
      controller.enqueue("a");
      controller.enqueue("b");
      assert.equal(await sampleValue(registry, "workqueue_adds_total", "defaulted"), 2);
    } finally {
      setDefaultQueueMetricsRegistry(undefined);
    }
    assert.equal(defaultQueueMetrics("later"), undefined, "unset: queues report nowhere");
  });
});
