// The work queue both endpoint controllers run, keyed by service "namespace/name", and when a key is queued:
// the service itself changed, a pod it selects (before or after the change) came, changed or went, or the
// controller's own object for it was changed or deleted by someone else.
import type { Logger } from "pino";
import type { KubeObject } from "../../api/object.js";
import { PODS, type ResourceInfo, SERVICES } from "../../api/resources.js";
import { selects } from "../../api/service-backends.js";
import type { InformerFactory } from "../../informer/factory.js";
import type { SharedInformer } from "../../informer/shared-informer.js";
import { Controller } from "../../runtime/controller.js";
import type { Clock } from "../../util/clock.js";

export interface ServiceControllerOptions {
  name: string;
  informers: InformerFactory;
  logger: Logger;
  clock?: Clock;
  /** The kind the controller writes for each service. */
  owned: ResourceInfo;
  /** The service an owned object belongs to (undefined: not one of this controller's). */
  serviceOf: (owned: KubeObject) => string | undefined;
  reconcile: (key: string) => Promise<void>;
}

/** A controller that reconciles services by key, queued by the triggers below. */
export function serviceController(o: ServiceControllerOptions): Controller {
  const controller = new Controller({
    name: o.name,
    workers: 2,
    logger: o.logger,
    clock: o.clock,
    waitForSync: (signal) => o.informers.waitForCacheSync(signal),
    reconcile: o.reconcile,
  });
  watchServiceBackends(o.informers, o.informers.informerFor(o.owned), o.serviceOf, (key) =>
    controller.enqueue(key),
  );
  return controller;
}

const keyOf = (obj: KubeObject) => `${obj.metadata.namespace}/${obj.metadata.name}`;

const readyOf = (pod: KubeObject) =>
  (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready")?.status;

/**
 * Upstream's podEndpointsChanged: only what endpoints show — labels (selection), address, node, phase, readiness,
 * deletion. A kubelet's status write that changes none of them (a restart count, a container's state) is ignored.
 */
function changesEndpoints(old: KubeObject, pod: KubeObject): boolean {
  return (
    old.status?.podIP !== pod.status?.podIP ||
    old.status?.phase !== pod.status?.phase ||
    old.spec?.nodeName !== pod.spec?.nodeName ||
    readyOf(old) !== readyOf(pod) ||
    old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp ||
    JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {})
  );
}

function watchServiceBackends(
  informers: InformerFactory,
  owned: SharedInformer,
  serviceOf: (owned: KubeObject) => string | undefined,
  enqueue: (key: string) => void,
): void {
  const services = informers.informerFor(SERVICES);
  services.addEventHandler({
    onAdd: (svc) => enqueue(keyOf(svc)),
    onUpdate: (_old, svc) => enqueue(keyOf(svc)),
    onDelete: (svc) => enqueue(keyOf(svc)),
  });
  /** Queues the services selecting any of `pods` (one pod, or its old and new versions). */
  const podChanged = (pods: KubeObject[]) => {
    for (const svc of services.lister().list(pods[0].metadata.namespace)) {
      if (pods.some((pod) => selects(svc, pod))) enqueue(keyOf(svc));
    }
  };
  informers.informerFor(PODS).addEventHandler({
    onAdd: (pod) => podChanged([pod]),
    onUpdate: (old, pod) => {
      // Most pod writes (a kubelet's status) concern no service: the selection is checked first, then the change.
      const selecting = services
        .lister()
        .list(pod.metadata.namespace)
        .some((svc) => selects(svc, pod) || selects(svc, old));
      if (selecting && changesEndpoints(old, pod)) podChanged([old, pod]);
    },
    onDelete: (pod) => podChanged([pod]),
  });
  const ownedChanged = (obj: KubeObject) => {
    const service = serviceOf(obj);
    if (service) enqueue(`${obj.metadata.namespace}/${service}`);
  };
  owned.addEventHandler({ onUpdate: (_old, obj) => ownedChanged(obj), onDelete: ownedChanged });
}
