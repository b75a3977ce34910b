// The resource quota controller (upstream pkg/controller/resourcequota): keeps every ResourceQuota's status
// exact — status.hard mirrors spec.hard, status.used is recounted from informers of the kinds the quota limits
// whenever such an object appears, changes its cost or goes away, and for every quota every resync period.
import { isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import {
  calculateUsage,
  evaluatorFor,
  type GroupResource,
  hardOf,
  resourceForQuotaName,
} from "../../api/quota/evaluators.js";
import { equals, mask, parseResourceList, toWire } from "../../api/quota/resource-list.js";
import { RESOURCE_QUOTAS, RESOURCES } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import type { InformerFactory } from "../../informer/factory.js";
import type { SharedInformer } from "../../informer/shared-informer.js";
import { Controller } from "../../runtime/controller.js";
import { type Clock, realClock, type Timer } from "../../util/clock.js";
import type { Logger } from "../../util/log.js";

/** Upstream's --resource-quota-sync-period: a full recount of every quota this often. */
export const DEFAULT_RESYNC_PERIOD_MS = 5 * 60 * 1000;

export interface ResourceQuotaControllerOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  clock?: Clock;
  resyncPeriodMs?: number;
  workers?: number;
}

const grKey = (gr: GroupResource): string => `${gr.group}/${gr.resource}`;

export class ResourceQuotaController {
  readonly name = "resourcequota-controller";
  private readonly controller: Controller;
  private readonly quotas: SharedInformer;
  private readonly clock: Clock;
  /** Informers of the kinds quotas limit, by group/resource, each with the replenishment handler attached. */
  private readonly monitored = new Map<string, SharedInformer>();

  constructor(private readonly o: ResourceQuotaControllerOptions) {
    this.clock = o.clock ?? realClock;
    this.quotas = o.informers.informerFor(RESOURCE_QUOTAS);
    this.controller = new Controller({
      name: "resourcequota",
      workers: o.workers ?? 2,
      logger: o.logger,
      clock: this.clock,
      waitForSync: (signal) => o.informers.waitForCacheSync(signal),
      reconcile: (key, signal) => this.syncResourceQuota(key, signal),
    });
    this.quotas.addEventHandler({
      onAdd: (quota) => this.enqueue(quota),
      onUpdate: (old, quota) => {
        // Status writes (ours and admission's) are not a reason to recount; a new spec or a status that no
        // longer mirrors it is.
        const specChanged = !equals(hardOf(old), hardOf(quota));
        const statusStale = !equals(hardOf(quota), parseResourceList(quota.status?.hard));
        if (specChanged || statusStale || quota.status?.used === undefined) this.enqueue(quota);
      },
    });
    // Pods are limited by nearly every quota: monitor them from the start; other kinds when a quota names them.
    this.monitor({ group: "", resource: "pods" });
  }

  async start(signal: AbortSignal): Promise<void> {
    const period = this.o.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS;
    let timer: Timer | undefined;
    const schedule = () => {
      timer = this.clock.setTimeout(() => {
        for (const quota of this.quotas.lister().list()) this.enqueue(quota);
        schedule();
      }, period);
    };
    schedule();
    try {
      await this.controller.start(signal);
    } finally {
      if (timer) this.clock.clearTimeout(timer);
    }
  }

  private enqueue(quota: KubeObject): void {
    this.controller.enqueue(`${quota.metadata.namespace}/${quota.metadata.name}`);
  }

  /**
   * The informer of a namespaced kind this server serves (undefined otherwise), created on first use with a
   * handler that recounts the namespace's quotas on every change that alters what an object costs.
   */
  private monitor(gr: GroupResource): SharedInformer | undefined {
    const existing = this.monitored.get(grKey(gr));
    if (existing) return existing;
    const type = RESOURCES.find((r) => r.group === gr.group && r.resource === gr.resource && r.namespaced);
    if (!type) return undefined;
    const informer = this.o.informers.informerFor(type);
    const evaluator = evaluatorFor(gr);
    const replenish = (obj: KubeObject) => {
      const ns = obj.metadata.namespace;
      if (!ns) return;
      for (const quota of this.quotas.lister().list(ns)) {
        if (evaluator.matchingResources(hardOf(quota).keys()).length > 0) this.enqueue(quota);
      }
    };
    informer.addEventHandler({
      // The initial list needs no replenishment: every quota is counted when its own informer lists it.
      onAdd: (obj, initial) => {
        if (!initial) replenish(obj);
      },
      onUpdate: (old, obj) => {
        const now = this.clock.now();
        if (!equals(evaluator.usage(old, now), evaluator.usage(obj, now))) replenish(obj);
      },
      onDelete: replenish,
    });
    this.monitored.set(grKey(gr), informer);
    return informer;
  }

  /** syncResourceQuota: recount what the quota limits and write status when it differs. */
  private async syncResourceQuota(key: string, signal: AbortSignal): Promise<void> {
    const slash = key.indexOf("/");
    const ns = key.slice(0, slash);
    const quota = this.quotas.lister().get(ns, key.slice(slash + 1));
    if (!quota) return;
    const hard = hardOf(quota);
    const resources = new Map<string, GroupResource>();
    for (const name of hard.keys()) {
      const gr = resourceForQuotaName(name);
      if (gr) resources.set(grKey(gr), gr);
    }
    // Names nothing here can count keep their previous observation, as upstream keeps them.
    const used = parseResourceList(quota.status?.used);
    const now = this.clock.now();
    for (const gr of resources.values()) {
      const informer = this.monitor(gr);
      if (!informer) continue;
      if (!informer.hasSynced() && !(await informer.waitForSync(signal))) return;
      const usage = calculateUsage(evaluatorFor(gr), quota, informer.lister().list(ns), now);
      for (const [name, q] of usage) used.set(name, q);
    }
    const newUsed = mask(used, hard.keys());
    const statusHard = quota.status?.hard;
    const dirty =
      statusHard === undefined ||
      quota.status?.used === undefined ||
      !equals(hard, parseResourceList(statusHard)) ||
      !equals(newUsed, parseResourceList(quota.status?.used));
    if (!dirty) return;
    try {
      await this.o.client.update(
        RESOURCE_QUOTAS,
        ns,
        { ...quota, status: { hard: toWire(hard), used: toWire(newUsed) } },
        { subresource: "status" },
      );
    } catch (e) {
      // A quota deleted meanwhile needs nothing more; a conflict is retried with a fresh copy.
      if (!isNotFound(e)) throw e;
    }
  }
}
