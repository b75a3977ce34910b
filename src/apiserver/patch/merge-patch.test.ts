// Tests for the JSON merge patch: the RFC 7396 examples plus the properties the API server relies on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyMergePatch } from "./merge-patch.js";

describe("applyMergePatch", () => {
  // The test vectors of RFC 7396, appendix A.
  const rfcCases: [original: unknown, patch: unknown, expected: unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [
      ["a", "b"],
      ["c", "d"],
      ["c", "d"],
    ],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  rfcCases.forEach(([original, patch, expected], i) => {
    it(`RFC 7396 example ${i + 1}: ${JSON.stringify(patch)}`, () => {
      assert.deepEqual(applyMergePatch(original, patch), expected);
    });
  });

  it("replaces lists whole, with no merge keys involved", () => {
    const original = { spec: { containers: [{ name: "a", image: "x" }, { name: "b" }] } };
    const patch = { spec: { containers: [{ name: "a", image: "y" }] } };
    assert.deepEqual(applyMergePatch(original, patch), { spec: { containers: [{ name: "a", image: "y" }] } });
  });

  it("keeps nulls inside replaced lists, as the RFC says", () => {
    assert.deepEqual(applyMergePatch({}, { a: [{ b: null }] }), { a: [{ b: null }] });
  });

  it("modifies neither input and shares nothing with the patch", () => {
    const original = Object.freeze({ metadata: Object.freeze({ labels: Object.freeze({ a: "1" }) }) });
    const patch = { metadata: { labels: { b: "2" } }, list: [{ x: 1 }] };
    const result = applyMergePatch(original, patch) as any;
    assert.deepEqual(result, { metadata: { labels: { a: "1", b: "2" } }, list: [{ x: 1 }] });
    assert.deepEqual(original, { metadata: { labels: { a: "1" } } });
    result.list[0].x = 2;
    assert.equal(patch.list[0].x, 1);
  });

  it("treats a __proto__ key as data", () => {
    const result = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as any;
    assert.equal(({} as any).polluted, undefined);
    assert.deepEqual(Object.keys(result), ["__proto__"]);
  });
});
