// Client-side request rate limiting (client-go's flowcontrol token bucket: QPS refill, burst capacity), so the
// same controllers can be measured against upstream's defaults (5 QPS, burst 10) or run unlimited.
import { systemTimer, type Timer } from "./timing.js";

export interface RateLimiter {
  /** Resolves when the caller may send one request; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
}

/** No limit: every request goes at once (everynode's default). */
export const UNLIMITED: RateLimiter = { acquire: () => Promise.resolve() };

/**
 * A token bucket holding at most `burst` tokens, refilled at `qps` per second. Each caller reserves a token
 * when it arrives (the count may go negative) and waits until that token is due, so waiting callers are
 * served in arrival order, as Go's rate.Limiter.Wait does.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly timer: Timer = systemTimer,
  ) {
    if (!(qps > 0)) throw new RangeError(`qps must be positive, got ${qps}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.last = timer.now();
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = this.timer.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const waitMs = (-this.tokens / this.qps) * 1000;
    if (!(await this.timer.sleep(waitMs, signal))) {
      // The caller gave up: its reserved token goes back to those still waiting.
      this.tokens += 1;
      signal?.throwIfAborted();
    }
  }
}

/** The limiter for the `qps`/`burst` options: unlimited when qps is absent or not positive. */
export function rateLimiterFor(qps: number | undefined, burst?: number, timer?: Timer): RateLimiter {
  if (qps === undefined || !(qps > 0)) return UNLIMITED;
  return new TokenBucketRateLimiter(qps, burst ?? Math.max(1, Math.ceil(qps)), timer);
}
