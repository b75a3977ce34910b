// The disruption controller (upstream pkg/controller/disruption): keeps every PodDisruptionBudget's status
// (expected, healthy and desired pods, allowed disruptions, granted evictions, the DisruptionAllowed
// condition) in step with the pods it selects, and clears DisruptionTarget conditions of pods an eviction
// marked but never deleted.

import { budgetSelectsPod } from "../../api/disruption-budget.js";
import { isConflict } from "../../api/errors.js";
import { formatLabelSelector, selectorFromLabelSelector } from "../../api/labels.js";
import { deepCopy, type KubeObject, namespacedName } from "../../api/object.js";
import { DISRUPTION_TARGET, updatePodCondition } from "../../api/pod-conditions.js";
import { POD_DISRUPTION_BUDGETS, PODS } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import { EventRecorder } from "../../client/event-recorder.js";
import type { InformerFactory, SharedInformer } from "../../informer/index.js";
import { Controller, type Result, type Runnable } from "../../runtime/index.js";
import { type Clock, realClock } from "../../util/clock.js";
import type { Logger } from "../../util/log.js";
import { expectedPodCount, type ScaleFinder } from "./expected-pods.js";
import { scaleSubresourceFinder } from "./scale-finders.js";
import { STALE_POD_DISRUPTION_TIMEOUT_MS, staleDisruptionWait } from "./stale-disruption.js";
import { buildDisruptedPodMap, countHealthyPods, failSafeStatus, nextStatus } from "./status.js";

export interface DisruptionControllerOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  /** Records events as upstream's "controllermanager" source; defaults to a recorder on `client`. */
  recorder?: EventRecorder;
  clock?: Clock;
  /** How controllers' scales are found for percentage budgets; defaults to the scale subresource finder. */
  finders?: ScaleFinder[];
  stalePodDisruptionTimeoutMs?: number;
}

const typed = (pdb: KubeObject): KubeObject => ({
  ...pdb,
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
});
const typedPod = (pod: KubeObject): KubeObject => ({ ...pod, apiVersion: "v1", kind: "Pod" });
const byName = (a: KubeObject, b: KubeObject) => (a.metadata.name! < b.metadata.name! ? -1 : 1);

export class DisruptionController implements Runnable {
  readonly name = "disruption-controller";
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private readonly finders: ScaleFinder[];
  private readonly staleTimeoutMs: number;
  private readonly log: Logger;
  private readonly pods: SharedInformer;
  private readonly budgets: SharedInformer;
  /** PodDisruptionBudget keys (namespace/name) whose status needs computing. */
  private readonly budgetQueue: Controller;
  /** Pod keys whose DisruptionTarget condition may have gone stale. */
  private readonly staleQueue: Controller;

  constructor(o: DisruptionControllerOptions) {
    this.client = o.client;
    this.clock = o.clock ?? realClock;
    this.log = o.logger;
    this.recorder =
      o.recorder ?? new EventRecorder(o.client, { component: "controllermanager" }, () => this.clock.now());
    this.finders = o.finders ?? [scaleSubresourceFinder(o.client)];
    this.staleTimeoutMs = o.stalePodDisruptionTimeoutMs ?? STALE_POD_DISRUPTION_TIMEOUT_MS;
    this.pods = o.informers.informerFor(PODS);
    this.budgets = o.informers.informerFor(POD_DISRUPTION_BUDGETS);
    const waitForSync = (signal: AbortSignal) => o.informers.waitForCacheSync(signal);
    this.budgetQueue = new Controller({
      name: "disruption",
      logger: o.logger,
      clock: this.clock,
      waitForSync,
      reconcile: (key) => this.sync(key),
    });
    this.staleQueue = new Controller({
      name: "stale_pod_disruption",
      logger: o.logger,
      clock: this.clock,
      waitForSync,
      reconcile: (key) => this.syncStalePodDisruption(key),
    });
    const enqueueBudget = (pdb: KubeObject) => this.budgetQueue.enqueue(namespacedName(pdb));
    this.budgets.addEventHandler({
      onAdd: enqueueBudget,
      onUpdate: (_old, pdb) => enqueueBudget(pdb),
      onDelete: enqueueBudget,
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod, true),
      onUpdate: (_old, pod) => this.podChanged(pod, true),
      onDelete: (pod) => this.podChanged(pod, false),
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return Promise.all([this.budgetQueue.start(signal), this.staleQueue.start(signal)]).then(() => {});
  }

  /** A pod changed: its budget needs recomputing, and a DisruptionTarget it carries may need clearing. */
  private podChanged(pod: KubeObject, exists: boolean): void {
    const pdb = this.budgetForPod(pod);
    if (pdb) this.budgetQueue.enqueue(namespacedName(pdb));
    if (!exists) return;
    const wait = staleDisruptionWait(pod, this.clock.now(), this.staleTimeoutMs);
    if (wait !== undefined) this.staleQueue.enqueueAfter(namespacedName(pod), wait);
  }

  /** getPdbForPod: the pod's budget; with several, the first by name, and a warning on the pod. */
  private budgetForPod(pod: KubeObject): KubeObject | undefined {
    const budgets = this.budgets
      .lister()
      .list(pod.metadata.namespace)
      .filter((pdb) => budgetSelectsPod(pdb, pod))
      .sort(byName);
    if (budgets.length > 1) {
      const { namespace, name } = pod.metadata;
      const message = `Pod "${namespace}"/"${name}" matches multiple PodDisruptionBudgets.  Chose "${budgets[0].metadata.name}" arbitrarily.`;
      this.log.info({ pod: namespacedName(pod) }, message);
      this.recorder.event(typedPod(pod), "Warning", "MultiplePodDisruptionBudgets", message);
    }
    return budgets[0];
  }

  private async sync(key: string): Promise<Result | undefined> {
    const [namespace, name] = key.split("/");
    const pdb = this.budgets.lister().get(namespace, name);
    if (!pdb) return undefined;
    try {
      return await this.trySync(pdb);
    } catch (err) {
      // A lost race with another writer is simply retried; anything else leaves the budget closed.
      if (isConflict(err)) throw err;
      this.log.error({ err, pdb: key }, "failed to sync PodDisruptionBudget");
      const message = err instanceof Error ? err.message : String(err);
      await this.writeStatus(pdb, failSafeStatus(pdb, message, this.clock.now()));
      return undefined;
    }
  }

  private async trySync(pdb: KubeObject): Promise<Result | undefined> {
    let pods: KubeObject[];
    try {
      const selector = selectorFromLabelSelector(pdb.spec?.selector);
      pods = this.pods.lister().list(pdb.metadata.namespace, selector);
    } catch (err) {
      this.recorder.event(typed(pdb), "Warning", "NoPods", `Failed to get pods: ${(err as Error).message}`);
      throw err;
    }
    if (pods.length === 0) this.recorder.event(typed(pdb), "Normal", "NoPods", "No matching pods found");

    let counts: Awaited<ReturnType<typeof expectedPodCount>>;
    try {
      counts = await expectedPodCount(pdb, pods, this.finders);
    } catch (err) {
      const message = `Failed to calculate the number of expected pods: ${(err as Error).message}`;
      this.recorder.event(typed(pdb), "Warning", "CalculateExpectedPodCountFailed", message);
      throw err;
    }
    if (counts.unmanagedPods.length > 0) {
      this.log.debug({ pods: counts.unmanagedPods }, "found unmanaged pods associated with this PDB");
      this.recorder.event(
        typed(pdb),
        "Warning",
        "UnmanagedPods",
        `Pods selected by this PodDisruptionBudget (selector: ${formatLabelSelector(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }

    const now = this.clock.now();
    const disrupted = buildDisruptedPodMap(pdb, pods, now);
    for (const pod of disrupted.notDeleted) {
      // Upstream names the namespace twice here; the text is kept as clients may see it.
      const { namespace } = pdb.metadata;
      this.recorder.event(
        typedPod(pod),
        "Warning",
        "NotDeleted",
        `Pod was expected by PDB ${namespace}/${namespace} to be deleted but it wasn't`,
      );
    }
    const currentHealthy = countHealthyPods(pods, disrupted.disruptedPods, now);
    const status = nextStatus(
      pdb,
      {
        currentHealthy,
        desiredHealthy: counts.desiredHealthy,
        expectedCount: counts.expectedCount,
        disruptedPods: disrupted.disruptedPods,
      },
      now,
    );
    if (status) await this.writeStatus(pdb, status);
    // Look again when the earliest granted eviction expires, so the pod counts as healthy again.
    return disrupted.recheckAt === undefined
      ? undefined
      : { requeueAfter: Math.max(1, disrupted.recheckAt - now) };
  }

  /** writePdbStatus: one resourceVersion-guarded status write; a conflict is retried through the queue. */
  private async writeStatus(pdb: KubeObject, status: Record<string, any>): Promise<void> {
    await this.client.update(
      POD_DISRUPTION_BUDGETS,
      pdb.metadata.namespace,
      { ...deepCopy(pdb), status },
      {
        subresource: "status",
      },
    );
  }

  /** syncStalePodDisruption: sets a DisruptionTarget condition that outlived the timeout back to False. */
  private async syncStalePodDisruption(key: string): Promise<Result | undefined> {
    const [namespace, name] = key.split("/");
    const pod = this.pods.lister().get(namespace, name);
    if (!pod) return undefined;
    const wait = staleDisruptionWait(pod, this.clock.now(), this.staleTimeoutMs);
    if (wait === undefined) return undefined;
    if (wait > 0) return { requeueAfter: wait };
    const updated = deepCopy(pod);
    if (!updatePodCondition(updated, { type: DISRUPTION_TARGET, status: "False" }, this.clock.now()))
      return undefined;
    await this.client.update(PODS, namespace, updated, { subresource: "status" });
    this.log.debug({ pod: key }, "reset stale DisruptionTarget condition to False");
    return undefined;
  }
}
