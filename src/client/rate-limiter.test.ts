import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeTimer } from "./fake-timer.js";
import { rateLimiterFor, TokenBucketRateLimiter, UNLIMITED } from "./rate-limiter.js";
import type { Timer } from "./timing.js";

describe("TokenBucketRateLimiter", () => {
  it("lets a burst through at once and spaces the rest at 1/qps, in arrival order", async () => {
    const timer = new FakeTimer();
    const limiter = new TokenBucketRateLimiter(10, 2, timer);
    await Promise.all([1, 2, 3, 4, 5].map(() => limiter.acquire()));
    assert.deepEqual(
      timer.sleeps.map((ms) => Math.round(ms)),
      [100, 200, 300],
    );
  });

  it("refills at qps up to the burst size", async () => {
    const timer = new FakeTimer();
    const limiter = new TokenBucketRateLimiter(5, 3, timer);
    for (let i = 0; i < 3; i++) await limiter.acquire();
    timer.advance(10_000);
    for (let i = 0; i < 3; i++) await limiter.acquire();
    assert.deepEqual(timer.sleeps, [], "a long idle refills only up to the burst, which is then free");
    await limiter.acquire();
    assert.equal(Math.round(timer.sleeps[0]), 200);
  });

  it("gives the token back when the caller aborts while waiting", async () => {
    const waits: number[] = [];
    // A timer whose sleeps end only by abort, to catch the limiter mid-wait.
    const timer: Timer = {
      now: () => 0,
      sleep: (ms, signal) => {
        waits.push(ms);
        return new Promise((resolve) => signal?.addEventListener("abort", () => resolve(false)));
      },
    };
    const limiter = new TokenBucketRateLimiter(1, 1, timer);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: "AbortError" });
    void limiter.acquire();
    assert.deepEqual(waits, [1000, 1000], "the next caller waits as long as the one that gave up would have");
  });

  it("rejects at once for an already aborted signal", async () => {
    const limiter = new TokenBucketRateLimiter(1, 1, new FakeTimer());
    await assert.rejects(limiter.acquire(AbortSignal.abort()), { name: "AbortError" });
  });
});

describe("rateLimiterFor", () => {
  const cases: [string, number | undefined, number | undefined, "unlimited" | [number, number]][] = [
    ["no qps is unlimited", undefined, undefined, "unlimited"],
    ["qps 0 is unlimited", 0, 10, "unlimited"],
    ["burst defaults to ceil(qps)", 2.5, undefined, [2.5, 3]],
    ["upstream's defaults", 5, 10, [5, 10]],
  ];
  for (const [name, qps, burst, expected] of cases) {
    it(name, () => {
      const limiter = rateLimiterFor(qps, burst);
      if (expected === "unlimited") assert.equal(limiter, UNLIMITED);
      else {
        assert.ok(limiter instanceof TokenBucketRateLimiter);
        assert.deepEqual([limiter.qps, limiter.burst], expected);
      }
    });
  }
});
