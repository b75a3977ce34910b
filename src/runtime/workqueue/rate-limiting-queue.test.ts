// Unit tests for RateLimitingQueue: retries arrive after the limiter's delay; forget resets the backoff.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../util/clock.js";
import { ItemExponentialFailureRateLimiter } from "./rate-limiters.js";
import { RateLimitingQueue } from "./rate-limiting-queue.js";

describe("RateLimitingQueue", () => {
  it("re-adds a failed item after the exponential delay and counts its requeues", async () => {
    const clock = new FakeClock();
    const queue = new RateLimitingQueue({ clock });
    for (const expectedDelay of [5, 10, 20]) {
      queue.addRateLimited("a");
      clock.advance(expectedDelay - 1);
      assert.equal(queue.len(), 0, `not before ${expectedDelay}ms`);
      clock.advance(1);
      assert.equal(queue.len(), 1, `at ${expectedDelay}ms`);
      queue.done((await queue.get())!);
    }
    assert.equal(queue.numRequeues("a"), 3);
  });

  it("starts the backoff over after forget", () => {
    const clock = new FakeClock();
    const queue = new RateLimitingQueue({
      clock,
      rateLimiter: new ItemExponentialFailureRateLimiter(100, 10_000),
    });
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    queue.forget("a");
    assert.equal(queue.numRequeues("a"), 0);
    clock.advance(100);
    assert.equal(queue.len(), 1, "forget does not cancel a retry already scheduled");
  });
});
