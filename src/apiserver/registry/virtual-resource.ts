// The hook for virtual resources: read-only resources computed on request from other objects (the
// metrics.k8s.io NodeMetrics and PodMetrics) instead of being stored. The registry holds one per definition
// and the HTTP layer serves them with get and list only, answering every other verb 405.
import type { KubeObject } from "../../api/object.js";
import type { ResourceInfo } from "../../api/resources.js";
import type { Registry } from "./registry.js";
import type { ListOptions } from "./store.js";

export interface VirtualList {
  items: KubeObject[];
}

/** A read-only resource whose objects are computed, never stored (verbs get and list). */
export interface VirtualResource {
  readonly info: ResourceInfo;
  /** One object, or an ApiError 404 when there is none to compute. */
  get(namespace: string, name: string): Promise<KubeObject>;
  /** Objects in `namespace` (every namespace when undefined) that match the selectors. */
  list(namespace: string | undefined, opts: ListOptions): Promise<VirtualList>;
}

/** How the registry builds a virtual resource: its table entry and a factory reading the registry's stores. */
export interface VirtualResourceDefinition {
  readonly info: ResourceInfo;
  create(registry: Registry): VirtualResource;
}
