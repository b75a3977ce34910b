// Work queue that can also add an item later (client-go delaying_queue.go): waiting items sit in a
// min-heap by ready time and a single clock timer, armed for the earliest, moves them onto the queue.
import type { Timer } from "../../util/clock.js";
import { MinHeap } from "./min-heap.js";
import { WorkQueue } from "./queue.js";

interface WaitingEntry<T> {
  item: T;
  readyAt: number;
  /** Insertion order, so entries ready at the same instant are added first-come first-served. */
  seq: number;
}

export class DelayingQueue<T extends NonNullable<unknown> = string> extends WorkQueue<T> {
  private readonly waiting = new MinHeap<WaitingEntry<T>>(
    (a, b) => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq),
  );
  private readonly waitingByItem = new Map<T, WaitingEntry<T>>();
  private nextSeq = 0;
  private timer: Timer | undefined;
  private timerDue = Number.POSITIVE_INFINITY;

  /**
   * Adds `item` once `ms` has elapsed on the clock (immediately when `ms <= 0`). If the item is already
   * waiting, the earlier of the two ready times wins. Counts as a retry in metrics.
   */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown()) return;
    this.metrics.retried();
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const existing = this.waitingByItem.get(item);
    if (!existing) {
      const entry = { item, readyAt, seq: this.nextSeq++ };
      this.waitingByItem.set(item, entry);
      this.waiting.push(entry);
    } else if (readyAt < existing.readyAt) {
      existing.readyAt = readyAt;
      this.waiting.movedEarlier(existing);
    }
    this.armTimer();
  }

  /** Number of items waiting for their delay to pass. Informational. */
  waitingLen(): number {
    return this.waiting.size;
  }

  /** Shutting down also forgets every waiting item and stops the timer. */
  override shutDown(): void {
    this.stopWaiting();
    super.shutDown();
  }

  override shutDownWithDrain(): Promise<void> {
    this.stopWaiting();
    return super.shutDownWithDrain();
  }

  private stopWaiting(): void {
    this.disarmTimer();
    this.waiting.clear();
    this.waitingByItem.clear();
  }

  /** Moves every entry whose time has come onto the queue, then re-arms for the next one. */
  private flushReady(): void {
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    for (let next = this.waiting.peek(); next && next.readyAt <= now; next = this.waiting.peek()) {
      this.waiting.pop();
      this.waitingByItem.delete(next.item);
      this.add(next.item);
    }
    this.armTimer();
  }

  /** Keeps exactly one timer, due at the earliest waiting entry. */
  private armTimer(): void {
    const next = this.waiting.peek();
    if (!next || this.shuttingDown()) return;
    if (this.timer !== undefined && this.timerDue <= next.readyAt) return;
    this.disarmTimer();
    this.timerDue = next.readyAt;
    this.timer = this.clock.setTimeout(() => this.flushReady(), next.readyAt - this.clock.now());
  }

  private disarmTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }
}
