// Unit tests for the rate limiters: exponential per-item backoff, token bucket pacing, max-of combination.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../util/clock.js";
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from "./rate-limiters.js";

describe("ItemExponentialFailureRateLimiter", () => {
  it("doubles from 5ms per failure and caps at the maximum", () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(5, 1000);
    const delays = Array.from({ length: 10 }, () => limiter.when("a"));
    assert.deepEqual(delays, [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
    assert.equal(limiter.numRequeues("a"), 10);
  });

  it("defaults to 5ms doubling up to 1000s and stays finite however many failures pile up", () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    assert.equal(limiter.when("a"), 5);
    for (let i = 0; i < 2000; i++) limiter.when("a");
    assert.equal(limiter.when("a"), 1_000_000);
  });

  it("tracks items independently and starts over after forget", () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(1, 100);
    limiter.when("a");
    limiter.when("a");
    assert.equal(limiter.when("b"), 1);
    limiter.forget("a");
    assert.equal(limiter.numRequeues("a"), 0);
    assert.equal(limiter.when("a"), 1);
    assert.equal(limiter.numRequeues("b"), 1);
  });
});

describe("BucketRateLimiter", () => {
  it("lets a full burst through, then spaces reservations 1/qps apart", () => {
    const limiter = new BucketRateLimiter<string>(10, 3, new FakeClock());
    const delays = Array.from({ length: 6 }, (_, i) => limiter.when(`item-${i}`));
    assert.deepEqual(delays, [0, 0, 0, 100, 200, 300]);
  });

  it("refills at qps over time but never beyond the burst", () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter<string>(10, 2, clock);
    limiter.when("a");
    limiter.when("a");
    assert.equal(limiter.when("a"), 100);
    clock.advance(100);
    assert.equal(limiter.when("a"), 100, "the token freed at 100ms was already promised");
    clock.advance(10_000);
    assert.deepEqual([limiter.when("a"), limiter.when("a"), limiter.when("a")], [0, 0, 100]);
  });

  it("defaults to a burst of 100 at 10 qps and never counts requeues", () => {
    const limiter = new BucketRateLimiter<string>(undefined, undefined, new FakeClock());
    for (let i = 0; i < 100; i++) assert.equal(limiter.when("a"), 0);
    assert.equal(limiter.when("a"), 100);
    assert.equal(limiter.numRequeues("a"), 0);
  });
});

describe("MaxOfRateLimiter", () => {
  it("waits as long as the strictest limiter and records the failure in all of them", () => {
    const fast = new ItemExponentialFailureRateLimiter<string>(1, 1000);
    const slow = new ItemExponentialFailureRateLimiter<string>(50, 1000);
    const limiter = new MaxOfRateLimiter(fast, slow);
    assert.equal(limiter.when("a"), 50);
    assert.equal(limiter.when("a"), 100);
    assert.equal(fast.numRequeues("a"), 2);
    assert.equal(limiter.numRequeues("a"), 2);
    limiter.forget("a");
    assert.equal(fast.numRequeues("a"), 0);
    assert.equal(slow.numRequeues("a"), 0);
  });
});

describe("defaultControllerRateLimiter", () => {
  it("backs off per item from 5ms while the bucket has tokens", () => {
    const limiter = defaultControllerRateLimiter<string>(new FakeClock());
    assert.deepEqual([limiter.when("a"), limiter.when("a"), limiter.when("a")], [5, 10, 20]);
  });

  it("switches to bucket pacing once 100 retries land at the same instant", () => {
    const limiter = defaultControllerRateLimiter<string>(new FakeClock());
    for (let i = 0; i < 100; i++) assert.equal(limiter.when(`item-${i}`), 5);
    assert.equal(limiter.when("item-100"), 100);
  });
});
