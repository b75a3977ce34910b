// The EndpointSlice controller (upstream pkg/controller/endpointslice): the pods a service with a selector
// selects, as EndpointSlices of at most 100 endpoints that share their ports, owned by the service (so the
// garbage collector removes them with it) and labelled with its name. Terminating pods stay listed, with
// conditions saying so, as upstream's do; the slices are rewritten only when what they list changes.
import type { Logger } from "pino";
import { jsonEqual } from "../../api/equal.js";
import { isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { ENDPOINT_SLICES, PODS, SERVICES } from "../../api/resources.js";
import {
  type Backend,
  backendsOf,
  groupByPorts,
  managedService,
  podRef,
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

/** What one slice lists: its ports and endpoints. */
interface SliceContent {
  ports: Record<string, unknown>[];
  endpoints: Record<string, unknown>[];
}

function endpointOf(b: Backend): Record<string, unknown> {
  const e: Record<string, unknown> = {
    addresses: [b.ip],
    conditions: { ready: b.ready && !b.terminating, serving: b.ready, terminating: b.terminating },
    targetRef: podRef(b.pod),
  };
  if (b.pod.spec?.nodeName) e.nodeName = b.pod.spec.nodeName;
  return e;
}

/** The slices a service's backends need: grouped by ports, in chunks of MAX_ENDPOINTS_PER_SLICE. */
export function desiredSlices(svc: KubeObject, backends: readonly Backend[]): SliceContent[] {
  const slices: SliceContent[] = [];
  for (const group of groupByPorts(svc, backends)) {
    const ports = group.ports.map((p) => ({ ...p }));
    for (let i = 0; i < group.backends.length; i += MAX_ENDPOINTS_PER_SLICE) {
      slices.push({ ports, endpoints: group.backends.slice(i, i + MAX_ENDPOINTS_PER_SLICE).map(endpointOf) });
    }
  }
  // A service with no backends still has one (empty) slice, as upstream keeps a placeholder.
  if (slices.length === 0) slices.push({ ports: [], endpoints: [] });
  return slices;
}

export class EndpointSliceController {
  readonly name = "endpointslice-controller";
  private readonly controller: Controller;

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
    if (!svc || !managedService(svc)) return;
    const existing = this.o.informers
      .informerFor(ENDPOINT_SLICES)
      .lister()
      .list(ns)
      .filter(
        (s) =>
          s.metadata.labels?.[SERVICE_NAME_LABEL] === name &&
          s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY &&
          !s.metadata.deletionTimestamp,
      )
      .sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
    const pods = this.o.informers.informerFor(PODS).lister().list(ns);
    const desired = desiredSlices(svc, backendsOf(svc, pods, true));
    const labels = this.labels(svc);
    for (let i = 0; i < desired.length; i++) {
      const want = desired[i];
      const have = existing[i];
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
        endpoints: want.endpoints,
        ports: want.ports,
      };
      if (!have) await this.o.client.create(ENDPOINT_SLICES, ns, body);
      else if (!this.matches(have, body)) await this.o.client.update(ENDPOINT_SLICES, ns, body);
    }
    for (const surplus of existing.slice(desired.length)) {
      await this.o.client.delete(ENDPOINT_SLICES, ns, surplus.metadata.name ?? "").catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    }
  }

  /** The service's labels (but the reserved ones) plus the controller's own. */
  private labels(svc: KubeObject): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
      if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL) labels[k] = v as string;
    }
    labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? "";
    labels[MANAGED_BY_LABEL] = MANAGED_BY;
    if (svc.spec?.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
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
