import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CidrSet } from "./range-allocator.js";

const cidrAt = (i: number) => (i < 4 ? `10.244.${i}.0/24` : undefined);

describe("CidrSet", () => {
  it("hands out the lowest free range, skipping ranges nodes hold", () => {
    const set = new CidrSet(cidrAt);
    assert.equal(set.occupy("10.244.0.0/24", "control-plane"), true);
    assert.equal(set.occupy("10.244.2.0/24", "node2"), true);
    assert.equal(set.allocate("a"), "10.244.1.0/24");
    assert.equal(set.allocate("b"), "10.244.3.0/24");
    assert.equal(set.allocate("c"), undefined, "the range is used up");
  });

  it("gives a released range out again, and only its holder may release it", () => {
    const set = new CidrSet(cidrAt);
    assert.equal(set.allocate("a"), "10.244.0.0/24");
    assert.equal(set.allocate("b"), "10.244.1.0/24");
    set.release("10.244.0.0/24", "b");
    assert.equal(set.allocate("c"), "10.244.2.0/24", "b does not hold a's range");
    set.release("10.244.0.0/24", "a");
    assert.equal(set.allocate("d"), "10.244.0.0/24");
  });

  it("refuses a second holder of one range", () => {
    const set = new CidrSet(cidrAt);
    assert.equal(set.occupy("10.244.1.0/24", "a"), true);
    assert.equal(set.occupy("10.244.1.0/24", "a"), true, "the same node again");
    assert.equal(set.occupy("10.244.1.0/24", "b"), false);
  });
});
