// Tests for EventBudget: bursts, ordered drains, the queue cap, the busy rate and the recorder gate.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../util/clock.js";
import { EventBudget, type EventBudgetOptions } from "./event-budget.js";

/** A budget on a fake clock that records which numbered events it sent. */
function budgetWith(o: Partial<EventBudgetOptions> = {}) {
  const clock = new FakeClock(1_000_000);
  const sent: number[] = [];
  let overflows = 0;
  const budget = new EventBudget({
    clock,
    burst: 3,
    perSecond: 10,
    maxQueued: 4,
    onOverflow: () => overflows++,
    ...o,
  });
  const submit = (...ids: number[]) => {
    for (const id of ids) budget.submit(() => sent.push(id));
  };
  return { clock, budget, sent, submit, overflows: () => overflows };
}

describe("EventBudget", () => {
  it("sends a burst at once, synchronously, and queues the rest", () => {
    const { budget, sent, submit, clock } = budgetWith();
    submit(1, 2, 3, 4, 5);
    assert.deepEqual(sent, [1, 2, 3]);
    assert.equal(budget.queued, 2);
    assert.equal(clock.pendingTimers().length, 1, "one drain timer for the backlog");
  });

  it("drains the queue in order at the refill rate", () => {
    const { budget, sent, submit, clock } = budgetWith();
    submit(1, 2, 3, 4, 5);
    clock.advance(99);
    assert.deepEqual(sent, [1, 2, 3], "no token before 100 ms at 10/s");
    clock.advance(1);
    assert.deepEqual(sent, [1, 2, 3, 4]);
    clock.advance(100);
    assert.deepEqual(sent, [1, 2, 3, 4, 5]);
    assert.equal(budget.queued, 0);
    assert.equal(clock.pendingTimers().length, 0, "no timer once the queue is empty");
  });

  it("keeps the order: a new event waits behind the queued ones even when a token is free", () => {
    const { sent, submit, clock } = budgetWith();
    submit(1, 2, 3, 4);
    clock.set(clock.now() + 50); // half a token: the drain timer has not fired
    submit(5);
    assert.deepEqual(sent, [1, 2, 3]);
    clock.advance(50);
    assert.deepEqual(sent, [1, 2, 3, 4]);
    clock.advance(100);
    assert.deepEqual(sent, [1, 2, 3, 4, 5]);
  });

  it("drops the oldest waiting events beyond the cap and reports the overflow once per backlog", () => {
    const { budget, sent, submit, clock, overflows } = budgetWith();
    submit(1, 2, 3); // the burst
    submit(4, 5, 6, 7, 8, 9); // four fit; 4 and 5 go
    assert.equal(budget.queued, 4);
    assert.equal(budget.dropped, 2);
    assert.equal(overflows(), 1);
    clock.advance(1000);
    assert.deepEqual(sent, [1, 2, 3, 6, 7, 8, 9]);
    submit(10, 11, 12, 13); // three from the refilled bucket, one waits
    submit(14, 15, 16, 17); // the queue is full again: a new backlog, a new report
    assert.equal(overflows(), 2);
    assert.equal(budget.dropped, 3);
  });

  it("refills up to the burst only, however long it was idle", () => {
    const { sent, submit, clock } = budgetWith();
    submit(1, 2, 3);
    clock.advance(3_600_000);
    submit(4, 5, 6, 7);
    assert.deepEqual(sent, [1, 2, 3, 4, 5, 6]);
  });

  it("drains a long backlog in ticks, several events per timer", () => {
    const { sent, submit, clock } = budgetWith({ burst: 30, perSecond: 1000, maxQueued: 100 });
    submit(...Array.from({ length: 105 }, (_, i) => i));
    let timers = 0;
    while (clock.advanceToNextTimer()) timers++;
    assert.equal(sent.length, 105);
    assert.equal(timers, 3, "75 waiting events at 1000/s: three ticks of 25 ms");
  });

  it("goes on after a send that throws, and stop() forgets the backlog", () => {
    const errors: unknown[] = [];
    const { budget, sent, submit, clock } = budgetWith({ onError: (e) => errors.push(e) });
    budget.submit(() => {
      throw new Error("boom");
    });
    submit(1, 2, 3, 4);
    assert.equal(errors.length, 1);
    assert.deepEqual(sent, [1, 2]);
    budget.stop();
    assert.equal(budget.queued, 0);
    assert.equal(clock.pendingTimers().length, 0);
    clock.advance(10_000);
    assert.deepEqual(sent, [1, 2]);
  });

  it("tells each send that never runs, dropped for space or by stop(), so nobody waits for it", () => {
    const { budget } = budgetWith({ maxQueued: 2 });
    const sent: number[] = [];
    const dropped: number[] = [];
    for (const id of [1, 2, 3, 4, 5, 6])
      budget.submit(
        () => sent.push(id),
        () => dropped.push(id),
      );
    assert.deepEqual(sent, [1, 2, 3]);
    assert.deepEqual(dropped, [4], "the oldest waiting one made room for 6");
    budget.stop();
    assert.deepEqual(dropped, [4, 5, 6]);
  });

  it("slows to its busy rate while the event loop is saturated, and speeds up again after", () => {
    let busy = true;
    const { sent, submit, clock } = budgetWith({
      busyPerSecond: 2,
      maxQueued: 100,
      load: { busy: () => busy },
    });
    submit(...Array.from({ length: 13 }, (_, i) => i));
    assert.equal(sent.length, 3, "the burst goes at once, busy or not");
    clock.advance(1000);
    assert.equal(sent.length, 5, "two a second while busy");
    busy = false;
    clock.advance(1000);
    assert.equal(sent.length, 13, "ten a second once the loop is free");
  });

  it("as a recorder's gate: resolves with the write's result, and rejects a write it dropped", async () => {
    const { budget } = budgetWith({ burst: 1, maxQueued: 1 });
    assert.equal(await budget.gate(async () => "first"), "first");
    const queued = budget.gate(async () => "second");
    const stopped = assert.rejects(queued, /event dropped/);
    budget.stop();
    await stopped;
  });
});
