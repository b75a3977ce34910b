// The garbage collector's dependency graph (upstream garbagecollector/graph.go): one node per object UID that an
// informer reported or that some object names as its owner, with the owner references it holds and the nodes
// that name it as their owner. JavaScript runs one handler at a time, so nodes are changed in place, unlocked.
import type { OwnerReference } from "kubernetes-types/meta/v1.js";

/** Who an object is: its coordinates plus namespace ("" for cluster-scoped objects). */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

export const FOREGROUND_FINALIZER = "foregroundDeletion";
export const ORPHAN_FINALIZER = "orphan";

export class GraphNode {
  /** Nodes whose ownerReferences name this node's UID. */
  readonly dependents = new Set<GraphNode>();
  /** Set once the object is deleting with the foregroundDeletion finalizer. */
  deletingDependents = false;
  /** Set once the object has a deletionTimestamp: a one-way trip to its final deletion. */
  beingDeleted = false;

  constructor(
    public identity: ObjectIdentity,
    /** The object's ownerReferences as last observed (empty for a virtual node). */
    public owners: OwnerReference[],
    /** Known only as somebody's owner: no informer has reported the object yet. */
    public virtual: boolean,
  ) {}

  /** Dependents whose reference to this node has blockOwnerDeletion: true (they hold a foreground delete). */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((dep) =>
      dep.owners.some((ref) => ref.uid === this.identity.uid && ref.blockOwnerDeletion === true),
    );
  }

  toString(): string {
    return identityString(this.identity);
  }
}

/** The identity an owner reference names, in the dependent's namespace (refined once the owner is seen). */
export function identityOfOwner(ref: OwnerReference, dependentNamespace: string): ObjectIdentity {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
    uid: ref.uid,
    namespace: dependentNamespace,
  };
}

/** Whether the reference agrees with the identity on uid, name, kind and apiVersion. */
export function referenceMatchesCoordinates(ref: OwnerReference, identity: ObjectIdentity): boolean {
  return (
    ref.uid === identity.uid &&
    ref.name === identity.name &&
    ref.kind === identity.kind &&
    ref.apiVersion === identity.apiVersion
  );
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return (
    a.uid === b.uid &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.apiVersion === b.apiVersion &&
    a.namespace === b.namespace
  );
}

/** Upstream's objectReference.String(), used in logs and event messages. */
export function identityString(i: ObjectIdentity): string {
  return `[${i.apiVersion}/${i.kind}, namespace: ${i.namespace}, name: ${i.name}, uid: ${i.uid}]`;
}

/** Sort order of identities (upstream referenceLessThan): kind, apiVersion, namespace, name, uid. */
export function compareIdentities(a: ObjectIdentity, b: ObjectIdentity): number {
  for (const field of ["kind", "apiVersion", "namespace", "name", "uid"] as const) {
    if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
  }
  return 0;
}

export function hasFinalizer(meta: { finalizers?: readonly string[] }, finalizer: string): boolean {
  return (meta.finalizers ?? []).includes(finalizer);
}
