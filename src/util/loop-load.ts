// Tells whether the event loop is saturated, from its utilisation (the share of time it spent running callbacks
// rather than waiting) over the last fraction of a second. Background work — event writes — asks it so that it
// can step aside while a rollout keeps the one thread busy, and catch up once it is idle again.
import { performance } from "node:perf_hooks";

export interface LoopLoad {
  /** True while the loop has been busy at least the threshold share of the last window. */
  busy(): boolean;
}

/** Busy at 90 % utilisation: at that point every extra callback delays the work waiting behind it. */
export const DEFAULT_BUSY_THRESHOLD = 0.9;
/** Long enough to average out single callbacks, short enough to follow a rollout starting and ending. */
export const DEFAULT_WINDOW_MS = 200;

/**
 * Measures on demand: each call at least a window after the previous measurement compares utilisation since
 * then; calls in between reuse the last answer. No timer runs, so an idle process pays nothing.
 */
export class EventLoopLoad implements LoopLoad {
  private last = performance.eventLoopUtilization();
  private measuredAt = performance.now();
  private saturated = false;

  constructor(
    private readonly threshold = DEFAULT_BUSY_THRESHOLD,
    private readonly windowMs = DEFAULT_WINDOW_MS,
  ) {}

  busy(): boolean {
    const now = performance.now();
    if (now - this.measuredAt >= this.windowMs) {
      const current = performance.eventLoopUtilization();
      this.saturated = performance.eventLoopUtilization(current, this.last).utilization >= this.threshold;
      this.last = current;
      this.measuredAt = now;
    }
    return this.saturated;
  }
}

/** A load that is never busy: for tests on a fake clock, and for callers that want fixed rates. */
export const NEVER_BUSY: LoopLoad = { busy: () => false };
