// Unit tests for DelayingQueue: items appear only when due, earliest first, duplicates keep the earliest.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../util/clock.js";
import { DelayingQueue } from "./delaying-queue.js";

async function drain(queue: DelayingQueue): Promise<string[]> {
  const items: string[] = [];
  while (queue.len() > 0) {
    const item = (await queue.get())!;
    items.push(item);
    queue.done(item);
  }
  return items;
}

describe("DelayingQueue", () => {
  it("adds an item only once its delay has passed", async () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue({ clock });
    queue.addAfter("a", 50);
    clock.advance(49);
    assert.equal(queue.len(), 0);
    assert.equal(queue.waitingLen(), 1);
    clock.advance(1);
    assert.equal(queue.len(), 1);
    assert.equal(queue.waitingLen(), 0);
    assert.equal(await queue.get(), "a");
  });

  it("adds at once when the delay is zero or negative", () => {
    const queue = new DelayingQueue({ clock: new FakeClock() });
    queue.addAfter("a", 0);
    queue.addAfter("b", -5);
    assert.equal(queue.len(), 2);
  });

  const orderingCases: Array<{ name: string; adds: Array<[string, number]>; expected: string[] }> = [
    {
      name: "reverse insertion",
      adds: [
        ["c", 30],
        ["b", 20],
        ["a", 10],
      ],
      expected: ["a", "b", "c"],
    },
    {
      name: "interleaved",
      adds: [
        ["b", 20],
        ["a", 10],
        ["d", 40],
        ["c", 30],
      ],
      expected: ["a", "b", "c", "d"],
    },
    {
      name: "same instant keeps insertion order",
      adds: [
        ["x", 10],
        ["y", 10],
        ["z", 10],
      ],
      expected: ["x", "y", "z"],
    },
  ];
  for (const { name, adds, expected } of orderingCases) {
    it(`releases waiting items earliest first (${name})`, async () => {
      const clock = new FakeClock();
      const queue = new DelayingQueue({ clock });
      for (const [item, ms] of adds) queue.addAfter(item, ms);
      clock.advance(100);
      assert.deepEqual(await drain(queue), expected);
    });
  }

  it("keeps the earlier time when an item is added again with a later delay", () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue({ clock });
    queue.addAfter("a", 10);
    queue.addAfter("a", 100);
    assert.equal(queue.waitingLen(), 1);
    clock.advance(10);
    assert.equal(queue.len(), 1);
  });

  it("moves an item up when it is added again with an earlier delay", async () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue({ clock });
    queue.addAfter("b", 50);
    queue.addAfter("a", 100);
    queue.addAfter("a", 20);
    clock.advance(20);
    assert.deepEqual(await drain(queue), ["a"]);
    clock.advance(30);
    assert.deepEqual(await drain(queue), ["b"]);
  });

  it("keeps a single timer, armed for the earliest waiting item", () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue({ clock });
    queue.addAfter("a", 100);
    queue.addAfter("b", 30);
    queue.addAfter("c", 60);
    assert.deepEqual(clock.pendingTimers(), [30]);
    clock.advance(30);
    assert.deepEqual(clock.pendingTimers(), [60]);
  });

  it("collapses a due item with the same item already pending", () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue({ clock });
    queue.add("a");
    queue.addAfter("a", 10);
    clock.advance(10);
    assert.equal(queue.len(), 1);
  });

  it("drops waiting items and its timer on shutdown, and ignores addAfter afterwards", () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue({ clock });
    queue.addAfter("a", 10);
    queue.shutDown();
    assert.deepEqual(clock.pendingTimers(), []);
    queue.addAfter("b", 10);
    clock.advance(100);
    assert.equal(queue.len(), 0);
    assert.equal(queue.waitingLen(), 0);
  });

  it("counts every addAfter as a retry in metrics", () => {
    let retries = 0;
    const queue = new DelayingQueue({
      clock: new FakeClock(),
      metrics: { add() {}, get() {}, done() {}, retry: () => retries++ },
    });
    queue.addAfter("a", 0);
    queue.addAfter("b", 10);
    assert.equal(retries, 2);
  });
});
