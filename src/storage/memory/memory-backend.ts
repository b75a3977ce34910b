// In-memory revisioned store for tests and throwaway clusters: live values in a Map, keys in a sorted set
// for prefix listing, and a fixed window of recent events for watch replay.
import type { Backend, KeyValue, ListOptions, ListResult, Watch, WatchOptions } from "../backend.js";
import { StorageError } from "../errors.js";
import { compareKeys, prefixEnd } from "../key-order.js";
import { closedError, compactedError } from "../storage-errors.js";
import { WatchHub } from "../watch-hub.js";
import { applyWrite, type WriteOp } from "../write-ops.js";
import { HistoryRing } from "./history-ring.js";
import { SortedKeySet } from "./sorted-key-set.js";

export interface MemoryBackendOptions {
  /** How many recent revisions stay answerable by watch; older ones count as compacted. */
  historyLimit?: number;
}

const DEFAULT_HISTORY_LIMIT = 50_000;

export class MemoryBackend implements Backend {
  private readonly values = new Map<string, KeyValue>();
  private readonly keys = new SortedKeySet();
  private readonly history: HistoryRing;
  private readonly hub: WatchHub;
  private revision = 0;
  private explicitlyCompacted = 0;
  private closed = false;

  constructor(options: MemoryBackendOptions = {}) {
    this.history = new HistoryRing(options.historyLimit ?? DEFAULT_HISTORY_LIMIT);
    this.hub = new WatchHub((prefix, after, upto, limit) => {
      const compacted = this.compactedRevision();
      if (after < compacted) throw compactedError(prefix, after, compacted);
      return this.history.read(prefix, after, upto, limit);
    });
  }

  currentRevision(): number {
    return this.revision;
  }

  /** Explicit compaction or the history window, whichever has dropped more. */
  compactedRevision(): number {
    return Math.max(this.explicitlyCompacted, this.history.droppedRevision());
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen(key);
    return this.values.get(key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen(prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
    const { startAfter } = options;
    const resumes = startAfter !== undefined && compareKeys(startAfter, prefix) >= 0;
    const items: KeyValue[] = [];
    let more = false;
    this.keys.scanFrom(resumes ? startAfter : prefix, resumes, (key) => {
      if (!key.startsWith(prefix)) return false;
      if (items.length === limit) {
        more = true;
        return false;
      }
      items.push(this.values.get(key)!);
      return true;
    });
    return { items, revision: this.revision, more };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen(prefix);
    const end = prefixEnd(prefix);
    const below = end === undefined ? this.keys.size : this.keys.rank(end);
    return below - this.keys.rank(prefix);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return this.write({ kind: "create", key, value });
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    return this.write({ kind: "update", key, value, expectedRevision });
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    return this.write({ kind: "delete", key, expectedRevision });
  }

  watch(prefix: string, options: WatchOptions): Watch {
    this.assertOpen(prefix);
    const compacted = this.compactedRevision();
    if (options.fromRevision > 0 && options.fromRevision < compacted) {
      throw compactedError(prefix, options.fromRevision, compacted);
    }
    return this.hub.add(prefix, options, this.revision);
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen("");
    // Compacting past the head would make the next writes' history unanswerable before it exists.
    this.explicitlyCompacted = Math.max(this.explicitlyCompacted, Math.min(revision, this.revision));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll(closedError());
  }

  /** Applies one write synchronously, so writes take effect (and get revisions) in call order. */
  private write(op: WriteOp): KeyValue {
    this.assertOpen(op.key);
    const outcome = applyWrite(op, this.values.get(op.key), this.revision + 1);
    if (outcome instanceof StorageError) throw outcome;
    this.revision++;
    const { kv } = outcome;
    if (outcome.type === "delete") {
      this.values.delete(kv.key);
      this.keys.delete(kv.key);
    } else {
      if (!this.values.has(kv.key)) this.keys.add(kv.key);
      this.values.set(kv.key, kv);
    }
    this.history.push(this.revision, outcome);
    this.hub.publish([outcome]);
    return kv;
  }

  private assertOpen(key: string): void {
    if (this.closed) throw closedError(key);
  }
}
