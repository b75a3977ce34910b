// The DaemonSet controller's wiring (upstream daemon_controller.go): informers for DaemonSets, pods, nodes,
// ControllerRevisions (and ResourceQuotas, to retry refused pods); event handlers that only work out which
// DaemonSets a change concerns and enqueue them (recording observed creations and deletions in the
// expectations); and the work queue feeding syncDaemonSet.
import type { Logger } from "pino";
import { jsonEqual } from "../../api/equal.js";
import { selectorFromLabelSelector } from "../../api/labels.js";
import type { KubeObject } from "../../api/object.js";
import { namespacedName } from "../../api/object.js";
import { quotaRoomGrew } from "../../api/quota/room.js";
import { CONTROLLER_REVISIONS, DAEMON_SETS, NODES, PODS, RESOURCE_QUOTAS } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import type { EventRecorder } from "../../client/event-recorder.js";
import type { InformerFactory } from "../../informer/factory.js";
import { indexByNodeName, NODE_NAME_INDEX } from "../../informer/indexers.js";
import type { SharedInformer } from "../../informer/shared-informer.js";
import { Controller } from "../../runtime/controller.js";
import { ControllerExpectations } from "../../runtime/expectations.js";
import { type Clock, realClock } from "../../util/clock.js";
import { BACKOFF_GC_INTERVAL_MS, Backoff } from "./backoff.js";
import { compileDaemonSetPlacement } from "./placement.js";
import { isPodReady } from "./pods.js";
import { DaemonSetSync, ORPHANS_BY_NAMESPACE, OWNER_UID_INDEX, ownerIndexers } from "./sync.js";

export interface DaemonSetControllerOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  recorder: EventRecorder;
  clock?: Clock;
  /** Concurrent syncs (upstream --concurrent-daemonset-syncs, default 2). */
  workers?: number;
  /** Pod creations/deletions per sync (upstream BurstReplicas, 250). */
  burstReplicas?: number;
}

/** The DaemonSet a pod or revision names as its controller, if the reference is to a DaemonSet. */
function controllerOf(obj: KubeObject): { name: string; uid: string } | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  if (ref?.kind !== "DaemonSet" || !ref.apiVersion.startsWith("apps/")) return undefined;
  return { name: ref.name, uid: ref.uid };
}

export class DaemonSetController {
  readonly controller: Controller;
  private readonly dsInformer: SharedInformer;
  private readonly podInformer: SharedInformer;
  private readonly nodeInformer: SharedInformer;
  private readonly revisionInformer: SharedInformer;
  private readonly quotaInformer: SharedInformer;
  private readonly expectations: ControllerExpectations;
  private readonly sync: DaemonSetSync;
  private readonly clock: Clock;

  constructor(readonly o: DaemonSetControllerOptions) {
    this.clock = o.clock ?? realClock;
    this.dsInformer = o.informers.informerFor(DAEMON_SETS);
    this.podInformer = o.informers.informerFor(PODS);
    this.nodeInformer = o.informers.informerFor(NODES);
    this.revisionInformer = o.informers.informerFor(CONTROLLER_REVISIONS);
    this.quotaInformer = o.informers.informerFor(RESOURCE_QUOTAS);
    this.podInformer.addIndexers({ [NODE_NAME_INDEX]: indexByNodeName, ...ownerIndexers });
    this.revisionInformer.addIndexers(ownerIndexers);
    this.expectations = new ControllerExpectations(this.clock);
    const backoff = new Backoff();
    this.controller = new Controller({
      name: "daemonset",
      workers: o.workers ?? 2,
      logger: o.logger,
      clock: this.clock,
      waitForSync: (signal) => o.informers.waitForCacheSync(signal),
      reconcile: (key) => this.sync.syncDaemonSet(key),
      // A sync costs O(pods of the DaemonSet): pace it so a rollout's pod events leave the scheduler and the
      // fleet most of the event loop (at most a third for this controller; see docs/performance.md).
      pacingFactor: 2,
    });
    this.sync = new DaemonSetSync({
      client: o.client,
      recorder: o.recorder,
      logger: o.logger,
      clock: this.clock,
      expectations: this.expectations,
      backoff,
      burstReplicas: o.burstReplicas ?? 250,
      daemonSets: this.dsInformer.lister(),
      pods: this.podInformer.lister(),
      nodes: this.nodeInformer.lister(),
      revisions: this.revisionInformer.lister(),
      enqueueAfter: (key, ms) => this.controller.enqueueAfter(key, ms),
    });
    this.registerHandlers();
    this.gcBackoff(backoff);
  }

  private backoffTimer: unknown;
  private gcBackoff(backoff: Backoff): void {
    const tick = () => {
      backoff.gc(this.clock.now());
      this.backoffTimer = this.clock.setTimeout(tick, BACKOFF_GC_INTERVAL_MS);
    };
    this.backoffTimer = this.clock.setTimeout(tick, BACKOFF_GC_INTERVAL_MS);
  }

  async start(signal: AbortSignal): Promise<void> {
    try {
      await this.controller.start(signal);
    } finally {
      if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer as never);
    }
  }

  private enqueue(ds: KubeObject): void {
    this.controller.enqueue(namespacedName(ds));
  }

  /** The DaemonSet a controller reference points at, if it still exists with that UID. */
  private resolveControllerRef(
    namespace: string | undefined,
    ref: { name: string; uid: string },
  ): KubeObject | undefined {
    const ds = this.dsInformer.lister().get(namespace, ref.name);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  /** Every DaemonSet in the pod's namespace whose selector matches it (for orphans: adoption candidates). */
  private daemonSetsForPod(pod: KubeObject): KubeObject[] {
    return this.dsInformer
      .lister()
      .list(pod.metadata.namespace)
      .filter((ds) => {
        try {
          const sel = selectorFromLabelSelector(ds.spec?.selector);
          return !sel.empty() && sel.matches(pod.metadata.labels);
        } catch {
          return false;
        }
      });
  }

  private registerHandlers(): void {
    this.dsInformer.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, ds) => this.enqueue(ds),
      onDelete: (ds) => {
        this.expectations.deleteExpectations(namespacedName(ds));
        this.enqueue(ds);
      },
    });

    this.podInformer.addEventHandler({
      onAdd: (pod) => {
        if (pod.metadata.deletionTimestamp) {
          // A pod that arrives already deleting (e.g. on a relist) only counts as a deletion.
          this.deletePod(pod);
          return;
        }
        const ref = controllerOf(pod);
        if (ref) {
          const ds = this.resolveControllerRef(pod.metadata.namespace, ref);
          if (!ds) return;
          this.expectations.creationObserved(namespacedName(ds));
          this.enqueue(ds);
          return;
        }
        for (const ds of this.daemonSetsForPod(pod)) this.enqueue(ds);
      },
      onUpdate: (old, pod) => {
        if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
        if (pod.metadata.deletionTimestamp) {
          // The deletion is observed when the pod is marked; later updates of a terminating pod only requeue.
          if (!old.metadata.deletionTimestamp) this.deletePod(pod);
          else this.enqueueOwner(pod);
          return;
        }
        const oldRef = controllerOf(old);
        const ref = controllerOf(pod);
        if (oldRef && (!ref || oldRef.uid !== ref.uid)) {
          const oldDs = this.resolveControllerRef(old.metadata.namespace, oldRef);
          if (oldDs) this.enqueue(oldDs);
        }
        if (ref) {
          const ds = this.resolveControllerRef(pod.metadata.namespace, ref);
          if (!ds) return;
          this.enqueue(ds);
          // With minReadySeconds, a pod turning ready becomes available later without another event.
          const mrs = ds.spec?.minReadySeconds ?? 0;
          if (mrs > 0 && !isPodReady(old) && isPodReady(pod)) {
            this.controller.enqueueAfter(namespacedName(ds), mrs * 1000 + 1000);
          }
          return;
        }
        if (!jsonEqual(old.metadata.labels, pod.metadata.labels) || oldRef) {
          for (const ds of this.daemonSetsForPod(pod)) this.enqueue(ds);
        }
      },
      onDelete: (pod) => {
        // A pod that went through graceful deletion was counted when it was marked.
        if (pod.metadata.deletionTimestamp) this.enqueueOwner(pod);
        else this.deletePod(pod);
      },
    });

    this.nodeInformer.addEventHandler({
      onAdd: (node) => {
        for (const ds of this.dsInformer.lister().list()) {
          if (compileDaemonSetPlacement(ds)(node).shouldRun) this.enqueue(ds);
        }
      },
      onUpdate: (old, node) => {
        // Upstream ignores node updates that change neither labels nor taints (heartbeats, conditions).
        if (
          jsonEqual(old.metadata.labels, node.metadata.labels) &&
          jsonEqual(old.spec?.taints, node.spec?.taints)
        ) {
          return;
        }
        for (const ds of this.dsInformer.lister().list()) {
          const place = compileDaemonSetPlacement(ds);
          const before = place(old);
          const after = place(node);
          if (
            before.shouldRun !== after.shouldRun ||
            before.shouldContinueRunning !== after.shouldContinueRunning
          ) {
            this.enqueue(ds);
          }
        }
      },
      onDelete: () => {
        for (const ds of this.dsInformer.lister().list()) this.enqueue(ds);
      },
    });

    const revisionChanged = (cr: KubeObject) => {
      const ref = controllerOf(cr);
      if (ref) {
        const ds = this.resolveControllerRef(cr.metadata.namespace, ref);
        if (ds) this.enqueue(ds);
        return;
      }
      // An orphaned revision may be adopted by a DaemonSet whose selector matches it.
      for (const ds of this.daemonSetsForPod(cr)) this.enqueue(ds);
    };
    this.revisionInformer.addEventHandler({
      onAdd: revisionChanged,
      onUpdate: (_old, cr) => revisionChanged(cr),
      onDelete: revisionChanged,
    });

    // Beyond upstream: pods a quota refused are retried as soon as that quota leaves more room (raised, removed,
    // or usage down) rather than when the DaemonSet's failure backoff, which grows to minutes, runs out.
    const retryNamespace = (quota: KubeObject) => {
      for (const ds of this.dsInformer.lister().list(quota.metadata.namespace)) this.enqueue(ds);
    };
    this.quotaInformer.addEventHandler({
      onUpdate: (old, quota) => {
        if (quotaRoomGrew(old, quota)) retryNamespace(quota);
      },
      onDelete: retryNamespace,
    });
  }

  private enqueueOwner(pod: KubeObject): void {
    const ref = controllerOf(pod);
    const ds = ref && this.resolveControllerRef(pod.metadata.namespace, ref);
    if (ds) this.enqueue(ds);
  }

  private deletePod(pod: KubeObject): void {
    const ref = controllerOf(pod);
    if (!ref) return;
    const ds = this.resolveControllerRef(pod.metadata.namespace, ref);
    if (!ds) return;
    this.expectations.deletionObserved(namespacedName(ds));
    this.enqueue(ds);
  }
}

export { ORPHANS_BY_NAMESPACE, OWNER_UID_INDEX };
