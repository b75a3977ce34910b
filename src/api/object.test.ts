// withFields: a fresh object with fields replaced, dropped or appended, keeping the base's key order.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withFields } from "./object.js";

describe("withFields", () => {
  it("replaces in place, drops fields given as undefined and appends new ones", () => {
    const base = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "a" },
      spec: { x: 1 },
      status: { phase: "Pending" },
    };
    const out = withFields(base, { spec: undefined, status: { phase: "Running" }, extra: true });
    assert.deepEqual(Object.keys(out), ["apiVersion", "kind", "metadata", "status", "extra"]);
    assert.deepEqual(out.status, { phase: "Running" });
    assert.deepEqual(base.spec, { x: 1 }, "the base is left alone");
  });

  it("puts `first` first", () => {
    const out = withFields(
      { apiVersion: "v1", kind: "Pod", metadata: {} },
      { metadata: { name: "b" } },
      "metadata",
    );
    assert.deepEqual(Object.keys(out), ["metadata", "apiVersion", "kind"]);
    assert.deepEqual(out.metadata, { name: "b" });
  });
});
