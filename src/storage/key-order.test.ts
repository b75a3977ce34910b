// Tests for key ordering: UTF-8 byte order and prefix upper bounds.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareKeys, prefixEnd } from "./key-order.js";

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe("compareKeys", () => {
  const cases: [string, string][] = [
    ["/a", "/b"],
    ["/a", "/a/"],
    ["/B", "/a"],
    ["", "/"],
    ["é", "\uffff"],
    ["\uffff", "😀"],
    ["\ue000", "😀"],
    ["😀", "😁"],
    ["a😀", "a\uffff"],
  ];
  for (const [a, b] of cases) {
    it(`orders ${JSON.stringify(a)} against ${JSON.stringify(b)} as UTF-8 bytes do`, () => {
      assert.equal(Math.sign(compareKeys(a, b)), Math.sign(utf8Order(a, b)));
      assert.equal(Math.sign(compareKeys(b, a)), Math.sign(utf8Order(b, a)));
    });
  }
  it("treats equal keys as equal", () => assert.equal(compareKeys("/x", "/x"), 0));
});

describe("prefixEnd", () => {
  const cases: [string, string | undefined][] = [
    ["/pods/", "/pods0"],
    ["a", "b"],
    ["", undefined],
    ["\ud7ff", "\ue000"],
    ["x\u{10ffff}", "y"],
    ["\u{10ffff}", undefined],
    ["\uffff", "\u{10000}"],
  ];
  for (const [prefix, expected] of cases) {
    it(`bounds ${JSON.stringify(prefix)} by ${JSON.stringify(expected)}`, () => {
      assert.equal(prefixEnd(prefix), expected);
    });
  }

  it("every key with the prefix sorts below the bound, and the bound does not have the prefix", () => {
    const prefix = "/pods/";
    const end = prefixEnd(prefix)!;
    for (const key of ["/pods/", "/pods/a", "/pods/\u{10ffff}\u{10ffff}", "/pods/😀"]) {
      assert.ok(compareKeys(key, end) < 0, key);
    }
    assert.ok(!end.startsWith(prefix));
  });
});
