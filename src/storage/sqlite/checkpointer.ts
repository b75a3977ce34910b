// Checkpoints the SQLite WAL into the database from a second connection on a worker thread: copying pages and
// syncing the database file takes 10–20 ms, which on the event loop would hold up every request queued behind it.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * The worker's whole program, plain CommonJS so that it runs the same from TypeScript sources and from the build.
 * Its connection syncs (synchronous=FULL): SQLite then syncs the WAL before copying it, so no frame of a commit
 * not yet acknowledged reaches the database, and syncs the database after, so the WAL may be reused. PASSIVE
 * never blocks the writer on the main thread. Closing this connection last checkpoints the rest the same way.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("synchronous = FULL");
db.pragma("busy_timeout = 5000");
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ ok: true });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.message || err) });
  }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  /** The checkpoint under way: settles when the worker answers. */
  private running: { done: Promise<void>; resolve(): void } | undefined;
  private readonly exited: Promise<void>;
  private closing = false;

  /** `onError` hears of a checkpoint that failed; the WAL keeps the data and the next request tries again. */
  constructor(path: string, onError: (message: string) => void = () => {}) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver } });
    this.worker.on("message", (result: { ok: boolean; error?: string }) => {
      this.running?.resolve();
      this.running = undefined;
      // Closing holds the worker until it exits: a checkpoint answering meanwhile must not let go of it.
      if (!this.closing) this.worker.unref();
      if (!result.ok) onError(result.error ?? "unknown error");
    });
    this.worker.on("error", (err) => onError(err.message));
    this.exited = new Promise((resolve) => this.worker.once("exit", () => resolve()));
    // The worker keeps the process alive only while a checkpoint or the close is under way.
    this.worker.unref();
  }

  /**
   * Starts a checkpoint unless one is already running (it will have copied most of what there is); resolves when
   * that checkpoint is over, whether it succeeded or not.
   */
  request(): Promise<void> {
    if (this.running) return this.running.done;
    let resolve!: () => void;
    const done = new Promise<void>((r) => {
      resolve = r;
    });
    this.running = { done, resolve };
    this.worker.ref();
    this.worker.postMessage("checkpoint");
    return done;
  }

  /** Closes the worker's connection once its checkpoint is done; call after the main connection has closed. */
  async close(): Promise<void> {
    // Held again until the worker's connection has closed (and checkpointed the rest).
    this.closing = true;
    this.worker.ref();
    this.worker.postMessage("close");
    await this.exited;
  }
}
