// syncDaemonSet and the I/O steps under it, named as upstream (daemon_controller.go, update.go): claim pods and
// revisions, constructHistory, manage → syncNodes (slow-start batches, expectations), rollingUpdate,
// cleanupHistory and updateDaemonSetStatus. The decisions themselves are the pure plans of placement.ts,
// manage.ts, rolling-update.ts, history.ts and status.ts; this file carries them out through the client.
import type { Logger } from "pino";
import { ApiError, ignoreNotFound, isAlreadyExists, isConflict, isNotFound } from "../../api/errors.js";
import { selectorFromLabelSelector } from "../../api/labels.js";
import type { KubeObject } from "../../api/object.js";
import { CONTROLLER_REVISIONS, DAEMON_SETS, PODS } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import type { EventRecorder } from "../../client/event-recorder.js";
import type { IndexFunc } from "../../informer/indexers.js";
import type { Lister } from "../../informer/lister.js";
import type { Result } from "../../runtime/controller.js";
import type { ControllerExpectations } from "../../runtime/expectations.js";
import type { Clock } from "../../util/clock.js";
import type { Backoff } from "./backoff.js";
import { controllerRefFor, isSelectingAll, SELECTING_ALL_MESSAGE } from "./daemonset-meta.js";
import {
  controllerRevisionData,
  DEFAULT_REVISION_HISTORY_LIMIT,
  liveRevisionHashes,
  planCleanupHistory,
  planHistory,
  revisionMatchesDaemonSet,
} from "./history.js";
import { planManage } from "./manage.js";
import { compileDaemonSetPlacement, newPodForDaemonSet } from "./placement.js";
import { isPodReady, podAvailable, podsByNode, timestampMillis } from "./pods.js";
import { planRollingUpdate } from "./rolling-update.js";
import { availabilityResyncDelay, computeStatus, nextStatus, statusUpToDate } from "./status.js";
import { CONTROLLER_REVISION_HASH_LABEL, EventReason } from "./types.js";

/** Index of objects by the UID of their controller (the DaemonSet that owns them). */
export const OWNER_UID_INDEX = "controller-uid";
/** Index of objects with no controller, by namespace: the candidates for adoption. */
export const ORPHANS_BY_NAMESPACE = "orphans-by-namespace";

const controllerRef = (obj: KubeObject) => obj.metadata.ownerReferences?.find((r) => r.controller);

export const ownerIndexers: Record<string, IndexFunc> = {
  [OWNER_UID_INDEX]: (obj) => {
    const ref = controllerRef(obj);
    return ref ? [ref.uid] : [];
  },
  [ORPHANS_BY_NAMESPACE]: (obj) => (controllerRef(obj) ? [] : [obj.metadata.namespace ?? ""]),
};

/** upstream SlowStartInitialBatchSize */
const SLOW_START_INITIAL_BATCH = 1;

/**
 * What one sync sees: the claimed pods grouped by the node they run on or target (getNodesToDaemonPods), and the
 * CPU time spent looking at them. Upstream asks the informer afresh in every step; here the steps share one
 * grouping, read again only after the sync itself created or deleted pods — nothing else the steps look at can
 * differ within a sync but informer news, which enqueues the DaemonSet anyway. At 5,000 pods, regrouping per step
 * was most of the controller's CPU. The measured cost paces the controller (runtime Result.cost).
 */
class SyncView {
  private claimed: KubeObject[] | undefined;
  private readonly grouped = new Map<boolean, Map<string, KubeObject[]>>();
  /** Milliseconds (by the sync's clock) spent claiming, grouping and planning. */
  private spent = 0;
  /** The sync created or deleted pods. */
  private progressed = false;
  constructor(
    private readonly claim: () => Promise<KubeObject[]>,
    private readonly now: () => number,
  ) {}

  /** Pods by target node; terminal pods being deleted only with `includeDeletedTerminal` (cleanupHistory). */
  async byNode(includeDeletedTerminal = false): Promise<Map<string, KubeObject[]>> {
    if (!this.claimed) {
      const started = this.now();
      this.claimed = await this.claim();
      this.spent += this.now() - started;
    }
    const pods = this.claimed;
    let byNode = this.grouped.get(includeDeletedTerminal);
    if (!byNode) {
      byNode = this.timed(() => podsByNode(pods, { includeDeletedTerminal }));
      this.grouped.set(includeDeletedTerminal, byNode);
    }
    return byNode;
  }

  /** Runs a plan, counting its time. */
  timed<T>(plan: () => T): T {
    const started = this.now();
    try {
      return plan();
    } finally {
      this.spent += this.now() - started;
    }
  }

  /**
   * What pacing should count: a sync that created or deleted pods moved the rollout on and is not held back (the
   * next one waits for those pods anyway, through expectations); one that only recounted is.
   */
  get cost(): number {
    return this.progressed ? 0 : this.spent;
  }

  /** The sync changed pods: the next step reads the informer again. */
  invalidate(): void {
    this.progressed = true;
    this.claimed = undefined;
    this.grouped.clear();
  }
}

export interface DaemonSetSyncDeps {
  client: Client;
  recorder: EventRecorder;
  logger: Logger;
  clock: Clock;
  expectations: ControllerExpectations;
  backoff: Backoff;
  burstReplicas: number;
  daemonSets: Lister;
  pods: Lister;
  nodes: Lister;
  revisions: Lister;
  enqueueAfter(key: string, ms: number): void;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}

const isNamespaceTerminating = (e: unknown) =>
  e instanceof ApiError &&
  e.code === 403 &&
  (e.details?.causes ?? []).some((c) => c.reason === "NamespaceTerminating");

export class DaemonSetSync {
  constructor(private readonly d: DaemonSetSyncDeps) {}

  async syncDaemonSet(key: string): Promise<Result | undefined> {
    const [namespace, name] = splitKey(key);
    const ds = this.d.daemonSets.get(namespace, name);
    if (!ds) {
      this.d.expectations.deleteExpectations(key);
      return undefined;
    }
    const nodes = this.d.nodes.list();
    if (isSelectingAll(ds)) {
      this.d.recorder.event(ds, "Warning", EventReason.SelectingAll, SELECTING_ALL_MESSAGE);
      return undefined;
    }
    // A DaemonSet being deleted is left alone: the garbage collector removes its pods.
    if (ds.metadata.deletionTimestamp) return undefined;

    const { hash, old } = await this.constructHistory(ds);
    const pods = new SyncView(
      () => this.claim(ds, this.d.pods, PODS),
      () => this.d.clock.now(),
    );
    if (!this.d.expectations.satisfiedExpectations(key)) {
      // Pods we created or deleted are not all seen yet: only refresh the counts.
      const result = await this.updateDaemonSetStatus(ds, nodes, hash, false, pods);
      return { ...result, cost: pods.cost };
    }
    let requeueAfter: number | undefined;
    let syncError: unknown;
    try {
      requeueAfter = await this.manage(ds, nodes, hash, pods);
      if (this.d.expectations.satisfiedExpectations(key) && ds.spec?.updateStrategy?.type !== "OnDelete") {
        const pending = await this.rollingUpdate(ds, nodes, hash, pods);
        if (pending !== undefined)
          requeueAfter = requeueAfter === undefined ? pending : Math.min(requeueAfter, pending);
      }
      await this.cleanupHistory(ds, old, pods);
    } catch (e) {
      syncError = e;
    }
    // As upstream, the status is written even when pods could not be created or deleted (a quota refusing them,
    // say), so the DaemonSet shows how far it got; the sync error then wins and the key backs off.
    const result = await this.updateDaemonSetStatus(ds, nodes, hash, true, pods).catch((statusError) => {
      if (syncError === undefined) throw statusError;
      return undefined;
    });
    if (syncError !== undefined) throw syncError;
    if (result?.requeueAfter !== undefined) {
      requeueAfter =
        requeueAfter === undefined ? result.requeueAfter : Math.min(requeueAfter, result.requeueAfter);
    }
    return requeueAfter === undefined ? { cost: pods.cost } : { requeueAfter, cost: pods.cost };
  }

  // ------------------------------------------------------------------ claiming

  /**
   * The objects (pods or revisions) this DaemonSet controls after adoption and release: owned ones whose labels
   * still match, plus orphans in the namespace that match (adopted with a controller reference).
   */
  private async claim(ds: KubeObject, lister: Lister, type: typeof PODS): Promise<KubeObject[]> {
    const selector = selectorFromLabelSelector(ds.spec?.selector);
    const owned = lister.byIndex(OWNER_UID_INDEX, ds.metadata.uid!);
    const claimed: KubeObject[] = [];
    for (const obj of owned) {
      if (selector.matches(obj.metadata.labels) || obj.metadata.deletionTimestamp) {
        claimed.push(obj);
        continue;
      }
      await this.release(ds, obj, type);
    }
    const orphans = lister
      .byIndex(ORPHANS_BY_NAMESPACE, ds.metadata.namespace ?? "")
      .filter((o) => !o.metadata.deletionTimestamp && selector.matches(o.metadata.labels));
    if (orphans.length > 0 && (await this.canAdopt(ds))) {
      for (const obj of orphans) {
        const adopted = await this.adopt(ds, obj, type);
        if (adopted) claimed.push(adopted);
      }
    }
    return claimed;
  }

  /** Adoption re-reads the DaemonSet from the server: never adopt for one that is going away or was replaced. */
  private async canAdopt(ds: KubeObject): Promise<boolean> {
    try {
      const fresh = await this.d.client.get(DAEMON_SETS, ds.metadata.namespace, ds.metadata.name!);
      return fresh.metadata.uid === ds.metadata.uid && !fresh.metadata.deletionTimestamp;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  private async adopt(ds: KubeObject, obj: KubeObject, type: typeof PODS): Promise<KubeObject | undefined> {
    const patch = { metadata: { ownerReferences: [controllerRefFor(ds)], uid: obj.metadata.uid } };
    try {
      return await this.d.client.patch(type, obj.metadata.namespace, obj.metadata.name!, "strategic", patch);
    } catch (e) {
      // Gone, or changed under us (the uid guard): the next sync sees the truth.
      if (isNotFound(e) || isConflict(e) || (e instanceof ApiError && e.code === 422)) return undefined;
      throw e;
    }
  }

  private async release(ds: KubeObject, obj: KubeObject, type: typeof PODS): Promise<void> {
    const patch = {
      metadata: { ownerReferences: [{ $patch: "delete", uid: ds.metadata.uid }], uid: obj.metadata.uid },
    };
    try {
      await this.d.client.patch(type, obj.metadata.namespace, obj.metadata.name!, "strategic", patch);
    } catch (e) {
      if (!isNotFound(e) && !(e instanceof ApiError && e.code === 422)) throw e;
    }
  }

  // ------------------------------------------------------------------ history

  /** constructHistory: make sure exactly one revision matches the template and carries the newest number. */
  private async constructHistory(ds: KubeObject): Promise<{ hash: string; old: KubeObject[] }> {
    const revisions = await this.claim(ds, this.d.revisions, CONTROLLER_REVISIONS);
    const plan = planHistory(ds, revisions);
    const client = this.d.client;
    const ns = ds.metadata.namespace;
    for (const { name, hash } of plan.labelsToAdd) {
      await client.patch(CONTROLLER_REVISIONS, ns, name, "merge", {
        metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash } },
      });
    }
    if (plan.relabelPodsTo !== undefined) {
      // Several revisions match: pods (old ones too, as upstream) move to the kept revision's hash first.
      const pods = this.d.pods.byIndex(OWNER_UID_INDEX, ds.metadata.uid!);
      for (const pod of pods) {
        if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === plan.relabelPodsTo) continue;
        await client
          .patch(PODS, ns, pod.metadata.name!, "merge", {
            metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: plan.relabelPodsTo } },
          })
          .catch(ignoreNotFound);
      }
    }
    for (const name of plan.duplicatesToDelete) {
      await client.delete(CONTROLLER_REVISIONS, ns, name).catch(ignoreNotFound);
    }
    if (plan.current && plan.renumberTo !== undefined) {
      await client.patch(CONTROLLER_REVISIONS, ns, plan.current.metadata!.name!, "merge", {
        revision: plan.renumberTo,
      });
    }
    if (plan.toCreate) await this.createRevision(ds, plan.toCreate);
    return { hash: plan.hash, old: plan.old as KubeObject[] };
  }

  /** Creates the current revision; a name taken by different data is a hash collision (bump collisionCount). */
  private async createRevision(ds: KubeObject, revision: KubeObject): Promise<void> {
    try {
      await this.d.client.create(CONTROLLER_REVISIONS, ds.metadata.namespace, revision);
      return;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    const existing = await this.d.client.get(
      CONTROLLER_REVISIONS,
      ds.metadata.namespace,
      revision.metadata.name!,
    );
    const ours = controllerRef(existing)?.uid === ds.metadata.uid;
    if (ours && revisionMatchesDaemonSet(ds, existing)) return;
    const fresh = await this.d.client.get(DAEMON_SETS, ds.metadata.namespace, ds.metadata.name!);
    const cached = ds.status?.collisionCount ?? 0;
    const current = fresh.status?.collisionCount ?? 0;
    if (cached !== current) {
      throw new Error(
        `found a stale collision count (${cached}, expected ${current}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`,
      );
    }
    const next = current + 1;
    await this.d.client.update(
      DAEMON_SETS,
      ds.metadata.namespace,
      { ...fresh, status: { ...fresh.status, collisionCount: next } },
      { subresource: "status" },
    );
    throw new Error(
      `found a hash collision for DaemonSet "${ds.metadata.name}" - bumping collisionCount to ${next} to resolve it`,
    );
  }

  /** cleanupHistory: drop revisions beyond revisionHistoryLimit that no pod still carries. */
  private async cleanupHistory(ds: KubeObject, old: KubeObject[], pods: SyncView): Promise<void> {
    // Nothing can go while the history is within its limit: skip the pod scan.
    if (old.length <= (ds.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT)) return;
    const byNode = await pods.byNode(true);
    const live = liveRevisionHashes([...byNode.values()].flat());
    for (const name of planCleanupHistory(ds, old, live)) {
      await this.d.client.delete(CONTROLLER_REVISIONS, ds.metadata.namespace, name).catch(ignoreNotFound);
    }
  }

  // ------------------------------------------------------------------ manage / rollingUpdate

  /** manage: create missing daemon pods and delete the ones that must go; returns a backoff requeue delay. */
  private async manage(
    ds: KubeObject,
    nodes: KubeObject[],
    hash: string,
    pods: SyncView,
  ): Promise<number | undefined> {
    const now = this.d.clock.now();
    const byNode = await pods.byNode();
    const plan = pods.timed(() =>
      planManage(ds, nodes, byNode, hash, now, {
        placement: compileDaemonSetPlacement(ds),
        failedPodInBackoff: (k) => this.d.backoff.isInBackOffSinceUpdate(k, now),
      }),
    );
    for (const k of plan.backoffKeysToAdvance) this.d.backoff.next(k, now);
    let requeue: number | undefined;
    for (const k of plan.backoffRequeueKeys) {
      const delay = this.d.backoff.get(k);
      requeue = requeue === undefined ? delay : Math.min(requeue, delay);
    }
    for (const e of plan.events) this.d.recorder.event(ds, e.type, e.reason, e.message);
    await this.syncNodes(ds, plan.podsToDelete, plan.nodesNeedingDaemonPods, hash, pods);
    return requeue;
  }

  /**
   * rollingUpdate: replace old pods within maxUnavailable / maxSurge (the plan follows upstream exactly).
   * Returns when to look again for an updated pod that is Ready but not yet available (minReadySeconds): with
   * surge the status counts only each node's oldest pod, so nothing else would wake the controller when the
   * new pod becomes available and its old pod may go.
   */
  private async rollingUpdate(
    ds: KubeObject,
    nodes: KubeObject[],
    hash: string,
    pods: SyncView,
  ): Promise<number | undefined> {
    const byNode = await pods.byNode();
    const now = this.d.clock.now();
    const plan = pods.timed(() =>
      planRollingUpdate(ds, nodes, byNode, hash, now, { placement: compileDaemonSetPlacement(ds) }),
    );
    await this.syncNodes(ds, plan.podsToDelete, plan.nodesNeedingPods, hash, pods);
    const mrs = ds.spec?.minReadySeconds ?? 0;
    if (mrs <= 0) return undefined;
    let next: number | undefined;
    for (const pods of byNode.values()) {
      for (const pod of pods) {
        if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== hash) continue;
        if (!isPodReady(pod) || podAvailable(pod, mrs, now)) continue;
        const ready = pod.status?.conditions?.find((c: { type: string }) => c.type === "Ready");
        const at = timestampMillis(ready?.lastTransitionTime) + mrs * 1000;
        const delay = Math.max(0, at - now) + 1000;
        next = next === undefined ? delay : Math.min(next, delay);
      }
    }
    return next;
  }

  /**
   * syncNodes: at most burstReplicas creations (in slow-start batches 1, 2, 4, …: the first failing batch stops
   * the rest) and burstReplicas deletions (in parallel), with expectations set before any request goes out.
   */
  private async syncNodes(
    ds: KubeObject,
    podsToDelete: string[],
    nodesNeedingPods: string[],
    hash: string,
    pods: SyncView,
  ): Promise<void> {
    const key = `${ds.metadata.namespace}/${ds.metadata.name}`;
    const createDiff = Math.min(nodesNeedingPods.length, this.d.burstReplicas);
    const deleteDiff = Math.min(podsToDelete.length, this.d.burstReplicas);
    if (createDiff > 0 || deleteDiff > 0) pods.invalidate();
    this.d.expectations.setExpectations(key, createDiff, deleteDiff);
    const errors: unknown[] = [];

    let pos = 0;
    for (let batch = SLOW_START_INITIAL_BATCH; pos < createDiff; batch *= 2) {
      const size = Math.min(batch, createDiff - pos);
      const results = await Promise.allSettled(
        nodesNeedingPods.slice(pos, pos + size).map((node) => this.createPod(ds, node, hash)),
      );
      pos += size;
      let failed = false;
      for (const r of results) {
        if (r.status === "fulfilled") continue;
        failed = true;
        // A terminating namespace is no error, and upstream leaves its expectation to expire.
        if (isNamespaceTerminating(r.reason)) continue;
        this.d.expectations.creationObserved(key);
        errors.push(r.reason);
      }
      if (failed) {
        const skipped = createDiff - pos;
        if (skipped > 0) this.d.expectations.lowerExpectations(key, skipped, 0);
        break;
      }
    }

    await Promise.all(
      podsToDelete.slice(0, deleteDiff).map(async (name) => {
        try {
          await this.d.client.delete(PODS, ds.metadata.namespace, name);
          this.d.recorder.event(ds, "Normal", EventReason.SuccessfulDelete, `Deleted pod: ${name}`);
        } catch (e) {
          if (isNotFound(e)) return;
          this.d.expectations.deletionObserved(key);
          this.d.recorder.event(
            ds,
            "Warning",
            EventReason.FailedDelete,
            `Error deleting: ${(e as Error).message}`,
          );
          errors.push(e);
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
  }

  private async createPod(ds: KubeObject, nodeName: string, hash: string): Promise<void> {
    const pod = newPodForDaemonSet(ds, nodeName, hash);
    try {
      const created = await this.d.client.create(PODS, ds.metadata.namespace, pod);
      this.d.recorder.event(
        ds,
        "Normal",
        EventReason.SuccessfulCreate,
        `Created pod: ${created.metadata.name}`,
      );
    } catch (e) {
      if (!isNamespaceTerminating(e)) {
        this.d.recorder.event(
          ds,
          "Warning",
          EventReason.FailedCreate,
          `Error creating: ${(e as Error).message}`,
        );
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ status

  /** updateDaemonSetStatus: write the counts (and observedGeneration after a full sync) when they changed. */
  private async updateDaemonSetStatus(
    ds: KubeObject,
    nodes: KubeObject[],
    hash: string,
    updateObservedGeneration: boolean,
    pods: SyncView,
  ): Promise<Result | undefined> {
    const byNode = await pods.byNode();
    const counts = pods.timed(() =>
      computeStatus(ds, nodes, byNode, hash, this.d.clock.now(), {
        placement: compileDaemonSetPlacement(ds),
      }),
    );
    const upToDate = updateObservedGeneration
      ? statusUpToDate(ds, counts)
      : statusUpToDate({ ...ds, metadata: { ...ds.metadata, generation: 0 } }, counts);
    if (!upToDate) {
      const write = (base: KubeObject) =>
        this.d.client.update(
          DAEMON_SETS,
          base.metadata.namespace,
          { ...base, status: nextStatus(base, counts, updateObservedGeneration) },
          { subresource: "status" },
        );
      try {
        await write(ds);
      } catch (e) {
        if (!isConflict(e)) throw e;
        // One retry on a fresh copy, as upstream's storeDaemonSetStatus.
        await write(await this.d.client.get(DAEMON_SETS, ds.metadata.namespace, ds.metadata.name!));
      }
    }
    const delay = availabilityResyncDelay(ds, counts);
    return delay === undefined ? undefined : { requeueAfter: delay };
  }
}

export { controllerRevisionData };
