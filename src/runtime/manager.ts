// Runs the long-lived parts of a process (informers, controllers, agents, servers) as Runnables under one
// stop signal, and takes everything down if any of them fails (controller-runtime's manager).
import { setMaxListeners } from "node:events";
import type { Logger } from "../util/log.js";

/** Anything long-running: `start` runs until `signal` aborts, then resolves once fully stopped. */
export interface Runnable {
  readonly name: string;
  start(signal: AbortSignal): Promise<void>;
}

export interface ManagerOptions {
  logger: Logger;
}

/**
 * Starts every added Runnable together. A Runnable that rejects is logged and aborts all the others;
 * one that resolves early is simply finished. `start` settles only once every Runnable has stopped.
 */
export class Manager {
  private readonly runnables: Runnable[] = [];
  private readonly log: Logger;
  /** Set while running, so Runnables added late start at once. */
  private running?: { stop: AbortController; spawn: (runnable: Runnable) => void };
  private stopped = false;

  constructor(options: ManagerOptions) {
    this.log = options.logger;
  }

  /** Registers `runnable`; if the manager is already running it starts immediately. */
  add(runnable: Runnable): void {
    if (this.stopped) throw new Error(`manager already stopped; cannot add ${runnable.name}`);
    this.runnables.push(runnable);
    this.running?.spawn(runnable);
  }

  /**
   * Runs every Runnable until `signal` aborts or one of them fails. Resolves once all have stopped;
   * rejects (after they have all stopped) with the first failure, if any.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.running || this.stopped) throw new Error("manager was already started");
    const stop = new AbortController();
    // Every runnable (and each of its watches and workers) listens on this one signal: dozens at once are
    // expected, not a leak.
    setMaxListeners(0, stop.signal);
    const forwardAbort = () => stop.abort(signal.reason);
    signal.addEventListener("abort", forwardAbort, { once: true });
    if (signal.aborted) stop.abort(signal.reason);

    const inFlight = new Set<Promise<void>>();
    let firstFailure: { error: unknown } | undefined;
    const spawn = (runnable: Runnable) => {
      this.log.info({ runnable: runnable.name }, "starting runnable");
      const run = Promise.resolve()
        .then(() => runnable.start(stop.signal))
        .then(
          () => this.log.info({ runnable: runnable.name }, "runnable stopped"),
          (err: unknown) => {
            this.log.error({ runnable: runnable.name, err }, "runnable failed; stopping the others");
            firstFailure ??= { error: err };
            stop.abort(err);
          },
        )
        .finally(() => inFlight.delete(run));
      inFlight.add(run);
    };

    this.running = { stop, spawn };
    try {
      for (const runnable of this.runnables) spawn(runnable);
      // A Runnable added while others run joins inFlight, so loop until the set is really empty.
      while (inFlight.size > 0) await Promise.all(inFlight);
    } finally {
      this.running = undefined;
      this.stopped = true;
      signal.removeEventListener("abort", forwardAbort);
    }
    this.log.info("all runnables stopped");
    if (firstFailure) throw firstFailure.error;
  }
}
