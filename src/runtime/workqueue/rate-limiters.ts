// Retry pacing for the rate-limiting queue (client-go default_rate_limiters.go): per-item exponential
// backoff, an overall token bucket, and the max of several, each answering "how long until a retry".
import { type Clock, realClock } from "../../util/clock.js";

export interface RateLimiter<T> {
  /** Milliseconds to wait before `item` is retried; records one more failure for it. */
  when(item: T): number;
  /** Clears `item`'s failure history, typically after a successful sync. */
  forget(item: T): void;
  /** How many failures are recorded for `item`. */
  numRequeues(item: T): number;
}

/** Waits `baseMs * 2^failures`, capped at `maxMs`, independently per item. */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1000 * 1000,
  ) {}

  when(item: T): number {
    const exponent = this.failures.get(item) ?? 0;
    this.failures.set(item, exponent + 1);
    // 2^exponent overflows to Infinity long before it could misbehave, and the cap absorbs that.
    return Math.min(this.baseMs * 2 ** exponent, this.maxMs);
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * Token bucket shared by all items (golang.org/x/time/rate `Reserve().Delay()`): starts full with
 * `burst` tokens, refills at `qps` per second, and each `when` reserves a token, returning how long until
 * that token exists. Tokens may go negative, so back-to-back reservations queue up `1/qps` apart.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsedSeconds * this.qps) - 1;
    this.last = Math.max(this.last, now);
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** Combines limiters: waits as long as the strictest one asks; every limiter records every failure. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    // Call every limiter (no short-circuit): each must record the failure.
    return this.limiters.map((limiter) => limiter.when(item)).reduce((a, b) => Math.max(a, b), 0);
  }

  forget(item: T): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiters.map((limiter) => limiter.numRequeues(item)).reduce((a, b) => Math.max(a, b), 0);
  }
}

/** client-go's DefaultControllerRateLimiter: max(per-item 5ms→1000s backoff, 10 qps / burst 100 bucket). */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(5, 1000 * 1000),
    new BucketRateLimiter<T>(10, 100, clock),
  );
}
