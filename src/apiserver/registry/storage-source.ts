// Reads of a resource the watch cache leaves out (events, as upstream's default): gets and lists go to storage,
// each watch is its own storage watch, and writes wait for nothing (storage has them once acknowledged).
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import type { ResourceInfo } from "../../api/resources.js";
import type { Backend, BackendEvent, Watch } from "../../storage/backend.js";
import { isStorageError } from "../../storage/errors.js";
import { namespacePrefix, objectKey, resourcePrefix } from "../keys.js";
import { decodeStored } from "../watchcache/cacher.js";
import type { CacheEvent } from "../watchcache/resource-cache.js";
import { decodeContinue, encodeContinue } from "./continue-token.js";
import type {
  ListResult,
  ObjectSource,
  ReadQuery,
  WatchEvent,
  WatchHandle,
  WatchSink,
} from "./object-source.js";
import { filterEvents, watchFilter, watchStartRevision } from "./watch-filter.js";

/**
 * Keys read per storage round trip while a paged list looks for `limit` matches: selectors (describe's
 * involvedObject fields) usually keep few of them, so pages are not cut to the limit.
 */
const SCAN_PAGE = 1000;

export class StorageSource implements ObjectSource {
  constructor(
    private readonly info: ResourceInfo,
    private readonly backend: Backend,
  ) {}

  private prefix(namespace: string | undefined): string {
    return namespace !== undefined && this.info.namespaced
      ? namespacePrefix(this.info, namespace)
      : resourcePrefix(this.info);
  }

  peek(): KubeObject | undefined {
    throw new Error(`${this.info.resource} are not cached: read them asynchronously`);
  }

  async get(key: string): Promise<KubeObject | undefined> {
    const kv = await this.backend.get(key);
    return kv && decodeStored(kv);
  }

  /**
   * Pages through storage from the continue key until `limit` objects match, as upstream's storage list does:
   * the result continues when any key is left, matching or not. A continued list keeps its first page's
   * resourceVersion and leaves out objects created after it, exactly as the cached list does.
   */
  async list(q: ReadQuery): Promise<ListResult> {
    const prefix = this.prefix(q.namespace);
    const token = q.continue ? decodeContinue(q.continue) : undefined;
    let cursor = token?.start;
    let listRv = token?.rv;
    const items: KubeObject[] = [];
    let more = false;
    for (;;) {
      // Without a limit one read answers, so the whole list is of one revision.
      const pageSize = q.limit ? Math.max(q.limit + 1, SCAN_PAGE) : undefined;
      const page = await this.backend.list(prefix, { limit: pageSize, startAfter: cursor });
      listRv ??= page.revision;
      for (const kv of page.items) {
        if (q.limit && items.length >= q.limit) {
          more = true;
          break;
        }
        if (token && kv.createRevision > listRv) continue;
        const obj = decodeStored(kv);
        if (q.match(obj)) items.push(obj);
      }
      if (more || !page.more || page.items.length === 0) break;
      cursor = page.items[page.items.length - 1].key;
    }
    const result: ListResult = { items, resourceVersion: String(listRv) };
    // remainingItemCount is left out: storage can count a prefix, not what lies after a key.
    if (more) result.continue = encodeContinue(listRv, this.keyOf(items[items.length - 1]));
    return result;
  }

  /**
   * With resourceVersion "" or "0" the current objects (one storage read) are sent first as ADDED, then changes
   * after that read; otherwise storage replays everything after the revision (410 Expired once compacted).
   */
  async watch(q: ReadQuery, sink: WatchSink): Promise<WatchHandle> {
    const prefix = this.prefix(q.namespace);
    const filter = watchFilter(q.namespace, q.match);
    let from = watchStartRevision(q.resourceVersion);
    const backlog: WatchEvent[] = [];
    if (from === undefined) {
      const page = await this.backend.list(prefix);
      from = page.revision;
      for (const kv of page.items) {
        const object = decodeStored(kv);
        if (q.match(object)) backlog.push({ type: "ADDED", object });
      }
    }
    const start = from;
    let watch: Watch;
    try {
      watch = this.backend.watch(prefix, {
        fromRevision: start,
        onEvents: (events) => {
          const out = filterEvents(events.map(toCacheEvent), filter);
          if (out.length) sink.send(out);
        },
        onError: (err) =>
          sink.close?.(
            expiredOr(err, start) ?? ApiError.internal(`watch of ${prefix} ended: ${err.message}`),
          ),
      });
    } catch (err) {
      throw expiredOr(err, start) ?? err;
    }
    // Storage delivers on a later microtask, so the backlog still goes out first.
    if (backlog.length) sink.send(backlog);
    return { stop: () => watch.close() };
  }

  private keyOf(obj: KubeObject): string {
    return objectKey(this.info, obj.metadata.namespace ?? "", obj.metadata.name!);
  }

  announce(): void {}

  retract(): void {}

  async settle(): Promise<void> {}

  async catchUp(): Promise<void> {}
}

/** A compacted start is the client's to fix by re-listing (410), as the cache window's expiry is. */
function expiredOr(err: unknown, from: number): ApiError | undefined {
  if (!isStorageError(err, "Compacted")) return undefined;
  return ApiError.expired(`too old resource version: ${from} (${(err.revision ?? from) + 1})`);
}

/** A storage change as the cache would have recorded it, for the shared watch filter. */
function toCacheEvent(e: BackendEvent): CacheEvent {
  const object = decodeStored(e.kv);
  const prevObject = e.prevKv && decodeStored(e.prevKv);
  const type = e.type === "delete" ? "DELETED" : e.prevKv ? "MODIFIED" : "ADDED";
  return { type, key: e.kv.key, object, prevObject, rv: e.kv.modRevision };
}
