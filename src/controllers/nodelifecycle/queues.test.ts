// The lifecycle controller's timing machinery on a FakeClock: the per-zone rate-limited queue and the timed
// eviction workers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settle } from "../../runtime/testing.js";
import { FakeClock } from "../../util/clock.js";
import { RateLimitedTimedQueue, TokenBucket } from "./rate-limited-queue.js";
import { TimedWorkerQueue } from "./timed-workers.js";

describe("TokenBucket", () => {
  it("admits a burst, then one token per 1/qps seconds; a zero rate admits nothing", () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(0.1, 1, clock);
    assert.deepEqual([bucket.tryAccept(), bucket.tryAccept()], [true, false]);
    clock.advance(9_999);
    assert.equal(bucket.tryAccept(), false);
    clock.advance(1);
    assert.equal(bucket.tryAccept(), true);
    assert.equal(new TokenBucket(0, 1, clock).tryAccept(), false);
  });
});

describe("RateLimitedTimedQueue", () => {
  it("processes one node per token, remembers processed nodes until removed, and retries failures later", async () => {
    const clock = new FakeClock(0);
    const queue = new RateLimitedTimedQueue(0.1, clock);
    const seen: string[] = [];
    const action = async ({ value }: { value: string }) => {
      seen.push(value);
      return value === "flaky" ? { done: false, retryAfterMs: 50 } : { done: true };
    };
    assert.equal(queue.add("a", "uid-a"), true);
    assert.equal(queue.add("a", "uid-a"), false, "already queued");
    queue.add("b", "uid-b");
    await queue.try(action);
    assert.deepEqual(seen, ["a"], "the burst is one");
    clock.advance(10_000);
    await queue.try(action);
    assert.deepEqual(seen, ["a", "b"]);
    assert.equal(queue.add("a", "uid-a"), false, "processed nodes stay known");
    assert.equal(queue.remove("a"), true);
    assert.equal(queue.add("a", "uid-a"), true);

    queue.swapLimiter(1000);
    queue.remove("a");
    queue.add("flaky", "uid-f");
    clock.advance(1000);
    await queue.try(action);
    assert.equal(queue.pending, 1, "a failed node waits for its retry");
    clock.advance(100);
    await queue.try(action);
    assert.deepEqual(seen, ["a", "b", "flaky", "flaky"]);
    queue.swapLimiter(0);
    clock.advance(100);
    await queue.try(action);
    assert.equal(seen.length, 4, "a zero rate stops tainting");
  });
});

describe("TimedWorkerQueue", () => {
  function recording(clock: FakeClock, fail = new Set<string>()) {
    const ran: string[] = [];
    const errors: string[] = [];
    const queue = new TimedWorkerQueue(
      clock,
      async (key) => {
        ran.push(key);
        if (fail.has(key)) throw new Error("boom");
      },
      (key) => errors.push(key),
    );
    return { queue, ran, errors };
  }

  it("runs due work at once and later work when its time comes; cancelling stops it", async () => {
    const clock = new FakeClock(0);
    const { queue, ran } = recording(clock);
    queue.addWork("now", 0, 0);
    queue.addWork("later", 0, 5000);
    queue.addWork("cancelled", 0, 5000);
    await settle();
    assert.deepEqual(ran, ["now"]);
    assert.deepEqual(queue.scheduled("later"), { createdAt: 0, fireAt: 5000 });
    assert.equal(queue.cancelWork("cancelled"), true);
    clock.advance(5000);
    await settle();
    assert.deepEqual(ran, ["now", "later"]);
  });

  it("keeps finished work recorded so it is not scheduled twice, and forgets failed work", async () => {
    const clock = new FakeClock(0);
    const { queue, ran, errors } = recording(clock, new Set(["bad"]));
    queue.addWork("good", 0, 0);
    queue.addWork("bad", 0, 0);
    await settle();
    queue.addWork("good", 0, 0);
    queue.addWork("bad", 0, 0);
    await settle();
    assert.deepEqual(ran, ["good", "bad", "bad"]);
    assert.deepEqual(errors, ["bad", "bad"]);
    assert.equal(queue.scheduled("good"), undefined, "done work is not pending");
    assert.equal(queue.cancelWork("good"), false, "cancelling done work reports nothing to cancel");
  });
});
