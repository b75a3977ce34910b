// Tests for the failed-pod backoff: doubling from 1 s to 15 min, reset after 30 min idle, GC.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backoff } from "./backoff.js";

const S = 1000;
const MIN = 60 * S;

describe("Backoff", () => {
  it("starts unknown and not in backoff", () => {
    const b = new Backoff();
    assert.equal(b.get("k"), 0);
    assert.equal(b.isInBackOffSinceUpdate("k", 0), false);
  });
  it("doubles from 1 s and caps at 15 min", () => {
    const b = new Backoff();
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 12; i++) {
      b.next("k", now);
      delays.push(b.get("k"));
      now += b.get("k");
    }
    assert.deepEqual(delays.slice(0, 4), [S, 2 * S, 4 * S, 8 * S]);
    assert.equal(delays[10], 15 * MIN);
    assert.equal(delays[11], 15 * MIN);
  });
  it("is in backoff strictly within the delay after the last attempt", () => {
    const b = new Backoff();
    b.next("k", 10 * S);
    b.next("k", 11 * S); // delay now 2 s
    assert.equal(b.isInBackOffSinceUpdate("k", 12 * S), true);
    assert.equal(b.isInBackOffSinceUpdate("k", 13 * S - 1), true);
    assert.equal(b.isInBackOffSinceUpdate("k", 13 * S), false);
  });
  it("starts over after twice the maximum without attempts", () => {
    const b = new Backoff();
    b.next("k", 0);
    b.next("k", S);
    b.next("k", 30 * MIN + S + 1);
    assert.equal(b.get("k"), S);
  });
  it("gc drops idle entries only", () => {
    const b = new Backoff();
    b.next("idle", 0);
    b.next("busy", 25 * MIN);
    b.gc(30 * MIN + 1);
    assert.equal(b.size, 1);
    assert.equal(b.get("busy"), S);
    assert.equal(b.get("idle"), 0);
  });
});
