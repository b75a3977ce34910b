// Feeds every ResourceCache from one storage watch on /registry/: loads the cached resources at start-up, then
// applies storage events in revision order. Writers wait for the cacher to reach their revision before answering,
// so a client always reads its own writes. Uncached resources (events) get no cache: their stores read storage.
import { deepFreeze, type KubeObject } from "../../api/object.js";
import type { ResourceInfo } from "../../api/resources.js";
import type { Backend, BackendEvent, KeyValue, Watch } from "../../storage/backend.js";
import { winningRevision } from "../../storage/errors.js";
import { internTrie } from "../fieldmanager/field-set.js";
import { REGISTRY_PREFIX, resourcePrefix } from "../keys.js";
import { type CacheEvent, type Indexer, ResourceCache } from "./resource-cache.js";
import { shareCommonParts, shareUnchanged } from "./shared-parts.js";

/** Parses a stored value and stamps the storage revision as its resourceVersion. */
export function decodeStored(kv: KeyValue, revision = kv.modRevision): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata.resourceVersion = String(revision);
  const managed: unknown = obj.metadata.managedFields;
  if (Array.isArray(managed)) {
    for (const entry of managed) {
      const fields = entry?.fieldsV1;
      if (fields && typeof fields === "object" && !Array.isArray(fields)) entry.fieldsV1 = internTrie(fields);
    }
  }
  return obj;
}

/**
 * A cached object: the parts it has in common with the version it replaces (`prev`) and its repeated parts shared
 * with other objects, then frozen.
 */
function frozenShared(obj: KubeObject, prev?: KubeObject): KubeObject {
  if (prev) shareUnchanged(obj, prev);
  shareCommonParts(obj);
  return deepFreeze(obj);
}

/** A write this process is making: the object whose JSON text is on its way to storage. */
interface PendingWrite {
  value: string;
  obj: KubeObject;
}

/**
 * Resources left out of the cache unless told otherwise: events, as upstream's DefaultWatchCacheSizes does. They
 * are many, written often and read rarely (describe, `kubectl events`), so holding them costs memory for little.
 */
export const UNCACHED_BY_DEFAULT: readonly Pick<ResourceInfo, "group" | "resource">[] = [
  { group: "", resource: "events" },
  { group: "events.k8s.io", resource: "events" },
];

export interface CacherOptions {
  /** Events kept per resource for resuming watches. */
  windowSize?: number;
  /** Field indexes per resource plural, e.g. { pods: { "spec.nodeName": fn } }. */
  indexers?: Record<string, Record<string, Indexer>>;
  /** Resources with no cache (their reads go to storage); UNCACHED_BY_DEFAULT when absent. */
  uncached?: readonly Pick<ResourceInfo, "group" | "resource">[];
}

const cacheName = (r: Pick<ResourceInfo, "group" | "resource">) => `${r.group}/${r.resource}`;

export class Cacher {
  private readonly caches = new Map<string, ResourceCache>();
  private readonly byPrefix: [string, ResourceCache][] = [];
  private watch: Watch | undefined;
  private rv = 0;
  private waiters: { rv: number; resolve: () => void }[] = [];
  /** Objects written by this process, by key: their storage event reuses them instead of parsing the text. */
  private readonly pending = new Map<string, PendingWrite>();
  private readonly uncached: Set<string>;

  constructor(
    private readonly backend: Backend,
    private readonly resources: ResourceInfo[],
    private readonly options: CacherOptions = {},
  ) {
    this.uncached = new Set((options.uncached ?? UNCACHED_BY_DEFAULT).map(cacheName));
  }

  /** Whether `r` has a cache; an uncached resource's objects are read from storage. */
  isCached(r: Pick<ResourceInfo, "group" | "resource">): boolean {
    return !this.uncached.has(cacheName(r));
  }

  /**
   * Lists the cached resources from storage into their caches, then watches all of /registry/ from the first
   * list's revision. Writes landing between the lists are replayed by the watch onto state that already has
   * them, which ends where storage is.
   */
  async start(): Promise<void> {
    const windowSize = this.options.windowSize ?? 10_000;
    let revision: number | undefined;
    for (const r of this.resources) {
      if (!this.isCached(r)) continue;
      const prefix = resourcePrefix(r);
      const loaded: KeyValue[] = [];
      for (let startAfter: string | undefined; ; ) {
        const page = await this.backend.list(prefix, { limit: 10_000, startAfter });
        revision ??= page.revision;
        loaded.push(...page.items);
        if (!page.more || page.items.length === 0) break;
        startAfter = page.items[page.items.length - 1].key;
      }
      const cache = new ResourceCache(
        r.resource,
        this.options.indexers?.[r.resource] ?? {},
        windowSize,
        revision,
      );
      for (const kv of loaded) cache.load(kv.key, frozenShared(decodeStored(kv)), kv.createRevision);
      this.caches.set(cacheName(r), cache);
      this.byPrefix.push([prefix, cache]);
    }
    revision ??= this.backend.currentRevision();
    this.rv = revision;
    this.watch = this.backend.watch(REGISTRY_PREFIX, {
      fromRevision: revision,
      onEvents: (events) => this.onEvents(events),
      onError: (err) => {
        // The storage watch cannot end while the server runs; losing it would silently stale every cache.
        throw err;
      },
    });
  }

  stop(): void {
    this.watch?.close();
    this.watch = undefined;
  }

  cache(r: Pick<ResourceInfo, "group" | "resource">): ResourceCache {
    const c = this.caches.get(cacheName(r));
    if (!c) throw new Error(`no cache for ${r.resource}.${r.group}`);
    return c;
  }

  /** The latest revision applied to the caches (the resourceVersion lists report). */
  get revision(): number {
    return this.rv;
  }

  /** Resolves once every write up to `rv` is visible in the caches. */
  waitFor(rv: number): Promise<void> {
    if (this.rv >= rv) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ rv, resolve }));
  }

  /** Resolves once the caches hold everything storage has acknowledged so far. */
  sync(): Promise<void> {
    return this.waitFor(this.backend.currentRevision());
  }

  /**
   * Before retrying a write that lost a race (`lost`, a Conflict or AlreadyExists): resolves once the caches show
   * the winning write, which storage may have committed but not yet made durable, so not yet published.
   */
  catchUpAfter(lost: unknown): Promise<void> {
    return this.waitFor(Math.max(winningRevision(lost) ?? 0, this.backend.currentRevision()));
  }

  /**
   * Announces a write: when its event arrives with exactly this text, the cache takes `obj` itself rather than
   * parsing the text again. `obj` must not be changed afterwards (the cache freezes it).
   */
  prime(key: string, value: string, obj: KubeObject): void {
    this.pending.set(key, { value, obj });
  }

  /** Forgets an announced write that did not happen (a failed request). */
  unprime(key: string, value: string): void {
    if (this.pending.get(key)?.value === value) this.pending.delete(key);
  }

  /**
   * The frozen object of a storage event: the writer's own object when announced, else parsed; sharing what it
   * has in common with `prev`, the cached version it replaces.
   */
  private objectOf(e: BackendEvent, prev: KubeObject | undefined): KubeObject {
    const key = e.kv.key;
    const w = this.pending.get(key);
    let obj: KubeObject;
    if (w && e.type === "put" && w.value === e.kv.value) {
      this.pending.delete(key);
      obj = w.obj;
      obj.metadata.resourceVersion = String(e.kv.modRevision);
    } else {
      obj = decodeStored(e.kv);
    }
    return frozenShared(obj, prev);
  }

  private cacheFor(key: string): ResourceCache | undefined {
    for (const [prefix, cache] of this.byPrefix) if (key.startsWith(prefix)) return cache;
    return undefined;
  }

  private onEvents(events: BackendEvent[]): void {
    const batches = new Map<ResourceCache, CacheEvent[]>();
    for (const e of events) {
      const cache = this.cacheFor(e.kv.key);
      if (cache) {
        const obj = this.objectOf(e, cache.get(e.kv.key));
        const ev = cache.apply(e.kv.key, e.type, obj, e.kv.modRevision, e.kv.createRevision);
        let batch = batches.get(cache);
        if (!batch) {
          batch = [];
          batches.set(cache, batch);
        }
        batch.push(ev);
      }
      if (e.kv.modRevision > this.rv) this.rv = e.kv.modRevision;
    }
    for (const [cache, batch] of batches) cache.broadcast(batch);
    if (this.waiters.length > 0) {
      const still: typeof this.waiters = [];
      for (const w of this.waiters) w.rv <= this.rv ? w.resolve() : still.push(w);
      this.waiters = still;
    }
  }
}
