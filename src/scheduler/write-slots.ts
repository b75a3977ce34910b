// Bounds the scheduler's API writes in flight (bindings, status patches): the scheduling loop takes a slot before
// each cycle and the write started by the cycle gives it back, so a burst never floods the API server.

export class WriteSlots {
  private free: number;
  private waiters: (() => void)[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.free = capacity;
  }

  /** Resolves true once a slot is held, false if `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== grant);
        resolve(false);
      };
      const grant = () => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }

  /** Gives a held slot to `work`, released when it settles; `work` reports its own failures. */
  hand(work: Promise<void>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    const tracked = settled.finally(() => {
      this.running.delete(tracked);
      this.release();
    });
    this.running.add(tracked);
  }

  /** Resolves once every handed-over write has settled. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
