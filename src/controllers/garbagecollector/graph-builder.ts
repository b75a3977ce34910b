// Keeps the dependency graph in step with informer events and decides what to look at next (upstream
// GraphBuilder.processGraphChanges): a missing owner becomes a virtual node to verify, a deleted owner sends its
// dependents to attemptToDelete, an owner entering foreground or orphan deletion goes to the matching queue.
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { jsonEqual } from "../../api/equal.js";
import type { KubeObject } from "../../api/object.js";
import type { Logger } from "../../util/log.js";
import { AbsentOwnerCache } from "./absent-owner-cache.js";
import {
  compareIdentities,
  FOREGROUND_FINALIZER,
  GraphNode,
  hasFinalizer,
  identityOfOwner,
  type ObjectIdentity,
  ORPHAN_FINALIZER,
  referenceMatchesCoordinates,
  sameIdentity,
} from "./graph.js";

/** Where the builder sends work: both queues are keyed by object UID. */
export interface GraphQueues {
  attemptToDelete(uid: string, rateLimited?: boolean): void;
  attemptToOrphan(uid: string): void;
}

export interface GraphEvent {
  type: "add" | "update" | "delete";
  /** apiVersion and kind of the informer the event came from (or of the identity, for virtual events). */
  apiVersion: string;
  kind: string;
  obj: KubeObject;
  oldObj?: KubeObject;
  /** Made up by the collector after the API server said the object does not exist. */
  virtual?: boolean;
}

/** Reports a dependent whose owner reference names an owner in another namespace. */
export type InvalidOwnerReporter = (dependent: GraphNode, ref: OwnerReference) => void;

const beingDeleted = (obj: KubeObject) => !!obj.metadata.deletionTimestamp;

/** Deletion started (or the finalizer arrived) with this event: not deleting-with-finalizer before, now yes. */
function deletionStartsWithFinalizer(
  oldObj: KubeObject | undefined,
  obj: KubeObject,
  finalizer: string,
): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj.metadata, finalizer)) return false;
  return !oldObj || !beingDeleted(oldObj) || !hasFinalizer(oldObj.metadata, finalizer);
}

/** Owner references added, removed and changed between two lists, matched by UID. */
export function referencesDiffs(
  old: readonly OwnerReference[],
  current: readonly OwnerReference[],
): {
  added: OwnerReference[];
  removed: OwnerReference[];
  changed: { oldRef: OwnerReference; newRef: OwnerReference }[];
} {
  const oldByUid = new Map(old.map((ref) => [ref.uid, ref]));
  const added: OwnerReference[] = [];
  const changed: { oldRef: OwnerReference; newRef: OwnerReference }[] = [];
  for (const ref of current) {
    const before = oldByUid.get(ref.uid);
    if (!before) added.push(ref);
    else {
      if (!jsonEqual(before, ref)) changed.push({ oldRef: before, newRef: ref });
      oldByUid.delete(ref.uid);
    }
  }
  return { added, removed: [...oldByUid.values()], changed };
}

/**
 * Splits dependents into those whose reference to `owner.uid` matches its coordinates and those that refer to
 * the same UID differently (or from another namespace); a dependent with both kinds of reference is in both.
 */
export function partitionDependents(
  dependents: Iterable<GraphNode>,
  owner: ObjectIdentity,
): [matching: GraphNode[], nonMatching: GraphNode[]] {
  const matching: GraphNode[] = [];
  const nonMatching: GraphNode[] = [];
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (owner.namespace && owner.namespace !== dep.identity.namespace) mismatch = true;
    else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (referenceMatchesCoordinates(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonMatching.push(dep);
  }
  return [matching, nonMatching];
}

/**
 * Another identity the dependents use for the UID of an owner verified absent (upstream
 * getAlternateOwnerIdentity): the first one after `absent` in sort order, else the first of all, else none.
 */
export function alternateOwnerIdentity(
  dependents: GraphNode[],
  absent: ObjectIdentity,
): ObjectIdentity | undefined {
  const absentIsClusterScoped = absent.namespace === "";
  let first: ObjectIdentity | undefined;
  let firstFollowing: ObjectIdentity | undefined;
  for (const dep of dependents) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (
        referenceMatchesCoordinates(ref, absent) &&
        (absentIsClusterScoped || absent.namespace === dep.identity.namespace)
      ) {
        continue;
      }
      const candidate = identityOfOwner(ref, dep.identity.namespace);
      // That apiVersion/kind is known to be cluster-scoped, so the dependent's namespace does not apply.
      if (
        absentIsClusterScoped &&
        candidate.apiVersion === absent.apiVersion &&
        candidate.kind === absent.kind
      ) {
        candidate.namespace = "";
      }
      if (sameIdentity(candidate, absent)) continue;
      if (!first || compareIdentities(candidate, first) < 0) first = candidate;
      if (
        compareIdentities(absent, candidate) < 0 &&
        (!firstFollowing || compareIdentities(candidate, firstFollowing) < 0)
      ) {
        firstFollowing = candidate;
      }
    }
  }
  return firstFollowing ?? first;
}

export class GraphBuilder {
  readonly uidToNode = new Map<string, GraphNode>();
  readonly absentOwnerCache = new AbsentOwnerCache();

  constructor(
    private readonly queues: GraphQueues,
    private readonly log: Logger,
    private readonly reportInvalidOwner: InvalidOwnerReporter = () => {},
  ) {}

  /** Records that the API server has no object with this identity (upstream enqueueVirtualDeleteEvent). */
  virtualDelete(identity: ObjectIdentity): void {
    this.process({
      type: "delete",
      virtual: true,
      apiVersion: identity.apiVersion,
      kind: identity.kind,
      obj: {
        apiVersion: identity.apiVersion,
        kind: identity.kind,
        metadata: { name: identity.name, namespace: identity.namespace || undefined, uid: identity.uid },
      },
    });
  }

  /** Applies one informer (or virtual) event to the graph. */
  process(event: GraphEvent): void {
    const { obj } = event;
    const uid = obj.metadata.uid;
    if (!uid) return;
    const observed: ObjectIdentity = {
      apiVersion: event.apiVersion,
      kind: event.kind,
      name: obj.metadata.name ?? "",
      uid,
      namespace: obj.metadata.namespace ?? "",
    };
    const existing = this.uidToNode.get(uid);
    if (existing && !event.virtual && existing.virtual) this.markObserved(existing, observed);
    if (event.type === "delete") {
      if (existing) this.processDelete(event, existing, observed);
      return;
    }
    const owners = obj.metadata.ownerReferences ?? [];
    if (!existing) {
      const node = new GraphNode(observed, [...owners], false);
      node.beingDeleted = beingDeleted(obj);
      node.deletingDependents = node.beingDeleted && hasFinalizer(obj.metadata, FOREGROUND_FINALIZER);
      this.uidToNode.set(uid, node);
      this.addDependentToOwners(node, node.owners);
      this.processTransitions(event.oldObj, obj, node);
      return;
    }
    if (
      !event.virtual &&
      (existing.identity.apiVersion !== event.apiVersion || existing.identity.kind !== event.kind)
    ) {
      existing.identity = { ...existing.identity, apiVersion: event.apiVersion, kind: event.kind };
    }
    const { added, removed, changed } = referencesDiffs(existing.owners, owners);
    if (added.length || removed.length || changed.length) {
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = [...owners];
      this.addDependentToOwners(existing, added);
      this.removeDependentFromOwners(existing, removed);
    }
    if (beingDeleted(obj)) existing.beingDeleted = true;
    this.processTransitions(event.oldObj, obj, existing);
  }

  /** A virtual node is now seen by an informer; dependents that named it differently need a second look. */
  private markObserved(node: GraphNode, observed: ObjectIdentity): void {
    if (!sameIdentity(observed, node.identity)) {
      const [, potentiallyInvalid] = partitionDependents(node.dependents, observed);
      for (const dep of potentiallyInvalid) {
        if (observed.namespace && dep.identity.namespace !== observed.namespace) {
          this.log.info(
            { item: `${dep}`, owner: observed },
            "item references an owner but does not match namespaces",
          );
          this.reportInvalid(dep, observed.uid);
        }
        this.queues.attemptToDelete(dep.identity.uid);
      }
      this.log.debug({ virtual: node.identity, observed }, "replacing virtual item with observed item");
      node.identity = observed;
    }
    node.virtual = false;
  }

  private processDelete(event: GraphEvent, existing: GraphNode, deleted: ObjectIdentity): void {
    let removeExisting = true;
    if (event.virtual) {
      if (existing.virtual) {
        // We are not sure of a virtual node's coordinates: dependents may name its UID differently.
        const [matching, nonMatching] = partitionDependents(existing.dependents, deleted);
        if (nonMatching.length > 0) {
          removeExisting = false;
          this.markAbsent(deleted, matching);
          if (sameIdentity(existing.identity, deleted)) {
            const replacement = alternateOwnerIdentity(nonMatching, deleted);
            if (replacement) {
              existing.identity = replacement;
              this.queues.attemptToDelete(existing.identity.uid, true);
            }
          }
        }
      } else if (!sameIdentity(existing.identity, deleted)) {
        // The observed object disagrees with the identity the API server denied: only those dependents lose.
        removeExisting = false;
        const [matching] = partitionDependents(existing.dependents, deleted);
        this.markAbsent(deleted, matching);
      }
    }
    if (!removeExisting) return;
    this.uidToNode.delete(existing.identity.uid);
    this.removeDependentFromOwners(existing, existing.owners);
    if (existing.dependents.size > 0) this.absentOwnerCache.add(deleted);
    for (const dep of existing.dependents) this.queues.attemptToDelete(dep.identity.uid);
    for (const ref of existing.owners) {
      const owner = this.uidToNode.get(ref.uid);
      // An owner waiting for its dependents may now be free to go.
      if (owner?.deletingDependents) this.queues.attemptToDelete(owner.identity.uid);
    }
  }

  private markAbsent(identity: ObjectIdentity, dependents: GraphNode[]): void {
    if (dependents.length === 0) return;
    this.absentOwnerCache.add(identity);
    for (const dep of dependents) this.queues.attemptToDelete(dep.identity.uid);
  }

  /** Links `node` under each owner, creating (and queueing for verification) virtual owners not yet seen. */
  private addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const ref of owners) {
      let owner = this.uidToNode.get(ref.uid);
      if (!owner) {
        owner = new GraphNode(identityOfOwner(ref, node.identity.namespace), [], true);
        this.uidToNode.set(ref.uid, owner);
        owner.dependents.add(node);
        // The worker asks the API server whether this owner exists.
        this.queues.attemptToDelete(ref.uid);
        continue;
      }
      owner.dependents.add(node);
      if (potentiallyInvalid) continue;
      const ownerIsNamespaced = owner.identity.namespace !== "";
      if (ownerIsNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (!owner.virtual) {
          this.log.info(
            { item: `${node}`, owner: `${owner}` },
            "item references an owner but does not match namespaces",
          );
          this.reportInvalid(node, ref.uid);
        }
        potentiallyInvalid = true;
      } else if (!referenceMatchesCoordinates(ref, owner.identity)) {
        potentiallyInvalid = true;
      } else if (
        !ownerIsNamespaced &&
        owner.identity.namespace !== node.identity.namespace &&
        owner.virtual
      ) {
        // A virtual cluster-scoped owner could be a namespaced kind wrongly named by a cluster-scoped dependent.
        potentiallyInvalid = true;
      }
    }
    // The worker checks whether the references are dangling and deletes the dependent only if all are.
    if (potentiallyInvalid) this.queues.attemptToDelete(node.identity.uid);
  }

  private removeDependentFromOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) this.uidToNode.get(ref.uid)?.dependents.delete(node);
  }

  /** A blocking reference that went away (or stopped blocking) may release an owner deleting in foreground. */
  private addUnblockedOwnersToDeleteQueue(
    removed: OwnerReference[],
    changed: { oldRef: OwnerReference; newRef: OwnerReference }[],
  ): void {
    const released: OwnerReference[] = [
      ...removed.filter((ref) => ref.blockOwnerDeletion === true),
      ...changed
        .filter((c) => c.oldRef.blockOwnerDeletion === true && c.newRef.blockOwnerDeletion !== true)
        .map((c) => c.newRef),
    ];
    for (const ref of released) {
      const owner = this.uidToNode.get(ref.uid);
      if (owner) this.queues.attemptToDelete(owner.identity.uid);
    }
  }

  private processTransitions(oldObj: KubeObject | undefined, obj: KubeObject, node: GraphNode): void {
    if (deletionStartsWithFinalizer(oldObj, obj, ORPHAN_FINALIZER)) {
      this.queues.attemptToOrphan(node.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(oldObj, obj, FOREGROUND_FINALIZER)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.queues.attemptToDelete(dep.identity.uid);
      this.queues.attemptToDelete(node.identity.uid);
    }
  }

  private reportInvalid(dependent: GraphNode, ownerUid: string): void {
    const ref = dependent.owners.find((r) => r.uid === ownerUid);
    if (ref) this.reportInvalidOwner(dependent, ref);
  }
}
