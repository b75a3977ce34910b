// Unit tests of the watch cache: indexes, key order, the event window and 410 past it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { ResourceCache } from "./resource-cache.js";

const pod = (ns: string, name: string, node = "", rv = 1): KubeObject => ({
  metadata: { namespace: ns, name, resourceVersion: String(rv) },
  spec: { nodeName: node },
});
const key = (ns: string, name: string) => `/registry/core/pods/${ns}/${name}`;

function cache(window = 3, initialRv = 0) {
  return new ResourceCache("pods", { "spec.nodeName": (o) => o.spec?.nodeName ?? "" }, window, initialRv);
}

describe("ResourceCache", () => {
  it("lists objects in key order, by namespace and by field index", () => {
    const c = cache(10);
    c.apply(key("b", "p2"), "put", pod("b", "p2", "n1"), 1);
    c.apply(key("a", "p1"), "put", pod("a", "p1", "n2"), 2);
    c.apply(key("b", "p0"), "put", pod("b", "p0", "n1"), 3);
    assert.deepEqual(
      c.list().map((o) => o.metadata.name),
      ["p1", "p0", "p2"],
    );
    assert.deepEqual(
      c.list({ namespace: "b" }).map((o) => o.metadata.name),
      ["p0", "p2"],
    );
    assert.deepEqual(
      c.list({ index: { name: "spec.nodeName", value: "n1" } }).map((o) => o.metadata.name),
      ["p0", "p2"],
    );
  });

  it("moves an object between index values when the field changes and drops it on delete", () => {
    const c = cache(10);
    c.apply(key("a", "p"), "put", pod("a", "p", ""), 1);
    c.apply(key("a", "p"), "put", pod("a", "p", "n1"), 2);
    assert.equal(c.list({ index: { name: "spec.nodeName", value: "" } }).length, 0);
    assert.equal(c.list({ index: { name: "spec.nodeName", value: "n1" } }).length, 1);
    const e = c.apply(key("a", "p"), "delete", pod("a", "p", "n1", 3), 3);
    assert.equal(e.type, "DELETED");
    assert.equal(c.size, 0);
    assert.equal(c.list({ namespace: "a" }).length, 0);
    assert.equal(c.list({ index: { name: "spec.nodeName", value: "n1" } }).length, 0);
  });

  it("reports ADDED then MODIFIED with the previous object", () => {
    const c = cache(10);
    const a = c.apply(key("a", "p"), "put", pod("a", "p", "", 1), 1);
    const m = c.apply(key("a", "p"), "put", pod("a", "p", "n1", 2), 2);
    assert.equal(a.type, "ADDED");
    assert.equal(m.type, "MODIFIED");
    assert.equal(m.prevObject?.spec.nodeName, "");
  });

  it("replays the events after a revision inside the window", () => {
    const c = cache(3, 10);
    for (let rv = 11; rv <= 13; rv++) c.apply(key("a", `p${rv}`), "put", pod("a", `p${rv}`), rv);
    assert.deepEqual(
      c.eventsSince(11).map((e) => e.rv),
      [12, 13],
    );
    assert.deepEqual(
      c.eventsSince(10).map((e) => e.rv),
      [11, 12, 13],
    );
  });

  it("answers 410 Expired for a revision older than the window", () => {
    const c = cache(3, 10);
    for (let rv = 11; rv <= 15; rv++) c.apply(key("a", `p${rv}`), "put", pod("a", `p${rv}`), rv);
    // The window now holds 13, 14, 15: resuming after 12 is still exact, after 11 is not.
    assert.deepEqual(
      c.eventsSince(12).map((e) => e.rv),
      [13, 14, 15],
    );
    assert.throws(
      () => c.eventsSince(11),
      (e: unknown) => e instanceof ApiError && e.code === 410 && e.reason === "Expired",
    );
  });
});
