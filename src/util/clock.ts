// Injectable time source: runtime code asks a Clock for "now" and for timers, so unit tests can swap in
// FakeClock and move time by hand instead of sleeping.

/** Opaque handle returned by {@link Clock.setTimeout}; only meaningful to the clock that issued it. */
export type Timer = object;

/** The few time operations the runtime needs. Times are epoch milliseconds. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

/** Node turns longer delays into 1ms; cap them instead (they fire early, callers re-check the time). */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Wall-clock time and Node timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_DELAY_MS)),
  clearTimeout: (timer) => globalThis.clearTimeout(timer as NodeJS.Timeout),
};

interface FakeTimer {
  readonly due: number;
  /** Creation order, so timers due at the same instant fire first-come first-served. */
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * Manually driven clock for tests. Time only moves on {@link advance} / {@link set}; timers that fall due
 * on the way fire synchronously, earliest first, with `now()` reading each timer's own due time while it
 * runs. Timers scheduled by a firing timer fire in the same call if they fall due before its target.
 */
export class FakeClock implements Clock {
  private current: number;
  private nextSeq = 0;
  private timers: FakeTimer[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const timer: FakeTimer = { due: this.current + Math.max(0, ms), seq: this.nextSeq++, fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`FakeClock cannot advance by a negative duration (${ms}ms)`);
    this.runUntil(this.current + ms);
  }

  /**
   * Jumps to the absolute time `ms`. Moving forward fires due timers like {@link advance}; moving
   * backward only changes `now()` (pending timers keep their absolute due times).
   */
  set(ms: number): void {
    if (ms <= this.current) {
      this.current = ms;
      return;
    }
    this.runUntil(ms);
  }

  /** Jumps to the earliest pending timer and fires it (and any others due at that instant). */
  advanceToNextTimer(): boolean {
    const next = this.earliest();
    if (!next) return false;
    this.runUntil(Math.max(next.due, this.current));
    return true;
  }

  /** Due times (epoch ms) of the timers still waiting, earliest first. */
  pendingTimers(): number[] {
    return [...this.timers].sort(byDueThenSeq).map((t) => t.due);
  }

  private runUntil(target: number): void {
    for (let next = this.earliest(); next && next.due <= target; next = this.earliest()) {
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = target;
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) if (!best || byDueThenSeq(t, best) < 0) best = t;
    return best;
  }
}

function byDueThenSeq(a: FakeTimer, b: FakeTimer): number {
  return a.due - b.due || a.seq - b.seq;
}

/** Resolves once `signal` aborts (at once if it has already). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/**
 * Waits `ms` on `clock`. Resolves `true` when the time elapsed, or `false` as soon as `signal` aborts
 * (never rejects), so polling loops can simply `while (await sleep(...))`.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clock.clearTimeout(timer);
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
