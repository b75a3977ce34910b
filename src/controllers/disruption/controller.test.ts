// The disruption controller against a real in-process control plane, with time on a FakeClock: status from
// the selected pods, budgets it cannot compute (DaemonSet pods under a percentage), expiry of granted
// evictions, and stale DisruptionTarget conditions.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, TestCluster } from "../../../test/support/test-cluster.js";
import type { KubeObject } from "../../api/object.js";
import { DAEMON_SETS, EVENTS, POD_DISRUPTION_BUDGETS, PODS } from "../../api/resources.js";
import { LocalClient } from "../../apiserver/local-client.js";
import { InformerFactory } from "../../informer/index.js";
import { FakeClock } from "../../util/clock.js";
import { createLogger } from "../../util/log.js";
import { DisruptionController } from "./controller.js";
import { DELETION_TIMEOUT_MS } from "./status.js";

const NS = "default";
const logger = createLogger("disruption-test", "silent");
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

interface Harness {
  client: LocalClient;
  clock: FakeClock;
  /** A pod labelled app=web (or `labels`), Running, ready unless told otherwise. */
  pod(
    name: string,
    o?: { ready?: boolean; owner?: KubeObject; labels?: Record<string, string> },
  ): Promise<KubeObject>;
  setReady(name: string, ready: boolean): Promise<void>;
  budget(name: string, spec: Record<string, unknown>): Promise<KubeObject>;
  /** Waits until the budget's status satisfies `check`, and returns it. */
  status(name: string, check: (status: any) => boolean): Promise<any>;
}

async function withController(test: (h: Harness) => Promise<void>): Promise<void> {
  const cluster = await TestCluster.start();
  const client = new LocalClient(cluster.cp.registry);
  const clock = new FakeClock(Date.parse("2024-01-01T00:00:00Z"));
  const informers = new InformerFactory(client, { logger });
  const controller = new DisruptionController({ client, informers, logger, clock });
  const stop = new AbortController();
  const running = Promise.all([informers.start(stop.signal), controller.start(stop.signal)]);
  const writeStatus = async (name: string, ready: boolean, extra: unknown[] = []) => {
    const pod = structuredClone(await client.get(PODS, NS, name));
    pod.status = {
      ...pod.status,
      phase: "Running",
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }, ...extra],
    };
    await client.update(PODS, NS, pod, { subresource: "status" });
  };
  const h: Harness = {
    client,
    clock,
    pod: async (name, o = {}) => {
      const owner = o.owner;
      await client.create(PODS, NS, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          labels: o.labels ?? { app: "web" },
          ...(owner
            ? {
                ownerReferences: [
                  {
                    apiVersion: owner.apiVersion!,
                    kind: owner.kind!,
                    name: owner.metadata.name!,
                    uid: owner.metadata.uid!,
                    controller: true,
                  },
                ],
              }
            : {}),
        },
        spec: { nodeName: "node-1", containers: [{ name: "c", image: "busybox" }] },
      });
      await writeStatus(name, o.ready ?? true);
      return client.get(PODS, NS, name);
    },
    setReady: (name, ready) => writeStatus(name, ready),
    budget: (name, spec) =>
      client.create(POD_DISRUPTION_BUDGETS, NS, {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name },
        spec,
      }),
    status: (name, check) =>
      eventually(
        async () => {
          const pdb = await client.get(POD_DISRUPTION_BUDGETS, NS, name);
          return check(pdb.status) ? pdb.status : undefined;
        },
        5000,
        `status of ${name}`,
      ),
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

describe("DisruptionController", () => {
  it("computes status from the selected pods and follows readiness", () =>
    withController(async (h) => {
      await h.pod("web-1");
      await h.pod("web-2");
      await h.pod("db-1", { labels: { app: "db" } });
      await h.budget("web", { minAvailable: 1, selector: { matchLabels: { app: "web" } } });
      const status = await h.status("web", (s) => s.observedGeneration === 1);
      assert.deepEqual(status, {
        observedGeneration: 1,
        disruptionsAllowed: 1,
        currentHealthy: 2,
        desiredHealthy: 1,
        expectedPods: 2,
        conditions: [
          {
            type: "DisruptionAllowed",
            status: "True",
            reason: "SufficientPods",
            message: "",
            observedGeneration: 1,
            lastTransitionTime: rfc3339(h.clock.now()),
          },
        ],
      });
      await h.setReady("web-2", false);
      const blocked = await h.status("web", (s) => s.currentHealthy === 1);
      assert.equal(blocked.disruptionsAllowed, 0);
      assert.equal(blocked.conditions[0].reason, "InsufficientPods");
      // A spec change is a new generation, observed once recomputed.
      const pdb = structuredClone(await h.client.get(POD_DISRUPTION_BUDGETS, NS, "web"));
      await h.client.update(POD_DISRUPTION_BUDGETS, NS, { ...pdb, spec: { ...pdb.spec, minAvailable: 0 } });
      const relaxed = await h.status("web", (s) => s.observedGeneration === 2);
      assert.deepEqual([relaxed.desiredHealthy, relaxed.disruptionsAllowed], [0, 1]);
    }));

  it("fails safe for a percentage over DaemonSet pods, which have no scale", () =>
    withController(async (h) => {
      const ds = await h.client.create(DAEMON_SETS, NS, {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "agent" },
        spec: {
          selector: { matchLabels: { app: "agent" } },
          template: {
            metadata: { labels: { app: "agent" } },
            spec: { containers: [{ name: "c", image: "busybox" }] },
          },
        },
      });
      await h.pod("agent-a", { owner: ds, labels: { app: "agent" } });
      await h.pod("agent-b", { owner: ds, labels: { app: "agent" } });
      await h.budget("agent", { maxUnavailable: 1, selector: { matchLabels: { app: "agent" } } });
      const status = await h.status("agent", (s) => s.conditions?.length > 0);
      assert.equal(status.disruptionsAllowed, 0);
      assert.equal(status.observedGeneration, undefined, "a failed sync observes no generation");
      assert.deepEqual(
        { ...status.conditions[0], lastTransitionTime: undefined },
        {
          type: "DisruptionAllowed",
          status: "False",
          reason: "SyncFailed",
          message: "daemonsets.apps does not implement the scale subresource",
          // The condition's observedGeneration is 0, which Go's JSON (omitempty) leaves out.
          lastTransitionTime: undefined,
        },
      );
      const events = await eventually(async () => {
        const { items } = await h.client.list(EVENTS, NS);
        return items.find((e) => e.reason === "CalculateExpectedPodCountFailed");
      });
      assert.equal(
        events.message,
        "Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource",
      );
      // An integer minAvailable counts the pods themselves and works for DaemonSet pods.
      const pdb = await h.client.get(POD_DISRUPTION_BUDGETS, NS, "agent");
      await h.client.update(POD_DISRUPTION_BUDGETS, NS, {
        ...pdb,
        spec: { minAvailable: 1, selector: pdb.spec.selector },
      });
      const fixed = await h.status("agent", (s) => s.observedGeneration === 2);
      assert.deepEqual(
        [fixed.expectedPods, fixed.disruptionsAllowed, fixed.conditions[0].reason],
        [2, 1, "SufficientPods"],
      );
    }));

  it("counts a granted eviction as gone until it expires, then counts the pod again", () =>
    withController(async (h) => {
      await h.pod("web-1");
      await h.pod("web-2");
      await h.budget("web", { minAvailable: 1, selector: { matchLabels: { app: "web" } } });
      await h.status("web", (s) => s.disruptionsAllowed === 1);
      // What the eviction subresource writes when it grants an eviction of web-1.
      const pdb = structuredClone(await h.client.get(POD_DISRUPTION_BUDGETS, NS, "web"));
      const granted = rfc3339(h.clock.now());
      pdb.status = { ...pdb.status, disruptionsAllowed: 0, disruptedPods: { "web-1": granted } };
      await h.client.update(POD_DISRUPTION_BUDGETS, NS, pdb, { subresource: "status" });
      const held = await h.status("web", (s) => s.currentHealthy === 1);
      assert.deepEqual(held.disruptedPods, { "web-1": granted });
      assert.equal(held.disruptionsAllowed, 0);
      // web-1 was never deleted: after the timeout the controller stops waiting for it.
      await eventually(() => h.clock.pendingTimers().length > 0, 5000, "the recheck to be scheduled");
      h.clock.advance(DELETION_TIMEOUT_MS + 1000);
      const released = await h.status("web", (s) => s.currentHealthy === 2);
      assert.equal(released.disruptedPods, undefined);
      assert.equal(released.disruptionsAllowed, 1);
    }));

  it("sets a DisruptionTarget condition that was never followed by a deletion back to False", () =>
    withController(async (h) => {
      await h.pod("web-1");
      const pod = structuredClone(await h.client.get(PODS, NS, "web-1"));
      pod.status.conditions.push({
        type: "DisruptionTarget",
        status: "True",
        reason: "EvictionByEvictionAPI",
        message: "Eviction API: evicting",
        lastTransitionTime: rfc3339(h.clock.now()),
      });
      await h.client.update(PODS, NS, pod, { subresource: "status" });
      const target = async () =>
        (await h.client.get(PODS, NS, "web-1")).status.conditions.find(
          (c: any) => c.type === "DisruptionTarget",
        );
      // Let the controller see the pod and schedule its check before time moves.
      await eventually(() => h.clock.pendingTimers().length > 0, 5000, "the stale check to be scheduled");
      assert.equal((await target()).status, "True");
      h.clock.advance(2 * 60 * 1000);
      const cleared = await eventually(async () => {
        const c = await target();
        return c.status === "False" ? c : undefined;
      });
      assert.equal(cleared.reason, undefined);
    }));
});
