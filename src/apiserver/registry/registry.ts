// Assembles one RegistryStore per built-in resource over a shared backend and watch cache, with the admission
// every store applies (namespace lifecycle, limit ranges, priority, resource quota), plus the virtual resources
// computed from them (metrics.k8s.io), and creates the namespaces and system PriorityClasses a cluster starts with.
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import {
  findResource,
  PODS,
  PRIORITY_CLASSES,
  RESOURCE_QUOTAS,
  RESOURCES,
  type ResourceInfo,
  SERVICE_ACCOUNTS,
} from "../../api/resources.js";
import { schemaForKind } from "../../api/schema/index.js";
import type { Backend } from "../../storage/backend.js";
import { DEFAULT_SERVICE_ACCOUNT } from "../admission/service-account.js";
import { VIRTUAL_RESOURCES } from "../served-resources.js";
import { Cacher } from "../watchcache/cacher.js";
import { LimitRangerAdmission, limitRangesFromCache } from "./limit-ranger-admission.js";
import { ensureSystemPriorityClasses, PriorityAdmission } from "./priority-admission.js";
import { QuotaAdmission } from "./quota-admission.js";
import { ServiceAllocation } from "./service-allocation.js";
import { type Admission, type Clock, RegistryStore } from "./store.js";
import { strategyFor } from "./strategies.js";
import type { VirtualResource } from "./virtual-resource.js";

/** Namespaces every cluster has from the start. */
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Namespaces the NamespaceLifecycle admission refuses to delete. */
const IMMORTAL_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);

export const systemClock: Clock = { now: () => Date.now() };

export interface RegistryOptions {
  clock?: Clock;
  /** Watch cache window per resource. */
  watchWindow?: number;
}

export class Registry {
  private readonly stores = new Map<string, RegistryStore>();
  private readonly virtuals = new Map<string, VirtualResource>();
  /** Admission checks other parts of the server add (RBAC escalation, node restriction); they never mutate. */
  private readonly plugins: Admission[] = [];

  private constructor(
    readonly backend: Backend,
    readonly cacher: Cacher,
    readonly clock: Clock,
  ) {
    const priority = new PriorityAdmission(() => this.store(PRIORITY_CLASSES));
    const quota = new QuotaAdmission({
      cacher,
      quotas: () => this.store(RESOURCE_QUOTAS),
      stored: async (info, namespace) => (await this.store(info).list(namespace)).items,
      clock,
    });
    const limitRanger = new LimitRangerAdmission(limitRangesFromCache(cacher));
    const services = new ServiceAllocation(cacher);
    const admission: Admission = {
      admitCreate: async (r, obj, attributes) => {
        this.admitNamespace(r, obj);
        const checkLimits = await limitRanger.admitCreate(r, obj);
        this.admitServiceAccount(r, obj, attributes.messageName);
        for (const p of this.plugins) await p.admitCreate?.(r, obj, attributes);
        await priority.admitCreate(r, obj, attributes.messageName);
        checkLimits?.(attributes.messageName);
        // Cluster IPs and node ports last but quota, once the object is admitted (upstream: its REST storage).
        const allocated = services.admitCreate(r, obj);
        try {
          // Quota validates last, on the object as the mutating plugins left it.
          const charged = await quota.admitCreate(r, obj, attributes);
          return (stored: boolean) => {
            allocated?.(stored);
            charged?.(stored);
          };
        } catch (err) {
          allocated?.(false);
          throw err;
        }
      },
      admitUpdate: async (r, obj, old) => {
        for (const p of this.plugins) await p.admitUpdate?.(r, obj, old);
        await priority.admitUpdate(r, obj);
        return services.admitUpdate(r, obj, old);
      },
      admitDelete: (r, obj) => {
        if (r.resource === "namespaces" && IMMORTAL_NAMESPACES.has(obj.metadata.name!)) {
          throw ApiError.forbidden(
            `namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`,
          );
        }
        priority.admitDelete(r, obj);
      },
    };
    for (const info of RESOURCES) {
      const schema = schemaForKind(info.group, info.version, info.kind);
      this.stores.set(
        `${info.group}/${info.resource}`,
        new RegistryStore(info, strategyFor(info), schema, backend, cacher, clock, admission),
      );
    }
    for (const virtual of VIRTUAL_RESOURCES) {
      this.virtuals.set(`${virtual.info.group}/${virtual.info.resource}`, virtual.create(this));
    }
  }

  static async open(backend: Backend, options: RegistryOptions = {}): Promise<Registry> {
    const cacher = new Cacher(backend, RESOURCES, {
      windowSize: options.watchWindow,
      indexers: { pods: { "spec.nodeName": (o) => o.spec?.nodeName ?? "" } },
    });
    await cacher.start();
    const registry = new Registry(backend, cacher, options.clock ?? { now: () => Date.now() });
    await registry.bootstrap();
    return registry;
  }

  store(r: Pick<ResourceInfo, "group" | "resource">): RegistryStore {
    const s = this.stores.get(`${r.group}/${r.resource}`);
    if (!s) throw ApiError.noSuchPath();
    return s;
  }

  /** The virtual (computed, read-only) resource, if `r` is one; stored resources have none. */
  virtualResource(r: Pick<ResourceInfo, "group" | "resource">): VirtualResource | undefined {
    return this.virtuals.get(`${r.group}/${r.resource}`);
  }

  /** The store for group/version/resource, or a 404 naming what is served. */
  storeFor(group: string, version: string, resource: string): RegistryStore {
    const info = findResource(group, version, resource);
    if (!info) throw ApiError.noSuchPath();
    return this.store(info);
  }

  /** Adds an admission check that runs on every create and update, before priority and quota. */
  addAdmission(plugin: Admission): void {
    this.plugins.push(plugin);
  }

  allStores(): RegistryStore[] {
    return [...this.stores.values()];
  }

  private async bootstrap(): Promise<void> {
    const namespaces = this.store({ group: "", resource: "namespaces" });
    for (const name of SYSTEM_NAMESPACES) {
      try {
        namespaces.get("", name);
      } catch {
        await namespaces.create("", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
      }
    }
    await ensureSystemPriorityClasses(this.store(PRIORITY_CLASSES));
  }

  /** NamespaceLifecycle admission: content goes only into namespaces that exist and are not terminating. */
  /**
   * ServiceAccount admission's lookup: a pod naming an account that does not exist is refused. The namespace's
   * "default" account is exempt here: its controller creates it a moment after the namespace, and pods created
   * in between should not fail (upstream's clients retry that race instead).
   */
  private admitServiceAccount(r: ResourceInfo, obj: KubeObject, messageName: string): void {
    const account = obj.spec?.serviceAccountName;
    if (
      r.group !== PODS.group ||
      r.resource !== PODS.resource ||
      !account ||
      account === DEFAULT_SERVICE_ACCOUNT
    )
      return;
    const ns = obj.metadata.namespace!;
    if (this.store(SERVICE_ACCOUNTS).getOrUndefined(ns, account)) return;
    throw ApiError.forbidden(
      `pods "${messageName}" is forbidden: error looking up service account ${ns}/${account}: serviceaccount "${account}" not found`,
    );
  }

  private admitNamespace(r: ResourceInfo, obj: KubeObject): void {
    if (!r.namespaced) return;
    const ns = obj.metadata.namespace!;
    const nsObj = this.store({ group: "", resource: "namespaces" }).getOrUndefined("", ns);
    if (!nsObj) throw ApiError.notFound({ group: "", resource: "namespaces" }, ns);
    if (nsObj.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `${r.resource}${r.group ? `.${r.group}` : ""} "${obj.metadata.name ?? ""}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        {
          name: obj.metadata.name,
          group: r.group,
          kind: r.resource,
          causes: [
            {
              reason: "NamespaceTerminating",
              message: `namespace ${ns} is being terminated`,
              field: "metadata.namespace",
            },
          ],
        },
      );
    }
  }

  stop(): void {
    this.cacher.stop();
  }
}
