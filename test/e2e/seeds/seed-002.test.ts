// Seed 002 ("Kubernetes DaemonSet", the short reference), walked through top to bottom with the real kubectl
// against `everynode up` (control-plane, node1, node2): the node-exporter DaemonSet, its key fields, a
// nodeSelector, a toleration for a tainted node, updating, managing, and the limitations the seed lists.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../../support/kubectl.js";
import { type E2eCluster, startCluster } from "../support/cluster.js";
import { getJson } from "../support/get-json.js";
import { fixtureObject, type Manifest, toYaml } from "../support/manifests.js";
import { column, parseTable } from "../support/tables.js";
import { waitFor } from "../support/wait.js";
import {
  daemonPods,
  firstImage,
  podsByNode,
  rolloutStatus,
  SETTLE_MS,
  waitForDaemonSet,
} from "./walkthrough.js";

const WORKERS = ["node1", "node2"];
const NS = "default";
const EXPORTER = fixtureObject("seed-002-node-exporter.yaml", "DaemonSet");

/** The seed's node exporter with changes to its pod spec. */
function exporterWith(edit: (podSpec: Manifest, ds: Manifest) => void): Manifest {
  const ds = structuredClone(EXPORTER);
  edit(ds.spec.template.spec, ds);
  return ds;
}

describe("seed 002: Kubernetes DaemonSet (reference)", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const apply = (docs: Manifest[]) => k.ok(["apply", "-f", "-"], { stdin: toYaml(docs) });

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
  });
  after(() => cluster?.stop());

  it("the example YAML runs one node-exporter pod per node (the tainted control plane excepted)", async () => {
    assert.equal(await apply([EXPORTER]), "daemonset.apps/node-exporter created\n");
    const pods = await waitForDaemonSet(k, NS, "node-exporter", WORKERS);
    for (const pod of pods) {
      assert.deepEqual(pod.metadata.labels.name, "node-exporter");
      assert.deepEqual(pod.spec.containers[0].ports, [{ containerPort: 9100, protocol: "TCP" }]);
    }
    assert.deepEqual((await getJson(k, "ds", "node-exporter")).metadata.labels, { app: "monitoring" });
  });

  it("key fields: the selector must match the template's labels, and cannot change afterwards", async () => {
    const mismatched = exporterWith((_spec, ds) => {
      ds.metadata.name = "mismatched";
      ds.spec.selector = { matchLabels: { name: "other" } };
    });
    const r = await k.run(["apply", "-f", "-"], { stdin: toYaml([mismatched]) });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'The DaemonSet "mismatched" is invalid: spec.template.metadata.labels: Invalid value: ' +
        'map[string]string{"name":"node-exporter"}: `selector` does not match template `labels`\n',
    );
    const moved = await k.run([
      "patch",
      "ds",
      "node-exporter",
      "--type=merge",
      "-p",
      '{"spec":{"selector":{"matchLabels":{"name":"node-exporter","tier":"monitoring"}}}}',
    ]);
    assert.equal(moved.code, 1);
    assert.match(moved.stderr, /spec\.selector: Invalid value: .*: field is immutable/);
  });

  it("a nodeSelector (node-type: monitoring) limits the DaemonSet to the labelled nodes", async () => {
    assert.equal(
      await apply([exporterWith((spec) => (spec.nodeSelector = { "node-type": "monitoring" }))]),
      "daemonset.apps/node-exporter configured\n",
    );
    await waitForDaemonSet(k, NS, "node-exporter", []);
    assert.equal(await k.ok(["label", "nodes", "node1", "node-type=monitoring"]), "node/node1 labeled\n");
    await waitForDaemonSet(k, NS, "node-exporter", ["node1"]);
  });

  it("tolerations: a tainted node gets a pod only once the DaemonSet tolerates its taint", async () => {
    assert.equal(
      await k.ok(["taint", "nodes", "node2", "node-role=infra:NoSchedule"]),
      "node/node2 tainted\n",
    );
    await k.ok(["label", "nodes", "node2", "node-type=monitoring"]);
    // Labelled, but the taint is not tolerated: still only node1.
    await waitForDaemonSet(k, NS, "node-exporter", ["node1"]);
    const tolerant = exporterWith((spec) => {
      spec.nodeSelector = { "node-type": "monitoring" };
      spec.tolerations = [{ key: "node-role", operator: "Equal", value: "infra", effect: "NoSchedule" }];
    });
    assert.equal(await apply([tolerant]), "daemonset.apps/node-exporter configured\n");
    await waitForDaemonSet(k, NS, "node-exporter", WORKERS);
  });

  it("a NoSchedule taint the DaemonSet does not tolerate keeps the running pod but counts it misscheduled", async () => {
    await k.ok(["taint", "nodes", "node1", "node-role=edge:NoSchedule"]);
    const kept = podsByNode(await daemonPods(k, NS, "node-exporter")).node1[0];
    await waitForDaemonSet(k, NS, "node-exporter", ["node2"], { misscheduled: 1, alsoOn: ["node1"] });
    assert.equal(podsByNode(await daemonPods(k, NS, "node-exporter")).node1[0], kept);
    await k.ok(["taint", "nodes", "node1", "node-role=edge:NoSchedule-"]);
    await waitForDaemonSet(k, NS, "node-exporter", WORKERS);
  });

  it("updating: the default strategy is already RollingUpdate, so a new image rolls out without declaring one", async () => {
    // The seed says DaemonSets do not roll updates unless updateStrategy is defined; upstream defaults it.
    assert.equal(
      await k.ok(["get", "ds", "node-exporter", "-o", "jsonpath={.spec.updateStrategy}"]),
      '{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"}',
    );
    assert.equal(
      await k.ok(["set", "image", "ds/node-exporter", "node-exporter=prom/node-exporter:v1.6.0"]),
      "daemonset.apps/node-exporter image updated\n",
    );
    assert.match(
      await rolloutStatus(k, NS, "node-exporter"),
      /daemon set "node-exporter" successfully rolled out\n$/,
    );
    const pods = await waitForDaemonSet(k, NS, "node-exporter", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["prom/node-exporter:v1.6.0"]));
    const history = await k.ok(["rollout", "history", "ds/node-exporter"]);
    assert.match(history, /^REVISION\s+CHANGE-CAUSE$/m);
    // Revisions: the first template, the nodeSelector, the toleration, the new image.
    assert.deepEqual(
      history
        .split("\n")
        .filter((l) => /^\d+\s/.test(l))
        .map((l) => l.split(/\s+/)[0]),
      ["1", "2", "3", "4"],
    );
  });

  it("declaring updateStrategy: type: RollingUpdate changes nothing, and rollout commands work either way", async () => {
    const explicit = exporterWith((spec, ds) => {
      spec.containers[0].image = "prom/node-exporter:v1.6.0";
      spec.nodeSelector = { "node-type": "monitoring" };
      spec.tolerations = [{ key: "node-role", operator: "Equal", value: "infra", effect: "NoSchedule" }];
      ds.spec.updateStrategy = { type: "RollingUpdate" };
    });
    const before = await getJson(k, "ds", "node-exporter");
    await apply([explicit]);
    const after = await getJson(k, "ds", "node-exporter");
    assert.deepEqual(after.spec.updateStrategy, before.spec.updateStrategy);
    assert.equal(after.metadata.generation, before.metadata.generation);
    assert.equal(
      await k.ok(["rollout", "undo", "ds/node-exporter"]),
      "daemonset.apps/node-exporter rolled back\n",
    );
    await rolloutStatus(k, NS, "node-exporter");
    const pods = await waitForDaemonSet(k, NS, "node-exporter", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["prom/node-exporter:v1.5.0"]));
  });

  it("managing: kubectl get daemonsets, describe daemonset, delete daemonset", async () => {
    const table = parseTable(await k.ok(["get", "daemonsets"]));
    assert.deepEqual(
      table.rows.map((r) => [r.NAME, r.DESIRED, r.READY, r["NODE SELECTOR"]]),
      [["node-exporter", "2", "2", "node-type=monitoring"]],
    );
    const described = await k.ok(["describe", "daemonset", "node-exporter"]);
    assert.match(described, /^Name:\s+node-exporter$/m);
    assert.match(described, /^Node-Selector:\s+node-type=monitoring$/m);
    assert.match(described, /^Labels:\s+app=monitoring$/m);
    assert.match(described, /^\s+Port:\s+9100\/TCP$/m);
    assert.match(described, /^Events:/m);

    assert.equal(
      await k.ok(["delete", "daemonset", "node-exporter"]),
      'daemonset.apps "node-exporter" deleted\n',
    );
    await waitFor(
      "the DaemonSet's pods to go",
      async () => (await k.run(["get", "pods"])).stderr === "No resources found in default namespace.\n",
      { timeoutMs: SETTLE_MS, intervalMs: 100 },
    );
    assert.equal((await k.run(["get", "daemonsets"])).stderr, "No resources found in default namespace.\n");
  });

  it("limitations: one pod per node and no replicas to scale", async () => {
    // The seed's YAML again, without selector or toleration, once node2's taint is gone: one pod on each worker.
    assert.equal(
      await k.ok(["taint", "nodes", "node2", "node-role=infra:NoSchedule-"]),
      "node/node2 untainted\n",
    );
    assert.equal(await apply([EXPORTER]), "daemonset.apps/node-exporter created\n");
    const pods = await waitForDaemonSet(k, NS, "node-exporter", WORKERS);
    assert.deepEqual(
      Object.values(podsByNode(pods)).map((names) => names.length),
      [1, 1],
    );
    const scaled = await k.run(["scale", "ds", "node-exporter", "--replicas=3"]);
    assert.equal(scaled.code, 1);
    assert.equal(
      scaled.stderr,
      "Error from server (NotFound): the server could not find the requested resource\n",
    );
    assert.deepEqual(column(parseTable(await k.ok(["get", "ds"])), "DESIRED"), ["2"]);
  });
});
