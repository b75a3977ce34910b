import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backoff } from "./backoff.js";

describe("Backoff", () => {
  it("doubles from 800 ms up to 30 s, as client-go's reflector does", () => {
    const b = new Backoff(
      {},
      () => 0,
      () => 0,
    );
    const delays = Array.from({ length: 8 }, () => b.next());
    assert.deepEqual(delays, [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  });

  it("adds up to 100% jitter", () => {
    const b = new Backoff(
      {},
      () => 0,
      () => 0.5,
    );
    assert.deepEqual([b.next(), b.next()], [1200, 2400]);
  });

  it("starts over after two quiet minutes, or on reset()", () => {
    let now = 0;
    const b = new Backoff(
      {},
      () => now,
      () => 0,
    );
    b.next();
    b.next();
    now += 120_001;
    assert.equal(b.next(), 800);
    b.next();
    b.reset();
    assert.equal(b.next(), 800);
  });
});
