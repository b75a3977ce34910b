// End-to-end: PriorityClasses and preemption as kubectl users see them. `kubectl get priorityclasses` lists the
// two built-in classes; a DaemonSet with `priorityClassName: system-node-critical` applied onto a node that
// lower-priority work fills evicts that work (a Preempted event) and runs there.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import { type Manifest, namespace, toYaml } from "./support/manifests.js";
import { column, parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "priority";
const SMALL_NODE = "small-node";

/** A simulated node with room for one CPU only. */
const smallNode: Manifest = {
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: SMALL_NODE, labels: { "kubernetes.io/hostname": SMALL_NODE } },
  status: { capacity: { cpu: "1", memory: "2Gi", pods: "10" } },
};

const lowClass: Manifest = {
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name: "batch-low" },
  value: 100,
  description: "Work that may be evicted for node agents.",
};

/** A pod of the low class filling the small node's CPU. */
const filler: Manifest = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "filler", namespace: NS },
  spec: {
    priorityClassName: "batch-low",
    nodeSelector: { "kubernetes.io/hostname": SMALL_NODE },
    containers: [{ name: "work", image: "busybox:1.36", resources: { requests: { cpu: "1" } } }],
  },
};

/** A node agent that must run everywhere it is wanted, the small node included. */
const agent: Manifest = {
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "node-agent", namespace: NS },
  spec: {
    selector: { matchLabels: { app: "node-agent" } },
    template: {
      metadata: { labels: { app: "node-agent" } },
      spec: {
        priorityClassName: "system-node-critical",
        containers: [{ name: "agent", image: "busybox:1.36", resources: { requests: { cpu: "500m" } } }],
      },
    },
  },
};

describe("PriorityClass and preemption with kubectl", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
  });
  after(() => cluster?.stop());

  it("kubectl get priorityclasses shows the two built-in classes", async () => {
    const table = parseTable(await k.ok(["get", "priorityclasses"]));
    assert.deepEqual(table.header, ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"]);
    assert.deepEqual(column(table, "NAME"), ["system-cluster-critical", "system-node-critical"]);
    assert.deepEqual(column(table, "VALUE"), ["2000000000", "2000001000"]);
    assert.deepEqual(column(table, "GLOBAL-DEFAULT"), ["false", "false"]);
    assert.deepEqual(column(table, "PREEMPTIONPOLICY"), ["PreemptLowerPriority", "PreemptLowerPriority"]);
    const byShortName = await k.ok(["get", "pc", "system-node-critical", "-o", "jsonpath={.description}"]);
    assert.equal(
      byShortName,
      "Used for system critical pods that must not be moved from their current node.",
    );
    const refused = await k.run(["delete", "priorityclass", "system-node-critical"]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /this is a system priority class and cannot be deleted/);
  });

  it("a system-node-critical DaemonSet evicts lower-priority work from a full node", async () => {
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace(NS), smallNode, lowClass, filler]) });
    await waitFor("the filler to run", async () => {
      const pod = await getJson(k, "pod", "filler", "-n", NS);
      return pod.spec.nodeName === SMALL_NODE && pod.status?.phase === "Running" && pod;
    });
    assert.equal((await getJson(k, "pod", "filler", "-n", NS)).spec.priority, 100);

    await k.ok(["apply", "-f", "-"], { stdin: toYaml([agent]) });
    const onSmallNode = await waitFor(
      "the agent to run on the small node",
      async () => {
        const pods = await getJson(k, "pods", "-n", NS, "-l", "app=node-agent");
        return pods.items.find(
          (p: Manifest) => p.spec.nodeName === SMALL_NODE && p.status?.phase === "Running",
        ) as Manifest | undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.equal(onSmallNode.spec.priority, 2000001000);
    assert.equal(onSmallNode.status.nominatedNodeName, SMALL_NODE);

    const gone = await k.run(["get", "pod", "filler", "-n", NS]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /pods "filler" not found/);
    const events = await getJson(k, "events", "-n", NS, "--field-selector", "reason=Preempted");
    const preempted = events.items.find((e: Manifest) => e.involvedObject.name === "filler");
    assert.ok(preempted, "a Preempted event on the victim");
    assert.equal(preempted.message, `Preempted by pod ${onSmallNode.metadata.uid} on node ${SMALL_NODE}`);
  });
});
