// Reads of a cached resource, served from its ResourceCache: gets and lists never touch storage, watches resume
// from the cache's window of recent events, and a write answers once the cache holds it (read-your-writes).
import type { KubeObject } from "../../api/object.js";
import type { ResourceInfo } from "../../api/resources.js";
import { objectKey } from "../keys.js";
import type { Cacher } from "../watchcache/cacher.js";
import type { CacheEvent, ResourceCache } from "../watchcache/resource-cache.js";
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

export class CachedSource implements ObjectSource {
  private readonly cache: ResourceCache;

  constructor(
    private readonly info: ResourceInfo,
    private readonly cacher: Cacher,
  ) {
    this.cache = cacher.cache(info);
  }

  private keyOf(obj: KubeObject): string {
    return objectKey(this.info, obj.metadata.namespace ?? "", obj.metadata.name!);
  }

  peek(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  async get(key: string): Promise<KubeObject | undefined> {
    return this.cache.get(key);
  }

  async list(q: ReadQuery): Promise<ListResult> {
    await this.cacher.sync();
    const nodeName = q.fields?.exactMatch("spec.nodeName");
    const scope =
      nodeName !== undefined && this.cache.hasIndex("spec.nodeName")
        ? { namespace: q.namespace, index: { name: "spec.nodeName", value: nodeName } }
        : { namespace: q.namespace };
    const all = this.cache.list(scope);
    let startAfter: string | undefined;
    let listRv = this.cacher.revision;
    if (q.continue) {
      const token = decodeContinue(q.continue);
      startAfter = token.start;
      listRv = token.rv;
    }
    const items: KubeObject[] = [];
    let i = 0;
    if (startAfter !== undefined) {
      // Keys are sorted: binary-search the first object after the continue key.
      let hi = all.length;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (this.keyOf(all[mid]) <= startAfter) i = mid + 1;
        else hi = mid;
      }
    }
    let more = false;
    let remaining = 0;
    for (; i < all.length; i++) {
      const obj = all[i];
      if (!q.match(obj)) continue;
      // A continued list stays on its first page's snapshot for membership: objects created since are left
      // out. (Objects changed since show their current state: the cache keeps no older versions.)
      if (startAfter !== undefined && this.cache.createRevision(this.keyOf(obj)) > listRv) continue;
      if (q.limit && items.length >= q.limit) {
        more = true;
        remaining++;
        continue;
      }
      items.push(obj);
    }
    const result: ListResult = { items, resourceVersion: String(listRv) };
    if (more) {
      result.continue = encodeContinue(listRv, this.keyOf(items[items.length - 1]));
      if (!q.labels && !q.fields) result.remainingItemCount = remaining;
    }
    return result;
  }

  /**
   * With resourceVersion "" or "0" the current objects are sent first as ADDED; otherwise everything after that
   * revision is replayed (410 Expired when it is older than the cache window).
   */
  async watch(q: ReadQuery, sink: WatchSink): Promise<WatchHandle> {
    const filter = watchFilter(q.namespace, q.match);
    await this.cacher.sync();
    const from = watchStartRevision(q.resourceVersion);
    const backlog: WatchEvent[] =
      from === undefined
        ? this.cache
            .list({ namespace: q.namespace })
            .filter(q.match)
            .map((object) => ({ type: "ADDED" as const, object }))
        : filterEvents(this.cache.eventsSince(from), filter);
    const watcher = {
      deliver: (events: CacheEvent[]) => {
        const out = filterEvents(events, filter);
        if (out.length) sink.send(out);
      },
    };
    this.cache.addWatcher(watcher);
    if (backlog.length) sink.send(backlog);
    return { stop: () => this.cache.removeWatcher(watcher) };
  }

  announce(key: string, value: string, obj: KubeObject): void {
    this.cacher.prime(key, value, obj);
  }

  retract(key: string, value: string): void {
    this.cacher.unprime(key, value);
  }

  settle(rv: number): Promise<void> {
    return this.cacher.waitFor(rv);
  }

  catchUp(lost: unknown): Promise<void> {
    return this.cacher.catchUpAfter(lost);
  }
}
