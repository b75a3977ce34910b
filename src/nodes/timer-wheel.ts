// One timer for the whole fleet: every lease renewal, status report and pod transition of every simulated node
// waits in one heap, and a single clock timer is armed for the earliest of them. Ten thousand nodes therefore
// cost one pending timer, not ten thousand intervals.
import { MinHeap } from "../runtime/workqueue/min-heap.js";
import type { Clock, Timer } from "../util/clock.js";

/** A scheduled callback; cancel() is O(1) (the entry is skipped when it comes up). */
export interface ScheduledTask {
  readonly at: number;
  cancel(): void;
}

interface Entry extends ScheduledTask {
  seq: number;
  fn: (() => void) | undefined;
}

/** Below this many entries, cancelled ones are simply skipped when they come up. */
const COMPACT_MIN = 1024;

export class TimerWheel {
  private heap = new MinHeap<Entry>(earlier);
  private seq = 0;
  private cancelled = 0;
  private armed: { at: number; timer: Timer } | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Number of live (not cancelled) entries. */
  get size(): number {
    return this.heap.size - this.cancelled;
  }

  /** Runs `fn` once the clock reaches `at` (epoch ms); a time in the past runs on the next tick. */
  schedule(at: number, fn: () => void): ScheduledTask {
    const entry: Entry = {
      at,
      seq: this.seq++,
      fn,
      cancel: () => {
        if (!entry.fn) return;
        entry.fn = undefined;
        this.cancelled++;
        this.compactIfSparse();
      },
    };
    if (this.stopped) {
      entry.fn = undefined;
      return entry;
    }
    this.heap.push(entry);
    if (!this.armed || at < this.armed.at) this.arm();
    return entry;
  }

  /** Drops every entry and the clock timer; later schedules are ignored. */
  stop(): void {
    this.stopped = true;
    if (this.armed) this.clock.clearTimeout(this.armed.timer);
    this.armed = undefined;
    this.heap.clear();
    this.cancelled = 0;
  }

  private arm(): void {
    if (this.armed) this.clock.clearTimeout(this.armed.timer);
    this.armed = undefined;
    const next = this.peekLive();
    if (!next || this.stopped) return;
    const at = next.at;
    this.armed = { at, timer: this.clock.setTimeout(() => this.fire(), Math.max(0, at - this.clock.now())) };
  }

  private fire(): void {
    this.armed = undefined;
    const now = this.clock.now();
    for (let next = this.peekLive(); next && next.at <= now && !this.stopped; next = this.peekLive()) {
      this.heap.pop();
      const fn = next.fn;
      next.fn = undefined;
      try {
        fn?.();
      } catch (err) {
        this.onError(err);
      }
    }
    this.arm();
  }

  /** The earliest entry that is not cancelled, dropping cancelled ones from the top. */
  private peekLive(): Entry | undefined {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (top.fn) return top;
      this.heap.pop();
      this.cancelled--;
    }
    return undefined;
  }

  /** Rebuilds the heap when most of it is cancelled entries (pods that keep rescheduling). */
  private compactIfSparse(): void {
    if (this.heap.size < COMPACT_MIN || this.cancelled * 2 < this.heap.size) return;
    const live: Entry[] = [];
    for (let e = this.heap.pop(); e; e = this.heap.pop()) if (e.fn) live.push(e);
    this.heap = new MinHeap<Entry>(earlier);
    for (const e of live) this.heap.push(e);
    this.cancelled = 0;
  }
}

function earlier(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
