// Work-queue instrumentation: the sink interface a metrics backend implements, and the recorder the
// queues use to turn item lifecycle events into durations (client-go's queueMetrics split the same way).
import type { Clock } from "../../util/clock.js";

/** Work currently held by workers, measured when a metrics backend asks. */
export interface InFlightWork {
  /** Sum over in-flight items of how long each has been processing. */
  unfinishedSeconds: number;
  /** How long the oldest in-flight item has been processing. */
  longestSeconds: number;
}

/**
 * Receives one queue's events. Implementations must be cheap: every call happens on the queue's hot path.
 * See `../metrics.ts` for the prom-client implementation.
 */
export interface QueueMetrics {
  /** An item became pending (duplicates that collapse are not counted): depth +1, adds +1. */
  add(): void;
  /** A worker took an item that had waited `queuedSeconds` since it became pending: depth -1. */
  get(queuedSeconds: number): void;
  /** A worker finished an item it had held for `workSeconds`. */
  done(workSeconds: number): void;
  /** An item was scheduled for a later (re)try through addAfter / addRateLimited. */
  retry(): void;
  /** Called once per queue so the sink can read in-flight work lazily, e.g. at scrape time. */
  trackInFlight?(read: () => InFlightWork): void;
}

/** Tracks per-item timestamps so the sink sees durations; a no-op when the queue has no sink. */
export class QueueMetricsRecorder<T> {
  private readonly addedAt = new Map<T, number>();
  private readonly startedAt = new Map<T, number>();

  constructor(
    private readonly clock: Clock,
    private readonly sink?: QueueMetrics,
  ) {
    sink?.trackInFlight?.(() => this.inFlight());
  }

  added(item: T): void {
    if (!this.sink) return;
    this.sink.add();
    if (!this.addedAt.has(item)) this.addedAt.set(item, this.clock.now());
  }

  taken(item: T): void {
    if (!this.sink) return;
    const now = this.clock.now();
    this.sink.get(secondsSince(now, this.addedAt.get(item)));
    this.addedAt.delete(item);
    this.startedAt.set(item, now);
  }

  finished(item: T): void {
    if (!this.sink) return;
    const started = this.startedAt.get(item);
    if (started === undefined) return;
    this.sink.done(secondsSince(this.clock.now(), started));
    this.startedAt.delete(item);
  }

  retried(): void {
    this.sink?.retry();
  }

  inFlight(): InFlightWork {
    const now = this.clock.now();
    let unfinishedSeconds = 0;
    let longestSeconds = 0;
    for (const started of this.startedAt.values()) {
      const held = secondsSince(now, started);
      unfinishedSeconds += held;
      longestSeconds = Math.max(longestSeconds, held);
    }
    return { unfinishedSeconds, longestSeconds };
  }
}

function secondsSince(now: number, then: number | undefined): number {
  return then === undefined ? 0 : Math.max(0, now - then) / 1000;
}
