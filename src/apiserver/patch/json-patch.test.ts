// Tests for the JSON patch: each RFC 6902 operation, and upstream's codes for unreadable patches (400),
// patches that do not apply (422) and oversized ones (413).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from "./json-patch.js";
import { patchErrorText } from "./patch-errors.js";

const node = () => ({
  metadata: { name: "n1", labels: { a: "1" } },
  spec: { taints: [{ key: "x", effect: "NoSchedule" }] },
});

describe("applyJsonPatch: operations", () => {
  const cases: { name: string; ops: unknown[]; expected: unknown }[] = [
    {
      name: "add a map key (kubectl label via json patch)",
      ops: [{ op: "add", path: "/metadata/labels/b", value: "2" }],
      expected: { ...node(), metadata: { name: "n1", labels: { a: "1", b: "2" } } },
    },
    {
      name: "add to the end of a list with -",
      ops: [{ op: "add", path: "/spec/taints/-", value: { key: "y", effect: "NoExecute" } }],
      expected: {
        ...node(),
        spec: {
          taints: [
            { key: "x", effect: "NoSchedule" },
            { key: "y", effect: "NoExecute" },
          ],
        },
      },
    },
    {
      name: "remove a list item",
      ops: [{ op: "remove", path: "/spec/taints/0" }],
      expected: { ...node(), spec: { taints: [] } },
    },
    {
      name: "replace a value, with ~1 escaping a slash",
      ops: [
        { op: "add", path: "/metadata/labels/kubernetes.io~1os", value: "linux" },
        { op: "replace", path: "/metadata/labels/kubernetes.io~1os", value: "windows" },
      ],
      expected: { ...node(), metadata: { name: "n1", labels: { a: "1", "kubernetes.io/os": "windows" } } },
    },
    {
      name: "move and copy",
      ops: [
        { op: "copy", from: "/metadata/labels/a", path: "/metadata/labels/c" },
        { op: "move", from: "/metadata/labels/a", path: "/metadata/labels/b" },
      ],
      expected: { ...node(), metadata: { name: "n1", labels: { c: "1", b: "1" } } },
    },
    {
      name: "a passing test lets later operations run",
      ops: [
        { op: "test", path: "/metadata/labels", value: { a: "1" } },
        { op: "remove", path: "/metadata/labels/a" },
      ],
      expected: { ...node(), metadata: { name: "n1", labels: {} } },
    },
    { name: "an empty patch changes nothing", ops: [], expected: node() },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(applyJsonPatch(node(), c.ops), c.expected));
  }
});

describe("applyJsonPatch: failures", () => {
  const cases: { name: string; ops: unknown; code: number; message: RegExp }[] = [
    { name: "a body that is not a list", ops: { op: "add" }, code: 400, message: /JSON array of operations/ },
    {
      name: "an operation that is not an object",
      ops: ["add"],
      code: 400,
      message: /operation 0 is not an object/,
    },
    {
      name: "a failed test",
      ops: [{ op: "test", path: "/metadata/name", value: "n2" }],
      code: 422,
      message: /test operation 0 on path "\/metadata\/name" does not apply: test failed/,
    },
    {
      name: "removing a missing path",
      ops: [{ op: "remove", path: "/metadata/annotations" }],
      code: 422,
      message: /doc is missing path/,
    },
    {
      name: "replacing a missing key",
      ops: [{ op: "replace", path: "/spec/unschedulable", value: true }],
      code: 422,
      message: /doc is missing path/,
    },
    {
      name: "adding below a missing parent",
      ops: [{ op: "add", path: "/status/capacity/cpu", value: "4" }],
      code: 422,
      message: /parent of the path does not exist/,
    },
    {
      name: "an index past the end of a list",
      ops: [{ op: "add", path: "/spec/taints/5", value: {} }],
      code: 422,
      message: /out of bounds/,
    },
    {
      name: "an unknown op",
      ops: [{ op: "frobnicate", path: "/a" }],
      code: 422,
      message: /unknown operation/,
    },
    {
      name: "a path without a leading slash",
      ops: [{ op: "add", path: "a", value: 1 }],
      code: 422,
      message: /JSON pointer/,
    },
    {
      name: "a missing value",
      ops: [{ op: "add", path: "/a" }],
      code: 422,
      message: /"value" field is required/,
    },
    {
      name: "a move from a missing path",
      ops: [{ op: "move", from: "/nope", path: "/a" }],
      code: 422,
      message: /move operation 0 on path "\/a" from \/nope does not apply/,
    },
    {
      name: "a prototype pollution attempt",
      ops: [{ op: "add", path: "/__proto__/polluted", value: true }],
      code: 422,
      message: /banned/,
    },
    {
      name: "more operations than upstream allows",
      ops: Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: "test", path: "", value: {} })),
      code: 413,
      message: /The allowed maximum operations in a JSON patch is 10000, got 10001/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => applyJsonPatch(node(), c.ops),
        (err: unknown) => {
          assert.ok(err instanceof ApiError);
          assert.equal(err.code, c.code);
          assert.equal(
            err.reason,
            { 400: "BadRequest", 413: "RequestEntityTooLarge", 422: "Invalid" }[c.code],
          );
          assert.match(patchErrorText(err), c.message);
          if (err.code === 422)
            assert.equal(err.message, "the server rejected our request due to an error in our request");
          return true;
        },
      );
      assert.equal(({} as any).polluted, undefined);
    });
  }
});

describe("applyJsonPatch: inputs", () => {
  it("is all or nothing and leaves both inputs untouched", () => {
    const original = node();
    const ops = [
      { op: "add", path: "/metadata/labels/b", value: { nested: true } },
      { op: "remove", path: "/nope" },
    ];
    assert.throws(() => applyJsonPatch(original, ops));
    assert.deepEqual(original, node());

    const result = applyJsonPatch(original, ops.slice(0, 1)) as any;
    result.metadata.labels.b.nested = false;
    assert.deepEqual(ops[0], { op: "add", path: "/metadata/labels/b", value: { nested: true } });
    assert.deepEqual(original, node());
  });
});
