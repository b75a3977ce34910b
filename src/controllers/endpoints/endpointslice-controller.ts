// The EndpointSlice controller (upstream pkg/controller/endpointslice): the pods a service with a selector
// selects, as EndpointSlices of at most 100 endpoints that share their ports, owned by the service (so the
// garbage collector removes them with it) and labelled with its name. Terminating pods stay listed, with
// conditions saying so, as upstream's do. As upstream's reconciler, an endpoint stays in the slice it is in and
// new ones fill the room left, so a change rewrites the slices it touches and no others; and the slices this
// controller wrote count even before its informer shows them (upstream's EndpointSliceTracker), so a sync
// that runs ahead of the informer never creates a second slice for the same endpoints.
import type { Logger } from "pino";
import { jsonEqual } from "../../api/equal.js";
import { ignoreNotFound, isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { ENDPOINT_SLICES, PODS, SERVICES } from "../../api/resources.js";
import {
  type Backend,
  backendsOf,
  groupByPorts,
  HEADLESS_LABEL,
  managedService,
  podRef,
  receivesTraffic,
} from "../../api/service-backends.js";
import type { Client } from "../../client/client.js";
import type { InformerFactory } from "../../informer/factory.js";
import type { Controller } from "../../runtime/controller.js";
import type { Clock } from "../../util/clock.js";
import { serviceController } from "./service-triggers.js";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const MANAGED_BY = "endpointslice-controller.k8s.io";
/** Upstream's default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface EndpointSliceControllerOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  clock?: Clock;
}

/** One slice as the sync wants it: the existing one it updates (if any), its ports and endpoints. */
export interface SlicePlan {
  have?: KubeObject;
  ports: Record<string, unknown>[];
  endpoints: Record<string, unknown>[];
}

function endpointOf(svc: KubeObject, b: Backend): Record<string, unknown> {
  const e: Record<string, unknown> = {
    addresses: [b.ip],
    conditions: { ready: receivesTraffic(svc, b), serving: b.ready, terminating: b.terminating },
    targetRef: podRef(b.pod),
  };
  if (b.pod.spec?.nodeName) e.nodeName = b.pod.spec.nodeName;
  return e;
}

const uidOf = (endpoint: Record<string, any>): string =>
  endpoint.targetRef?.uid ?? endpoint.addresses?.[0] ?? "";

/**
 * The slices a service's backends need, given the slices it has (sorted by name): each endpoint stays in the
 * slice that lists it, new endpoints fill slices with the same ports that have room, then new slices of at most
 * MAX_ENDPOINTS_PER_SLICE. A slice left empty has nothing to list (the sync deletes it), but one stays when the
 * service has no endpoints at all, as upstream keeps a placeholder.
 */
export function planSlices(
  svc: KubeObject,
  backends: readonly Backend[],
  existing: readonly KubeObject[],
): SlicePlan[] {
  const groups = new Map<
    string,
    { ports: Record<string, unknown>[]; endpoints: Map<string, Record<string, unknown>> }
  >();
  for (const group of groupByPorts(svc, backends)) {
    const ports = group.ports.map((p) => ({ ...p }));
    const endpoints = new Map(group.backends.map((b) => [b.pod.metadata.uid ?? b.ip, endpointOf(svc, b)]));
    groups.set(JSON.stringify(ports), { ports, endpoints });
  }
  const plans: SlicePlan[] = existing.map((have) => {
    const group = groups.get(JSON.stringify(have.ports ?? []));
    if (!group) return { have, ports: have.ports ?? [], endpoints: [] };
    const kept: Record<string, unknown>[] = [];
    for (const e of have.endpoints ?? []) {
      const updated = group.endpoints.get(uidOf(e));
      if (!updated) continue;
      kept.push(updated);
      group.endpoints.delete(uidOf(e));
    }
    return { have, ports: group.ports, endpoints: kept };
  });
  for (const [key, group] of groups) {
    const remaining = [...group.endpoints.values()];
    for (const plan of plans) {
      if (remaining.length === 0) break;
      if (JSON.stringify(plan.ports) !== key || plan.endpoints.length === 0) continue;
      plan.endpoints.push(...remaining.splice(0, MAX_ENDPOINTS_PER_SLICE - plan.endpoints.length));
    }
    while (remaining.length > 0) {
      plans.push({ ports: group.ports, endpoints: remaining.splice(0, MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  if (plans.every((p) => p.endpoints.length === 0)) {
    const placeholder = plans.find((p) => p.have && (p.have.endpoints ?? []).length === 0) ?? plans[0];
    return [{ have: placeholder?.have, ports: [], endpoints: [] }, ...plans.filter((p) => p !== placeholder)];
  }
  return plans;
}

export class EndpointSliceController {
  readonly name = "endpointslice-controller";
  private readonly controller: Controller;
  /** Per service key: the slices this controller last wrote, by name, as the API server returned them. */
  private readonly written = new Map<string, Map<string, KubeObject>>();

  constructor(private readonly o: EndpointSliceControllerOptions) {
    this.controller = serviceController({
      ...o,
      name: "endpointslice",
      owned: ENDPOINT_SLICES,
      serviceOf: (slice) =>
        slice.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY
          ? slice.metadata.labels?.[SERVICE_NAME_LABEL]
          : undefined,
      reconcile: (key) => this.sync(key),
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.controller.start(signal);
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = key.split("/");
    const svc = this.o.informers.informerFor(SERVICES).lister().get(ns, name);
    // A deleted service's slices go with it: the garbage collector follows their owner references.
    if (!svc || !managedService(svc)) {
      this.written.delete(key);
      return;
    }
    const pods = this.o.informers.informerFor(PODS).lister().list(ns);
    const plans = planSlices(svc, backendsOf(svc, pods, true), this.existing(key, ns, name));
    const labels = this.labels(svc);
    const written = this.written.get(key) ?? new Map<string, KubeObject>();
    this.written.set(key, written);
    for (const plan of plans) {
      const { have } = plan;
      if (have && plan.endpoints.length === 0 && plans.length > 1) {
        await this.o.client.delete(ENDPOINT_SLICES, ns, have.metadata.name ?? "").catch(ignoreNotFound);
        written.delete(have.metadata.name ?? "");
        continue;
      }
      const body: KubeObject = {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: {
          ...(have
            ? { name: have.metadata.name, resourceVersion: have.metadata.resourceVersion }
            : { generateName: `${name}-` }),
          namespace: ns,
          labels,
          ownerReferences: [
            {
              apiVersion: "v1",
              kind: "Service",
              name,
              uid: svc.metadata.uid ?? "",
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        addressType: "IPv4",
        endpoints: plan.endpoints,
        ports: plan.ports,
      };
      if (have && this.matches(have, body)) continue;
      const stored = have
        ? await this.o.client.update(ENDPOINT_SLICES, ns, body).catch((err) => {
            // Deleted by someone else: forget our copy; the retried sync creates what is missing.
            if (isNotFound(err)) written.delete(have.metadata.name ?? "");
            throw err;
          })
        : await this.o.client.create(ENDPOINT_SLICES, ns, body);
      written.set(stored.metadata.name ?? "", stored);
    }
  }

  /**
   * The service's slices: the informer's, or this controller's own last write of a slice where the informer has
   * not caught up with it yet (a slice just created, or an older version of one just updated).
   */
  private existing(key: string, ns: string, name: string): KubeObject[] {
    const seen = this.o.informers
      .informerFor(ENDPOINT_SLICES)
      .lister()
      .list(ns)
      .filter(
        (s) =>
          s.metadata.labels?.[SERVICE_NAME_LABEL] === name &&
          s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY &&
          !s.metadata.deletionTimestamp,
      );
    const byName = new Map(seen.map((s) => [s.metadata.name ?? "", s]));
    for (const [sliceName, mine] of this.written.get(key) ?? []) {
      const theirs = byName.get(sliceName);
      if (!theirs || Number(theirs.metadata.resourceVersion) < Number(mine.metadata.resourceVersion)) {
        byName.set(sliceName, mine);
      }
    }
    return [...byName.values()].sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  }

  /** The service's labels (but the reserved ones) plus the controller's own. */
  private labels(svc: KubeObject): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
      if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL) labels[k] = v as string;
    }
    labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? "";
    labels[MANAGED_BY_LABEL] = MANAGED_BY;
    if (svc.spec?.clusterIP === "None") labels[HEADLESS_LABEL] = "";
    return labels;
  }

  private matches(have: KubeObject, want: KubeObject): boolean {
    return (
      jsonEqual(have.endpoints ?? [], want.endpoints) &&
      jsonEqual(have.ports ?? [], want.ports) &&
      jsonEqual(have.metadata.labels ?? {}, want.metadata.labels) &&
      jsonEqual(have.metadata.ownerReferences ?? [], want.metadata.ownerReferences)
    );
  }
}
