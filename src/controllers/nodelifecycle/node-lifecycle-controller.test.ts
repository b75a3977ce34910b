// The node lifecycle controller against a real in-process control plane, with time on a FakeClock: silent
// nodes going Unknown and tainted, recovery, condition and cordon taints, disruption mode and labels.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Taint } from "kubernetes-types/core/v1.js";
import { eventually, TestCluster } from "../../../test/support/test-cluster.js";
import type { KubeObject } from "../../api/object.js";
import { findResource } from "../../api/resources.js";
import { LocalClient } from "../../apiserver/local-client.js";
import { InformerFactory } from "../../informer/index.js";
import { FakeClock } from "../../util/clock.js";
import { createLogger } from "../../util/log.js";
import { rfc3339 } from "./node-conditions.js";
import {
  NODE_LEASE_NAMESPACE,
  NodeLifecycleController,
  type NodeLifecycleOptions,
} from "./node-lifecycle-controller.js";

const NODES = findResource("", "v1", "nodes")!;
const LEASES = findResource("coordination.k8s.io", "v1", "leases")!;
const PODS = findResource("", "v1", "pods")!;
const NS = "default";
// The server stamps creationTimestamp with the wall clock; start the fake clock just after it.
const T0 = (Math.floor(Date.now() / 1000) + 1) * 1000;
const logger = createLogger("nodelifecycle-test", "silent");

const UNREACHABLE = "node.kubernetes.io/unreachable";
const NOT_READY = "node.kubernetes.io/not-ready";
const DAEMON_TOLERATIONS = [
  { key: NOT_READY, operator: "Exists", effect: "NoExecute" },
  { key: UNREACHABLE, operator: "Exists", effect: "NoExecute" },
];

const microTime = (ms: number) => new Date(ms).toISOString().replace("Z", "000Z");
const taintsOf = (node: KubeObject | undefined) =>
  ((node?.spec?.taints ?? []) as Taint[]).map((t) => `${t.key}:${t.effect}`).sort();

type Conditions = Record<string, string>;

function conditions(now: number, statuses: Conditions) {
  const all: Conditions = {
    Ready: "True",
    MemoryPressure: "False",
    DiskPressure: "False",
    PIDPressure: "False",
    ...statuses,
  };
  return Object.entries(all).map(([type, status]) => ({
    type,
    status,
    reason: `Kubelet${type}`,
    message: `${type} is ${status}`,
    lastHeartbeatTime: rfc3339(now),
    lastTransitionTime: rfc3339(T0),
  }));
}

interface Harness {
  client: LocalClient;
  clock: FakeClock;
  controller: NodeLifecycleController;
  node(name: string, labels?: Record<string, string>): Promise<void>;
  pod(name: string, nodeName: string, tolerations?: unknown[]): Promise<void>;
  /** What a kubelet does: renew the node's Lease, and wait until the controller's cache has it. */
  renewLease(name: string): Promise<void>;
  /** What a kubelet does: post its conditions with a fresh heartbeat. */
  postStatus(name: string, statuses?: Conditions): Promise<void>;
  /** Moves time on by `ms` and waits for the health pass the controller's timer starts. */
  step(ms?: number): Promise<void>;
  getNode(name: string): Promise<KubeObject>;
  getPod(name: string): Promise<KubeObject>;
  events(reason: string): Promise<string[]>;
}

async function withController(options: Partial<NodeLifecycleOptions>, test: (h: Harness) => Promise<void>) {
  const cluster = await TestCluster.start();
  const client = new LocalClient(cluster.cp.registry);
  const clock = new FakeClock(T0);
  const informers = new InformerFactory(client, { logger });
  const controller = new NodeLifecycleController({ client, informers, logger, clock, ...options });
  const leases = informers.informerFor(LEASES).lister();
  const stop = new AbortController();
  const running = Promise.all([informers.start(stop.signal), controller.start(stop.signal)]);
  const h: Harness = {
    client,
    clock,
    controller,
    async node(name, labels) {
      await client.create(NODES, undefined, {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name, labels },
        status: { conditions: conditions(clock.now(), {}) },
      });
      await client.create(LEASES, NODE_LEASE_NAMESPACE, {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(clock.now()) },
      });
    },
    async pod(name, nodeName, tolerations) {
      await client.create(PODS, NS, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: { nodeName, tolerations, containers: [{ name: "c", image: "busybox" }] },
      });
      await client.patch(
        PODS,
        NS,
        name,
        "strategic",
        { status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } },
        { subresource: "status" },
      );
    },
    async renewLease(name) {
      const renewTime = microTime(clock.now());
      await client.patch(LEASES, NODE_LEASE_NAMESPACE, name, "merge", { spec: { renewTime } });
      await eventually(() => leases.get(NODE_LEASE_NAMESPACE, name)?.spec.renewTime === renewTime);
    },
    async postStatus(name, statuses = {}) {
      const node = structuredClone(await client.get(NODES, undefined, name));
      node.status.conditions = conditions(clock.now(), statuses);
      await client.update(NODES, undefined, node, { subresource: "status" });
    },
    async step(ms = 5000) {
      const before = controller.completedHealthPasses;
      clock.advance(ms);
      await eventually(() => controller.completedHealthPasses > before, 5000, "a health pass");
    },
    getNode: (name) => client.get(NODES, undefined, name),
    getPod: (name) => client.get(PODS, NS, name),
    async events(reason) {
      const { items } = await client.list(findResource("", "v1", "events")!, undefined);
      return items.filter((e) => e.reason === reason).map((e) => e.message);
    },
  };
  try {
    await eventually(() => controller.completedHealthPasses > 0, 5000, "the first health pass");
    await test(h);
  } finally {
    stop.abort();
    await running;
    await cluster.stop();
  }
}

describe("NodeLifecycleController", () => {
  it("marks a node Unknown once its lease stops renewing past the grace period, taints it, and recovers", () =>
    withController({}, async (h) => {
      await h.node("steady");
      await h.node("silent");
      await h.pod("plain", "silent");
      await h.pod("daemon", "silent", DAEMON_TOLERATIONS);
      await h.step(); // the controller registers both nodes
      const startedAt = h.clock.now();
      while (h.clock.now() - startedAt < 40_000) {
        await h.renewLease("steady");
        await h.step();
        assert.equal(
          (await h.getNode("silent")).status.conditions[0].status,
          "True",
          `ready at +${h.clock.now() - startedAt}`,
        );
      }
      await h.renewLease("steady");
      await h.step(); // 45 s of silence
      const silent = await h.getNode("silent");
      for (const c of silent.status.conditions) {
        assert.deepEqual(
          [c.type, c.status, c.reason, c.message, c.lastTransitionTime],
          [
            c.type,
            "Unknown",
            "NodeStatusUnknown",
            "Kubelet stopped posting node status.",
            rfc3339(h.clock.now()),
          ],
        );
      }
      assert.equal(
        (await h.getNode("steady")).status.conditions[0].status,
        "True",
        "a renewed lease is a heartbeat",
      );
      assert.equal(
        (await h.getPod("plain")).status.conditions[0].status,
        "False",
        "its pods are marked not ready",
      );
      await eventually(
        async () => {
          const messages = (await h.events("NodeNotReady")).sort();
          return (
            messages.join("|") ===
            "Node is not ready|Node is not ready|Node silent status is now: NodeNotReady"
          );
        },
        5000,
        "NodeNotReady events on the node and its two pods",
      );
      await eventually(async () => taintsOf(await h.getNode("silent")).includes(`${UNREACHABLE}:NoSchedule`));

      await h.renewLease("steady");
      await h.step(); // the next pass queues the NoExecute taint; the zone's limiter lets the first one through
      const tainted = await h.getNode("silent");
      assert.deepEqual(taintsOf(tainted), [`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
      const noExecute = (tainted.spec.taints as Taint[]).find((t) => t.effect === "NoExecute");
      assert.equal(noExecute?.timeAdded, rfc3339(h.clock.now()));
      // The taint manager evicts the pod without tolerations; the daemon pod tolerates the taint for good.
      await eventually(async () => (await h.getPod("plain")).metadata.deletionTimestamp);
      assert.equal((await h.getPod("daemon")).metadata.deletionTimestamp, undefined);

      // The kubelet comes back: it renews its lease and posts Ready again.
      await h.renewLease("steady");
      await h.renewLease("silent");
      await h.postStatus("silent");
      await eventually(
        async () => !taintsOf(await h.getNode("silent")).includes(`${UNREACHABLE}:NoSchedule`),
      );
      await h.step();
      assert.deepEqual(taintsOf(await h.getNode("silent")), []);
    }));

  it("taints a node NotReady, first NoSchedule then NoExecute, swapping with unreachable", () =>
    withController({}, async (h) => {
      await h.node("a");
      await h.node("b");
      await h.postStatus("b", { Ready: "False" });
      await eventually(async () => taintsOf(await h.getNode("b")).includes(`${NOT_READY}:NoSchedule`));
      await h.step();
      await h.step();
      assert.deepEqual(taintsOf(await h.getNode("b")), [`${NOT_READY}:NoExecute`, `${NOT_READY}:NoSchedule`]);
    }));

  it("maps pressure, network and cordon to NoSchedule taints, and removes them when they clear", () =>
    withController({}, async (h) => {
      await h.node("n");
      await h.postStatus("n", {
        MemoryPressure: "True",
        DiskPressure: "True",
        PIDPressure: "True",
        NetworkUnavailable: "True",
      });
      await h.client.patch(NODES, undefined, "n", "merge", { spec: { unschedulable: true } });
      const expected = [
        "node.kubernetes.io/disk-pressure:NoSchedule",
        "node.kubernetes.io/memory-pressure:NoSchedule",
        "node.kubernetes.io/network-unavailable:NoSchedule",
        "node.kubernetes.io/pid-pressure:NoSchedule",
        "node.kubernetes.io/unschedulable:NoSchedule",
      ];
      await eventually(async () => taintsOf(await h.getNode("n")).join() === expected.join(), 5000, "taints");
      await h.postStatus("n", { NetworkUnavailable: "False" });
      await h.client.patch(NODES, undefined, "n", "merge", { spec: { unschedulable: null } });
      await eventually(async () => taintsOf(await h.getNode("n")).length === 0, 5000, "no taints");
    }));

  it("adds no NoExecute taint when every node is silent (full disruption)", () =>
    withController({}, async (h) => {
      await h.node("only");
      for (let i = 0; i < 10; i++) await h.step();
      const node = await h.getNode("only");
      assert.equal(node.status.conditions[0].status, "Unknown");
      assert.deepEqual(taintsOf(node), [`${UNREACHABLE}:NoSchedule`]);
    }));

  it("honours the grace period it is given, and gives never-reporting nodes the startup grace period", () =>
    withController({ nodeMonitorGracePeriodMs: 10_000, nodeStartupGracePeriodMs: 30_000 }, async (h) => {
      await h.node("quick");
      await h.node("keeper");
      await h.client.create(NODES, undefined, { apiVersion: "v1", kind: "Node", metadata: { name: "mute" } });
      const steps = async (n: number) => {
        for (let i = 0; i < n; i++) {
          await h.renewLease("keeper");
          await h.step();
        }
      };
      await steps(3); // first seen at +5 s, silent for 10 s at +15 s: not yet past the grace period
      assert.equal((await h.getNode("quick")).status.conditions[0].status, "True");
      assert.equal((await h.getNode("mute")).status, undefined, "within its startup grace");
      await steps(1);
      assert.equal((await h.getNode("quick")).status.conditions[0].status, "Unknown");
      assert.equal((await h.getNode("mute")).status, undefined, "within its startup grace");
      await steps(3); // +35 s: past the startup grace, counted from the node's creation
      const mute = await h.getNode("mute");
      assert.deepEqual(
        mute.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
        ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"].map((t) => [
          t,
          "Unknown",
          "NodeStatusNeverUpdated",
          "Kubelet never posted node status.",
        ]),
      );
    }));

  it("keeps the beta os and arch labels equal to the GA ones", () =>
    withController({}, async (h) => {
      await h.node("labelled", {
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "arm64",
        "beta.kubernetes.io/os": "windows",
      });
      await eventually(async () => {
        const labels = (await h.getNode("labelled")).metadata.labels ?? {};
        return labels["beta.kubernetes.io/os"] === "linux" && labels["beta.kubernetes.io/arch"] === "arm64";
      });
    }));
});
