// Unit tests for FakeClock and sleep: time moves only by hand and timers fire in due order.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock, sleep } from "./clock.js";

describe("FakeClock", () => {
  it("starts at the given time and moves only when advanced or set", () => {
    const clock = new FakeClock(1000);
    assert.equal(clock.now(), 1000);
    clock.advance(250);
    assert.equal(clock.now(), 1250);
    clock.set(5000);
    assert.equal(clock.now(), 5000);
  });

  it("fires due timers earliest first, ties in creation order, reading their own due time", () => {
    const clock = new FakeClock();
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(["c", clock.now()]), 30);
    clock.setTimeout(() => fired.push(["a", clock.now()]), 10);
    clock.setTimeout(() => fired.push(["b", clock.now()]), 10);
    clock.setTimeout(() => fired.push(["late", clock.now()]), 100);
    clock.advance(50);
    assert.deepEqual(fired, [
      ["a", 10],
      ["b", 10],
      ["c", 30],
    ]);
    assert.equal(clock.now(), 50);
    assert.deepEqual(clock.pendingTimers(), [100]);
  });

  it("fires timers scheduled by a firing timer when they fall inside the same advance", () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
    }, 10);
    clock.advance(20);
    assert.deepEqual(fired, [10, 15]);
  });

  it("never fires a cleared timer", () => {
    const clock = new FakeClock();
    let fired = false;
    const timer = clock.setTimeout(() => {
      fired = true;
    }, 10);
    clock.clearTimeout(timer);
    clock.advance(100);
    assert.equal(fired, false);
    assert.deepEqual(clock.pendingTimers(), []);
  });

  it("fires zero-delay timers on advance(0) and leaves them pending until then", () => {
    const clock = new FakeClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 0);
    assert.equal(fired, 0);
    clock.advance(0);
    assert.equal(fired, 1);
  });

  it("moves backward on set without firing anything", () => {
    const clock = new FakeClock(100);
    let fired = 0;
    clock.setTimeout(() => fired++, 10);
    clock.set(50);
    assert.equal(clock.now(), 50);
    assert.equal(fired, 0);
    clock.set(110);
    assert.equal(fired, 1);
  });

  it("jumps to the next timer with advanceToNextTimer", () => {
    const clock = new FakeClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 42);
    assert.equal(clock.advanceToNextTimer(), true);
    assert.equal(clock.now(), 42);
    assert.equal(fired, 1);
    assert.equal(clock.advanceToNextTimer(), false);
  });

  it("rejects a negative advance", () => {
    assert.throws(() => new FakeClock().advance(-1), RangeError);
  });
});

describe("sleep", () => {
  it("resolves true once the clock passes the delay", async () => {
    const clock = new FakeClock();
    let result: boolean | undefined;
    void sleep(clock, 100).then((r) => {
      result = r;
    });
    clock.advance(99);
    await Promise.resolve();
    assert.equal(result, undefined);
    clock.advance(1);
    assert.equal(await Promise.resolve().then(() => result), true);
  });

  it("resolves false on abort and cancels its timer", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const slept = sleep(clock, 100, controller.signal);
    controller.abort();
    assert.equal(await slept, false);
    assert.deepEqual(clock.pendingTimers(), []);
  });

  it("resolves false at once when already aborted", async () => {
    assert.equal(await sleep(new FakeClock(), 100, AbortSignal.abort()), false);
  });
});
