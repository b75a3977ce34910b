// The scheduler against a real in-process control plane: pods are bound through pods/binding respecting
// selectors, affinity, taints, resources and host ports; unschedulable pods get PodScheduled=False and a
// FailedScheduling event, and are placed once a node fits; DaemonSet pods land on their node, thousands at once.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, TestCluster } from "../../test/support/test-cluster.js";
import type { KubeObject } from "../api/object.js";
import { EVENTS, NODES, PODS } from "../api/resources.js";
import { LocalClient } from "../apiserver/local-client.js";
import { InformerFactory } from "../informer/factory.js";
import { createLogger } from "../util/log.js";
import { Scheduler } from "./scheduler.js";
import { pinnedTo, testNode, testPod } from "./testing.js";

const NS = "default";
const CONTROL_PLANE_TAINT = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };

describe("Scheduler", () => {
  let cluster: TestCluster;
  let client: LocalClient;
  let scheduler: Scheduler;
  const stop = new AbortController();
  let running: Promise<unknown>;

  const createPod = (name: string, spec: Record<string, unknown> = {}, requests?: Record<string, string>) => {
    const { metadata, ...rest } = testPod(name, spec, requests);
    return client.create(PODS, NS, { ...rest, metadata: { name, namespace: NS } });
  };
  const getPod = (name: string) => client.get(PODS, NS, name);
  const nodeOf = async (name: string) => (await getPod(name)).spec?.nodeName as string | undefined;
  const boundNode = (name: string) => eventually(() => nodeOf(name), 5000, `pod ${name} to be bound`);
  const podScheduled = (pod: KubeObject) =>
    pod.status?.conditions?.find((c: any) => c.type === "PodScheduled");
  const eventsFor = async (name: string) =>
    (await client.list(EVENTS, NS, { fieldSelector: `involvedObject.name=${name}` })).items;

  before(async () => {
    cluster = await TestCluster.start();
    client = new LocalClient(cluster.cp.registry);
    await client.create(NODES, undefined, testNode("control-plane", { taints: [CONTROL_PLANE_TAINT] }));
    await client.create(NODES, undefined, testNode("worker-a", { labels: { disk: "ssd" } }));
    await client.create(
      NODES,
      undefined,
      testNode("worker-b", {
        labels: { disk: "hdd" },
        allocatable: { cpu: "2", memory: "2Gi", pods: "110" },
      }),
    );
    const informers = new InformerFactory(client, { logger: createLogger("test", "silent") });
    scheduler = new Scheduler({ client, informers, logger: createLogger("test", "silent") });
    running = Promise.all([informers.start(stop.signal), scheduler.start(stop.signal)]);
  });

  after(async () => {
    stop.abort();
    await running;
    await cluster.stop();
  });

  it("binds a pod to a worker, never to the tainted control plane, and records Scheduled", async () => {
    await createPod("plain");
    const node = await boundNode("plain");
    assert.ok(node === "worker-a" || node === "worker-b", node);
    const pod = await getPod("plain");
    assert.equal(podScheduled(pod)?.status, "True");
    const events = await eventually(async () =>
      (await eventsFor("plain")).find((e) => e.reason === "Scheduled"),
    );
    assert.equal(events.message, `Successfully assigned ${NS}/plain to ${node}`);
    assert.equal(events.type, "Normal");
    assert.equal(events.source.component, "default-scheduler");
  });

  it("follows nodeSelector, required affinity and tolerations", async () => {
    await createPod("wants-ssd", { nodeSelector: { disk: "ssd" } });
    await createPod("wants-hdd", {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "disk", operator: "In", values: ["hdd"] }] }],
          },
        },
      },
    });
    await createPod("tolerates", {
      tolerations: [{ key: CONTROL_PLANE_TAINT.key, operator: "Exists", effect: "NoSchedule" }],
      nodeSelector: { "kubernetes.io/hostname": "control-plane" },
    });
    assert.equal(await boundNode("wants-ssd"), "worker-a");
    assert.equal(await boundNode("wants-hdd"), "worker-b");
    assert.equal(await boundNode("tolerates"), "control-plane");
  });

  it("keeps requests and host ports within what each node has", async () => {
    await createPod("big", {}, { cpu: "3" });
    assert.equal(await boundNode("big"), "worker-a");
    const port = (name: string) =>
      createPod(name, {
        nodeSelector: { disk: "ssd" },
        containers: [{ name: "c", image: "nginx", ports: [{ containerPort: 80, hostPort: 8080 }] }],
      });
    await port("port-1");
    assert.equal(await boundNode("port-1"), "worker-a");
    await port("port-2");
    const message = await eventually(async () => podScheduled(await getPod("port-2"))?.message);
    assert.equal(
      message,
      "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) didn't match " +
        "Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, " +
        "2 Preemption is not helpful for scheduling.",
    );
    // Deleting the pod holding the port frees it, and the waiting pod takes it.
    await client.delete(PODS, NS, "port-1", { gracePeriodSeconds: 0 });
    assert.equal(await boundNode("port-2"), "worker-a");
  });

  it("reports an unschedulable pod and places it once a node gets the label it needs", async () => {
    await createPod("wants-gpu", { nodeSelector: { gpu: "true" } });
    const condition = await eventually(async () => podScheduled(await getPod("wants-gpu")));
    const message =
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, " +
      "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not " +
      "helpful for scheduling.";
    assert.deepEqual(
      { status: condition.status, reason: condition.reason, message: condition.message },
      { status: "False", reason: "Unschedulable", message },
    );
    const event = await eventually(async () =>
      (await eventsFor("wants-gpu")).find((e) => e.reason === "FailedScheduling"),
    );
    assert.equal(event.type, "Warning");
    assert.equal(event.message, message);

    await client.patch(NODES, undefined, "worker-b", "merge", { metadata: { labels: { gpu: "true" } } });
    assert.equal(await boundNode("wants-gpu"), "worker-b");
    assert.equal(podScheduled(await getPod("wants-gpu"))?.status, "True");
  });

  it("places a pod that fits nowhere once a big enough node appears", async () => {
    await createPod("huge", {}, { memory: "64Gi" });
    await eventually(async () => podScheduled(await getPod("huge"))?.reason === "Unschedulable");
    await client.create(
      NODES,
      undefined,
      testNode("worker-big", { allocatable: { cpu: "64", memory: "128Gi", pods: "110" } }),
    );
    assert.equal(await boundNode("huge"), "worker-big");
  });

  it("puts DaemonSet pods on the node their matchFields term names, and waits for a missing node", async () => {
    await createPod("ds-a", pinnedTo("worker-a"));
    await createPod("ds-cp", {
      ...pinnedTo("control-plane"),
      tolerations: [{ key: CONTROL_PLANE_TAINT.key, operator: "Exists" }],
    });
    await createPod("ds-later", pinnedTo("worker-later"));
    assert.equal(await boundNode("ds-a"), "worker-a");
    assert.equal(await boundNode("ds-cp"), "control-plane");
    const condition = await eventually(async () => podScheduled(await getPod("ds-later")));
    assert.match(
      condition.message,
      /^0\/\d+ nodes are available: \d+ node\(s\) didn't satisfy plugin\(s\) \[NodeAffinity\]\./,
    );
    await client.create(NODES, undefined, testNode("worker-later"));
    assert.equal(await boundNode("ds-later"), "worker-later");
  });

  it("ignores pods for another scheduler and pods that name their node", async () => {
    await createPod("other", { schedulerName: "my-scheduler" });
    await createPod("preset", { nodeName: "worker-b" });
    await createPod("marker", pinnedTo("worker-a"));
    await boundNode("marker");
    assert.equal(await nodeOf("other"), undefined);
    assert.equal(podScheduled(await getPod("other")), undefined);
    assert.equal(await nodeOf("preset"), "worker-b");
  });
});

// How fast a burst binds is measured by `npm run bench`; this test checks that a burst binds correctly.
describe("Scheduler under a DaemonSet burst", () => {
  const COUNT = 1000;
  let cluster: TestCluster;
  let client: LocalClient;

  before(async () => {
    cluster = await TestCluster.start();
    client = new LocalClient(cluster.cp.registry);
    for (let i = 0; i < COUNT; i++) await client.create(NODES, undefined, testNode(`node-${i}`));
    for (let i = 0; i < COUNT; i++) {
      const { metadata, ...rest } = testPod(`ds-${i}`, pinnedTo(`node-${i}`));
      await client.create(PODS, NS, { ...rest, metadata: { name: `ds-${i}`, namespace: NS } });
    }
  });

  after(async () => {
    await cluster.stop();
  });

  it(`binds ${COUNT} pending pods, each to the node it is pinned to`, async () => {
    const logger = createLogger("test", "silent");
    const informers = new InformerFactory(client, { logger });
    const scheduler = new Scheduler({ client, informers, logger });
    const stop = new AbortController();
    const running = Promise.all([informers.start(stop.signal), scheduler.start(stop.signal)]);
    try {
      const pods = informers.informerFor(PODS);
      await eventually(
        () => pods.store.list().filter((p) => p.spec?.nodeName).length === COUNT,
        30_000,
        "every pod to be bound",
      );
      for (const pod of pods.store.list())
        assert.equal(pod.spec.nodeName, `node-${pod.metadata.name!.slice(3)}`);
    } finally {
      stop.abort();
      await running;
    }
  });
});
