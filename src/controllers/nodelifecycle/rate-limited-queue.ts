// A zone's queue of nodes waiting for a NoExecute taint (upstream scheduler.RateLimitedTimedQueue): unique
// node names ordered by when they may be processed, drained by try() no faster than a token bucket allows.
// A processed name stays remembered until remove(), so the same node is not tainted twice.
import type { Clock } from "../../util/clock.js";

/** Upstream EvictionRateLimiterBurst. */
export const EVICTION_RATE_LIMITER_BURST = 1;

/** A token bucket that only answers "may I, now?" (flowcontrol.TokenBucketRateLimiter.TryAccept). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  tryAccept(): boolean {
    // A zero rate never admits anything (flowcontrol.NewFakeNeverRateLimiter).
    if (this.qps <= 0) return false;
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.qps);
    this.last = Math.max(this.last, now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface TimedValue {
  value: string;
  /** The node's UID when it was queued. */
  uid: string;
  addedAt: number;
  processAt: number;
}

/** Says whether the value is done; if not, after how many milliseconds to try it again. */
export type QueueAction = (value: TimedValue) => Promise<{ done: boolean; retryAfterMs?: number }>;

export class RateLimitedTimedQueue {
  private readonly queued = new Map<string, TimedValue>();
  /** Every value added and not removed, processed or not (upstream UniqueQueue.set). */
  private readonly known = new Set<string>();
  private limiter: TokenBucket;

  constructor(
    qps: number,
    private readonly clock: Clock,
  ) {
    this.limiter = new TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, clock);
  }

  get qps(): number {
    return this.limiter.qps;
  }

  /** Queues `value` unless it is already known; true when it was added. */
  add(value: string, uid: string): boolean {
    if (this.known.has(value)) return false;
    const now = this.clock.now();
    this.known.add(value);
    this.queued.set(value, { value, uid, addedAt: now, processAt: now });
    return true;
  }

  /** Forgets `value` entirely; true when it was known. */
  remove(value: string): boolean {
    this.queued.delete(value);
    return this.known.delete(value);
  }

  get pending(): number {
    return this.queued.size;
  }

  /**
   * Processes due values in order while the limiter admits them. A token is spent on each look, even when
   * the head is not due yet, as upstream does.
   */
  async try(action: QueueAction): Promise<void> {
    for (let head = this.head(); head; head = this.head()) {
      if (!this.limiter.tryAccept()) return;
      const now = this.clock.now();
      if (now < head.processAt) return;
      const { done, retryAfterMs = 0 } = await action(head);
      // The value may have been removed (or re-added) while the action ran.
      if (this.queued.get(head.value) !== head) continue;
      if (done) this.queued.delete(head.value);
      else head.processAt = now + retryAfterMs + 1;
    }
  }

  /** Changes the rate, carrying over an exhausted bucket so a swap does not grant a free token. */
  swapLimiter(qps: number): void {
    if (this.limiter.qps === qps) return;
    const next = new TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, this.clock);
    if (qps > 0 && !this.limiter.tryAccept()) next.tryAccept();
    this.limiter = next;
  }

  private head(): TimedValue | undefined {
    let best: TimedValue | undefined;
    for (const v of this.queued.values()) if (!best || v.processAt < best.processAt) best = v;
    return best;
  }
}
