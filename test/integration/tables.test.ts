// Server-side printing over HTTP: what `kubectl get` receives when it asks for meta.k8s.io Tables, for lists,
// single objects and watches.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { daemonSet, namespace, paths, TABLE_ACCEPT } from "../fixtures/objects.js";
import { assertOk } from "../fixtures/status.js";
import { eventually, TestCluster } from "../support/test-cluster.js";

const NS = "tables";
const DS_COLUMNS = [
  "Name",
  "Desired",
  "Current",
  "Ready",
  "Up-to-date",
  "Available",
  "Node Selector",
  "Age",
  "Containers",
  "Images",
  "Selector",
];
const WIDE_COLUMNS = ["Containers", "Images", "Selector"];

describe("Table responses", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
    const ds = daemonSet("agent", {
      labels: { app: "agent" },
      containers: [
        { name: "main", image: "nginx:1.27" },
        { name: "log", image: "fluent-bit:3.1" },
      ],
    });
    ds.spec.template.spec.nodeSelector = { "kubernetes.io/os": "linux" };
    assertOk(await c.post(paths.daemonSets(NS), ds), 201);
    assertOk(await c.post(paths.daemonSets(NS), daemonSet("beta")), 201);
  });
  after(async () => {
    await c.stop();
  });

  it("a DaemonSet list prints kubectl's columns, the last three only for -o wide", async () => {
    const res = await c.get(paths.daemonSets(NS), { Accept: TABLE_ACCEPT });
    assertOk(res);
    assert.equal(res.body.kind, "Table");
    assert.equal(res.body.apiVersion, "meta.k8s.io/v1");
    assert.match(res.body.metadata.resourceVersion, /^\d+$/);
    const cols = res.body.columnDefinitions;
    assert.deepEqual(
      cols.map((col: any) => col.name),
      DS_COLUMNS,
    );
    for (const col of cols) assert.equal(col.priority, WIDE_COLUMNS.includes(col.name) ? 1 : 0, col.name);
    assert.equal(cols[0].format, "name");
    assert.equal(cols[1].type, "integer");
  });

  it("rows carry the cells and the object's PartialObjectMetadata", async () => {
    const res = await c.get(paths.daemonSets(NS), { Accept: TABLE_ACCEPT });
    assert.equal(res.body.rows.length, 2);
    const [agent] = res.body.rows;
    const [
      name,
      desired,
      current,
      ready,
      upToDate,
      available,
      nodeSelector,
      age,
      containers,
      images,
      selector,
    ] = agent.cells;
    assert.deepEqual(
      [name, desired, current, ready, upToDate, available, nodeSelector],
      ["agent", 0, 0, 0, 0, 0, "kubernetes.io/os=linux"],
    );
    assert.match(age, /^\d+s$/);
    assert.deepEqual([containers, images, selector], ["main,log", "nginx:1.27,fluent-bit:3.1", "app=agent"]);
    assert.equal(agent.object.kind, "PartialObjectMetadata");
    assert.equal(agent.object.apiVersion, "meta.k8s.io/v1");
    assert.equal(agent.object.metadata.name, "agent");
    assert.equal(agent.object.metadata.namespace, NS);
    assert.equal(agent.object.spec, undefined);
  });

  it("includeObject=Object embeds the full object in each row", async () => {
    const res = await c.get(`${paths.daemonSets(NS)}?includeObject=Object`, { Accept: TABLE_ACCEPT });
    assertOk(res);
    const row = res.body.rows[0];
    assert.equal(row.object.kind, "DaemonSet");
    assert.equal(row.object.apiVersion, "apps/v1");
    assert.equal(row.object.spec.template.spec.containers[0].image, "nginx:1.27");
  });

  it("a single-object GET answers a one-row Table", async () => {
    const res = await c.get(paths.daemonSet(NS, "beta"), { Accept: TABLE_ACCEPT });
    assertOk(res);
    assert.equal(res.body.kind, "Table");
    assert.equal(res.body.columnDefinitions.length, DS_COLUMNS.length);
    assert.equal(res.body.rows.length, 1);
    assert.equal(res.body.rows[0].cells[0], "beta");
  });

  it("a paged Table list carries the continue token", async () => {
    const res = await c.get(`${paths.daemonSets(NS)}?limit=1`, { Accept: TABLE_ACCEPT });
    assertOk(res);
    assert.equal(res.body.rows.length, 1);
    assert.ok(res.body.metadata.continue);
    assert.equal(res.body.metadata.remainingItemCount, 1);
  });

  it("a watch that accepts Tables streams one-row Tables", async () => {
    const list = await c.get(paths.daemonSets(NS));
    const controller = new AbortController();
    const events: any[] = [];
    const res = await fetch(
      `${c.url}${paths.daemonSets(NS)}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      {
        headers: { Accept: TABLE_ACCEPT },
        signal: controller.signal,
      },
    );
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buf = "";
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
            if (buf.slice(0, nl).trim()) events.push(JSON.parse(buf.slice(0, nl)));
            buf = buf.slice(nl + 1);
          }
        }
      } catch (e) {
        if ((e as Error).name !== "AbortError") throw e;
      }
    })();
    try {
      assertOk(await c.post(paths.daemonSets(NS), daemonSet("gamma")), 201);
      assertOk(await c.patch(paths.daemonSet(NS, "gamma"), { metadata: { labels: { x: "y" } } }, "merge"));
      await eventually(() => events.length >= 2, 3000, "two table events");
      assert.deepEqual(
        events.map((e) => e.type),
        ["ADDED", "MODIFIED"],
      );
      for (const e of events) {
        assert.equal(e.object.kind, "Table");
        assert.equal(e.object.apiVersion, "meta.k8s.io/v1");
        assert.equal(e.object.rows.length, 1);
        assert.equal(e.object.rows[0].cells[0], "gamma");
        assert.equal(e.object.rows[0].object.kind, "PartialObjectMetadata");
      }
      assert.deepEqual(
        events[0].object.columnDefinitions.map((col: any) => col.name),
        DS_COLUMNS,
      );
    } finally {
      controller.abort();
      await reading;
    }
  });
});
