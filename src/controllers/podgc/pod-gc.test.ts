// PodGC against a real in-process control plane, with time on a FakeClock: orphaned pods after the quarantine,
// stuck terminating pods, and the terminated-pod threshold.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, TestCluster } from "../../../test/support/test-cluster.js";
import { isNotFound } from "../../api/errors.js";
import { type KubeObject, namespacedName } from "../../api/object.js";
import { findResource } from "../../api/resources.js";
import { LocalClient } from "../../apiserver/local-client.js";
import { InformerFactory } from "../../informer/index.js";
import { FakeClock } from "../../util/clock.js";
import { createLogger } from "../../util/log.js";
import { OUT_OF_SERVICE_TAINT, PodGC, type PodGCOptions } from "./pod-gc.js";

const PODS = findResource("", "v1", "pods")!;
const NODES = findResource("", "v1", "nodes")!;
const NS = "default";
const logger = createLogger("podgc-test", "silent");
const HOLD = "example.com/hold";

interface Harness {
  client: LocalClient;
  clock: FakeClock;
  podgc: PodGC;
  informers: InformerFactory;
  pod(name: string, nodeName?: string, extra?: Partial<KubeObject["metadata"]>): Promise<KubeObject>;
  node(name: string, ready: boolean, taints?: unknown[]): Promise<KubeObject>;
  find(name: string): Promise<KubeObject | undefined>;
  /** Waits until the informers have seen every pod and node the test wrote. */
  caughtUp(): Promise<void>;
}

async function withPodGC(options: Partial<PodGCOptions>, test: (h: Harness) => Promise<void>): Promise<void> {
  const cluster = await TestCluster.start();
  const client = new LocalClient(cluster.cp.registry);
  const clock = new FakeClock(Date.parse("2024-01-01T00:00:00Z"));
  const informers = new InformerFactory(client, { logger });
  const podgc = new PodGC({ client, informers, logger, clock, ...options });
  const stop = new AbortController();
  const running = informers.start(stop.signal);
  const h: Harness = {
    client,
    clock,
    podgc,
    informers,
    pod: (name, nodeName, extra = {}) =>
      client.create(PODS, NS, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, ...extra },
        spec: { nodeName, containers: [{ name: "c", image: "busybox" }] },
      }),
    node: (name, ready, taints) =>
      client.create(NODES, undefined, {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name },
        spec: taints ? { taints } : {},
        status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
      }),
    find: async (name) => {
      try {
        return await client.get(PODS, NS, name);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    caughtUp: async () => {
      for (const type of [PODS, NODES]) {
        const { items } = await client.list(type, undefined);
        const store = informers.informerFor(type).store;
        await eventually(
          () =>
            store.size === items.length &&
            items.every(
              (o) => store.get(namespacedName(o))?.metadata.resourceVersion === o.metadata.resourceVersion,
            ),
        );
      }
    },
  };
  try {
    await informers.waitForCacheSync(stop.signal);
    await test(h);
  } finally {
    stop.abort();
    await running;
    await cluster.stop();
  }
}

describe("PodGC", () => {
  it("force-deletes pods of a vanished node once the quarantine is over, marking them Failed", () =>
    withPodGC({}, async (h) => {
      await h.node("alive", true);
      await h.pod("on-alive", "alive");
      await h.pod("on-ghost", "ghost", { finalizers: [HOLD] });
      await h.caughtUp();
      await h.podgc.gc();
      h.clock.advance(39_999);
      await h.podgc.gc();
      assert.equal((await h.find("on-ghost"))?.metadata.deletionTimestamp, undefined, "still quarantined");
      h.clock.advance(1);
      await h.podgc.gc();
      const held = await h.find("on-ghost");
      assert.ok(held?.metadata.deletionTimestamp, "deleted (held only by the test's finalizer)");
      assert.equal(held?.metadata.deletionGracePeriodSeconds, 0);
      assert.equal(held?.status.phase, "Failed");
      assert.deepEqual(
        held?.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
        [["DisruptionTarget", "True", "DeletionByPodGC", "PodGC: node no longer exists"]],
      );
      assert.equal((await h.find("on-alive"))?.metadata.deletionTimestamp, undefined);
    }));

  it("force-deletes terminating pods on a not-ready out-of-service node, and unscheduled terminating pods", () =>
    withPodGC({}, async (h) => {
      await h.node("broken", false, [{ key: OUT_OF_SERVICE_TAINT, effect: "NoExecute" }]);
      await h.node("tainted-but-ready", true, [{ key: OUT_OF_SERVICE_TAINT, effect: "NoExecute" }]);
      await h.pod("stuck", "broken");
      await h.pod("fine", "tainted-but-ready");
      await h.pod("unscheduled", undefined, { finalizers: [HOLD] });
      for (const name of ["stuck", "fine", "unscheduled"]) await h.client.delete(PODS, NS, name);
      await h.caughtUp();
      await h.podgc.gc();
      assert.equal(await h.find("stuck"), undefined);
      assert.ok(await h.find("fine"), "a ready node may still finish its pods");
      const unscheduled = await h.find("unscheduled");
      assert.equal(unscheduled?.status.phase, "Failed");
      assert.equal(unscheduled?.metadata.deletionGracePeriodSeconds, 0);
    }));

  it("deletes the oldest terminated pods beyond the threshold", () =>
    withPodGC({ terminatedPodThreshold: 1 }, async (h) => {
      await h.node("n", true);
      for (const name of ["t-a", "t-b", "t-c"]) {
        await h.pod(name, "n");
        await h.client.patch(
          PODS,
          NS,
          name,
          "merge",
          { status: { phase: "Succeeded" } },
          { subresource: "status" },
        );
      }
      await h.pod("running", "n");
      await h.caughtUp();
      await h.podgc.gc();
      const left = (await h.client.list(PODS, NS)).items.map((p) => p.metadata.name).sort();
      assert.deepEqual(left, ["running", "t-c"]);
    }));

  it("runs a pass as soon as it starts, then every gcCheckPeriod", () =>
    withPodGC({ gcCheckPeriodMs: 1000 }, async (h) => {
      const stop = new AbortController();
      const running = h.podgc.start(stop.signal);
      await h.pod("first", undefined, { finalizers: [HOLD] });
      await h.client.delete(PODS, NS, "first");
      await h.caughtUp();
      // Keep time moving: the next pass is scheduled only once the previous one has finished.
      await eventually(async () => {
        h.clock.advance(1000);
        return (await h.find("first"))?.status.phase === "Failed";
      });
      stop.abort();
      await running;
    }));
});
