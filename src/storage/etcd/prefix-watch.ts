// One backend watch on etcd: a gRPC watch stream over a key prefix with previous values, converted to the
// backend's events, resumed from the last delivered revision when the stream breaks (etcd restarting, a network
// hiccup), and ended with Compacted when etcd has dropped the history it needs.
import type { Etcd3, IEvent, IWatchRequest, IWatchResponse } from "etcd3";
import type { BackendEvent, Watch, WatchOptions } from "../backend.js";
import { compactedError } from "../storage-errors.js";
import { deletedKv, freezeKv } from "../write-ops.js";
import type { KeySpace } from "./key-bytes.js";

type WatchStream = Awaited<ReturnType<Etcd3["watchClient"]["watch"]>>;

/** What a watch tells its backend besides its own consumer. */
export interface PrefixWatchHooks {
  /** Every revision the watch delivers (the backend's view of the head moves with it). */
  observed(revision: number): void;
  /** etcd compacted past the watch: the backend learns the compacted revision. */
  compacted(revision: number): void;
  /** The watch ended (closed, compacted or failed); the backend forgets it. */
  ended(watch: PrefixWatch): void;
}

/** Reconnection waits double from the first to the last, then stay there. */
const FIRST_RETRY_MS = 50;
const LAST_RETRY_MS = 2000;

export class PrefixWatch implements Watch {
  private stream: WatchStream | undefined;
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  /** Events with a revision above `delivered` are still to come. */
  constructor(
    private readonly client: Etcd3,
    private readonly keys: KeySpace,
    private readonly prefix: string,
    private delivered: number,
    private readonly options: WatchOptions,
    private readonly hooks: PrefixWatchHooks,
  ) {
    void this.connect();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.stream) endStream(this.stream);
    this.stream = undefined;
    this.hooks.ended(this);
  }

  /** Ends the watch from the backend's side: the consumer hears `err` and nothing after it. */
  fail(err: Error): void {
    if (this.closed) return;
    this.close();
    this.options.onError?.(err);
  }

  private async connect(): Promise<void> {
    let stream: WatchStream;
    try {
      stream = await this.client.watchClient.watch();
    } catch {
      this.retry();
      return;
    }
    if (this.closed) {
      endStream(stream);
      return;
    }
    this.stream = stream;
    stream.on("data", (res: IWatchResponse) => this.receive(res));
    stream.on("error", () => this.broken(stream));
    stream.on("end", () => this.broken(stream));
    const request: IWatchRequest = {
      create_request: {
        ...this.keys.range(this.prefix),
        start_revision: this.delivered + 1,
        prev_kv: true,
      },
    };
    stream.write(request);
  }

  private receive(res: IWatchResponse): void {
    if (this.closed) return;
    if (res.canceled) {
      const compactRevision = Number(res.compact_revision);
      if (compactRevision > 0) {
        this.hooks.compacted(compactRevision);
        this.fail(compactedError(this.prefix, this.delivered, compactRevision));
      } else {
        this.fail(
          new Error(
            `etcd cancelled the watch on "${this.prefix}": ${res.cancel_reason || "no reason given"}`,
          ),
        );
      }
      return;
    }
    if (res.created) this.retryMs = FIRST_RETRY_MS;
    if (res.events.length === 0) return;
    const events = res.events.map((e) => this.toBackendEvent(e));
    this.delivered = events[events.length - 1].kv.modRevision;
    this.hooks.observed(this.delivered);
    try {
      this.options.onEvents(events);
    } catch (err) {
      // As the other backends do: a consumer that cannot take events ends its own watch, not the process.
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private toBackendEvent(e: IEvent): BackendEvent {
    const prevKv = e.prev_kv ? this.keys.keyValue(e.prev_kv) : undefined;
    if (String(e.type) === "Delete" || Number(e.type) === 1) {
      // etcd's delete event carries only the key and the deletion's revision; the contract wants the last value,
      // which etcd sends as the previous one (absent only if compaction took it).
      const revision = Number(e.kv.mod_revision);
      const kv = prevKv ? deletedKv(prevKv, revision) : freezeKv(this.keys.strip(e.kv.key), "", 0, revision);
      return { type: "delete", kv, prevKv };
    }
    return { type: "put", kv: this.keys.keyValue(e.kv), prevKv };
  }

  /** The stream failed or ended (etcd restarting, a network hiccup): a new one resumes it. */
  private broken(stream: WatchStream): void {
    if (this.closed || stream !== this.stream) return;
    this.stream = undefined;
    endStream(stream);
    this.retry();
  }

  /** Reconnects after a pause, resuming after the last delivered revision so nothing is lost or repeated. */
  private retry(): void {
    if (this.closed) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
  }
}

/**
 * Ends a watch stream from this side. Ending the request half first matters: etcd3 counts a CANCELLED error on a
 * still-writable stream as a failure of the endpoint, and three of them would stop every request for a while.
 */
function endStream(stream: WatchStream): void {
  stream.end();
  stream.cancel();
}
