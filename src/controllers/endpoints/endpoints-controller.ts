// The endpoints controller (upstream pkg/controller/endpoint): every service with a selector has an Endpoints
// object of its name listing the pods it selects — ready ones as addresses, the others as notReadyAddresses
// (all as addresses with publishNotReadyAddresses), grouped into subsets by the ports they serve — and loses it
// when the service goes. Past 1000 addresses the object is truncated and says so, as upstream's is.
import type { Logger } from "pino";
import { jsonEqual } from "../../api/equal.js";
import { ignoreNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { ENDPOINTS, PODS, SERVICES } from "../../api/resources.js";
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

/** Upstream's maxCapacity: addresses beyond it are dropped, and the object is annotated. */
export const MAX_ENDPOINT_ADDRESSES = 1000;
export const OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity";

export interface EndpointsControllerOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  clock?: Clock;
}

function address(b: Backend): Record<string, unknown> {
  const a: Record<string, unknown> = { ip: b.ip };
  if (b.pod.spec?.nodeName) a.nodeName = b.pod.spec.nodeName;
  a.targetRef = podRef(b.pod);
  return a;
}

/** The subsets of a service's backends: one per distinct set of ports; ready addresses and the others apart. */
export function endpointSubsets(svc: KubeObject, backends: readonly Backend[]): Record<string, unknown>[] {
  let room = MAX_ENDPOINT_ADDRESSES;
  const subsets: Record<string, unknown>[] = [];
  for (const group of groupByPorts(svc, backends)) {
    const kept = group.backends.slice(0, room);
    room -= kept.length;
    const ready = kept.filter((b) => receivesTraffic(svc, b)).map(address);
    const notReady = kept.filter((b) => !receivesTraffic(svc, b)).map(address);
    const subset: Record<string, unknown> = {};
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (group.ports.length) subset.ports = group.ports.map((p) => ({ ...p }));
    if (kept.length) subsets.push(subset);
  }
  return subsets;
}

export class EndpointsController {
  readonly name = "endpoints-controller";
  private readonly controller: Controller;

  constructor(private readonly o: EndpointsControllerOptions) {
    this.controller = serviceController({
      ...o,
      name: "endpoint",
      owned: ENDPOINTS,
      serviceOf: (ep) => ep.metadata.name,
      reconcile: (key) => this.sync(key),
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.controller.start(signal);
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = key.split("/");
    const svc = this.o.informers.informerFor(SERVICES).lister().get(ns, name);
    const current = this.o.informers.informerFor(ENDPOINTS).lister().get(ns, name);
    if (!svc) {
      // Deleted whether or not our informer has seen the Endpoints yet (it may lag behind our own create).
      await this.o.client.delete(ENDPOINTS, ns, name).catch(ignoreNotFound);
      return;
    }
    if (!managedService(svc)) return;
    const pods = this.o.informers.informerFor(PODS).lister().list(ns);
    const backends = backendsOf(svc, pods, svc.spec?.publishNotReadyAddresses === true);
    const subsets = endpointSubsets(svc, backends);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec?.clusterIP === "None") labels[HEADLESS_LABEL] = "";
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (backends.length > MAX_ENDPOINT_ADDRESSES) annotations[OVER_CAPACITY_ANNOTATION] = "truncated";
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const desired: KubeObject = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name, namespace: ns, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!current) {
      // An AlreadyExists (our informer lags behind our own create) fails the sync, which is then retried.
      await this.o.client.create(ENDPOINTS, ns, desired);
      return;
    }
    const unchanged =
      jsonEqual(current.subsets ?? [], desired.subsets ?? []) &&
      jsonEqual(current.metadata.labels ?? {}, labels) &&
      jsonEqual(current.metadata.annotations ?? {}, annotations);
    if (unchanged) return;
    desired.metadata.resourceVersion = current.metadata.resourceVersion;
    await this.o.client.update(ENDPOINTS, ns, desired);
  }
}
