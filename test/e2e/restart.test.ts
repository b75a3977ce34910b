// End-to-end: `everynode up` as a process — the KUBECONFIG= line and kubeconfig file, durability across
// kill -9 and clean SIGTERM restarts on the same data dir, and `--nodes N`.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EverynodeProcess } from "../support/everynode-process.js";
import { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { configMap, fixturePath, type Manifest, toYaml } from "./support/manifests.js";
import { column, parseTable } from "./support/tables.js";
import { waitForStable } from "./support/wait.js";

interface Snapshot {
  /** kind/namespace/name → uid and resourceVersion, for every object whose resourceVersion must not move. */
  versions: Record<string, { uid: string; resourceVersion: string }>;
  /** Nodes by name: uid, labels and spec (a restarted kubelet may rewrite node status, so not the version). */
  nodes: Record<string, { uid: string; labels: unknown; spec: unknown }>;
  maxResourceVersion: number;
}

async function snapshot(k: Kubectl): Promise<Snapshot> {
  const list = JSON.parse(
    await k.ok(["get", "ds,ns,cm,sa,clusterroles,clusterrolebindings,nodes", "-A", "-o", "json"]),
  );
  const shot: Snapshot = { versions: {}, nodes: {}, maxResourceVersion: 0 };
  for (const o of list.items as Manifest[]) {
    const { uid, resourceVersion, name, namespace, labels } = o.metadata;
    shot.maxResourceVersion = Math.max(shot.maxResourceVersion, Number(resourceVersion));
    if (o.kind === "Node") shot.nodes[name] = { uid, labels, spec: o.spec };
    else shot.versions[`${o.kind}/${namespace ?? ""}/${name}`] = { uid, resourceVersion };
  }
  return shot;
}

/** A snapshot taken once controllers have stopped writing (e.g. DaemonSet status after a change). */
const settledSnapshot = (k: Kubectl): Promise<Snapshot> => waitForStable("the cluster", () => snapshot(k));

describe("everynode up: kubeconfig, restarts on the same data dir, --nodes", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "everynode-e2e-restart-"));
  let server: EverynodeProcess;
  let k: Kubectl;
  let beforeKill: Snapshot;

  before(async () => {
    server = await EverynodeProcess.start([], dataDir);
    k = new Kubectl(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints KUBECONFIG=<absolute path> and writes the kubeconfig to <data-dir>/kubeconfig", async () => {
    const line = server
      .output()
      .split("\n")
      .find((l) => l.includes("KUBECONFIG="));
    assert.ok(line, server.output());
    const path = /KUBECONFIG=(\S+)/.exec(line)![1];
    assert.ok(isAbsolute(path), path);
    assert.equal(path, join(dataDir, "kubeconfig"));
    assert.ok(existsSync(path));
    assert.match(await k.ok(["get", "ns", "default", "-o", "name"]), /^namespace\/default\n$/);
  });

  it("keeps every object at the same resourceVersion across kill -9", async () => {
    await k.ok([
      "apply",
      "-f",
      fixturePath("seed-000-fluentd.yaml"),
      "-f",
      fixturePath("seed-003-node-agent.yaml"),
    ]);
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([configMap("fluentd-config", "logging", { "fluent.conf": "<match **>\n</match>\n" })]),
    });
    await Promise.all([
      k.ok(["label", "nodes", "node1", "logging=true"]),
      k.ok(["taint", "nodes", "node2", "dedicated=logging:NoSchedule"]),
      k.ok([
        "patch",
        "ds",
        "fluentd",
        "-n",
        "logging",
        "-p",
        '{"spec":{"template":{"spec":{"nodeSelector":{"logging":"true"}}}}}',
      ]),
    ]);
    beforeKill = await settledSnapshot(k);
    assert.ok(beforeKill.versions["DaemonSet/logging/fluentd"]);
    assert.ok(beforeKill.versions["ConfigMap/logging/fluentd-config"]);

    // A write acknowledged just before the kill must survive it too.
    const lastWrite = JSON.parse(
      await k.ok(["apply", "-o", "json", "-f", "-"], {
        stdin: toYaml([configMap("last-write", "logging", { at: "kill" })]),
      }),
    );
    assert.equal(await server.stop("SIGKILL"), null, "killed by a signal, no exit code");
    server = await EverynodeProcess.start([], dataDir);
    assert.match(server.output(), /resumed/);

    const afterKill = await snapshot(k);
    const survivor = afterKill.versions["ConfigMap/logging/last-write"];
    assert.deepEqual(survivor, {
      uid: lastWrite.metadata.uid,
      resourceVersion: lastWrite.metadata.resourceVersion,
    });
    delete afterKill.versions["ConfigMap/logging/last-write"];
    assert.deepEqual(afterKill.versions, beforeKill.versions);
    assert.deepEqual(afterKill.nodes, beforeKill.nodes);
    const ds = JSON.parse(await k.ok(["get", "ds", "fluentd", "-n", "logging", "-o", "json"]));
    assert.deepEqual(ds.spec.template.spec.nodeSelector, { logging: "true" });
  });

  it("continues resourceVersions after the restart instead of reusing them", async () => {
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([configMap("after-restart", "logging", { a: "1" })]) });
    const created = JSON.parse(await k.ok(["get", "cm", "after-restart", "-n", "logging", "-o", "json"]));
    assert.ok(
      Number(created.metadata.resourceVersion) > beforeKill.maxResourceVersion,
      created.metadata.resourceVersion,
    );
  });

  it("stops cleanly on SIGTERM (exit 0) and resumes the same cluster", async () => {
    const beforeStop = await settledSnapshot(k);
    assert.equal(await server.stop("SIGTERM"), 0);
    server = await EverynodeProcess.start([], dataDir);
    assert.match(server.output(), /resumed/);
    const afterStart = await snapshot(k);
    assert.deepEqual(afterStart.versions, beforeStop.versions);
    assert.deepEqual(afterStart.nodes, beforeStop.nodes);
  });
});

describe("everynode up --nodes 5", () => {
  let cluster: E2eCluster;
  before(async () => {
    cluster = await startCluster(["--nodes", "5"]);
  });
  after(() => cluster?.stop());

  it("registers a tainted control-plane node and four labelled workers", async () => {
    const k = cluster.kubectl;
    const [table, json] = await Promise.all([k.ok(["get", "nodes"]), k.ok(["get", "nodes", "-o", "json"])]);
    const nodes = parseTable(table);
    assert.deepEqual(column(nodes, "NAME"), ["control-plane", "node1", "node2", "node3", "node4"]);
    assert.deepEqual(column(nodes, "ROLES"), ["control-plane", "<none>", "<none>", "<none>", "<none>"]);
    assert.deepEqual(column(nodes, "STATUS"), ["Ready", "Ready", "Ready", "Ready", "Ready"]);

    for (const node of JSON.parse(json).items as Manifest[]) {
      const { name, labels } = node.metadata;
      assert.equal(labels["kubernetes.io/hostname"], name);
      assert.equal(labels["kubernetes.io/os"], "linux");
      assert.match(labels["kubernetes.io/arch"], /^(amd64|arm64)$/);
      if (name === "control-plane") {
        assert.equal(labels["node-role.kubernetes.io/control-plane"], "");
        assert.deepEqual(node.spec.taints, [
          { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
        ]);
      } else {
        assert.equal(node.spec.taints, undefined, `${name} is an untainted worker`);
      }
    }
  });
});
