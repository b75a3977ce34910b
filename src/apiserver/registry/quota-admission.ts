// The ResourceQuota admission plugin (upstream plugin/pkg/admission/resourcequota): every create in a namespace
// with quotas is checked against them and charged to their status before it is stored. Checks of one namespace
// run one at a time, and each counts what the watch cache holds plus what was admitted but not yet stored, so
// concurrent creates can never exceed a quota whatever the quota's status says at that moment.
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { checkCreate, type QuotaCharge } from "../../api/quota/check.js";
import { calculateUsage, evaluatorFor, hardOf, type QuotaEvaluator } from "../../api/quota/evaluators.js";
import { type ResourceList, toWire } from "../../api/quota/resource-list.js";
import { RESOURCE_QUOTAS, type ResourceInfo } from "../../api/resources.js";
import { KeyedMutex } from "../../util/keyed-mutex.js";
import type { Cacher } from "../watchcache/cacher.js";
import type { Clock, CreateAttributes, CreateOutcome, RegistryStore } from "./store.js";

export interface QuotaAdmissionOptions {
  cacher: Cacher;
  /** The ResourceQuota store, through which quota status is written (resolved lazily: stores come later). */
  quotas: () => RegistryStore;
  /**
   * The stored objects of a kind in a namespace, whichever way the kind is served (events bypass the watch
   * cache and are listed from storage).
   */
  stored: (info: ResourceInfo, namespace: string) => Promise<KubeObject[]>;
  clock: Clock;
}

/** An object admitted and charged, not yet known to be stored. */
interface Reservation {
  info: ResourceInfo;
  obj: KubeObject;
}

/** admission.NewForbidden: `pods "web-1" is forbidden: <why>`. */
function forbidden(info: ResourceInfo, name: string, why: string): ApiError {
  const resource = info.group ? `${info.resource}.${info.group}` : info.resource;
  return new ApiError(403, "Forbidden", `${resource} "${name}" is forbidden: ${why}`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

export class QuotaAdmission {
  private readonly mutex = new KeyedMutex();
  /** By namespace, then object uid. */
  private readonly reservations = new Map<string, Map<string, Reservation>>();

  constructor(private readonly o: QuotaAdmissionOptions) {}

  /** Checks a create; when it is charged, the returned outcome releases the reservation once the create ends. */
  async admitCreate(
    info: ResourceInfo,
    obj: KubeObject,
    attributes: Pick<CreateAttributes, "dryRun">,
  ): Promise<CreateOutcome | undefined> {
    if (!info.namespaced) return undefined;
    const ns = obj.metadata.namespace!;
    const evaluator = evaluatorFor(info);
    // Namespaces without a quota on this resource pay neither the lock nor a cache sync.
    if (this.quotasTracking(evaluator, ns).length === 0) return undefined;
    const release = await this.mutex.lock(ns);
    let charges: QuotaCharge[];
    try {
      await this.o.cacher.sync();
      const now = this.o.clock.now();
      const objects = await this.objectsCounted(info, ns);
      const decision = checkCreate(evaluator, this.quotasTracking(evaluator, ns), obj, now, (quota) =>
        calculateUsage(evaluator, quota, objects, now),
      );
      if (!decision.allowed) throw forbidden(info, obj.metadata.name ?? "", decision.message);
      charges = decision.charges;
      if (attributes.dryRun || charges.length === 0) return undefined;
      this.reserve(ns, info, obj);
      await this.recordUsage(
        ns,
        charges.map((c) => ({ quota: c.quota, used: c.newUsage })),
      );
    } finally {
      release();
    }
    const uid = obj.metadata.uid!;
    return (stored) => {
      this.reservations.get(ns)?.delete(uid);
      if (this.reservations.get(ns)?.size === 0) this.reservations.delete(ns);
      // The charge was written for an object that never came: recount so the status drops it again.
      if (!stored) {
        const names = charges.map((c) => c.quota.metadata.name!);
        // Best effort, like the status write itself: the quota controller recounts on its own schedule too.
        this.recount(ns, info, evaluator, names).catch(() => {});
      }
    };
  }

  /** The namespace's quotas that limit something the evaluator measures (from the cache, as it stands). */
  private quotasTracking(evaluator: QuotaEvaluator, ns: string): KubeObject[] {
    return this.o.cacher
      .cache(RESOURCE_QUOTAS)
      .list({ namespace: ns })
      .filter((q) => evaluator.matchingResources(hardOf(q).keys()).length > 0);
  }

  /** The stored objects of the kind in the namespace, with admitted-but-unstored ones counted once. */
  private async objectsCounted(info: ResourceInfo, ns: string): Promise<KubeObject[]> {
    const pending = [...(this.reservations.get(ns)?.values() ?? [])].filter(
      (r) => r.info.group === info.group && r.info.resource === info.resource,
    );
    const pendingUids = new Set(pending.map((r) => r.obj.metadata.uid));
    const stored = (await this.o.stored(info, ns)).filter((o) => !pendingUids.has(o.metadata.uid));
    return [...stored, ...pending.map((r) => r.obj)];
  }

  private reserve(ns: string, info: ResourceInfo, obj: KubeObject): void {
    const byUid = this.reservations.get(ns) ?? new Map<string, Reservation>();
    this.reservations.set(ns, byUid);
    byUid.set(obj.metadata.uid!, { info, obj });
  }

  /**
   * Writes the quotas' status: hard from spec, and the usage of the charged names. Enforcement never reads this
   * status, so a failed write (the quota deleted meanwhile, say) only leaves the controller to correct it.
   */
  private async recordUsage(ns: string, entries: { quota: KubeObject; used: ResourceList }[]): Promise<void> {
    await Promise.all(
      entries.map(async ({ quota, used }) => {
        const hard: Record<string, string | null> = toWire(hardOf(quota));
        for (const name of Object.keys(quota.status?.hard ?? {})) if (!(name in hard)) hard[name] = null;
        const patch = { status: { hard, used: toWire(used) } };
        await this.o
          .quotas()
          .patch(ns, quota.metadata.name!, "merge", patch, { subresource: "status" })
          .catch(() => {});
      }),
    );
  }

  /** Recounts the named quotas' usage of the evaluator's names and writes it (after a charged create failed). */
  private async recount(
    ns: string,
    info: ResourceInfo,
    evaluator: QuotaEvaluator,
    names: string[],
  ): Promise<void> {
    await this.mutex.run(ns, async () => {
      await this.o.cacher.sync();
      const now = this.o.clock.now();
      const objects = await this.objectsCounted(info, ns);
      const entries = this.quotasTracking(evaluator, ns)
        .filter((q) => names.includes(q.metadata.name!))
        .map((quota) => ({ quota, used: calculateUsage(evaluator, quota, objects, now) }));
      await this.recordUsage(ns, entries);
    });
  }
}
