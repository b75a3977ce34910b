// Index functions for the informer store: each maps an object to the index values it is filed under, so
// controllers find "pods on node X" or "objects owned by UID Y" without scanning the whole cache.
import type { KubeObject } from "../api/object.js";

/** Values an object is filed under in one index (none: not indexed). */
export type IndexFunc = (obj: KubeObject) => readonly string[];

export type Indexers = Record<string, IndexFunc>;

/** Built into every store; cluster-scoped objects are filed under "". */
export const NAMESPACE_INDEX = "namespace";
export const NODE_NAME_INDEX = "spec.nodeName";
export const OWNER_UID_INDEX = "metadata.ownerReferences.uid";

export const indexByNamespace: IndexFunc = (obj) => [obj.metadata.namespace ?? ""];

/** Pods by the node they are bound to; unbound pods are not indexed. */
export const indexByNodeName: IndexFunc = (obj) => (obj.spec?.nodeName ? [obj.spec.nodeName] : []);

/** Objects by the UID of each owner (the garbage collector's and controllers' "what do I own" lookup). */
export const indexByOwnerUid: IndexFunc = (obj) =>
  (obj.metadata.ownerReferences ?? []).map((ref) => ref.uid).filter((uid) => !!uid);
