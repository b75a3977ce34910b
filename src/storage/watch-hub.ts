// Watch fan-out shared by the backends: registers watchers, replays history page by page, then streams live
// events, delivering asynchronously in revision order with no gap and no duplicate.
import type { BackendEvent, Watch, WatchOptions } from "./backend.js";
import { eventRevision } from "./write-ops.js";

/**
 * Reads retained events with afterRevision < revision <= uptoRevision whose key starts with `prefix`, in
 * revision order, at most `limit` of them. Throws StorageError "Compacted" when afterRevision is no longer
 * retained (which also stops a replay that compaction overtook).
 */
export type HistoryReader = (
  prefix: string,
  afterRevision: number,
  uptoRevision: number,
  limit: number,
) => BackendEvent[];

/** Replay is read and delivered in pages so a watch from far back never holds the whole history at once. */
const REPLAY_PAGE_SIZE = 1000;

interface Watcher {
  readonly prefix: string;
  readonly options: WatchOptions;
  /** History still to replay: (replayAfter, replayUpto]. Empty once replayAfter >= replayUpto. */
  replayAfter: number;
  readonly replayUpto: number;
  /** Live events at or below this revision are already covered (by replay or by being "before now"). */
  readonly liveAfter: number;
  pending: BackendEvent[];
  closed: boolean;
}

export class WatchHub {
  /** Watchers grouped by prefix: an event is matched once per distinct prefix, not once per watcher. */
  private readonly byPrefix = new Map<string, Set<Watcher>>();
  private readonly dirty = new Set<Watcher>();
  private flushScheduled = false;

  constructor(private readonly readHistory: HistoryReader) {}

  /**
   * Registers a watcher at `currentRevision`. The caller has already validated `fromRevision` against the
   * compacted revision; the registration itself is synchronous so no live event can slip between the
   * history snapshot and the live stream.
   */
  add(prefix: string, options: WatchOptions, currentRevision: number): Watch {
    const from = options.fromRevision;
    const replaying = from > 0 && from < currentRevision;
    const watcher: Watcher = {
      prefix,
      options,
      replayAfter: replaying ? from : currentRevision,
      replayUpto: currentRevision,
      liveAfter: Math.max(from, currentRevision),
      pending: [],
      closed: false,
    };
    let group = this.byPrefix.get(prefix);
    if (!group) {
      group = new Set();
      this.byPrefix.set(prefix, group);
    }
    group.add(watcher);
    if (replaying) this.markDirty(watcher);
    return { close: () => this.remove(watcher) };
  }

  /** Queues committed events (in revision order) for every matching watcher. */
  publish(events: readonly BackendEvent[]): void {
    if (this.byPrefix.size === 0) return;
    for (const [prefix, group] of this.byPrefix) {
      for (const event of events) {
        if (!event.kv.key.startsWith(prefix)) continue;
        const revision = eventRevision(event);
        for (const watcher of group) {
          if (revision <= watcher.liveAfter) continue;
          watcher.pending.push(event);
          this.markDirty(watcher);
        }
      }
    }
  }

  /** Ends every watch from the backend's side, reporting `err` to each. */
  closeAll(err: Error): void {
    for (const group of [...this.byPrefix.values()]) {
      for (const watcher of group) this.fail(watcher, err);
    }
  }

  private remove(watcher: Watcher): void {
    watcher.closed = true;
    watcher.pending = [];
    this.dirty.delete(watcher);
    const group = this.byPrefix.get(watcher.prefix);
    if (!group) return;
    group.delete(watcher);
    if (group.size === 0) this.byPrefix.delete(watcher.prefix);
  }

  private fail(watcher: Watcher, err: Error): void {
    if (watcher.closed) return;
    this.remove(watcher);
    try {
      watcher.options.onError?.(err);
    } catch (thrown) {
      // One consumer's failing handler must not stop the others from hearing about the end.
      surfaceUncaught(thrown);
    }
  }

  private markDirty(watcher: Watcher): void {
    this.dirty.add(watcher);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = [...this.dirty];
    this.dirty.clear();
    for (const watcher of batch) this.deliver(watcher);
  }

  private deliver(watcher: Watcher): void {
    if (watcher.closed) return;
    let events: BackendEvent[] = [];
    if (watcher.replayAfter < watcher.replayUpto) {
      try {
        events = this.readHistory(watcher.prefix, watcher.replayAfter, watcher.replayUpto, REPLAY_PAGE_SIZE);
      } catch (err) {
        this.fail(watcher, err as Error);
        return;
      }
      watcher.replayAfter =
        events.length < REPLAY_PAGE_SIZE ? watcher.replayUpto : eventRevision(events[events.length - 1]);
    }
    if (watcher.replayAfter < watcher.replayUpto) {
      // More history to go: continue on a later turn of the event loop so I/O is not starved.
      setImmediate(() => {
        if (!watcher.closed) this.markDirty(watcher);
      });
    } else if (watcher.pending.length > 0) {
      events = events.length === 0 ? watcher.pending : events.concat(watcher.pending);
      watcher.pending = [];
    }
    if (events.length === 0) return;
    try {
      watcher.options.onEvents(events);
    } catch (err) {
      // A throwing consumer ends its own watch. It hears why if it listens; otherwise the error surfaces as
      // uncaught, outside this delivery loop so other watchers are unaffected.
      if (watcher.options.onError) this.fail(watcher, err as Error);
      else {
        this.remove(watcher);
        surfaceUncaught(err);
      }
    }
  }
}

/** Rethrows on a fresh microtask: the error reaches the process's uncaught handler, not our caller. */
function surfaceUncaught(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}
