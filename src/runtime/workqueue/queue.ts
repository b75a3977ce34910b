// The fair, stingy work queue between event handlers and workers (client-go util/workqueue/queue.go):
// an item is never handed to two workers at once, and adding an item that is already pending is a no-op.
import { type Clock, realClock } from "../../util/clock.js";
import { type QueueMetrics, QueueMetricsRecorder } from "./metrics.js";

export interface QueueOptions {
  /** Names the queue in metrics and logs. */
  name?: string;
  clock?: Clock;
  metrics?: QueueMetrics;
}

/**
 * FIFO of distinct items. `dirty` holds every item that needs processing; `processing` holds the items
 * workers hold right now. An item added while it is processing stays only in `dirty` and goes back on
 * the queue when its worker calls {@link done}, so the newest state is always processed once more but
 * never concurrently. Items must not be `undefined`: that value signals shutdown from {@link get}.
 */
export class WorkQueue<T extends NonNullable<unknown> = string> {
  readonly name: string;
  protected readonly clock: Clock;
  protected readonly metrics: QueueMetricsRecorder<T>;

  private readonly queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  /** Workers parked in get(), served first-come first-served. */
  private readonly waiters: Array<(item: T | undefined) => void> = [];
  /** shutDownWithDrain() callers waiting for processing to empty. */
  private drainWaiters: Array<() => void> = [];
  private stopping = false;

  constructor(options: QueueOptions = {}) {
    this.name = options.name ?? "";
    this.clock = options.clock ?? realClock;
    this.metrics = new QueueMetricsRecorder<T>(this.clock, options.metrics);
  }

  /** Marks `item` as needing processing. Ignored after shutdown or when it is already pending. */
  add(item: T): void {
    if (this.stopping || this.dirty.has(item)) return;
    this.metrics.added(item);
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.dispatch();
  }

  /** Number of items waiting to be handed out (not counting those being processed). Informational. */
  len(): number {
    return this.queue.length;
  }

  /**
   * Resolves with the next item, which the caller then owns until it calls {@link done}. Waits while the
   * queue is empty. Resolves `undefined` once the queue is shut down and empty: the worker should exit.
   * Like client-go, items already queued are still handed out after shutDown().
   */
  get(): Promise<T | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.stopping) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Releases `item` after processing. If it was added again meanwhile it is queued once more. Calling
   * done for an item the caller does not hold is ignored (client-go would queue a duplicate).
   */
  done(item: T): void {
    if (!this.processing.has(item)) return;
    this.metrics.finished(item);
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.dispatch();
    } else if (this.processing.size === 0) {
      this.releaseDrainWaiters();
    }
  }

  /** Whether an item is pending or being processed (client-go Find). */
  has(item: T): boolean {
    return this.dirty.has(item) || this.processing.has(item);
  }

  /** Stops accepting items and releases idle workers at once; in-flight items are not waited for. */
  shutDown(): void {
    this.beginShutdown();
    this.releaseDrainWaiters();
  }

  /**
   * Stops accepting items, then resolves once every in-flight item is done. Workers must keep calling
   * done(); a later shutDown() ends the wait early.
   */
  shutDownWithDrain(): Promise<void> {
    this.beginShutdown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  private beginShutdown(): void {
    this.stopping = true;
    // Parked workers only exist while the queue is empty, so every one of them must exit now.
    for (const resolve of this.waiters.splice(0)) resolve(undefined);
  }

  private take(): T {
    const item = this.queue.shift()!;
    this.metrics.taken(item);
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  /** Hands queued items to parked workers; ownership moves synchronously, before they resume. */
  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) this.waiters.shift()!(this.take());
  }

  private releaseDrainWaiters(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
