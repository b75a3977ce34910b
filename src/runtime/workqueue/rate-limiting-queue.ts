// Delaying queue whose retries are paced by a RateLimiter (client-go rate_limiting_queue.go): controllers
// call addRateLimited on failure and forget on success.

import { DelayingQueue } from "./delaying-queue.js";
import type { QueueOptions } from "./queue.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiters.js";

export interface RateLimitingQueueOptions<T> extends QueueOptions {
  /** Defaults to {@link defaultControllerRateLimiter} on the queue's clock. */
  rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T extends NonNullable<unknown> = string> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  /** Adds `item` after the delay the rate limiter assigns, recording one more failure for it. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Ends retry tracking for `item`; it stays queued if it is queued. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
