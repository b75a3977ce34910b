// Owners the API server has confirmed absent (upstream ReferenceCache): a bounded LRU, so dependents of one
// deleted owner do not each cost a GET. An entry is an identity; namespace "" stands for cluster-scoped.
import type { ObjectIdentity } from "./graph.js";

/** Upstream's size for the garbage collector's absent owner cache. */
export const ABSENT_OWNER_CACHE_SIZE = 500;

const keyOf = (i: ObjectIdentity) => JSON.stringify([i.apiVersion, i.kind, i.namespace, i.name, i.uid]);

export class AbsentOwnerCache {
  private readonly entries = new Set<string>();

  constructor(private readonly capacity = ABSENT_OWNER_CACHE_SIZE) {}

  add(identity: ObjectIdentity): void {
    const key = keyOf(identity);
    this.entries.delete(key);
    this.entries.add(key);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.values().next().value as string);
  }

  /** Whether the identity was recorded absent; a hit counts as a use, keeping the entry longer. */
  has(identity: ObjectIdentity): boolean {
    const key = keyOf(identity);
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.add(key);
    return true;
  }
}
