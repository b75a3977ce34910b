// Events over HTTP now that they bypass the watch cache: get by name, paged lists with field selectors, watches
// from a resourceVersion, and the 410 ERROR event for a watch from a compacted revision.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { event, namespace, paths } from "../fixtures/objects.js";
import { assertOk } from "../fixtures/status.js";
import { eventually, TestCluster } from "../support/test-cluster.js";

const NS = "uncached";
const names = (list: any): string[] => list.items.map((o: any) => o.metadata.name);
const about = (name: string) => ({ kind: "Pod", namespace: NS, name });

describe("events served from storage", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
    for (const [name, pod] of [
      ["e1", "web"],
      ["e2", "db"],
      ["e3", "web"],
      ["e4", "web"],
    ]) {
      assertOk(await c.post(paths.events(NS), event(name, about(pod))), 201);
    }
  });
  after(async () => {
    await c.stop();
  });

  it("gets an event by name, and 404 for a missing one", async () => {
    const res = await c.get(`${paths.events(NS)}/e2`);
    assertOk(res);
    assert.equal(res.body.involvedObject.name, "db");
    assert.equal((await c.get(`${paths.events(NS)}/nope`)).status, 404);
  });

  it("pages a field-selected list with continue tokens", async () => {
    const q = `fieldSelector=${encodeURIComponent("involvedObject.name=web")}&limit=2`;
    const first = await c.get(`${paths.events(NS)}?${q}`);
    assertOk(first);
    assert.deepEqual(names(first.body), ["e1", "e3"]);
    assert.ok(first.body.metadata.continue);
    const second = await c.get(`${paths.events(NS)}?${q}&continue=${first.body.metadata.continue}`);
    assertOk(second);
    assert.deepEqual(names(second.body), ["e4"]);
    assert.equal(second.body.metadata.continue, undefined);
    assert.equal(second.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
  });

  it("watches from a list's resourceVersion", async () => {
    const list = await c.get(paths.events(NS));
    const w = c.watch(`${paths.events(NS)}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    try {
      assertOk(await c.patch(`${paths.events(NS)}/e1`, { count: 2 }, "merge"), 200);
      assertOk(await c.post(paths.events(NS), event("e5", about("web"))), 201);
      await eventually(() => w.events.length >= 2, 3000, "two watch events");
      assert.deepEqual(
        w.events.map((e) => `${e.type} ${e.object.metadata.name}`),
        ["MODIFIED e1", "ADDED e5"],
      );
      assert.equal(w.events[0].object.count, 2);
    } finally {
      w.stop();
      await w.closed;
    }
  });

  it("answers one ERROR 410 event for a watch from a compacted revision", async () => {
    const first = await c.post(paths.events(NS), event("old", about("web")));
    assertOk(first, 201);
    assertOk(await c.post(paths.events(NS), event("newer", about("web"))), 201);
    await c.cp.backend.compact(c.cp.backend.currentRevision());
    const res = await c.get(
      `${paths.events(NS)}?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`,
    );
    assert.equal(res.status, 200);
    // One line of JSON: the client has already parsed it.
    const ev = res.body;
    assert.equal(ev.type, "ERROR");
    assert.equal(ev.object.code, 410);
    assert.equal(ev.object.reason, "Expired");
  });
});
