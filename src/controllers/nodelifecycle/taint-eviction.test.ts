// The taint manager against a real in-process control plane, with time on a FakeClock: immediate eviction of
// pods that do not tolerate a NoExecute taint, eviction after tolerationSeconds, never for tolerations without
// them, and cancellation when the taint goes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, TestCluster } from "../../../test/support/test-cluster.js";
import type { KubeObject } from "../../api/object.js";
import { findResource } from "../../api/resources.js";
import { LocalClient } from "../../apiserver/local-client.js";
import { EventRecorder } from "../../client/event-recorder.js";
import { InformerFactory } from "../../informer/index.js";
import { FakeClock } from "../../util/clock.js";
import { createLogger } from "../../util/log.js";
import { rfc3339 } from "./node-conditions.js";
import { TaintEvictionController } from "./taint-eviction.js";

const NODES = findResource("", "v1", "nodes")!;
const PODS = findResource("", "v1", "pods")!;
const EVENTS = findResource("", "v1", "events")!;
const NS = "default";
const T0 = Date.parse("2024-01-01T00:00:00Z");
const logger = createLogger("taint-eviction-test", "silent");
const MAINTENANCE = "example.com/maintenance";

const toleration = (key: string, tolerationSeconds?: number) => ({
  key,
  operator: "Exists",
  effect: "NoExecute",
  tolerationSeconds,
});

describe("TaintEvictionController", () => {
  it("evicts at once, after tolerationSeconds, or never, and cancels when the taint goes", async () => {
    const cluster = await TestCluster.start();
    const client = new LocalClient(cluster.cp.registry);
    const clock = new FakeClock(T0);
    const informers = new InformerFactory(client, { logger });
    const recorder = new EventRecorder(client, { component: "taint-eviction-controller" }, () => clock.now());
    const controller = new TaintEvictionController({ client, informers, logger, clock, recorder });
    const stop = new AbortController();
    const running = Promise.all([informers.start(stop.signal), controller.start(stop.signal)]);
    const pod = (name: string, nodeName: string, tolerations?: unknown[]) =>
      client.create(PODS, NS, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: { nodeName, tolerations, containers: [{ name: "c", image: "busybox" }] },
      });
    const deleting = async (name: string) => !!(await client.get(PODS, NS, name)).metadata.deletionTimestamp;
    const taint = (node: string, taints: unknown[] | null) =>
      client.patch(NODES, undefined, node, "merge", { spec: { taints } });
    const events = async () =>
      (await client.list(EVENTS, NS)).items
        .filter((e: KubeObject) => e.reason === "TaintManagerEviction")
        .map((e: KubeObject) => e.message)
        .sort();
    try {
      for (const name of ["maint", "brief"]) {
        await client.create(NODES, undefined, { apiVersion: "v1", kind: "Node", metadata: { name } });
      }
      await pod("intolerant", "maint");
      await pod("other-key", "maint", [toleration("example.com/other")]);
      await pod("for-60s", "maint", [toleration(MAINTENANCE, 60)]);
      await pod("forever", "maint", [toleration(MAINTENANCE)]);
      await pod("for-30s", "brief", [toleration(MAINTENANCE, 30)]);
      await informers.waitForCacheSync(stop.signal);
      await eventually(() => informers.informerFor(PODS).store.size === 5);

      const maintenance = { key: MAINTENANCE, effect: "NoExecute", timeAdded: rfc3339(T0) };
      await taint("maint", [maintenance]);
      await taint("brief", [maintenance]);
      await eventually(async () => (await deleting("intolerant")) && (await deleting("other-key")));
      const evicted = await client.get(PODS, NS, "intolerant");
      assert.deepEqual(
        evicted.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
        [
          [
            "DisruptionTarget",
            "True",
            "DeletionByTaintManager",
            "Taint manager: deleting due to NoExecute taint",
          ],
        ],
      );
      // Both tolerated evictions are scheduled from the taint's timeAdded.
      await eventually(
        () => clock.pendingTimers().filter((t) => t === T0 + 30_000 || t === T0 + 60_000).length === 2,
      );

      await taint("brief", null);
      await eventually(async () => (await events()).includes("Cancelling deletion of Pod default/for-30s"));
      clock.advance(59_999);
      assert.equal(await deleting("for-30s"), false, "its eviction was cancelled with the taint");
      assert.equal(await deleting("for-60s"), false, "still tolerated");
      clock.advance(1);
      await eventually(() => deleting("for-60s"));
      clock.advance(3_600_000);
      assert.equal(await deleting("forever"), false);
      const expected = [
        "Cancelling deletion of Pod default/for-30s",
        "Marking for deletion Pod default/for-60s",
        "Marking for deletion Pod default/intolerant",
        "Marking for deletion Pod default/other-key",
      ];
      await eventually(async () => (await events()).length === expected.length, 5000, "the events");
      assert.deepEqual(await events(), expected);
    } finally {
      stop.abort();
      await running;
      await cluster.stop();
    }
  });
});
