// The informer's cache: the objects of one resource keyed by namespace/name, with indexes (namespace, plus any
// index function) kept up to date on every change. One writer (the informer's reflector) and many readers
// (listers, handlers), as kube-rs splits Writer from Store: readers get the read-only StoreReader view.
//
// Immutability: objects in the store are shared by every reader and handler and must never be mutated; copy
// (deepCopy from api/object.ts) before changing one. By default they are deep-frozen on the way in, so a
// mutation throws at once instead of silently corrupting the cache.
import { deepFreeze, type KubeObject, namespacedName } from "../api/object.js";
import { type Indexers, type IndexFunc, indexByNamespace, NAMESPACE_INDEX } from "./indexers.js";

/** What readers may do with a store. */
export interface StoreReader<T extends KubeObject = KubeObject> {
  /** By key: "namespace/name", or "name" for cluster-scoped objects. */
  get(key: string): T | undefined;
  list(): T[];
  keys(): string[];
  /** Objects filed under `value` in index `indexName`; throws for an index that does not exist. */
  byIndex(indexName: string, value: string): T[];
  /** The values present in an index (e.g. every node that has pods). */
  indexValues(indexName: string): string[];
  hasIndex(indexName: string): boolean;
  readonly size: number;
  /** The resourceVersion the store is current to ("" before the first list). */
  readonly resourceVersion: string;
}

/** One change the writer made, for the informer's handlers. */
export type StoreChange<T> =
  | { type: "add"; object: T }
  | { type: "update"; old: T; object: T }
  | { type: "delete"; object: T };

export interface ObjectStoreOptions {
  indexers?: Indexers;
  /** Deep-freeze objects as they enter the store (default true). */
  freeze?: boolean;
}

export { deepFreeze };

interface Index {
  fn: IndexFunc;
  values: Map<string, Set<string>>;
}

export class ObjectStore<T extends KubeObject = KubeObject> implements StoreReader<T> {
  private objects = new Map<string, T>();
  private readonly indexes = new Map<string, Index>();
  private readonly freeze: boolean;
  private rv = "";

  constructor(options: ObjectStoreOptions = {}) {
    this.freeze = options.freeze ?? true;
    this.addIndexers({ [NAMESPACE_INDEX]: indexByNamespace, ...options.indexers });
  }

  // ---------------------------------------------------------------- reads

  get size(): number {
    return this.objects.size;
  }

  get resourceVersion(): string {
    return this.rv;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }

  hasIndex(indexName: string): boolean {
    return this.indexes.has(indexName);
  }

  byIndex(indexName: string, value: string): T[] {
    const keys = this.index(indexName).values.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) out.push(this.objects.get(k)!);
    return out;
  }

  indexValues(indexName: string): string[] {
    return [...this.index(indexName).values.keys()];
  }

  private index(name: string): Index {
    const idx = this.indexes.get(name);
    if (!idx)
      throw new Error(
        `no index named ${JSON.stringify(name)} (have: ${[...this.indexes.keys()].join(", ")})`,
      );
    return idx;
  }

  // ---------------------------------------------------------------- writes (the informer only)

  /**
   * Adds indexes, filing the objects already present. Registering the same function under the same name again
   * is a no-op (several controllers share well-known indexes); another function under a taken name throws.
   */
  addIndexers(indexers: Indexers): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const existing = this.indexes.get(name);
      if (existing && existing.fn !== fn) throw new Error(`index ${JSON.stringify(name)} already exists`);
    }
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexes.has(name)) continue;
      const idx: Index = { fn, values: new Map() };
      this.indexes.set(name, idx);
      for (const [key, obj] of this.objects) this.file(idx, key, obj);
    }
  }

  /**
   * Swaps in a complete list (the initial list, or a relist) in one step, so readers never see half of it,
   * and reports what changed: objects gone from the list are deletions; an object whose resourceVersion is
   * unchanged is kept as it was and not reported.
   */
  replace(objects: readonly KubeObject[], resourceVersion: string): StoreChange<T>[] {
    const next = new Map<string, T>();
    const changes: StoreChange<T>[] = [];
    for (const incoming of objects) {
      const key = namespacedName(incoming);
      const old = this.objects.get(key);
      if (old && old.metadata.resourceVersion === incoming.metadata.resourceVersion) {
        next.set(key, old);
        continue;
      }
      const obj = this.admit(incoming);
      next.set(key, obj);
      changes.push(old ? { type: "update", old, object: obj } : { type: "add", object: obj });
    }
    for (const [key, old] of this.objects) if (!next.has(key)) changes.push({ type: "delete", object: old });
    this.objects = next;
    for (const idx of this.indexes.values()) {
      idx.values.clear();
      for (const [key, obj] of next) this.file(idx, key, obj);
    }
    this.rv = resourceVersion;
    return changes;
  }

  /**
   * Applies one watch event. The change type follows what the store held rather than the event's name (an
   * ADDED for a known object is an update), as client-go's informer does.
   */
  apply(
    type: "ADDED" | "MODIFIED" | "DELETED",
    incoming: KubeObject,
    resourceVersion?: string,
  ): StoreChange<T> {
    const key = namespacedName(incoming);
    const old = this.objects.get(key);
    const obj = this.admit(incoming);
    if (resourceVersion) this.rv = resourceVersion;
    if (old) for (const idx of this.indexes.values()) this.unfile(idx, key, old);
    if (type === "DELETED") {
      this.objects.delete(key);
      return { type: "delete", object: obj };
    }
    this.objects.set(key, obj);
    for (const idx of this.indexes.values()) this.file(idx, key, obj);
    return old ? { type: "update", old, object: obj } : { type: "add", object: obj };
  }

  /** Records progress without a change (a watch BOOKMARK). */
  setResourceVersion(resourceVersion: string): void {
    this.rv = resourceVersion;
  }

  private admit(obj: KubeObject): T {
    return (this.freeze ? deepFreeze(obj) : obj) as T;
  }

  private file(idx: Index, key: string, obj: T): void {
    for (const value of idx.fn(obj)) {
      let keys = idx.values.get(value);
      if (!keys) {
        keys = new Set();
        idx.values.set(value, keys);
      }
      keys.add(key);
    }
  }

  private unfile(idx: Index, key: string, obj: T): void {
    for (const value of idx.fn(obj)) {
      const keys = idx.values.get(value);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) idx.values.delete(value);
    }
  }
}
