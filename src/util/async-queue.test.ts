// AsyncQueue: values in order whether pushed before or while the consumer waits; end() drains, then stops.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AsyncQueue } from "./async-queue.js";

describe("AsyncQueue", () => {
  it("yields values pushed before and after the consumer starts waiting, then ends", async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    const seen: number[] = [];
    const done = (async () => {
      for await (const v of q) seen.push(v);
    })();
    q.push(2);
    await Promise.resolve();
    q.push(3);
    q.end();
    q.push(4);
    await done;
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(q.isEnded, true);
  });

  it("next() reports done on an ended, drained queue", async () => {
    const q = new AsyncQueue<string>();
    q.end();
    assert.deepEqual(await q.next(), { done: true, value: undefined });
  });
});
