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

/**
 * Freezes an object and everything in it. Shared, cached objects (the watch cache, informer stores) are frozen so
 * that they can be handed to many readers without copies: a reader that tries to change one fails loudly.
 * An object that is already frozen is taken to be frozen all the way down.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
