// Makes committed SQLite transactions durable off the event loop. SQLite runs with synchronous=OFF, so a commit
// only hands the WAL frames to the operating system; this module then fdatasyncs the WAL file on libuv's thread
// pool, and a write is acknowledged once a sync that began after its commit has finished. With synchronous=FULL
// SQLite would fsync inside every commit, blocking the one thread everything else runs on.
import { close, fdatasync, openSync } from "node:fs";

/** One sync in flight at a time; commits arriving meanwhile share the next one. */
export class WalSync {
  private fd: number | undefined;
  private inFlight: Promise<void> | undefined;
  /** Commits waiting for the sync after the one in flight. */
  private next: { promise: Promise<void>; resolve(): void; reject(err: unknown): void } | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before this call is on disk. */
  afterCommit(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.syncOnce().finally(() => this.startNext());
      return this.inFlight;
    }
    if (!this.next) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.next = { promise, resolve, reject };
    }
    return this.next.promise;
  }

  /** Resolves once no sync is in flight or waiting (for close). */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
  }

  close(): void {
    if (this.fd !== undefined) close(this.fd, () => {});
    this.fd = undefined;
  }

  private startNext(): void {
    this.inFlight = undefined;
    const waiting = this.next;
    if (!waiting) return;
    this.next = undefined;
    this.inFlight = this.syncOnce().finally(() => this.startNext());
    this.inFlight.then(waiting.resolve, waiting.reject);
  }

  private syncOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      fdatasync(this.open(), (err) => (err ? reject(err) : resolve()));
    });
  }

  /** The WAL exists from the first commit on; it is opened then and kept open (its inode never changes). */
  private open(): number {
    this.fd ??= openSync(this.walPath, "r+");
    return this.fd;
  }
}
