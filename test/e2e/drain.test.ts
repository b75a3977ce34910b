// End-to-end: `kubectl drain node1 --ignore-daemonsets` against `everynode up`, through the eviction
// subresource: pods that declare no controller need --force, DaemonSet pods stay, a PodDisruptionBudget kept by
// the disruption controller blocks the eviction (drain retries until --timeout) until it is relaxed, and
// `kubectl uncordon` makes the node schedulable again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { unmanagedPodsRefusal } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import { daemonSet, type Manifest, namespace, toYaml } from "./support/manifests.js";
import { parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "drain-e2e";
const NODE = "node1";
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

/** A pod bound straight to node1 that declares no controller. */
function pinnedPod(name: string, labels: Record<string, string>): Manifest {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS, labels },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 5,
      containers: [{ name: "main", image: "nginx:1.27" }],
    },
  };
}

const budget: Manifest = {
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "guarded", namespace: NS },
  spec: { minAvailable: 1, selector: { matchLabels: { app: "guarded" } } },
};

describe("kubectl drain", () => {
  let cluster: E2eCluster;
  let k: Kubectl;

  const podsOnNode = async (): Promise<Manifest[]> =>
    (await getJson(k, "pods", "-n", NS, "--field-selector", `spec.nodeName=${NODE}`)).items;
  const isReady = (pod: Manifest) =>
    pod.status?.conditions?.some((c: Manifest) => c.type === "Ready" && c.status === "True");
  const budgetStatus = async () => (await getJson(k, "pdb", "guarded", "-n", NS)).status ?? {};

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([
        namespace(NS),
        daemonSet("agent", NS),
        pinnedPod("loner", { app: "loner" }),
        pinnedPod("guarded", { app: "guarded" }),
        budget,
      ]),
    });
    // The DaemonSet pod and both plain pods run and are ready on node1.
    await waitFor(
      "three ready pods on node1",
      async () => {
        const pods = await podsOnNode();
        return pods.length === 3 && pods.every(isReady);
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    // The disruption controller has seen the budget and its one healthy pod: nothing may be disrupted.
    await waitFor(
      "the budget's status",
      async () => {
        const s = await budgetStatus();
        return s.observedGeneration === 1 && s.currentHealthy === 1 && s.expectedPods === 1;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
  });
  after(() => cluster?.stop());

  it("get pdb prints the budget with its allowed disruptions", async () => {
    const table = parseTable(await k.ok(["get", "pdb", "-n", NS]));
    assert.deepEqual(table.header, [
      "NAME",
      "MIN AVAILABLE",
      "MAX UNAVAILABLE",
      "ALLOWED DISRUPTIONS",
      "AGE",
    ]);
    assert.deepEqual(
      { ...table.rows[0], AGE: undefined },
      {
        NAME: "guarded",
        "MIN AVAILABLE": "1",
        "MAX UNAVAILABLE": "N/A",
        "ALLOWED DISRUPTIONS": "0",
        AGE: undefined,
      },
    );
    const status = await budgetStatus();
    assert.equal(status.disruptionsAllowed, 0);
    assert.equal(status.conditions[0].reason, "InsufficientPods");
  });

  it("refuses pods that declare no controller without --force, after cordoning the node", async () => {
    const r = await k.run(["drain", NODE, "--ignore-daemonsets", "--timeout=20s"]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stdout, new RegExp(`node/${NODE} cordoned`));
    assert.match(r.stderr, unmanagedPodsRefusal(await k.clientMinor()));
    assert.match(r.stderr, new RegExp(`${NS}/guarded`));
    assert.match(r.stderr, new RegExp(`${NS}/loner`));
    assert.equal((await getJson(k, "node", NODE)).spec.unschedulable, true);
    assert.equal((await podsOnNode()).length, 3, "nothing was evicted");
  });

  it("evicts what it may, leaves DaemonSet pods, and retries the budget-protected pod until --timeout", async () => {
    const r = await k.run(["drain", NODE, "--ignore-daemonsets", "--force", "--timeout=12s"], {
      timeoutMs: 60_000,
    });
    assert.notEqual(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const out = `${r.stdout}\n${r.stderr}`;
    // kubectl joins its warnings on one line in no fixed order.
    assert.match(out, /Warning: .*ignoring DaemonSet-managed Pods: drain-e2e\/agent-/);
    assert.match(out, /deleting Pods that declare no controller: /);
    assert.match(out, new RegExp(`evicting pod ${NS}/loner`));
    assert.match(out, /pod\/loner evicted/);
    assert.ok(
      out.includes(`error when evicting pods/"guarded" -n "${NS}" (will retry after 5s): ${VIOLATION}`),
      out,
    );
    assert.match(out, /global timeout reached: 12s/);
    const names = (await podsOnNode()).map((p) => p.metadata.name).sort();
    assert.equal(names.length, 2, names.join(","));
    assert.equal(names[0].startsWith("agent-"), true, "the DaemonSet pod stays");
    assert.equal(names[1], "guarded", "the budget kept its pod");
  });

  it("drains the node once the budget allows a disruption", async () => {
    await k.ok(["patch", "pdb", "guarded", "-n", NS, "--type=merge", "-p", '{"spec":{"minAvailable":0}}']);
    await waitFor(
      "the relaxed budget to allow a disruption",
      async () => {
        const s = await budgetStatus();
        return s.observedGeneration === 2 && s.disruptionsAllowed === 1;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const out = await k.ok(["drain", NODE, "--ignore-daemonsets", "--force", "--timeout=60s"]);
    assert.match(out, /pod\/guarded evicted/);
    assert.match(out, new RegExp(`node/${NODE} drained`));
    const names = (await podsOnNode()).map((p) => p.metadata.name);
    assert.equal(names.length, 1);
    assert.ok(names[0].startsWith("agent-"), "only the DaemonSet pod is left");
  });

  it("uncordon makes the node schedulable again", async () => {
    assert.match(await k.ok(["uncordon", NODE]), new RegExp(`node/${NODE} uncordoned`));
    assert.equal((await getJson(k, "node", NODE)).spec.unschedulable, undefined);
  });
});
