// Work scheduled per key at a given time on the injected clock (upstream tainteviction TimedWorkerQueue). A key
// whose work succeeded stays recorded, so it is not scheduled again until cancelled; failed work is forgotten.
import type { Clock, Timer } from "../../util/clock.js";

export interface ScheduledWork {
  createdAt: number;
  fireAt: number;
}

interface Entry extends ScheduledWork {
  timer?: Timer;
  /** Ran and succeeded: kept only to keep the key from being scheduled again. */
  done: boolean;
}

export class TimedWorkerQueue {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly work: (key: string, fireAt: number) => Promise<void>,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  /** Schedules work for `key` at `fireAt` (at once when due); ignored while the key is recorded. */
  addWork(key: string, createdAt: number, fireAt: number): void {
    if (this.entries.has(key)) return;
    const entry: Entry = { createdAt, fireAt, done: false };
    this.entries.set(key, entry);
    const delay = fireAt - this.clock.now();
    if (delay <= 0) void this.run(key, entry);
    else entry.timer = this.clock.setTimeout(() => void this.run(key, entry), delay);
  }

  /** Forgets `key`; true when it had work not yet completed (which, if not started, will not run). */
  cancelWork(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (entry.timer) this.clock.clearTimeout(entry.timer);
    this.entries.delete(key);
    return !entry.done;
  }

  /** The work scheduled for `key` and not yet completed. */
  scheduled(key: string): ScheduledWork | undefined {
    const entry = this.entries.get(key);
    return entry && !entry.done ? { createdAt: entry.createdAt, fireAt: entry.fireAt } : undefined;
  }

  private async run(key: string, entry: Entry): Promise<void> {
    entry.timer = undefined;
    try {
      await this.work(key, entry.fireAt);
      entry.done = true;
    } catch (err) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      this.onError(key, err);
    }
  }
}
