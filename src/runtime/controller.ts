// The reconcile loop: event handlers enqueue keys, workers take them from a rate-limiting queue and call
// reconcile(key), and the outcome decides the retry (controller-runtime internal/controller semantics).
import { type Clock, realClock } from "../util/clock.js";
import { childLogger, type Logger } from "../util/log.js";
import { defaultQueueMetrics } from "./metrics.js";
import type { QueueMetrics } from "./workqueue/metrics.js";
import type { RateLimiter } from "./workqueue/rate-limiters.js";
import { RateLimitingQueue } from "./workqueue/rate-limiting-queue.js";

/** What a successful reconcile asks for next. */
export interface Result {
  /** Reconcile this key again after this many milliseconds, even with no new event. */
  requeueAfter?: number;
  /**
   * The milliseconds of this reconcile that pacing should count (its own computing, without the requests it
   * awaited); the whole reconcile's duration when unset.
   */
  cost?: number;
}

/**
 * Syncs one object, identified by its key, toward its desired state. Throwing means "retry with backoff";
 * throwing a {@link TerminalError} means "retrying cannot help". `signal` aborts on controller shutdown.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets reconcilers that return nothing type-check.
export type Reconciler = (key: string, signal: AbortSignal) => Promise<Result | void>;

/** An error that retrying cannot fix (e.g. invalid spec): logged, and the key is not requeued. */
export class TerminalError extends Error {
  override readonly name = "TerminalError";
}

/** Whether `err`, or any error in its `cause` chain, is a {@link TerminalError}. */
export function isTerminalError(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof TerminalError) return true;
  return false;
}

export interface ControllerOptions {
  /** Names the controller in logs and its queue in metrics. */
  name: string;
  reconcile: Reconciler;
  logger: Logger;
  /** Concurrent reconciles; one key is never reconciled twice at once. Default 2. */
  workers?: number;
  /**
   * Resolves once the informer caches are synced; workers start only afterwards. Resolving `false`
   * (without the signal aborting) fails start().
   */
  waitForSync?: (signal: AbortSignal) => Promise<unknown>;
  clock?: Clock;
  /** Defaults to the queue's defaultControllerRateLimiter. */
  rateLimiter?: RateLimiter<string>;
  /** The queue's workqueue_* metrics; by default on the registry set with setDefaultQueueMetricsRegistry. */
  metrics?: QueueMetrics;
  /**
   * Paces reconciles whose cost grows with the cluster: after a reconcile of a key cost d ms (Result.cost, else
   * its duration), that key waits until `factor`·d ms have passed (at most {@link MAX_PACING_DELAY_MS}) before
   * it runs again, and the events of that wait collapse into one reconcile. A DaemonSet sync costs O(its pods); when thousands of pod events arrive it
   * would otherwise run back to back and starve the scheduler and the kubelets sharing the event loop. Off (0) by
   * default, as in client-go, where nothing else shares the controller's CPU.
   */
  pacingFactor?: number;
}

/** Pacing never holds a key back longer than this, however slow its last reconcile was. */
export const MAX_PACING_DELAY_MS = 1000;

export class Controller {
  readonly name: string;
  readonly workers: number;
  readonly queue: RateLimitingQueue<string>;
  private readonly reconcile: Reconciler;
  private readonly waitForSync?: ControllerOptions["waitForSync"];
  private readonly log: Logger;
  private readonly clock: Clock;
  private started = false;
  private readonly pacingFactor: number;
  /** Keys under pacing → the time (clock ms) before which they wait. */
  private readonly notBefore = new Map<string, number>();

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.workers = options.workers ?? 2;
    if (!Number.isInteger(this.workers) || this.workers < 1) {
      throw new RangeError(
        `controller ${this.name}: workers must be a positive integer, got ${this.workers}`,
      );
    }
    this.reconcile = options.reconcile;
    this.waitForSync = options.waitForSync;
    this.log = childLogger(options.logger, { controller: options.name });
    this.clock = options.clock ?? realClock;
    this.pacingFactor = options.pacingFactor ?? 0;
    this.queue = new RateLimitingQueue<string>({
      name: options.name,
      clock: this.clock,
      metrics: options.metrics ?? defaultQueueMetrics(options.name),
      rateLimiter: options.rateLimiter,
    });
  }

  /** Queues `key` for reconciling. Safe before start (it waits) and after shutdown (ignored). */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Queues `key` once `ms` has passed (an earlier pending schedule wins). */
  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Queues `key` after its rate-limited backoff, counting a failure. */
  enqueueRateLimited(key: string): void {
    this.queue.addRateLimited(key);
  }

  /**
   * Waits for cache sync, runs the workers until `signal` aborts, then shuts the queue down and resolves
   * once every in-flight reconcile has finished. Keys still queued at that point are dropped.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name} was already started`);
    this.started = true;
    const stop = () => this.queue.shutDown();
    signal.addEventListener("abort", stop, { once: true });
    try {
      this.log.info("starting controller");
      if (!(await this.synced(signal))) return;
      this.log.info({ workers: this.workers }, "starting workers");
      await Promise.all(Array.from({ length: this.workers }, () => this.runWorker(signal)));
      this.log.info("all workers finished");
    } finally {
      signal.removeEventListener("abort", stop);
      this.queue.shutDown();
    }
  }

  /** False when start should end quietly because the signal aborted first. */
  private async synced(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false;
    if (!this.waitForSync) return true;
    const outcome = await untilAborted(this.waitForSync(signal), signal);
    if (signal.aborted) return false;
    if (outcome === false) throw new Error(`controller ${this.name}: failed to wait for caches to sync`);
    return true;
  }

  private async runWorker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        // After abort the queue may still hold keys (client-go hands them out); drop them unprocessed.
        if (signal.aborted) return;
        if (this.deferredByPacing(key)) continue;
        await this.reconcileKey(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** Records how long `key` waits after a reconcile that cost `cost` ms. */
  private pace(key: string, cost: number): void {
    if (this.pacingFactor <= 0) return;
    const delay = Math.min(MAX_PACING_DELAY_MS, this.pacingFactor * cost);
    if (delay > 0) this.notBefore.set(key, this.clock.now() + delay);
    else this.notBefore.delete(key);
  }

  /** Puts a key that comes back too soon after a costly reconcile off until its pacing delay has passed. */
  private deferredByPacing(key: string): boolean {
    const until = this.notBefore.get(key);
    if (until === undefined) return false;
    const wait = until - this.clock.now();
    if (wait <= 0) {
      this.notBefore.delete(key);
      return false;
    }
    // done() (in the caller's finally) cannot requeue it at once: nobody added it while we held it.
    this.queue.addAfter(key, wait);
    return true;
  }

  /** Maps the reconcile outcome to the queue: retry with backoff, drop, or forget (+ delayed requeue). */
  private async reconcileKey(key: string, signal: AbortSignal): Promise<void> {
    const started = this.clock.now();
    try {
      const result = await this.reconcile(key, signal);
      this.pace(key, result?.cost ?? this.clock.now() - started);
      this.queue.forget(key);
      const requeueAfter = result?.requeueAfter ?? 0;
      if (requeueAfter > 0) this.queue.addAfter(key, requeueAfter);
      this.log.debug({ key, requeueAfter, durationMs: this.clock.now() - started }, "reconciled");
    } catch (err) {
      this.pace(key, this.clock.now() - started);
      if (isTerminalError(err)) {
        this.queue.forget(key);
        this.log.error({ key, err }, "reconcile failed with a terminal error; not retrying");
        return;
      }
      this.queue.addRateLimited(key);
      this.log.error({ key, err, retries: this.queue.numRequeues(key) }, "reconcile failed; will retry");
    }
  }
}

/**
 * Settles with `work`, or resolves `undefined` as soon as `signal` aborts, whichever comes first, so a
 * waitForSync that ignores its signal cannot hold up shutdown.
 */
function untilAborted<R>(work: Promise<R>, signal: AbortSignal): Promise<R | undefined> {
  return new Promise<R | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
