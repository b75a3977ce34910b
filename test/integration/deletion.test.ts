// DELETE over HTTP: what each kind answers, finalizers and propagation policies that keep an object around,
// graceful pod deletion, preconditions and deletecollection, as a kube-apiserver 1.32 behaves.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { configMap, daemonSet, namespace, paths, pod } from "../fixtures/objects.js";
import { assertFailure, assertMarkedForDeletion, assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "deleting";
const HOLD = "example.com/hold";

describe("DELETE", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(async () => {
    await c.stop();
  });

  const createDs = async (name: string) => {
    const res = await c.post(paths.daemonSets(NS), daemonSet(name));
    assertOk(res, 201);
    return res.body;
  };
  const releaseDs = async (name: string) => {
    assertOk(await c.patch(paths.daemonSet(NS, name), { metadata: { finalizers: null } }, "merge"));
    assert.equal((await c.get(paths.daemonSet(NS, name))).status, 404);
  };

  it("deleting a DaemonSet answers a success Status naming it", async () => {
    const created = await createDs("plain");
    const res = await c.delete(paths.daemonSet(NS, "plain"));
    assertOk(res);
    assert.deepEqual(res.body, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: "plain", group: "apps", kind: "daemonsets", uid: created.metadata.uid },
    });
    assert.equal((await c.get(paths.daemonSet(NS, "plain"))).status, 404);
  });

  it("deleting an unbound pod answers the pod and removes it at once", async () => {
    assertOk(await c.post(paths.pods(NS), pod("unbound")), 201);
    const res = await c.delete(paths.pod(NS, "unbound"));
    assertOk(res);
    assert.equal(res.body.kind, "Pod");
    assert.equal(res.body.metadata.name, "unbound");
    assert.equal((await c.get(paths.pod(NS, "unbound"))).status, 404);
  });

  it("a pod bound to a node is deleted gracefully: 30 s of grace, then gracePeriodSeconds=0 removes it", async () => {
    assertOk(await c.post(paths.pods(NS), pod("bound", { nodeName: "node-1" })), 201);
    const before = Date.now();
    const res = await c.delete(paths.pod(NS, "bound"));
    assertMarkedForDeletion(res, "Pod");
    assert.equal(res.body.metadata.deletionGracePeriodSeconds, 30);
    const deadline = Date.parse(res.body.metadata.deletionTimestamp);
    assert.ok(
      deadline >= Math.floor(before / 1000) * 1000 + 29_000 && deadline <= Date.now() + 31_000,
      res.body.metadata.deletionTimestamp,
    );
    const still = await c.get(paths.pod(NS, "bound"));
    assertOk(still);
    assert.equal(still.body.metadata.deletionGracePeriodSeconds, 30);

    const now = await c.delete(`${paths.pod(NS, "bound")}?gracePeriodSeconds=0`);
    assertOk(now);
    assert.equal(now.body.kind, "Pod");
    assert.equal((await c.get(paths.pod(NS, "bound"))).status, 404);
  });

  it("a finalizer keeps a deleted object, with a deletionTimestamp, until a patch removes it", async () => {
    assertOk(await c.post(paths.configMaps(NS), configMap("held", { finalizers: [HOLD] })), 201);
    const res = await c.delete(paths.configMap(NS, "held"));
    assertMarkedForDeletion(res, "ConfigMap");
    assert.deepEqual(res.body.metadata.finalizers, [HOLD]);
    assert.equal(res.body.metadata.deletionGracePeriodSeconds, 0);
    const still = await c.get(paths.configMap(NS, "held"));
    assertOk(still);
    assert.equal(still.body.metadata.deletionTimestamp, res.body.metadata.deletionTimestamp);

    const again = await c.delete(paths.configMap(NS, "held"));
    assertMarkedForDeletion(again, "ConfigMap");
    assert.equal(again.body.metadata.resourceVersion, still.body.metadata.resourceVersion);

    assertOk(await c.patch(paths.configMap(NS, "held"), { metadata: { finalizers: null } }, "merge"));
    assert.equal((await c.get(paths.configMap(NS, "held"))).status, 404);
  });

  it("a deletion left pending answers 200, not 202 (202 is only for orphanDependents=false)", async () => {
    assertOk(await c.post(paths.configMaps(NS), configMap("pending-code", { finalizers: [HOLD] })), 201);
    const res = await c.delete(paths.configMap(NS, "pending-code"));
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, "ConfigMap");
    assertOk(await c.patch(paths.configMap(NS, "pending-code"), { metadata: { finalizers: null } }, "merge"));
  });

  it("deleteOptions.orphanDependents=false on an object left pending answers 202", async () => {
    assertOk(await c.post(paths.configMaps(NS), configMap("cascade", { finalizers: [HOLD] })), 201);
    const res = await c.delete(paths.configMap(NS, "cascade"), { orphanDependents: false });
    assert.equal(res.status, 202);
    assert.equal(res.body.kind, "ConfigMap");
    assertOk(await c.patch(paths.configMap(NS, "cascade"), { metadata: { finalizers: null } }, "merge"));
  });

  it("a deleting object may lose finalizers but not gain any", async () => {
    assertOk(await c.post(paths.configMaps(NS), configMap("no-new", { finalizers: [HOLD] })), 201);
    assertMarkedForDeletion(await c.delete(paths.configMap(NS, "no-new")), "ConfigMap");
    const res = await c.patch(
      paths.configMap(NS, "no-new"),
      { metadata: { finalizers: [HOLD, "example.com/other"] } },
      "merge",
    );
    assertFailure(res, { code: 422, reason: "Invalid" });
    assert.equal(res.body.details.causes[0].field, "metadata.finalizers");
    assertOk(await c.patch(paths.configMap(NS, "no-new"), { metadata: { finalizers: null } }, "merge"));
  });

  it("the no-new-finalizers message prints the list as Go does", async () => {
    assertOk(await c.post(paths.configMaps(NS), configMap("no-new-msg", { finalizers: [HOLD] })), 201);
    assertMarkedForDeletion(await c.delete(paths.configMap(NS, "no-new-msg")), "ConfigMap");
    const res = await c.patch(
      paths.configMap(NS, "no-new-msg"),
      { metadata: { finalizers: [HOLD, "example.com/other"] } },
      "merge",
    );
    try {
      assertFailure(res, {
        code: 422,
        reason: "Invalid",
        message:
          'ConfigMap "no-new-msg" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/other"}',
      });
    } finally {
      await c.patch(paths.configMap(NS, "no-new-msg"), { metadata: { finalizers: null } }, "merge");
    }
  });

  it("propagationPolicy=Orphan (in the body) adds the orphan finalizer", async () => {
    await createDs("orphaned");
    const res = await c.delete(paths.daemonSet(NS, "orphaned"), {
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Orphan",
    });
    assertMarkedForDeletion(res, "DaemonSet");
    assert.deepEqual(res.body.metadata.finalizers, ["orphan"]);
    await releaseDs("orphaned");
  });

  it("propagationPolicy=Foreground (in the query) adds the foregroundDeletion finalizer", async () => {
    await createDs("foreground");
    const res = await c.delete(`${paths.daemonSet(NS, "foreground")}?propagationPolicy=Foreground`);
    assertMarkedForDeletion(res, "DaemonSet");
    assert.deepEqual(res.body.metadata.finalizers, ["foregroundDeletion"]);
    await releaseDs("foreground");
  });

  it("a uid precondition that does not match answers 409 and deletes nothing", async () => {
    await createDs("guarded");
    const res = await c.delete(paths.daemonSet(NS, "guarded"), { preconditions: { uid: "not-the-uid" } });
    assertFailure(res, { code: 409, reason: "Conflict" });
    assertOk(await c.get(paths.daemonSet(NS, "guarded")));
  });

  it("the uid precondition conflict carries upstream's message", async () => {
    const created = await createDs("guarded-msg");
    const res = await c.delete(paths.daemonSet(NS, "guarded-msg"), { preconditions: { uid: "not-the-uid" } });
    assertFailure(res, {
      code: 409,
      reason: "Conflict",
      message: `Operation cannot be fulfilled on DaemonSet.apps "guarded-msg": the UID in the precondition (not-the-uid) does not match the UID in record (${created.metadata.uid}). The object might have been deleted and then recreated`,
    });
  });

  it("a matching uid precondition deletes", async () => {
    const created = await createDs("guarded-ok");
    assertOk(
      await c.delete(paths.daemonSet(NS, "guarded-ok"), { preconditions: { uid: created.metadata.uid } }),
    );
    assert.equal((await c.get(paths.daemonSet(NS, "guarded-ok"))).status, 404);
  });

  it("deletecollection with a label selector deletes exactly the matching objects", async () => {
    for (const name of ["batch-1", "batch-2", "batch-3"]) {
      assertOk(await c.post(paths.configMaps(NS), configMap(name, { labels: { batch: "x" } })), 201);
    }
    assertOk(await c.post(paths.configMaps(NS), configMap("keeper", { labels: { batch: "y" } })), 201);
    const res = await c.delete(`${paths.configMaps(NS)}?labelSelector=batch%3Dx`);
    assertOk(res);
    const left = await c.get(`${paths.configMaps(NS)}?labelSelector=batch`);
    assert.deepEqual(
      left.body.items.map((o: any) => o.metadata.name),
      ["keeper"],
    );
  });

  it("deletecollection answers the list of deleted objects", async () => {
    for (const name of ["sweep-1", "sweep-2"]) {
      assertOk(await c.post(paths.configMaps(NS), configMap(name, { labels: { sweep: "yes" } })), 201);
    }
    const res = await c.delete(`${paths.configMaps(NS)}?labelSelector=sweep%3Dyes`);
    assertOk(res);
    assert.equal(res.body.kind, "ConfigMapList");
    assert.equal(res.body.apiVersion, "v1");
    assert.deepEqual(
      res.body.items.map((o: any) => o.metadata.name),
      ["sweep-1", "sweep-2"],
    );
  });
});
