import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import {
  indexByNodeName,
  indexByOwnerUid,
  NAMESPACE_INDEX,
  NODE_NAME_INDEX,
  OWNER_UID_INDEX,
} from "./indexers.js";
import { Lister } from "./lister.js";
import { ObjectStore } from "./store.js";

function pod(
  ns: string,
  name: string,
  rv: string,
  o: { node?: string; owner?: string; labels?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      namespace: ns,
      name,
      resourceVersion: rv,
      labels: o.labels,
      ownerReferences: o.owner
        ? [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "ds", uid: o.owner }]
        : undefined,
    },
    spec: o.node ? { nodeName: o.node } : {},
  };
}

const keys = (objs: KubeObject[]) =>
  objs.map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`).sort();

function newStore() {
  return new ObjectStore({
    indexers: { [NODE_NAME_INDEX]: indexByNodeName, [OWNER_UID_INDEX]: indexByOwnerUid },
  });
}

describe("ObjectStore", () => {
  it("keeps indexes in step with adds, updates that move an object, and deletes", () => {
    const s = newStore();
    s.apply("ADDED", pod("a", "p1", "1", { node: "n1", owner: "u1" }));
    s.apply("ADDED", pod("a", "p2", "2", { node: "n1" }));
    s.apply("ADDED", pod("b", "p3", "3", { owner: "u1" }));
    assert.deepEqual(keys(s.byIndex(NODE_NAME_INDEX, "n1")), ["a/p1", "a/p2"]);
    assert.deepEqual(keys(s.byIndex(OWNER_UID_INDEX, "u1")), ["a/p1", "b/p3"]);
    assert.deepEqual(keys(s.byIndex(NAMESPACE_INDEX, "a")), ["a/p1", "a/p2"]);

    s.apply("MODIFIED", pod("a", "p1", "4", { node: "n2", owner: "u1" }));
    assert.deepEqual(keys(s.byIndex(NODE_NAME_INDEX, "n1")), ["a/p2"]);
    assert.deepEqual(keys(s.byIndex(NODE_NAME_INDEX, "n2")), ["a/p1"]);

    s.apply("DELETED", pod("a", "p2", "5", { node: "n1" }));
    assert.deepEqual(s.byIndex(NODE_NAME_INDEX, "n1"), []);
    assert.deepEqual(s.indexValues(NODE_NAME_INDEX), ["n2"]);
    assert.equal(s.resourceVersion, "", "apply without a resourceVersion leaves it alone");
    assert.equal(s.size, 2);
  });

  it("reports changes by what it held, not by the event's name", () => {
    const s = newStore();
    assert.equal(s.apply("MODIFIED", pod("a", "x", "1")).type, "add");
    const again = s.apply("ADDED", pod("a", "x", "2"));
    assert.equal(again.type, "update");
    assert.equal(again.type === "update" && again.old.metadata.resourceVersion, "1");
  });

  it("replaces everything at once on a relist and reports the difference", () => {
    const s = newStore();
    s.replace(
      [pod("a", "keep", "1"), pod("a", "change", "1", { node: "n1" }), pod("a", "gone", "1", { node: "n1" })],
      "10",
    );
    const kept = s.get("a/keep");
    const changes = s.replace(
      [pod("a", "keep", "1"), pod("a", "change", "7", { node: "n2" }), pod("a", "new", "8")],
      "20",
    );
    assert.deepEqual(changes.map((c) => [c.type, c.object.metadata.name]).sort(), [
      ["add", "new"],
      ["delete", "gone"],
      ["update", "change"],
    ]);
    assert.equal(s.get("a/keep"), kept, "an unchanged object keeps its identity");
    assert.deepEqual(s.indexValues(NODE_NAME_INDEX), ["n2"]);
    assert.equal(s.resourceVersion, "20");
  });

  it("freezes cached objects so a handler cannot corrupt the cache", () => {
    const s = newStore();
    s.apply("ADDED", pod("a", "x", "1", { labels: { app: "web" } }));
    const cached = s.get("a/x")!;
    assert.throws(() => {
      cached.metadata.labels!.app = "changed";
    }, TypeError);
    const unfrozen = new ObjectStore({ freeze: false });
    unfrozen.apply("ADDED", pod("a", "y", "1"));
    assert.equal(Object.isFrozen(unfrozen.get("a/y")), false);
  });

  it("adds an index later over the objects already there, shares a re-registered one, rejects a clash", () => {
    const s = new ObjectStore();
    s.apply("ADDED", pod("a", "x", "1", { node: "n1" }));
    s.addIndexers({ [NODE_NAME_INDEX]: indexByNodeName });
    assert.deepEqual(keys(s.byIndex(NODE_NAME_INDEX, "n1")), ["a/x"]);
    // Two controllers asking for the same well-known index share it.
    s.addIndexers({ [NODE_NAME_INDEX]: indexByNodeName });
    assert.deepEqual(keys(s.byIndex(NODE_NAME_INDEX, "n1")), ["a/x"]);
    assert.throws(() => s.addIndexers({ [NODE_NAME_INDEX]: (o) => [o.metadata.name!] }), /already exists/);
    assert.throws(() => s.byIndex("nope", "x"), /no index named "nope"/);
  });
});

describe("Lister", () => {
  const s = newStore();
  s.apply("ADDED", pod("a", "web-1", "1", { labels: { app: "web" }, node: "n1" }));
  s.apply("ADDED", pod("a", "db-1", "2", { labels: { app: "db" } }));
  s.apply("ADDED", pod("b", "web-2", "3", { labels: { app: "web" } }));
  s.apply("ADDED", { apiVersion: "v1", kind: "Node", metadata: { name: "n1", resourceVersion: "4" } });
  const lister = new Lister(s);

  const cases: [string, () => KubeObject[], string[]][] = [
    ["every object", () => lister.list(), ["/n1", "a/db-1", "a/web-1", "b/web-2"]],
    ["one namespace", () => lister.list("a"), ["a/db-1", "a/web-1"]],
    ["a selector across namespaces", () => lister.list(undefined, "app=web"), ["a/web-1", "b/web-2"]],
    ["a selector in a namespace", () => lister.list("a", "app in (web,db),app!=db"), ["a/web-1"]],
    ["an index", () => lister.byIndex(NODE_NAME_INDEX, "n1"), ["a/web-1"]],
    ['cluster-scoped objects by namespace ""', () => lister.list(""), ["/n1"]],
  ];
  for (const [what, run, expected] of cases)
    it(`lists ${what}`, () => assert.deepEqual(keys(run()), expected));

  it("gets namespaced and cluster-scoped objects", () => {
    assert.equal(lister.get("a", "web-1")?.metadata.resourceVersion, "1");
    assert.equal(lister.get(undefined, "n1")?.kind, "Node");
    assert.equal(lister.get("b", "web-1"), undefined);
  });
});
