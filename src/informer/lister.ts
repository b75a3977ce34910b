// Typed reads over an informer's cache: get by namespace and name, list by namespace and label selector, and
// index lookups. Controllers read through listers, never through the client, so reads cost no request.
// Returned objects are the cache's own: read them, copy before changing (they are frozen).
import { parseLabelSelector, type Selector } from "../api/labels.js";
import type { KubeObject } from "../api/object.js";
import { NAMESPACE_INDEX } from "./indexers.js";
import type { StoreReader } from "./store.js";

export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly store: StoreReader<T>) {}

  /** The object, or undefined; `namespace` is ignored (pass undefined) for cluster-scoped kinds. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Objects in `namespace` (every namespace when undefined) whose labels match `selector`. */
  list(namespace?: string, selector?: string | Selector): T[] {
    const objects =
      namespace === undefined ? this.store.list() : this.store.byIndex(NAMESPACE_INDEX, namespace);
    if (selector === undefined) return objects;
    const sel = typeof selector === "string" ? parseLabelSelector(selector) : selector;
    if (sel.empty()) return objects;
    return objects.filter((o) => sel.matches(o.metadata.labels ?? {}));
  }

  /** Objects filed under `value` in the index `indexName` (e.g. NODE_NAME_INDEX, "node-1"). */
  byIndex(indexName: string, value: string): T[] {
    return this.store.byIndex(indexName, value);
  }
}
