// The garbage collector (upstream pkg/controller/garbagecollector): informers on every served resource feed
// the dependency graph; attemptToDelete workers delete objects whose owners are all gone and finish foreground
// deletions; attemptToOrphan workers strip an orphaning owner from its dependents, then release the owner.
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { groupVersion, RESOURCES, type ResourceInfo } from "../../api/resources.js";
import type { Client, DeleteOptions } from "../../client/client.js";
import { EventRecorder } from "../../client/event-recorder.js";
import type { InformerFactory, SharedInformer } from "../../informer/index.js";
import type { Runnable } from "../../runtime/index.js";
import { type Clock, realClock } from "../../util/clock.js";
import { childLogger, type Logger } from "../../util/log.js";
import {
  FOREGROUND_FINALIZER,
  type GraphNode,
  hasFinalizer,
  identityString,
  type ObjectIdentity,
  ORPHAN_FINALIZER,
} from "./graph.js";
import { GraphBuilder } from "./graph-builder.js";
import { GcOperations, RestMappingError } from "./operations.js";
import { deleteOwnerRefsPatch, unblockOwnerRefsPatch } from "./patches.js";
import { QueueWorkers, type WorkOutcome } from "./queue-workers.js";

/** kube-controller-manager --concurrent-gc-syncs. */
export const DEFAULT_GC_WORKERS = 20;

/** Resources upstream never garbage collects (events are many, short-lived and own nothing). */
const IGNORED_RESOURCES = new Set(["/events", "events.k8s.io/events"]);

export interface GarbageCollectorOptions {
  client: Client;
  /** Shared factory; the caller starts it. One informer per resource is added, with a handler. */
  informers: InformerFactory;
  logger: Logger;
  /** Paces retries (default: wall-clock time). */
  clock?: Clock;
  recorder?: EventRecorder;
  /** Workers per queue (default {@link DEFAULT_GC_WORKERS}). */
  workers?: number;
  /** Resources to watch (default: every resource in RESOURCES except events). */
  resources?: readonly ResourceInfo[];
}

/** A cluster-scoped dependent naming a namespaced owner: invalid, and retrying will not change that. */
class NamespacedOwnerOfClusterScopedObjectError extends Error {}

type Propagation = NonNullable<DeleteOptions["propagationPolicy"]>;

interface ClassifiedReferences {
  /** Owners that exist and are not waiting for their dependents. */
  solid: OwnerReference[];
  /** Owners that do not exist (or exist with another UID). */
  dangling: OwnerReference[];
  /** Owners deleting in foreground, waiting for their dependents. */
  waitingForDependentsDeletion: OwnerReference[];
}

export class GarbageCollector implements Runnable {
  readonly name = "garbagecollector";
  readonly graph: GraphBuilder;
  private readonly ops: GcOperations;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly attemptToDelete: QueueWorkers;
  private readonly attemptToOrphan: QueueWorkers;
  private readonly watched: SharedInformer[] = [];

  constructor(options: GarbageCollectorOptions) {
    const clock = options.clock ?? realClock;
    const workers = options.workers ?? DEFAULT_GC_WORKERS;
    this.log = childLogger(options.logger, { controller: "garbagecollector" });
    this.ops = new GcOperations(options.client);
    this.recorder =
      options.recorder ??
      new EventRecorder(options.client, { component: "garbage-collector-controller" }, () => clock.now());
    this.attemptToDelete = new QueueWorkers({
      name: "garbage_collector_attempt_to_delete",
      work: (uid) => this.attemptToDeleteWorker(uid),
      workers,
      logger: this.log,
      clock,
    });
    this.attemptToOrphan = new QueueWorkers({
      name: "garbage_collector_attempt_to_orphan",
      work: (uid) => this.attemptToOrphanWorker(uid),
      workers,
      logger: this.log,
      clock,
    });
    this.graph = new GraphBuilder(
      {
        attemptToDelete: (uid, rateLimited) =>
          rateLimited ? this.attemptToDelete.addRateLimited(uid) : this.attemptToDelete.add(uid),
        attemptToOrphan: (uid) => this.attemptToOrphan.add(uid),
      },
      this.log,
      (dependent, ref) => this.reportInvalidNamespaceOwnerRef(dependent, ref),
    );
    const resources = options.resources ?? RESOURCES;
    for (const info of resources) {
      if (IGNORED_RESOURCES.has(`${info.group}/${info.resource}`)) continue;
      this.watch(options.informers.informerFor(info), info);
    }
  }

  /** Waits for every watched informer to sync, then runs both worker pools until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    this.log.info("starting garbage collector");
    const synced = await Promise.all(this.watched.map((i) => i.waitForSync(signal)));
    if (signal.aborted) return;
    if (!synced.every(Boolean)) throw new Error("garbage collector: informers failed to sync");
    this.log.info("all resource monitors have synced; proceeding to collect garbage");
    await Promise.all([this.attemptToDelete.run(signal), this.attemptToOrphan.run(signal)]);
  }

  private watch(informer: SharedInformer, info: ResourceInfo): void {
    const apiVersion = groupVersion(info);
    const kind = info.kind;
    informer.addEventHandler({
      onAdd: (obj) => this.graph.process({ type: "add", apiVersion, kind, obj }),
      onUpdate: (oldObj, obj) => this.graph.process({ type: "update", apiVersion, kind, obj, oldObj }),
      onDelete: (obj) => this.graph.process({ type: "delete", apiVersion, kind, obj }),
    });
    this.watched.push(informer);
  }

  // ---------------------------------------------------------------- attemptToDelete

  private async attemptToDeleteWorker(uid: string): Promise<WorkOutcome> {
    const item = this.graph.uidToNode.get(uid);
    if (!item) return "forget";
    try {
      if ((await this.attemptToDeleteItem(item)) === "virtualDeleteEnqueued") return "forget";
    } catch (err) {
      if (err instanceof NamespacedOwnerOfClusterScopedObjectError) return "forget";
      const level = err instanceof RestMappingError ? "warn" : "error";
      this.log[level]({ err, item: `${item}` }, "error syncing item");
      return "requeue";
    }
    // The object exists but no informer has reported it yet: look again once one has.
    if (item.virtual) {
      this.log.debug({ item: `${item}` }, "item hasn't been observed via informer yet");
      return "requeue";
    }
    return "forget";
  }

  /**
   * Deletes the object when none of its owners is solid, removes references to absent owners when another
   * owner is solid, and finishes an owner's foreground deletion (upstream attemptToDeleteItem).
   */
  private async attemptToDeleteItem(item: GraphNode): Promise<"virtualDeleteEnqueued" | "done"> {
    // "Being deleted" is a one-way trip; its dependents are handled once it is gone.
    if (item.beingDeleted && !item.deletingDependents) return "done";
    const latest = await this.ops.getObject(item.identity);
    if (!latest || latest.metadata.uid !== item.identity.uid) {
      this.log.debug({ item: `${item}` }, "item not found, generating a virtual delete event");
      this.graph.virtualDelete(item.identity);
      return "virtualDeleteEnqueued";
    }
    if (item.deletingDependents) {
      await this.processDeletingDependentsItem(item);
      return "done";
    }
    const ownerReferences = latest.metadata.ownerReferences ?? [];
    if (ownerReferences.length === 0) return "done";
    const {
      solid,
      dangling,
      waitingForDependentsDeletion: waiting,
    } = await this.classifyReferences(item, ownerReferences);
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return "done";
      // References to owners waiting for their dependents go too, or those owners would wait forever.
      this.log.info({ item: `${item}`, dangling, waiting }, "removing dangling and waiting owner references");
      await this.ops.patch(
        item.identity,
        deleteOwnerRefsPatch(
          item.identity.uid,
          [...dangling, ...waiting].map((r) => r.uid),
        ),
      );
      return "done";
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      for (const dep of item.dependents) {
        if (!dep.deletingDependents) continue;
        // An owner and a dependent both deleting in foreground could wait for each other: stop blocking.
        this.log.info(
          { item: `${item}`, dependent: `${dep}` },
          "unblocking owner references to avoid a cycle",
        );
        await this.ops.patch(item.identity, unblockOwnerRefsPatch(item.identity.uid, item.owners));
        break;
      }
      return this.deleteItem(item, latest, "Foreground");
    }
    // No solid owner and nobody waiting: collect it, honouring a deletion mode already chosen for it.
    let policy: Propagation = "Background";
    if (hasFinalizer(latest.metadata, ORPHAN_FINALIZER)) policy = "Orphan";
    else if (hasFinalizer(latest.metadata, FOREGROUND_FINALIZER)) policy = "Foreground";
    return this.deleteItem(item, latest, policy);
  }

  private async deleteItem(
    item: GraphNode,
    latest: KubeObject,
    policy: Propagation,
  ): Promise<"virtualDeleteEnqueued" | "done"> {
    this.log.info({ item: `${item}`, propagationPolicy: policy }, "deleting item");
    try {
      await this.ops.deleteObject(
        item.identity,
        latest.metadata.resourceVersion,
        latest.metadata.ownerReferences,
        policy,
      );
      return "done";
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.graph.virtualDelete(item.identity);
      return "virtualDeleteEnqueued";
    }
  }

  /** An owner deleting in foreground: release it once no blocking dependent is left, else chase them. */
  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      this.log.info({ item: `${item}` }, "removing the foregroundDeletion finalizer");
      await this.ops.removeFinalizer(item.identity, FOREGROUND_FINALIZER);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep.identity.uid);
  }

  private async classifyReferences(
    item: GraphNode,
    refs: readonly OwnerReference[],
  ): Promise<ClassifiedReferences> {
    const result: ClassifiedReferences = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    for (const ref of refs) {
      const owner = await this.liveOwner(item, ref);
      if (!owner) result.dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && hasFinalizer(owner.metadata, FOREGROUND_FINALIZER)) {
        result.waitingForDependentsDeletion.push(ref);
      } else result.solid.push(ref);
    }
    return result;
  }

  /**
   * The owner a reference names, read live from the API server; undefined when it is dangling: no object
   * with that name, or one with another UID (upstream isDangling). Confirmed absences are cached.
   */
  private async liveOwner(item: GraphNode, ref: OwnerReference): Promise<KubeObject | undefined> {
    const clusterScopedKey: ObjectIdentity = { ...coordinates(ref), namespace: "" };
    const namespacedKey: ObjectIdentity = { ...coordinates(ref), namespace: item.identity.namespace };
    if (this.graph.absentOwnerCache.has(clusterScopedKey) || this.graph.absentOwnerCache.has(namespacedKey)) {
      return undefined;
    }
    const info = this.ops.resourceFor(ref.apiVersion, ref.kind);
    if (!item.identity.namespace && info.namespaced) {
      this.log.info(
        { item: `${item}`, owner: ref },
        "item is cluster-scoped, but refers to a namespaced owner",
      );
      throw new NamespacedOwnerOfClusterScopedObjectError();
    }
    const key = info.namespaced ? namespacedKey : clusterScopedKey;
    const owner = await this.ops.getObject(key);
    if (owner && owner.metadata.uid === ref.uid) return owner;
    this.graph.absentOwnerCache.add(key);
    return undefined;
  }

  // ---------------------------------------------------------------- attemptToOrphan

  /** Removes the owner from every dependent's ownerReferences, then the owner's orphan finalizer. */
  private async attemptToOrphanWorker(uid: string): Promise<WorkOutcome> {
    const owner = this.graph.uidToNode.get(uid);
    if (!owner) return "forget";
    const results = await Promise.allSettled(
      [...owner.dependents].map(async (dep) => {
        try {
          await this.ops.patch(dep.identity, deleteOwnerRefsPatch(dep.identity.uid, [owner.identity.uid]));
        } catch (err) {
          // A dependent that is gone no longer refers to anybody.
          if (!isNotFound(err))
            throw new Error(`orphaning ${dep} failed: ${(err as Error).message}`, { cause: err });
        }
      }),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failures.length > 0) {
      this.log.error(
        { owner: `${owner}`, errors: failures.map((f) => String(f.reason?.message ?? f.reason)) },
        "failed to orphan dependents",
      );
      return "requeue";
    }
    try {
      await this.ops.removeFinalizer(owner.identity, ORPHAN_FINALIZER);
    } catch (err) {
      this.log.error({ err, owner: `${owner}` }, "failed to remove the orphan finalizer");
      return "requeue";
    }
    return "forget";
  }

  private reportInvalidNamespaceOwnerRef(dependent: GraphNode, ref: OwnerReference): void {
    const { identity } = dependent;
    const invalid = identityString({ ...coordinates(ref), namespace: identity.namespace });
    this.recorder.event(
      {
        apiVersion: identity.apiVersion,
        kind: identity.kind,
        metadata: { name: identity.name, namespace: identity.namespace || undefined, uid: identity.uid },
      },
      "Warning",
      "OwnerRefInvalidNamespace",
      `ownerRef ${invalid} does not exist in namespace "${identity.namespace}"`,
    );
  }
}

function coordinates(ref: OwnerReference): Omit<ObjectIdentity, "namespace"> {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid };
}
