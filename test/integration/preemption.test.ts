// PriorityClass and preemption with everything `everynode up` runs (API server, DaemonSet controller, scheduler,
// node fleet) in-process: a critical DaemonSet pod that does not fit on its node evicts the fewest
// lowest-priority pods there (DisruptionTarget, Preempted events, nominatedNodeName) and then runs; pods of
// equal priority are left alone as upstream does; admission's messages reach HTTP clients.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/object.js";
import { EVENTS, PODS, PRIORITY_CLASSES } from "../../src/api/resources.js";
import { DaemonSetCluster, daemonSetManifest } from "../support/daemonset-cluster.js";
import { ObjectWatch } from "../support/object-watch.js";
import { eventually } from "../support/test-cluster.js";

const NS = "preemption";
const FULL_NODE = "small";
const ROOMY_NODE = "roomy";
const SMALL = { cpu: "2", memory: "4Gi", pods: "10" };

const priorityClass = (name: string, value: number): KubeObject => ({
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name },
  value,
});

/** A pod of class `className` requesting `cpu`, placed by the scheduler on `node` (nodeSelector). */
const workload = (name: string, className: string, cpu: string, node = FULL_NODE): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels: { app: "workload" } },
  spec: {
    priorityClassName: className,
    nodeSelector: { "kubernetes.io/hostname": node },
    containers: [{ name: "app", image: "nginx", resources: { requests: { cpu } } }],
  },
});

/** A DaemonSet whose pods request `cpu`, with the given priority class. */
const agents = (name: string, className: string, cpu: string) =>
  daemonSetManifest(name, {
    podSpec: { priorityClassName: className },
    container: { resources: { requests: { cpu } } },
  });

describe("preemption", () => {
  let c: DaemonSetCluster;
  beforeEach(async () => {
    c = await DaemonSetCluster.start();
    await c.createNamespace(NS);
    await c.addNode(FULL_NODE, { resources: SMALL });
    await c.addNode(ROOMY_NODE, { resources: { cpu: "4", memory: "8Gi", pods: "10" } });
  });
  afterEach(() => c.stop());

  const pod = (name: string) => c.client.get(PODS, NS, name);
  const running = (name: string) =>
    eventually(async () => (await pod(name)).status?.phase === "Running", 5000, `${name} to run`);
  const eventsOf = async (name: string) =>
    (await c.client.list(EVENTS, NS, { fieldSelector: `involvedObject.name=${name}` })).items;
  const daemonPodOn = async (dsName: string, node: string) =>
    (await c.labelledPods(NS, dsName)).find(
      (p) =>
        p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]
          ?.matchFields?.[0]?.values?.[0] === node,
    );

  it("a system-node-critical daemon pod evicts the fewest lowest-priority pods on its full node", async () => {
    for (const [name, value] of [
      ["lowest", 5],
      ["low", 10],
      ["middle", 50],
    ] as const) {
      await c.client.create(PRIORITY_CLASSES, undefined, priorityClass(name, value));
    }
    // The node is full: 1 + 0.5 + 0.5 CPU of 2.
    await c.client.create(PODS, NS, workload("lowest-pod", "lowest", "1"));
    await c.client.create(PODS, NS, workload("low-pod", "low", "500m"));
    await c.client.create(PODS, NS, workload("middle-pod", "middle", "500m"));
    for (const name of ["lowest-pod", "low-pod", "middle-pod"]) await running(name);
    assert.equal((await pod("lowest-pod")).spec.priority, 5);

    const watch = await ObjectWatch.start(c.client, PODS, NS);
    try {
      // The daemon pod needs 1 CPU: evicting the 1-CPU lowest-priority pod is enough.
      await c.createDaemonSet(NS, agents("agent", "system-node-critical", "1"));
      const daemon = await eventually(
        async () => {
          const p = await daemonPodOn("agent", FULL_NODE);
          return p?.status?.phase === "Running" ? p : undefined;
        },
        10_000,
        "the daemon pod on the full node to run",
      );
      assert.equal(daemon.spec.priority, 2000001000);
      assert.equal(daemon.spec.nodeName, FULL_NODE);
      assert.equal(daemon.status.nominatedNodeName, FULL_NODE);
      await eventually(async () => (await daemonPodOn("agent", ROOMY_NODE))?.status?.phase === "Running");

      // Only the lowest-priority pod went, marked as preempted before its deletion.
      await eventually(
        () => ![...watch.objects.values()].some((p) => p.metadata.name === "lowest-pod"),
        5000,
        "the victim to be gone",
      );
      const remaining = (await c.client.list(PODS, NS, { labelSelector: "app=workload" })).items;
      assert.deepEqual(remaining.map((p) => p.metadata.name).sort(), ["low-pod", "middle-pod"]);
      const marked = watch.events.find(
        (e) =>
          e.object.metadata.name === "lowest-pod" &&
          e.object.status?.conditions?.some(
            (cond: any) =>
              cond.type === "DisruptionTarget" &&
              cond.status === "True" &&
              cond.reason === "PreemptionByScheduler",
          ),
      );
      assert.ok(marked, "the victim carried DisruptionTarget=True (PreemptionByScheduler)");
      const disruption = marked.object.status.conditions.find(
        (cond: any) => cond.type === "DisruptionTarget",
      );
      assert.equal(disruption.message, "default-scheduler: preempting to accommodate a higher priority pod");

      const preempted = await eventually(async () =>
        (await eventsOf("lowest-pod")).find((e) => e.reason === "Preempted"),
      );
      assert.equal(preempted.type, "Normal");
      assert.equal(preempted.message, `Preempted by pod ${daemon.metadata.uid} on node ${FULL_NODE}`);
      assert.equal(preempted.source.component, "default-scheduler");
      const failed = (await eventsOf(daemon.metadata.name!)).find((e) => e.reason === "FailedScheduling");
      assert.equal(
        failed?.message,
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].",
      );
    } finally {
      await watch.stop();
    }
  });

  it("pods of equal priority are not preempted: the daemon pod stays Pending with upstream's message", async () => {
    await c.client.create(PRIORITY_CLASSES, undefined, priorityClass("agents", 1000));
    await c.client.create(PODS, NS, workload("peer-a", "agents", "1"));
    await c.client.create(PODS, NS, workload("peer-b", "agents", "1"));
    for (const name of ["peer-a", "peer-b"]) await running(name);

    await c.createDaemonSet(NS, agents("equal", "agents", "1"));
    const pending = await eventually(
      async () => {
        const p = await daemonPodOn("equal", FULL_NODE);
        const scheduled = p?.status?.conditions?.find((cond: any) => cond.type === "PodScheduled");
        return scheduled?.status === "False" ? p : undefined;
      },
      5000,
      "the daemon pod to be reported unschedulable",
    );
    const want =
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
      "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.";
    const condition = pending.status.conditions.find((cond: any) => cond.type === "PodScheduled");
    assert.equal(condition.reason, "Unschedulable");
    assert.equal(condition.message, want);
    const failed = await eventually(async () =>
      (await eventsOf(pending.metadata.name!)).find((e) => e.reason === "FailedScheduling"),
    );
    assert.equal(failed.message, want);
    assert.equal(pending.status.phase, "Pending");
    assert.equal(pending.status.nominatedNodeName, undefined);
    for (const name of ["peer-a", "peer-b"])
      assert.equal((await pod(name)).metadata.deletionTimestamp, undefined);
  });

  it("answers HTTP clients with the admission plugin's messages", async () => {
    const http = c.http;
    const unknown = await http.post(`/api/v1/namespaces/${NS}/pods`, workload("x", "no-such-class", "1"));
    assert.equal(unknown.status, 403);
    assert.equal(unknown.body.reason, "Forbidden");
    assert.equal(
      unknown.body.message,
      'pods "x" is forbidden: no PriorityClass with name no-such-class was found',
    );

    const tooHigh = await http.post("/apis/scheduling.k8s.io/v1/priorityclasses", priorityClass("huge", 2e9));
    assert.equal(tooHigh.status, 422);
    assert.match(
      tooHigh.body.message,
      /value: Forbidden: maximum allowed value of a user defined priority is 1000000000/,
    );

    const builtIn = await http.delete("/apis/scheduling.k8s.io/v1/priorityclasses/system-cluster-critical");
    assert.equal(builtIn.status, 403);
    assert.equal(
      builtIn.body.message,
      'priorityclasses.scheduling.k8s.io "system-cluster-critical" is forbidden: this is a system priority class and cannot be deleted',
    );
    const list = await http.get("/apis/scheduling.k8s.io/v1/priorityclasses");
    assert.deepEqual(
      list.body.items.map((pc: KubeObject) => [pc.metadata.name, pc.value]),
      [
        ["system-cluster-critical", 2000000000],
        ["system-node-critical", 2000001000],
      ],
    );
  });
});
