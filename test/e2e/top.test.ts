// End-to-end: `kubectl top node` and `kubectl top pod` (all namespaces, one pod per container) through the
// simulated metrics.k8s.io API, plus the group's discovery as kubectl sees it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { topNodeHeader } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import { fixturePath, type Manifest, namespace, toYaml } from "./support/manifests.js";
import { column, parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "top";
/** kubectl prints CPU in millicores rounded up, memory in whole Mi. */
const MILLICORES = /^(\d+)m$/;
const MEBIBYTES = /^(\d+)Mi$/;
const PERCENT = /^\d+%$/;

function pod(name: string, containers: { name: string; cpu: string; memory: string }[], annotations = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS, annotations },
    spec: {
      containers: containers.map((c) => ({
        name: c.name,
        image: "busybox:1.36",
        resources: { requests: { cpu: c.cpu, memory: c.memory } },
      })),
    },
  };
}

const millicores = (cell: string): number => Number(MILLICORES.exec(cell)?.[1] ?? Number.NaN);
const mebibytes = (cell: string): number => Number(MEBIBYTES.exec(cell)?.[1] ?? Number.NaN);

/** namespace/name of every pod whose phase is Running. */
async function runningPods(k: Kubectl): Promise<string[]> {
  const list = await getJson(k, "pods", "-A", "--field-selector=status.phase=Running");
  return list.items.map((p: Manifest) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
}

describe("kubectl top", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", fixturePath("seed-004-tutorial.yaml")]);
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([
        namespace(NS),
        pod("two-containers", [
          { name: "app", cpu: "200m", memory: "128Mi" },
          { name: "helper", cpu: "50m", memory: "32Mi" },
        ]),
        pod("not-started", [{ name: "app", cpu: "100m", memory: "64Mi" }], {
          "sim.everynode.dev/start-delay": "1h",
        }),
      ]),
    });
    // Every pod the DaemonSets want, and the two-container pod, run; the delayed pod stays Pending.
    await waitFor(
      "the pods to run",
      async () => {
        const [sets, pods] = await Promise.all([getJson(k, "ds", "-A"), runningPods(k)]);
        const desired = sets.items.reduce(
          (sum: number, ds: Manifest) => sum + (ds.status?.desiredNumberScheduled ?? Number.NaN),
          0,
        );
        return desired > 0 && pods.length === desired + 1;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });
  after(() => cluster?.stop());

  it("top node lists every node with its usage and share of allocatable", async () => {
    const [out, nodes] = await Promise.all([k.run(["top", "node"]), getJson(k, "nodes")]);
    assert.equal(out.code, 0, out.stderr);
    assert.doesNotMatch(out.stderr, /couldn't get resource list/);
    const table = parseTable(out.stdout);
    const header = topNodeHeader(await k.clientMinor());
    assert.deepEqual(table.header, header);
    assert.deepEqual(column(table, "NAME").sort(), nodes.items.map((n: Manifest) => n.metadata.name).sort());
    for (const row of table.rows) {
      // The system overhead alone is 60–140m and 300–700Mi; a node's pods add to it.
      assert.ok(millicores(row["CPU(cores)"]) >= 60, row["CPU(cores)"]);
      assert.ok(mebibytes(row["MEMORY(bytes)"]) >= 290, row["MEMORY(bytes)"]);
      assert.match(row[header[2]], PERCENT);
      assert.match(row[header[4]], PERCENT);
    }
  });

  it("top node selects by label", async () => {
    const table = parseTable(await k.ok(["top", "node", "-l", "kubernetes.io/hostname=node1"]));
    assert.deepEqual(column(table, "NAME"), ["node1"]);
  });

  it("top pod -A lists every Running pod", async () => {
    const [out, running] = await Promise.all([k.ok(["top", "pod", "-A"]), runningPods(k)]);
    const table = parseTable(out);
    assert.deepEqual(table.header, ["NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"]);
    assert.deepEqual(table.rows.map((r) => `${r.NAMESPACE}/${r.NAME}`).sort(), running);
    assert.ok(!running.includes(`${NS}/not-started`));
    for (const row of table.rows) {
      assert.match(row["CPU(cores)"], MILLICORES);
      assert.match(row["MEMORY(bytes)"], MEBIBYTES);
    }
  });

  it("top pod --containers shows each container at 30–70% of its requests", async () => {
    const table = parseTable(await k.ok(["top", "pod", "two-containers", "-n", NS, "--containers"]));
    assert.deepEqual(table.header, ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"]);
    assert.deepEqual(column(table, "POD"), ["two-containers", "two-containers"]);
    const byName = Object.fromEntries(table.rows.map((r) => [r.NAME, r]));
    const expected: Record<string, { cpu: number; memory: number }> = {
      app: { cpu: 200, memory: 128 },
      helper: { cpu: 50, memory: 32 },
    };
    for (const [name, request] of Object.entries(expected)) {
      const row = byName[name];
      assert.ok(row, `container ${name}`);
      const cpu = millicores(row["CPU(cores)"]);
      const memory = mebibytes(row["MEMORY(bytes)"]);
      assert.ok(cpu >= 0.3 * request.cpu && cpu <= Math.ceil(0.7 * request.cpu), `${name} cpu ${cpu}m`);
      assert.ok(memory >= Math.floor(0.3 * request.memory) - 1, `${name} memory ${memory}Mi`);
      assert.ok(memory <= Math.ceil(0.7 * request.memory), `${name} memory ${memory}Mi`);
    }
  });

  it("top pod of a pod that is not running reports no metrics", async () => {
    const r = await k.run(["top", "pod", "not-started", "-n", NS]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NotFound.*podmetrics\.metrics\.k8s\.io "top\/not-started" not found/);
  });

  it("api-resources lists the metrics kinds, and bare `pods` stays the core resource", async () => {
    const table = parseTable(await k.ok(["api-resources", "--api-group=metrics.k8s.io"]));
    assert.deepEqual(
      table.rows.map((r) => [r.NAME, r.APIVERSION, r.NAMESPACED, r.KIND]),
      [
        ["nodes", "metrics.k8s.io/v1beta1", "false", "NodeMetrics"],
        ["pods", "metrics.k8s.io/v1beta1", "true", "PodMetrics"],
      ],
    );
    const pods = await getJson(k, "pods", "-n", NS);
    assert.equal(pods.items[0].kind, "Pod");
  });

  it("get nodemetrics prints metrics-server's columns", async () => {
    const table = parseTable(await k.ok(["get", "nodemetrics"]));
    assert.deepEqual(table.header, ["NAME", "CPU", "MEMORY", "WINDOW"]);
    assert.equal(table.rows.length, 3);
    assert.deepEqual(new Set(column(table, "WINDOW")), new Set(["15s"]));
  });
});
