// Lists and watches over HTTP: label and field selectors, paging with continue tokens, list resourceVersions,
// and watch streams (replay from a resourceVersion, initial ADDEDs, selector exits, 410 Expired, timeouts).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { configMap, event, namespace, paths, pod } from "../fixtures/objects.js";
import { startSmallWindowServer } from "../fixtures/small-window-server.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { eventually, TestCluster } from "../support/test-cluster.js";

const names = (list: any): string[] => list.items.map((o: any) => o.metadata.name);

describe("list and watch", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    for (const ns of ["sel", "sel-other", "fields", "paging", "watching"]) {
      assertOk(await c.post(paths.namespaces(), namespace(ns)), 201);
    }
    const labelled: [string, Record<string, string> | undefined][] = [
      ["a", { app: "web", tier: "front", suite: "sel" }],
      ["b", { app: "web", tier: "back", suite: "sel" }],
      ["c", { app: "db", suite: "sel" }],
      ["d", undefined],
    ];
    for (const [name, labels] of labelled) {
      assertOk(await c.post(paths.configMaps("sel"), configMap(name, { labels })), 201);
    }
    assertOk(
      await c.post(paths.configMaps("sel-other"), configMap("e", { labels: { app: "web", suite: "sel" } })),
      201,
    );
  });
  after(async () => {
    await c.stop();
  });

  describe("label selectors", () => {
    const cases: [string, string[]][] = [
      ["app=web", ["a", "b"]],
      ["app==web", ["a", "b"]],
      ["app!=web", ["c", "d"]],
      ["tier in (front,back)", ["a", "b"]],
      ["tier notin (front)", ["b", "c", "d"]],
      ["tier", ["a", "b"]],
      ["!tier", ["c", "d"]],
      ["app=web,tier=back", ["b"]],
      ["app in (web,db),!tier", ["c"]],
    ];
    for (const [selector, expected] of cases) {
      it(`"${selector}" selects ${expected.join(", ")}`, async () => {
        const res = await c.get(`${paths.configMaps("sel")}?labelSelector=${encodeURIComponent(selector)}`);
        assertOk(res);
        assert.deepEqual(names(res.body), expected);
      });
    }

    it("a selector that does not parse answers 400", async () => {
      assertFailure(
        await c.get(`${paths.configMaps("sel")}?labelSelector=${encodeURIComponent("app in web")}`),
        {
          code: 400,
          reason: "BadRequest",
        },
      );
    });
  });

  describe("field selectors", () => {
    before(async () => {
      assertOk(await c.post(paths.pods("fields"), pod("p1", { nodeName: "node-1" })), 201);
      assertOk(await c.post(paths.pods("fields"), pod("p2", { nodeName: "node-2" })), 201);
      assertOk(await c.post(paths.pods("fields"), pod("p3")), 201);
      const running = await c.patch(
        `${paths.pod("fields", "p2")}/status`,
        { status: { phase: "Running" } },
        "merge",
      );
      assertOk(running);
      for (const [name, involved] of [
        ["ev1", "p1"],
        ["ev2", "p2"],
      ]) {
        const res = await c.post(
          paths.events("fields"),
          event(name, { kind: "Pod", namespace: "fields", name: involved }),
        );
        assertOk(res, 201);
      }
    });

    it("metadata.name selects one object", async () => {
      const res = await c.get(`${paths.configMaps("sel")}?fieldSelector=metadata.name%3Db`);
      assertOk(res);
      assert.deepEqual(names(res.body), ["b"]);
    });

    it("metadata.namespace narrows an all-namespaces list", async () => {
      const res = await c.get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Dsel-other");
      assertOk(res);
      assert.deepEqual(names(res.body), ["e"]);
      const not = await c.get(
        "/api/v1/configmaps?labelSelector=suite%3Dsel&fieldSelector=metadata.namespace!%3Dsel-other",
      );
      assert.deepEqual(names(not.body), ["a", "b", "c"]);
    });

    it("spec.nodeName selects the pods bound to a node, and the empty value the unbound ones", async () => {
      assert.deepEqual(
        names((await c.get(`${paths.pods("fields")}?fieldSelector=spec.nodeName%3Dnode-1`)).body),
        ["p1"],
      );
      assert.deepEqual(names((await c.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-2")).body), [
        "p2",
      ]);
      assert.deepEqual(names((await c.get(`${paths.pods("fields")}?fieldSelector=spec.nodeName%3D`)).body), [
        "p3",
      ]);
    });

    it("status.phase selects pods by phase", async () => {
      assert.deepEqual(
        names((await c.get(`${paths.pods("fields")}?fieldSelector=status.phase%3DRunning`)).body),
        ["p2"],
      );
      assert.deepEqual(
        names((await c.get(`${paths.pods("fields")}?fieldSelector=status.phase!%3DRunning`)).body),
        ["p1", "p3"],
      );
    });

    it("involvedObject fields select events", async () => {
      const q = encodeURIComponent("involvedObject.kind=Pod,involvedObject.name=p2");
      const res = await c.get(`${paths.events("fields")}?fieldSelector=${q}`);
      assertOk(res);
      assert.deepEqual(names(res.body), ["ev2"]);
    });

    it("a field the kind cannot select on answers 400", async () => {
      assertFailure(await c.get(`${paths.configMaps("sel")}?fieldSelector=spec.foo%3Dbar`), {
        code: 400,
        reason: "BadRequest",
        message: '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
      });
      assertFailure(await c.get(`${paths.pods("fields")}?fieldSelector=spec.foo%3Dbar`), {
        code: 400,
        reason: "BadRequest",
        message: "field label not supported: spec.foo",
      });
    });
  });

  describe("paging", () => {
    before(async () => {
      for (const n of [1, 2, 3, 4, 5]) {
        assertOk(
          await c.post(
            paths.configMaps("paging"),
            configMap(`p${n}`, { labels: { odd: String(n % 2 === 1) } }),
          ),
          201,
        );
      }
    });

    it("limit and continue walk every page at one resourceVersion, counting what remains", async () => {
      const first = await c.get(`${paths.configMaps("paging")}?limit=2`);
      assertOk(first);
      assert.deepEqual(names(first.body), ["p1", "p2"]);
      assert.equal(first.body.metadata.remainingItemCount, 3);
      assert.ok(first.body.metadata.continue);

      const second = await c.get(
        `${paths.configMaps("paging")}?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`,
      );
      assertOk(second);
      assert.deepEqual(names(second.body), ["p3", "p4"]);
      assert.equal(second.body.metadata.remainingItemCount, 1);
      assert.equal(second.body.metadata.resourceVersion, first.body.metadata.resourceVersion);

      const last = await c.get(
        `${paths.configMaps("paging")}?limit=2&continue=${encodeURIComponent(second.body.metadata.continue)}`,
      );
      assertOk(last);
      assert.deepEqual(names(last.body), ["p5"]);
      assert.equal(last.body.metadata.continue, undefined);
      assert.equal(last.body.metadata.remainingItemCount, undefined);
      assert.equal(last.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    });

    it("a filtered page has a continue token but no remainingItemCount", async () => {
      const res = await c.get(`${paths.configMaps("paging")}?limit=1&labelSelector=odd%3Dtrue`);
      assertOk(res);
      assert.deepEqual(names(res.body), ["p1"]);
      assert.ok(res.body.metadata.continue);
      assert.equal(res.body.metadata.remainingItemCount, undefined);
      const next = await c.get(
        `${paths.configMaps("paging")}?limit=5&labelSelector=odd%3Dtrue&continue=${encodeURIComponent(res.body.metadata.continue)}`,
      );
      assert.deepEqual(names(next.body), ["p3", "p5"]);
    });

    it("later pages show the snapshot of the first page, not writes made since", async () => {
      const first = await c.get(`${paths.configMaps("paging")}?limit=2`);
      assertOk(await c.post(paths.configMaps("paging"), configMap("p9")), 201);
      const rest = await c.get(
        `${paths.configMaps("paging")}?limit=10&continue=${encodeURIComponent(first.body.metadata.continue)}`,
      );
      assertOk(rest);
      assert.deepEqual(names(rest.body), ["p3", "p4", "p5"]);
    });
  });

  it("lists across all namespaces in storage-key order, naming each item's namespace", async () => {
    const res = await c.get("/api/v1/configmaps?labelSelector=suite%3Dsel");
    assertOk(res);
    assert.equal(res.body.kind, "ConfigMapList");
    assert.equal(res.body.apiVersion, "v1");
    assert.deepEqual(
      res.body.items.map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`),
      // Keys compare bytewise: "sel-other/" sorts before "sel/" because "-" < "/".
      ["sel-other/e", "sel/a", "sel/b", "sel/c"],
    );
  });

  it("a list's resourceVersion is at least that of the latest write", async () => {
    const created = await c.post(paths.configMaps("sel-other"), configMap("rv-probe"));
    assertOk(created, 201);
    const list = await c.get(paths.configMaps("sel"));
    assert.ok(Number(list.body.metadata.resourceVersion) >= Number(created.body.metadata.resourceVersion));
  });

  describe("watch", () => {
    it("a watch from a list's resourceVersion delivers later ADDED, MODIFIED and DELETED in order", async () => {
      const list = await c.get(paths.configMaps("watching"));
      const w = c.watch(
        `${paths.configMaps("watching")}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      );
      try {
        const created = await c.post(paths.configMaps("watching"), configMap("w1"));
        const updated = await c.patch(
          paths.configMap("watching", "w1"),
          { data: { key: "changed" } },
          "merge",
        );
        assertOk(await c.delete(paths.configMap("watching", "w1")));
        await eventually(() => w.events.length >= 3, 3000, "three events");
        assert.deepEqual(
          w.events.map((e) => e.type),
          ["ADDED", "MODIFIED", "DELETED"],
        );
        assert.equal(w.events[0].object.metadata.resourceVersion, created.body.metadata.resourceVersion);
        assert.equal(w.events[1].object.metadata.resourceVersion, updated.body.metadata.resourceVersion);
        assert.equal(w.events[1].object.data.key, "changed");
        assert.ok(
          Number(w.events[2].object.metadata.resourceVersion) > Number(updated.body.metadata.resourceVersion),
        );
        assert.equal(w.events[2].object.kind, "ConfigMap");
      } finally {
        w.stop();
      }
    });

    it("a watch at resourceVersion 0 starts with the existing objects as ADDED", async () => {
      const w = c.watch(`${paths.configMaps("sel")}?watch=true&resourceVersion=0`);
      try {
        await eventually(() => w.events.length >= 4, 3000, "initial events");
        assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name}`).sort(), [
          "ADDED a",
          "ADDED b",
          "ADDED c",
          "ADDED d",
        ]);
      } finally {
        w.stop();
      }
    });

    it("a label-selector watch sends DELETED when an object stops matching", async () => {
      const list = await c.get(paths.configMaps("watching"));
      const w = c.watch(
        `${paths.configMaps("watching")}?watch=true&labelSelector=color%3Dred&resourceVersion=${list.body.metadata.resourceVersion}`,
      );
      try {
        assertOk(
          await c.post(paths.configMaps("watching"), configMap("paint", { labels: { color: "red" } })),
          201,
        );
        const blue = await c.patch(
          paths.configMap("watching", "paint"),
          { metadata: { labels: { color: "blue" } } },
          "merge",
        );
        await eventually(() => w.events.length >= 2, 3000, "two events");
        assert.deepEqual(
          w.events.map((e) => e.type),
          ["ADDED", "DELETED"],
        );
        assert.equal(w.events[1].object.metadata.name, "paint");
        // The DELETED event carries the last state that matched, at the revision that made it stop matching.
        assert.deepEqual(w.events[1].object.metadata.labels, { color: "red" });
        assert.equal(w.events[1].object.metadata.resourceVersion, blue.body.metadata.resourceVersion);
      } finally {
        w.stop();
      }
    });

    it("a spec.nodeName watch sees only that node's pods", async () => {
      assertOk(await c.post(paths.namespaces(), namespace("node-watch")), 201);
      const list = await c.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-x");
      const w = c.watch(
        `/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dnode-x&resourceVersion=${list.body.metadata.resourceVersion}`,
      );
      try {
        assertOk(await c.post(paths.pods("node-watch"), pod("elsewhere", { nodeName: "node-y" })), 201);
        assertOk(await c.post(paths.pods("node-watch"), pod("here", { nodeName: "node-x" })), 201);
        await eventually(() => w.events.length >= 1, 3000, "one event");
        assertOk(await c.get(paths.pod("node-watch", "here")));
        assert.deepEqual(
          w.events.map((e) => `${e.type} ${e.object.metadata.name}`),
          ["ADDED here"],
        );
      } finally {
        w.stop();
      }
    });

    it("timeoutSeconds ends the stream", async () => {
      const started = Date.now();
      const w = c.watch(`${paths.configMaps("watching")}?watch=true&timeoutSeconds=1`);
      await w.closed;
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 900 && elapsed < 3000, `closed after ${elapsed} ms`);
    });

    it("a watch with allowWatchBookmarks opens a chunked JSON stream at once", async () => {
      const controller = new AbortController();
      const res = await fetch(
        `${c.url}${paths.configMaps("watching")}?watch=true&allowWatchBookmarks=true&resourceVersion=0`,
        {
          signal: controller.signal,
        },
      );
      try {
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      } finally {
        controller.abort();
        await res.body?.cancel().catch(() => {});
      }
    });
  });
});

describe("watch from a resourceVersion older than the watch cache window", () => {
  const WINDOW = 5;
  let server: Awaited<ReturnType<typeof startSmallWindowServer>>;
  before(async () => {
    server = await startSmallWindowServer(WINDOW);
  });
  after(async () => {
    await server.stop();
  });

  it("answers one ERROR event carrying a 410 Expired Status, then ends", async () => {
    const post = async (name: string) => {
      const res = await fetch(`${server.url}${paths.configMaps("default")}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(configMap(name)),
      });
      assert.equal(res.status, 201);
      return (await res.json()) as any;
    };
    const first = await post("old-0");
    for (let i = 1; i <= WINDOW * 2; i++) await post(`old-${i}`);
    const res = await fetch(
      `${server.url}${paths.configMaps("default")}?watch=true&resourceVersion=${first.metadata.resourceVersion}`,
    );
    assert.equal(res.status, 200);
    const lines = (await res.text()).split("\n").filter((l) => l.trim() !== "");
    assert.equal(lines.length, 1);
    const ev = JSON.parse(lines[0]);
    assert.equal(ev.type, "ERROR");
    assert.equal(ev.object.kind, "Status");
    assert.equal(ev.object.status, "Failure");
    assert.equal(ev.object.code, 410);
    assert.equal(ev.object.reason, "Expired");
    assert.match(
      ev.object.message,
      new RegExp(`^too old resource version: ${first.metadata.resourceVersion} \\(\\d+\\)$`),
    );
  });
});
