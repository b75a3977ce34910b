// Seed 004 ("Kubernetes Tutorial 09: DaemonSets", written for a kind cluster named "learning"), walked through top
// to bottom with the real kubectl. The cluster is `everynode up --nodes 0` plus the seed's nodes added with
// `kubectl apply -f node.yaml`: learning-control-plane (labelled and tainted as kind's control plane) and
// worker-1, worker-2 — the multi-node layout the seed draws. Steps 1–10, verification, pro tips, troubleshooting
// and clean-up.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../../support/kubectl.js";
import { type E2eCluster, startCluster } from "../support/cluster.js";
import { getJson } from "../support/get-json.js";
import { fixtureObject, fixturePath, type Manifest, toYaml } from "../support/manifests.js";
import { column, parseTable } from "../support/tables.js";
import { waitFor } from "../support/wait.js";
import {
  daemonPods,
  firstImage,
  nodeManifest,
  podsByNode,
  rolloutStatus,
  SETTLE_MS,
  waitForDaemonSet,
  waitForNodesReady,
} from "./walkthrough.js";

const CONTROL_PLANE = "learning-control-plane";
const WORKERS = ["worker-1", "worker-2"];
const ALL = [CONTROL_PLANE, ...WORKERS];
const TUTORIAL = "seed-004-tutorial.yaml";
const tutorialDaemonSet = (name: string): Manifest => fixtureObject(TUTORIAL, "DaemonSet", name);

/** The kind cluster "learning" with two workers. */
const KIND_NODES = [
  nodeManifest(CONTROL_PLANE, {
    labels: { "node-role.kubernetes.io/control-plane": "" },
    taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
  }),
  ...WORKERS.map((name) => nodeManifest(name)),
];

/** `name` from the tutorial manifests with a different first-container image. */
function withImage(name: string, image: string): Manifest {
  const ds = tutorialDaemonSet(name);
  ds.spec.template.spec.containers[0].image = image;
  return ds;
}

const noneFound = "No resources found in default namespace.\n";

describe('seed 004: Kubernetes Tutorial 09 — DaemonSets (kind cluster "learning")', () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const apply = (docs: Manifest[]) => k.ok(["apply", "-f", "-"], { stdin: toYaml(docs) });

  before(async () => {
    cluster = await startCluster(["--nodes", "0"]);
    k = cluster.kubectl;
    assert.equal(
      await apply(KIND_NODES),
      "node/learning-control-plane created\nnode/worker-1 created\nnode/worker-2 created\n",
    );
    await waitForNodesReady(k, ALL);
  });
  after(() => cluster?.stop());

  it("step 1: the basic DaemonSet runs one pod per node (the tainted control plane excepted)", async () => {
    assert.equal(await apply([tutorialDaemonSet("node-agent")]), "daemonset.apps/node-agent created\n");
    await waitForDaemonSet(k, "default", "node-agent", WORKERS);
    assert.deepEqual(column(parseTable(await k.ok(["get", "daemonset"])), "NAME"), ["node-agent"]);
    // A multi-node kind cluster taints its control plane, so node-agent (no toleration) skips it; a single-node
    // kind cluster removes that taint, which is why the seed expects one pod there.
    const pods = parseTable(await k.ok(["get", "pods", "-o", "wide"]));
    assert.deepEqual([...column(pods, "NODE")].sort(), WORKERS);
  });

  it("step 2: describe, get pods -l app=node-agent -o wide, get daemonset -o wide", async () => {
    const described = await k.ok(["describe", "daemonset", "node-agent"]);
    assert.match(described, /^Name:\s+node-agent$/m);
    assert.match(described, /^Desired Number of Nodes Scheduled: 2$/m);
    assert.match(described, /^Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    const pods = parseTable(await k.ok(["get", "pods", "-l", "app=node-agent", "-o", "wide"]));
    assert.deepEqual([...column(pods, "NODE")].sort(), WORKERS);
    const { AGE: _age, ...row } = parseTable(await k.ok(["get", "daemonset", "node-agent", "-o", "wide"]))
      .rows[0];
    assert.deepEqual(row, {
      NAME: "node-agent",
      DESIRED: "2",
      CURRENT: "2",
      READY: "2",
      "UP-TO-DATE": "2",
      AVAILABLE: "2",
      "NODE SELECTOR": "<none>",
      CONTAINERS: "agent",
      IMAGES: "busybox:1.36",
      SELECTOR: "app=node-agent",
    });
  });

  it("step 3: the Fluentd log collector, and kubectl logs -l app=fluentd --tail=20", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-004-fluentd.yaml")]),
      "daemonset.apps/fluentd created\n",
    );
    await waitForDaemonSet(k, "default", "fluentd", WORKERS);
    const pods = parseTable(await k.ok(["get", "pods", "-l", "app=fluentd"]));
    assert.deepEqual(column(pods, "STATUS"), ["Running", "Running"]);
    const logs = await k.ok(["logs", "-l", "app=fluentd", "--tail=20"]);
    assert.equal(logs.match(/fluentd worker is now running worker=0$/gm)?.length, 2, logs);
  });

  it("step 4: the node exporter answers on localhost:9100/metrics inside its pod", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-004-node-exporter.yaml")]),
      "daemonset.apps/node-exporter created\n",
    );
    await waitForDaemonSet(k, "default", "node-exporter", WORKERS);
    const pod = await k.ok([
      "get",
      "pods",
      "-l",
      "app=node-exporter",
      "-o",
      "jsonpath={.items[0].metadata.name}",
    ]);
    const metrics = await k.ok(["exec", pod, "--", "wget", "-q", "-O-", "http://localhost:9100/metrics"]);
    const first20 = metrics.split("\n").slice(0, 20);
    assert.ok(
      first20.some((l) => l.startsWith("# HELP ")),
      first20.join("\n"),
    );
    assert.ok(
      first20.some((l) => l.startsWith("# TYPE ")),
      first20.join("\n"),
    );
  });

  it("step 5: label learning-control-plane disktype=ssd; the ssd-agent follows its nodeSelector", async () => {
    assert.equal(
      await k.ok(["label", "nodes", CONTROL_PLANE, "disktype=ssd"]),
      `node/${CONTROL_PLANE} labeled\n`,
    );
    assert.equal(await apply([tutorialDaemonSet("ssd-agent")]), "daemonset.apps/ssd-agent created\n");
    // Only the control plane carries the label, and ssd-agent does not tolerate its taint: no pod at all (on
    // the seed's single-node kind cluster, whose control plane is untainted, it would run there).
    await waitForDaemonSet(k, "default", "ssd-agent", []);
    assert.equal((await k.run(["get", "pods", "-l", "app=ssd-agent", "-o", "wide"])).stderr, noneFound);
    await k.ok(["label", "nodes", "worker-1", "disktype=ssd"]);
    await waitForDaemonSet(k, "default", "ssd-agent", ["worker-1"]);
    const pods = parseTable(await k.ok(["get", "pods", "-l", "app=ssd-agent", "-o", "wide"]));
    assert.deepEqual(column(pods, "NODE"), ["worker-1"]);
  });

  it("step 6: the system agent tolerates the control-plane taint and runs there too", async () => {
    assert.equal(await apply([tutorialDaemonSet("system-agent")]), "daemonset.apps/system-agent created\n");
    await waitForDaemonSet(k, "default", "system-agent", ALL);
    const pods = parseTable(await k.ok(["get", "pods", "-l", "app=system-agent", "-o", "wide"]));
    assert.ok(column(pods, "NODE").includes(CONTROL_PLANE));
  });

  it("step 7: applying an updated DaemonSet rolls it out; rollout status waits for it", async () => {
    const image = [
      "get",
      "daemonset",
      "node-agent",
      "-o",
      "jsonpath={.spec.template.spec.containers[0].image}",
    ];
    assert.equal(await k.ok(image), "busybox:1.36");
    assert.equal(
      await apply([withImage("node-agent", "busybox:1.37")]),
      "daemonset.apps/node-agent configured\n",
    );
    assert.match(
      await rolloutStatus(k, "default", "node-agent"),
      /daemon set "node-agent" successfully rolled out\n$/,
    );
    assert.equal(await k.ok(image), "busybox:1.37");
    const pods = await waitForDaemonSet(k, "default", "node-agent", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["busybox:1.37"]));
    assert.equal(
      await k.ok(["get", "daemonset", "node-agent", "-o", "jsonpath={.spec.updateStrategy}"]),
      '{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"}',
    );
  });

  it("step 8: OnDelete — an updated image waits until the pods are deleted", async () => {
    assert.equal(
      await apply([tutorialDaemonSet("manual-update-agent")]),
      "daemonset.apps/manual-update-agent created\n",
    );
    await waitForDaemonSet(k, "default", "manual-update-agent", WORKERS);
    assert.equal(
      await apply([withImage("manual-update-agent", "debian:12.8")]),
      "daemonset.apps/manual-update-agent configured\n",
    );
    await waitFor("UP-TO-DATE 0", async () => {
      const ds = await getJson(k, "ds", "manual-update-agent");
      return (
        ds.status.observedGeneration === ds.metadata.generation &&
        (ds.status.updatedNumberScheduled ?? 0) === 0
      );
    });
    const old = await daemonPods(k, "default", "manual-update-agent");
    assert.deepEqual(new Set(old.map(firstImage)), new Set(["debian:12"]), "no automatic update");

    const deleted = await k.ok(["delete", "pod", "-l", "app=manual-update-agent"]);
    assert.deepEqual(
      deleted.trimEnd().split("\n").sort(),
      old.map((p) => `pod "${p.metadata.name}" deleted`).sort(),
    );
    const pods = await waitForDaemonSet(k, "default", "manual-update-agent", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["debian:12.8"]));
  });

  it("step 9: priority and resource limits; kubectl top pods -l app=resource-agent", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-004-resources.yaml")]),
      "priorityclass.scheduling.k8s.io/node-agent-priority created\ndaemonset.apps/resource-agent created\n",
    );
    const pods = await waitForDaemonSet(k, "default", "resource-agent", WORKERS);
    assert.deepEqual(new Set(pods.map((p) => p.spec.priority)), new Set([1000000]));
    let top = parseTable("");
    await waitFor("metrics for both pods", async () => {
      const r = await k.run(["top", "pods", "-l", "app=resource-agent"]);
      top = parseTable(r.stdout);
      return r.code === 0 && top.rows.length === 2;
    });
    assert.deepEqual(top.header, ["NAME", "CPU(cores)", "MEMORY(bytes)"]);
    for (const row of top.rows) {
      // Simulated usage sits between 30% and 70% of the requests (100m, 64Mi).
      const cpu = Number(/^(\d+)m$/.exec(row["CPU(cores)"])?.[1]);
      const memory = Number(/^(\d+)Mi$/.exec(row["MEMORY(bytes)"])?.[1]);
      assert.ok(cpu >= 30 && cpu <= 70, row["CPU(cores)"]);
      assert.ok(memory >= 19 && memory <= 45, row["MEMORY(bytes)"]);
    }
  });

  it("step 10: a node that joins gets a pod; a labelled node gets the ssd-agent", async () => {
    assert.equal(await apply([nodeManifest("worker-3")]), "node/worker-3 created\n");
    await waitForDaemonSet(k, "default", "node-agent", [...WORKERS, "worker-3"]);
    await k.ok(["label", "nodes", "worker-2", "disktype=ssd"]);
    await waitForDaemonSet(k, "default", "ssd-agent", ["worker-1", "worker-2"]);
  });

  it("step 10: drain leaves DaemonSet pods in place (--ignore-daemonsets), cordoning does not stop them", async () => {
    // The seed says a drain evicts the DaemonSet pod; kubectl refuses to touch DaemonSet pods, and with
    // --ignore-daemonsets leaves them running.
    const refused = await k.run(["drain", "worker-3"]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): default\/fluentd-\w+, /,
    );
    const drained = await k.ok(["drain", "worker-3", "--ignore-daemonsets"]);
    assert.match(drained, /^node\/worker-3 drained$/m);
    const onWorker3 = (await getJson(k, "pods", "--field-selector", "spec.nodeName=worker-3")).items;
    assert.ok(onWorker3.some((p: Manifest) => p.metadata.name.startsWith("node-agent-")));
    // A cordoned node keeps its DaemonSet pods, and a deleted one comes back.
    const victim = podsByNode(await daemonPods(k, "default", "node-agent"))["worker-3"][0];
    await k.ok(["delete", "pod", victim]);
    await waitForDaemonSet(k, "default", "node-agent", [...WORKERS, "worker-3"]);
  });

  it("step 10: a node that leaves loses its pods (pod GC, 40 s after the node is gone, as upstream)", async () => {
    assert.equal(await k.ok(["delete", "node", "worker-3"]), 'node "worker-3" deleted\n');
    await waitForDaemonSet(k, "default", "node-agent", WORKERS, { timeoutMs: 90_000 });
  });

  it("verification: DaemonSets, one pod per node, update strategy, node selector, control-plane taints", async () => {
    assert.deepEqual(column(parseTable(await k.ok(["get", "daemonsets"])), "NAME"), [
      "fluentd",
      "manual-update-agent",
      "node-agent",
      "node-exporter",
      "resource-agent",
      "ssd-agent",
      "system-agent",
    ]);
    assert.equal(parseTable(await k.ok(["get", "daemonsets", "-o", "wide"])).header.at(-1), "SELECTOR");
    // The seed's node/pod count comparison: 3 nodes, 2 node-agent pods, because of the control-plane taint.
    const nodeCount = (await k.ok(["get", "nodes", "--no-headers"])).trimEnd().split("\n").length;
    const podCount = (await k.ok(["get", "pods", "-l", "app=node-agent", "--no-headers"]))
      .trimEnd()
      .split("\n").length;
    assert.deepEqual([nodeCount, podCount], [3, 2]);
    assert.equal(
      await k.ok(["get", "daemonset", "node-agent", "-o", "jsonpath={.spec.updateStrategy.type}"]),
      "RollingUpdate",
    );
    assert.equal(
      await k.ok(["get", "daemonset", "node-agent", "-o", "jsonpath={.spec.updateStrategy.rollingUpdate}"]),
      '{"maxSurge":0,"maxUnavailable":1}',
    );
    assert.deepEqual(column(parseTable(await k.ok(["get", "nodes", "-l", "disktype=ssd"])), "NAME"), ALL);
    const ssd = parseTable(await k.ok(["get", "pods", "-l", "app=ssd-agent", "-o", "wide"]));
    assert.deepEqual([...column(ssd, "NODE")].sort(), WORKERS);
    const taints = (await k.ok(["describe", "node", CONTROL_PLANE]))
      .split("\n")
      .filter((l) => l.includes("Taints"));
    assert.deepEqual(taints, ["Taints:             node-role.kubernetes.io/control-plane:NoSchedule"]);
    const system = parseTable(await k.ok(["get", "pods", "-l", "app=system-agent", "-o", "wide"]));
    assert.ok(column(system, "NODE").includes(CONTROL_PLANE));
  });

  it("pro tips 1–3: a node's pod by field selector, rollout restart, rollout status", async () => {
    const onControlPlane = ["--field-selector", `spec.nodeName=${CONTROL_PLANE}`];
    assert.equal((await k.run(["get", "pods", "-l", "app=node-agent", ...onControlPlane])).stderr, noneFound);
    const system = parseTable(await k.ok(["get", "pods", "-l", "app=system-agent", ...onControlPlane]));
    assert.equal(system.rows.length, 1);

    const before = (await daemonPods(k, "default", "node-agent")).map((p) => p.metadata.name);
    assert.equal(
      await k.ok(["rollout", "restart", "daemonset/node-agent"]),
      "daemonset.apps/node-agent restarted\n",
    );
    assert.match(await rolloutStatus(k, "default", "node-agent"), /successfully rolled out\n$/);
    const after = await waitForDaemonSet(k, "default", "node-agent", WORKERS);
    assert.ok(
      after.every((p) => !before.includes(p.metadata.name)),
      "every pod was replaced",
    );
    assert.ok(after.every((p) => p.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"]));
  });

  it("pro tip 4: kubectl logs -l app=node-agent shows each pod's loop output", {}, async () => {
    assert.match(await k.ok(["describe", "daemonset", "node-agent"]), /^Name:\s+node-agent$/m);
    const pods = (await daemonPods(k, "default", "node-agent")).map((p) => p.metadata.name);
    // The agent echoes, then sleeps 30 s: its first line is there at once.
    await waitFor(
      "one line from each node-agent pod",
      async () => {
        const logs = await k.ok(["logs", "-l", "app=node-agent"]);
        return pods.every((name) => logs.includes(`node-agent on ${name}\n`));
      },
      { timeoutMs: 5000 },
    );
  });

  it("troubleshooting: describe nodes, get nodes --show-labels, updateStrategy in -o yaml, describe pod", async () => {
    const nodes = await k.ok(["describe", "nodes"]);
    assert.deepEqual(
      nodes
        .split("\n")
        .filter((l) => l.startsWith("Name:"))
        .map((l) => l.split(/\s+/)[1]),
      ALL,
    );
    const labels = parseTable(await k.ok(["get", "nodes", "--show-labels"]));
    for (const row of labels.rows) assert.match(row.LABELS, /(^|,)disktype=ssd(,|$)/);
    const yaml = await k.ok(["get", "daemonset", "manual-update-agent", "-o", "yaml"]);
    assert.match(yaml, /^ {2}updateStrategy:\n {4}type: OnDelete$/m);
    const [pod] = await daemonPods(k, "default", "ssd-agent");
    const described = await k.ok(["describe", "pod", pod.metadata.name]);
    assert.match(described, /^Node-Selectors:\s+disktype=ssd$/m);
    assert.match(described, /^Status:\s+Running$/m);
  });

  it("troubleshooting: delete daemonset --grace-period=0 --force", async () => {
    const r = await k.run(["delete", "daemonset", "node-exporter", "--grace-period=0", "--force"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'daemonset.apps "node-exporter" force deleted\n');
    assert.equal(
      r.stderr,
      "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. " +
        "The resource may continue to run on the cluster indefinitely.\n",
    );
  });

  it("pro tip 5 and clean-up: delete the DaemonSets, remove the label, nothing left", async () => {
    assert.equal(await k.ok(["delete", "daemonset", "node-agent"]), 'daemonset.apps "node-agent" deleted\n');
    const remaining = await k.ok(["delete", "daemonset", "--all"]);
    assert.deepEqual(remaining.trimEnd().split("\n"), [
      'daemonset.apps "fluentd" deleted',
      'daemonset.apps "manual-update-agent" deleted',
      'daemonset.apps "resource-agent" deleted',
      'daemonset.apps "ssd-agent" deleted',
      'daemonset.apps "system-agent" deleted',
    ]);
    assert.equal(
      await k.ok(["label", "nodes", CONTROL_PLANE, "disktype-"]),
      `node/${CONTROL_PLANE} unlabeled\n`,
    );
    assert.equal((await k.run(["get", "daemonsets"])).stderr, noneFound);
    await waitFor("every pod to be gone", async () => (await k.run(["get", "pods"])).stderr === noneFound, {
      timeoutMs: SETTLE_MS,
      intervalMs: 100,
    });
  });
});
