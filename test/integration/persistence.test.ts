// Restart on SQLite: a control plane stopped and started again on the same database file serves the same objects
// at the same resourceVersions, forgets nothing deleted, and keeps resourceVersions increasing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { configMap, daemonSet, namespace, paths, pod } from "../fixtures/objects.js";
import { assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "durable";

describe("persistence across a restart on SQLite", () => {
  const dir = mkdtempSync(join(tmpdir(), "everynode-persistence-"));
  const store = `sqlite://${join(dir, "state.db")}`;
  let c: TestCluster;
  /** What GET returned for each path just before the restart. */
  const saved = new Map<string, any>();
  let lastRv = 0;

  before(async () => {
    c = await TestCluster.start(store);
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
    assertOk(await c.post(paths.daemonSets(NS), daemonSet("agent")), 201);
    assertOk(
      await c.patch(`${paths.daemonSet(NS, "agent")}/status`, { status: { numberReady: 2 } }, "merge"),
    );
    assertOk(await c.post(paths.pods(NS), pod("worker", { nodeName: "node-1" })), 201);
    assertOk(await c.post(paths.configMaps(NS), configMap("settings", { data: { mode: "fast" } })), 201);
    assertOk(await c.patch(paths.configMap(NS, "settings"), { data: { mode: "safe" } }, "merge"));
    assertOk(await c.post(paths.configMaps(NS), configMap("gone")), 201);
    const deleted = await c.delete(paths.configMap(NS, "gone"));
    assertOk(deleted);
    for (const path of [
      paths.namespace(NS),
      paths.daemonSet(NS, "agent"),
      paths.pod(NS, "worker"),
      paths.configMap(NS, "settings"),
    ]) {
      const res = await c.get(path);
      assertOk(res);
      saved.set(path, res.body);
    }
    lastRv = Number((await c.get(paths.configMaps(NS))).body.metadata.resourceVersion);
  });
  after(async () => {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the same objects at the same resourceVersions after a restart", async () => {
    await c.stop();
    c = await TestCluster.start(store);
    for (const [path, before] of saved) {
      const res = await c.get(path);
      assertOk(res);
      assert.deepEqual(res.body, before, path);
    }
    assert.equal((await c.get(paths.configMap(NS, "gone"))).status, 404);
    const list = await c.get(paths.configMaps(NS));
    assert.deepEqual(
      list.body.items.map((o: any) => o.metadata.name),
      ["settings"],
    );
    assert.ok(Number(list.body.metadata.resourceVersion) >= lastRv);
  });

  it("gives new writes resourceVersions above every earlier one", async () => {
    const created = await c.post(paths.configMaps(NS), configMap("after-restart"));
    assertOk(created, 201);
    assert.ok(Number(created.body.metadata.resourceVersion) > lastRv);
    const updated = await c.patch(paths.configMap(NS, "settings"), { data: { mode: "again" } }, "merge");
    assertOk(updated);
    assert.ok(Number(updated.body.metadata.resourceVersion) > Number(created.body.metadata.resourceVersion));
  });

  it("keeps the system namespaces without creating them twice", async () => {
    const res = await c.get(paths.namespaces());
    const names = res.body.items.map((o: any) => o.metadata.name);
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease", NS]) {
      assert.equal(names.filter((n: string) => n === ns).length, 1, ns);
    }
  });
});
