// When a service's backends may have changed, for both endpoint controllers: the service itself changed, a pod
// it selects (before or after the change) came, changed or went, or the controller's own object for it was
// changed or deleted by someone else. Each of these enqueues the service's "namespace/name".
import type { KubeObject } from "../../api/object.js";
import { PODS, SERVICES } from "../../api/resources.js";
import type { InformerFactory } from "../../informer/factory.js";
import type { SharedInformer } from "../../informer/shared-informer.js";
import { selects } from "./backends.js";

const keyOf = (obj: KubeObject) => `${obj.metadata.namespace}/${obj.metadata.name}`;

export function watchServiceBackends(
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
  const podChanged = (...pods: KubeObject[]) => {
    const ns = pods[0].metadata.namespace;
    for (const svc of services.lister().list(ns)) {
      if (pods.some((pod) => selects(svc, pod))) enqueue(keyOf(svc));
    }
  };
  informers.informerFor(PODS).addEventHandler({
    onAdd: (pod) => podChanged(pod),
    onUpdate: (old, pod) => podChanged(old, pod),
    onDelete: (pod) => podChanged(pod),
  });
  const ownedChanged = (obj: KubeObject) => {
    const service = serviceOf(obj);
    if (service) enqueue(`${obj.metadata.namespace}/${service}`);
  };
  owned.addEventHandler({ onUpdate: (_old, obj) => ownedChanged(obj), onDelete: ownedChanged });
}
