// The default durable backend: one SQLite file (WAL) holding a kine-like revision log. Writes are
// group-committed, and a batch is acknowledged and shown to watchers once the WAL is synced (WalSync, off the
// event loop); reads run synchronously on the same connection, so they see every acknowledged write.
import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import type {
  Backend,
  BackendEvent,
  KeyValue,
  ListOptions,
  ListResult,
  Watch,
  WatchOptions,
} from "../backend.js";
import { StorageError } from "../errors.js";
import { compareKeys } from "../key-order.js";
import { closedError, compactedError } from "../storage-errors.js";
import { WatchHub } from "../watch-hub.js";
import { applyWrite, type WriteOp } from "../write-ops.js";
import { Checkpointer } from "./checkpointer.js";
import { GroupCommitQueue } from "./group-commit.js";
import { LogStore } from "./log-store.js";
import { checkpoint, prepareDatabase, syncOnClose } from "./schema.js";
import { WalSync } from "./wal-sync.js";

export interface SqliteBackendOptions {
  /** Most writes committed in one transaction. */
  maxBatchSize?: number;
  /** Told of every durable batch: seconds from its commit to its acknowledgement (for /metrics). */
  onCommit?: (seconds: number) => void;
  /** Told when a background checkpoint fails (the WAL keeps everything; the next checkpoint tries again). */
  onCheckpointError?: (message: string) => void;
}

const DEFAULT_MAX_BATCH_SIZE = 5000;
/** Revisions cleaned per compaction transaction; writes get a turn between steps. */
const COMPACTION_STEP = 2000;
/**
 * Bytes of values written between checkpoints (SQLite's automatic checkpoint is off: it would run without syncing
 * the database file). About SQLite's default of 1,000 pages.
 */
const CHECKPOINT_BYTES = 4 * 1024 * 1024;

export class SqliteBackend implements Backend {
  private readonly db: Database.Database;
  private readonly store: LogStore;
  private readonly hub: WatchHub;
  private readonly writes: GroupCommitQueue<WriteOp, KeyValue>;
  private readonly wal: WalSync;
  private readonly checkpointer: Checkpointer;
  /** Highest committed revision: the next write takes the one after it. */
  private revision: number;
  /** Highest durable revision: acknowledged, published, and what readers are told. */
  private durable: number;
  private sinceCheckpoint = 0;
  /** A failed WAL sync: committed writes may not be on disk, so nothing more is accepted. */
  private broken: Error | undefined;
  private compacted: number;
  /** Compactions run one after another. */
  private compaction: Promise<void> = Promise.resolve();
  private closed = false;

  /** Opens (creating if needed) the database file at `path` and resumes from what it holds. */
  constructor(
    readonly path: string,
    private readonly options: SqliteBackendOptions = {},
  ) {
    this.db = new Database(path);
    try {
      prepareDatabase(this.db);
      this.store = new LogStore(this.db);
      this.revision = this.store.headRevision();
      this.durable = this.revision;
      this.compacted = this.store.readMeta("compacted");
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.hub = new WatchHub((prefix, after, upto, limit) => {
      if (after < this.compacted) throw compactedError(prefix, after, this.compacted);
      return this.store.history(prefix, after, upto, limit);
    });
    this.wal = new WalSync(`${path}-wal`);
    this.checkpointer = new Checkpointer(path, options.onCheckpointError);
    this.writes = new GroupCommitQueue<WriteOp, KeyValue>(
      (ops) => this.commitBatch(ops),
      options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
    );
  }

  currentRevision(): number {
    return this.durable;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen(key);
    return this.store.getLatest(key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen(prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const { startAfter } = options;
    const resumes = startAfter !== undefined && compareKeys(startAfter, prefix) >= 0;
    // One extra row tells whether the limit cut the result short.
    const items = this.store.listLatest(
      prefix,
      resumes ? startAfter : prefix,
      resumes,
      limit > 0 ? limit + 1 : -1,
    );
    const more = limit > 0 && items.length > limit;
    if (more) items.pop();
    return { items, revision: this.durable, more };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen(prefix);
    return this.store.countLatest(prefix);
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.submit({ kind: "create", key, value });
  }

  update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    return this.submit({ kind: "update", key, value, expectedRevision });
  }

  delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    return this.submit({ kind: "delete", key, expectedRevision });
  }

  watch(prefix: string, options: WatchOptions): Watch {
    this.assertOpen(prefix);
    if (options.fromRevision > 0 && options.fromRevision < this.compacted) {
      throw compactedError(prefix, options.fromRevision, this.compacted);
    }
    return this.hub.add(prefix, options, this.durable);
  }

  compact(revision: number): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    // A failed compaction must not poison the ones queued after it.
    const run = this.compaction.catch(() => undefined).then(() => this.runCompaction(revision));
    this.compaction = run;
    return run;
  }

  /** Commits and syncs writes already accepted, ends every watch with "Closed", and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writes.drain();
    await this.wal.idle();
    this.hub.closeAll(closedError());
    // The last connection's close checkpoints the WAL into the database: with syncing on, durably.
    syncOnClose(this.db);
    this.db.close();
    this.wal.close();
    await this.checkpointer.close();
  }

  private submit(op: WriteOp): Promise<KeyValue> {
    if (this.closed) return Promise.reject(closedError(op.key));
    if (this.broken) return Promise.reject(this.broken);
    return this.writes.submit(op);
  }

  /**
   * One group commit: every operation is validated in order against the state left by the ones before it,
   * inside a single transaction. A rejected operation writes nothing and leaves the others alone.
   */
  private commitBatch(ops: WriteOp[]): (KeyValue | StorageError)[] | Promise<(KeyValue | StorageError)[]> {
    const started = performance.now();
    const outcomes: (KeyValue | StorageError)[] = [];
    const events: BackendEvent[] = [];
    let revision = this.revision;
    this.store.transaction(() => {
      for (const op of ops) {
        const outcome = applyWrite(op, this.store.getLatest(op.key), revision + 1);
        if (outcome instanceof StorageError) {
          outcomes.push(outcome);
          continue;
        }
        revision++;
        this.store.append(outcome);
        events.push(outcome);
        outcomes.push(outcome.kv);
      }
    });
    this.revision = revision;
    if (events.length === 0) return outcomes;
    // Acknowledge and publish only once the batch is on disk; the next batch commits meanwhile.
    return this.wal.afterCommit().then(
      () => {
        this.durable = revision;
        this.options.onCommit?.((performance.now() - started) / 1000);
        this.hub.publish(events);
        this.checkpointNow(events);
        return outcomes;
      },
      (err) => {
        this.broken = new Error(
          `storage could not sync ${this.path}-wal (${(err as Error).message}); writes since are not known to be durable: restart everynode`,
        );
        throw this.broken;
      },
    );
  }

  /** Checkpoints (durably) once enough has been written since the last one. */
  private checkpointNow(events: BackendEvent[]): void {
    for (const e of events) this.sinceCheckpoint += e.kv.value.length;
    if (this.sinceCheckpoint < CHECKPOINT_BYTES || this.closed) return;
    this.sinceCheckpoint = 0;
    // The worker copies the bulk off the event loop. What was committed meanwhile is copied here, between two
    // commits, so that the WAL is wholly in the database and the next commit starts it over from the beginning:
    // under steady writes a worker alone never catches up, and the WAL would grow without end, every sync
    // extending the file.
    void this.checkpointer.request().then(() => {
      if (!this.closed) checkpoint(this.db);
    });
  }

  /**
   * Records the new compacted revision first (so replays stop before their history disappears), then
   * deletes superseded rows and tombstones in steps, remembering progress so an interrupted run resumes.
   */
  private async runCompaction(requested: number): Promise<void> {
    if (this.closed) return;
    const target = Math.min(requested, this.durable);
    if (target > this.compacted) {
      this.compacted = target;
      this.store.writeMeta("compacted", target);
    }
    let cleaned = this.store.readMeta("compact_cleaned");
    while (cleaned < this.compacted) {
      const upto = Math.min(cleaned + COMPACTION_STEP, this.compacted);
      const after = cleaned;
      this.store.transaction(() => {
        this.store.compactRange(after, upto);
        this.store.writeMeta("compact_cleaned", upto);
      });
      cleaned = upto;
      await nextTurn();
      if (this.closed) return;
    }
  }

  private assertOpen(key: string): void {
    if (this.closed) throw closedError(key);
  }
}
