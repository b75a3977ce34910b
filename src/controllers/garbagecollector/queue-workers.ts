// Workers over one rate-limiting queue whose work function says what becomes of the item (upstream
// processAttemptToDeleteWorker): forget it, or requeue it with backoff. Unlike runtime's Controller, a requeue
// is not an error: the collector routinely waits for an informer to catch up with the API server.

import { RateLimitingQueue } from "../../runtime/workqueue/index.js";
import { type Clock, realClock } from "../../util/clock.js";
import type { Logger } from "../../util/log.js";

export type WorkOutcome = "forget" | "requeue";

export interface QueueWorkersOptions {
  name: string;
  work: (key: string) => Promise<WorkOutcome>;
  workers: number;
  logger: Logger;
  clock?: Clock;
}

export class QueueWorkers {
  readonly queue: RateLimitingQueue<string>;

  constructor(private readonly options: QueueWorkersOptions) {
    this.queue = new RateLimitingQueue<string>({ name: options.name, clock: options.clock ?? realClock });
  }

  add(key: string): void {
    this.queue.add(key);
  }

  addRateLimited(key: string): void {
    this.queue.addRateLimited(key);
  }

  /** Runs the workers until `signal` aborts; resolves once in-flight work is done. */
  async run(signal: AbortSignal): Promise<void> {
    const stop = () => this.queue.shutDown();
    signal.addEventListener("abort", stop, { once: true });
    if (signal.aborted) stop();
    try {
      await Promise.all(Array.from({ length: this.options.workers }, () => this.worker(signal)));
    } finally {
      signal.removeEventListener("abort", stop);
      this.queue.shutDown();
    }
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        if (signal.aborted) return;
        let outcome: WorkOutcome;
        try {
          outcome = await this.options.work(key);
        } catch (err) {
          this.options.logger.error({ err, item: key, queue: this.options.name }, "error syncing item");
          outcome = "requeue";
        }
        if (outcome === "forget") this.queue.forget(key);
        else this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}
