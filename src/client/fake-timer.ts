// A Timer for tests: sleeps are recorded and return at once, and the clock moves only when the test calls
// advance(), so rate limits and backoffs are checked without waiting and without hidden time travel.
import type { Timer } from "./timing.js";

export class FakeTimer implements Timer {
  /** Every sleep requested, in order. */
  readonly sleeps: number[] = [];

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    this.sleeps.push(ms);
    return true;
  }
}
