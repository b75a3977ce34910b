// Test helper: records what a backend watch delivers and lets a test await "N events" or "the error"
// instead of sleeping.
import type { Backend, BackendEvent, Watch } from "../backend.js";

interface Waiter {
  ready(): boolean;
  resolve(): void;
}

export class WatchRecorder {
  readonly events: BackendEvent[] = [];
  readonly errors: Error[] = [];
  /** How many onEvents calls arrived (to see batching and asynchrony). */
  deliveries = 0;
  readonly watch: Watch;
  private waiters: Waiter[] = [];

  constructor(backend: Backend, prefix: string, fromRevision: number) {
    this.watch = backend.watch(prefix, {
      fromRevision,
      onEvents: (events) => {
        this.deliveries++;
        this.events.push(...events);
        this.wake();
      },
      onError: (err) => {
        this.errors.push(err);
        this.wake();
      },
    });
  }

  /** Resolves with the first `count` events once that many have arrived. */
  async waitForEvents(count: number): Promise<BackendEvent[]> {
    await this.until(() => this.events.length >= count);
    return this.events.slice(0, count);
  }

  async waitForError(): Promise<Error> {
    await this.until(() => this.errors.length > 0);
    return this.errors[0];
  }

  private until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  private wake(): void {
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.ready()) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }
}

/** "type key@revision" — compact enough to compare whole event sequences in one assertion. */
export const describeEvent = (event: BackendEvent): string =>
  `${event.type} ${event.kv.key}@${event.kv.modRevision}`;
