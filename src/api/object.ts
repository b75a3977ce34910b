// The generic shape of every API object as it travels through everynode: typed metadata, untyped body.
import type { ObjectMeta as WireObjectMeta } from "kubernetes-types/meta/v1.js";

/** Object metadata as the server handles it: the wire type with its fields writable. */
export type ObjectMeta = { -readonly [K in keyof WireObjectMeta]: WireObjectMeta[K] };

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  // spec/status/data differ per kind; strategies narrow them.
  [field: string]: any;
}

/** A deep copy through JSON: every stored object is plain JSON, so this is exact. */
export function deepCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** namespace/name, or name for cluster-scoped objects: the key of caches and work queues. */
export function namespacedName(obj: { metadata?: ObjectMeta }): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : `${m.name}`;
}
