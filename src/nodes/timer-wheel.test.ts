import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../util/clock.js";
import { TimerWheel } from "./timer-wheel.js";

describe("TimerWheel", () => {
  it("runs tasks in time order on one clock timer, skipping cancelled ones", () => {
    const clock = new FakeClock(1000);
    const wheel = new TimerWheel(clock);
    const ran: string[] = [];
    wheel.schedule(1300, () => ran.push("c"));
    wheel.schedule(1100, () => ran.push("a"));
    const b = wheel.schedule(1200, () => ran.push("b"));
    wheel.schedule(1100, () => ran.push("a2"));
    assert.equal(clock.pendingTimers().length, 1, "one clock timer however many tasks");
    b.cancel();
    assert.equal(wheel.size, 3);
    clock.advance(150);
    assert.deepEqual(ran, ["a", "a2"]);
    clock.advance(500);
    assert.deepEqual(ran, ["a", "a2", "c"]);
    assert.equal(clock.pendingTimers().length, 0);
  });

  it("re-arms for an earlier task, runs tasks scheduled from a task, and stops", () => {
    const clock = new FakeClock(0);
    const wheel = new TimerWheel(clock);
    const ran: number[] = [];
    wheel.schedule(500, () => ran.push(500));
    wheel.schedule(100, () => {
      ran.push(100);
      wheel.schedule(clock.now() + 50, () => ran.push(150));
    });
    clock.advance(200);
    assert.deepEqual(ran, [100, 150]);
    wheel.stop();
    wheel.schedule(600, () => ran.push(600));
    clock.advance(1000);
    assert.deepEqual(ran, [100, 150]);
  });

  it("keeps a failing task from stopping the others", () => {
    const clock = new FakeClock(0);
    const errors: unknown[] = [];
    const wheel = new TimerWheel(clock, (e) => errors.push(e));
    const ran: string[] = [];
    wheel.schedule(10, () => {
      throw new Error("boom");
    });
    wheel.schedule(10, () => ran.push("after"));
    clock.advance(10);
    assert.deepEqual(ran, ["after"]);
    assert.equal(errors.length, 1);
  });

  it("compacts when most entries are cancelled", () => {
    const clock = new FakeClock(0);
    const wheel = new TimerWheel(clock);
    const tasks = Array.from({ length: 5000 }, (_, i) => wheel.schedule(1000 + i, () => {}));
    for (const t of tasks.slice(0, 4000)) t.cancel();
    assert.equal(wheel.size, 1000);
  });
});
