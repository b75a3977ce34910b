import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KubeletBackoff } from "./kubelet-backoff.js";

describe("KubeletBackoff", () => {
  it("starts at 10s, doubles to 5m, and forgets after twice the maximum", () => {
    const b = new KubeletBackoff();
    assert.equal(b.isInBackOffSince("c", 0, 1), false, "no entry: not in back-off");
    const seen: number[] = [];
    let t = 0;
    for (let i = 0; i < 7; i++) {
      b.next("c", t);
      seen.push(b.get("c"));
      t += 1000;
    }
    assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    assert.equal(b.isInBackOffSince("c", t, t + 299_999), true);
    assert.equal(b.isInBackOffSince("c", t, t + 300_000), false);
    assert.equal(b.isInBackOffSinceUpdate("c", t - 1000 + 299_999), true);
    b.next("c", t + 600_001);
    assert.equal(b.get("c"), 10_000, "stable for twice the maximum: starts over");
  });
});
