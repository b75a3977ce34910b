// Public surface of the work queues: dedupe-and-rate-limit between event handlers and reconcile(key).
export { DelayingQueue } from "./delaying-queue.js";
export type { InFlightWork, QueueMetrics } from "./metrics.js";
export { type QueueOptions, WorkQueue } from "./queue.js";
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from "./rate-limiters.js";
export { RateLimitingQueue, type RateLimitingQueueOptions } from "./rate-limiting-queue.js";
