// The in-memory copy of one resource's objects (the apiserver's "watch cache"): the current objects with
// namespace and field indexes for lists, and a window of recent events for watches that resume from a
// resourceVersion. Lists and watches are served from here, never by scanning storage.
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

/** One change to one object at one revision, shared by every watcher (serialised at most once). */
export interface CacheEvent {
  type: EventType;
  key: string;
  object: KubeObject;
  prevObject?: KubeObject;
  rv: number;
  /** JSON text of `object`, filled in by the first watcher that needs it. */
  json?: string;
}

/** Computes a field's value for an index (e.g. spec.nodeName of pods). */
export type Indexer = (obj: KubeObject) => string | undefined;

export interface ListScope {
  namespace?: string;
  /** Use a field index: only objects whose indexed field equals `value`. */
  index?: { name: string; value: string };
}

export interface CacheWatcher {
  /** Receives events in revision order; returning false (cannot keep up) closes the watcher. */
  deliver(events: CacheEvent[]): void;
}

const addTo = (m: Map<string, Set<string>>, k: string, key: string) => {
  let s = m.get(k);
  if (!s) {
    s = new Set();
    m.set(k, s);
  }
  s.add(key);
};
const removeFrom = (m: Map<string, Set<string>>, k: string, key: string) => {
  const s = m.get(k);
  if (s) {
    s.delete(key);
    if (s.size === 0) m.delete(k);
  }
};

export class ResourceCache {
  private readonly objects = new Map<string, KubeObject>();
  /** Revision at which each present key was created: lets a continued list leave out later arrivals. */
  private readonly created = new Map<string, number>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly indexes = new Map<string, { fn: Indexer; values: Map<string, Set<string>> }>();
  private sortedKeys: string[] | undefined;
  private readonly window: CacheEvent[] = [];
  private windowHead = 0;
  /** Every event with rv > windowStartRv is in the window. */
  private windowStartRv: number;
  private readonly watchers = new Set<CacheWatcher>();

  constructor(
    readonly resource: string,
    indexers: Record<string, Indexer>,
    private readonly windowSize: number,
    initialRv: number,
  ) {
    for (const [name, fn] of Object.entries(indexers)) this.indexes.set(name, { fn, values: new Map() });
    this.windowStartRv = initialRv;
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  hasIndex(name: string): boolean {
    return this.indexes.has(name);
  }

  /** Loads an object during the initial list (no event, no watcher notification). */
  load(key: string, obj: KubeObject, createRevision: number): void {
    this.put(key, obj);
    this.created.set(key, createRevision);
  }

  /** The revision at which the object under `key` was created (0 when unknown). */
  createRevision(key: string): number {
    return this.created.get(key) ?? 0;
  }

  /** Applies one change from storage and returns the event (not yet delivered). */
  apply(key: string, type: "put" | "delete", obj: KubeObject, rv: number, createRevision = rv): CacheEvent {
    const prev = this.objects.get(key);
    let event: CacheEvent;
    if (type === "delete") {
      this.remove(key, prev);
      this.created.delete(key);
      event = { type: "DELETED", key, object: obj, prevObject: prev, rv };
    } else {
      if (prev) this.unindex(key, prev);
      this.put(key, obj);
      this.created.set(key, createRevision);
      event = { type: prev ? "MODIFIED" : "ADDED", key, object: obj, prevObject: prev, rv };
    }
    this.remember(event);
    return event;
  }

  /** Delivers a batch of events (all of this resource) to every watcher. */
  broadcast(events: CacheEvent[]): void {
    for (const w of this.watchers) w.deliver(events);
  }

  /** Objects in key order, restricted to a namespace and/or a field index. */
  list(scope: ListScope = {}): KubeObject[] {
    let keys: Iterable<string>;
    if (scope.index) {
      const idx = this.indexes.get(scope.index.name);
      if (!idx) throw new Error(`no index ${scope.index.name} on ${this.resource}`);
      const set = idx.values.get(scope.index.value);
      if (!set) return [];
      keys = [...set].sort();
    } else if (scope.namespace !== undefined) {
      const set = this.byNamespace.get(scope.namespace);
      if (!set) return [];
      keys = [...set].sort();
    } else {
      if (!this.sortedKeys) this.sortedKeys = [...this.objects.keys()].sort();
      keys = this.sortedKeys;
    }
    const out: KubeObject[] = [];
    for (const k of keys) {
      const o = this.objects.get(k)!;
      if (scope.namespace !== undefined && o.metadata.namespace !== scope.namespace) continue;
      out.push(o);
    }
    return out;
  }

  /**
   * Events after `rv`, for a watch resuming there. Throws 410 Expired when `rv` is older than the window
   * (the client must re-list), as the kube-apiserver's watch cache does.
   */
  eventsSince(rv: number): CacheEvent[] {
    if (rv < this.windowStartRv) {
      throw ApiError.expired(`too old resource version: ${rv} (${this.windowStartRv + 1})`);
    }
    const out: CacheEvent[] = [];
    const n = this.window.length;
    for (let i = 0; i < n; i++) {
      const e = this.window[(this.windowHead + i) % n];
      if (e.rv > rv) out.push(e);
    }
    return out;
  }

  addWatcher(w: CacheWatcher): void {
    this.watchers.add(w);
  }

  removeWatcher(w: CacheWatcher): void {
    this.watchers.delete(w);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  private remember(event: CacheEvent): void {
    if (this.window.length < this.windowSize) {
      this.window.push(event);
      return;
    }
    const evicted = this.window[this.windowHead];
    this.windowStartRv = evicted.rv;
    this.window[this.windowHead] = event;
    this.windowHead = (this.windowHead + 1) % this.windowSize;
  }

  private put(key: string, obj: KubeObject): void {
    if (!this.objects.has(key)) this.sortedKeys = undefined;
    this.objects.set(key, obj);
    if (obj.metadata.namespace) addTo(this.byNamespace, obj.metadata.namespace, key);
    for (const idx of this.indexes.values()) {
      const v = idx.fn(obj);
      if (v !== undefined) addTo(idx.values, v, key);
    }
  }

  private unindex(key: string, obj: KubeObject): void {
    for (const idx of this.indexes.values()) {
      const v = idx.fn(obj);
      if (v !== undefined) removeFrom(idx.values, v, key);
    }
  }

  private remove(key: string, prev: KubeObject | undefined): void {
    if (!prev) return;
    this.objects.delete(key);
    this.sortedKeys = undefined;
    if (prev.metadata.namespace) removeFrom(this.byNamespace, prev.metadata.namespace, key);
    this.unindex(key, prev);
  }
}
