// Interner: equal JSON values come back as one frozen object; the table forgets its least recently used entries.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Interner } from "./interner.js";

describe("Interner", () => {
  it("returns the first copy, frozen, for every equal value", () => {
    const interner = new Interner();
    const first = interner.intern([{ key: "a", operator: "Exists" }]);
    const second = interner.intern([{ key: "a", operator: "Exists" }]);
    assert.equal(second, first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first[0]));
    assert.notEqual(interner.intern([{ key: "b" }]), first);
  });

  it("forgets the least recently used value past its limit", () => {
    const interner = new Interner(2);
    const a = interner.intern({ a: 1 });
    const b = interner.intern({ b: 1 });
    assert.equal(interner.intern({ a: 1 }), a, "a is used again, so b is now the oldest");
    interner.intern({ c: 1 });
    assert.equal(interner.intern({ a: 1 }), a);
    assert.notEqual(interner.intern({ b: 1 }), b, "b was forgotten: a new copy is kept");
  });
});
