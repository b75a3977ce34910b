// The service account controller (upstream pkg/controller/serviceaccount): every active namespace has a
// ServiceAccount named "default", recreated if it is deleted.
import type { Logger } from "pino";
import { isAlreadyExists } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { NAMESPACES, SERVICE_ACCOUNTS } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import type { InformerFactory } from "../../informer/factory.js";
import { Controller } from "../../runtime/controller.js";
import type { Clock } from "../../util/clock.js";

export const DEFAULT_SERVICE_ACCOUNT = "default";

export interface ServiceAccountControllerOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  clock?: Clock;
}

export class ServiceAccountController {
  readonly name = "serviceaccount-controller";
  private readonly controller: Controller;

  constructor(o: ServiceAccountControllerOptions) {
    const namespaces = o.informers.informerFor(NAMESPACES);
    const accounts = o.informers.informerFor(SERVICE_ACCOUNTS);
    this.controller = new Controller({
      name: "serviceaccount",
      workers: 1,
      logger: o.logger,
      clock: o.clock,
      waitForSync: (signal) => o.informers.waitForCacheSync(signal),
      reconcile: async (ns) => {
        const namespace = namespaces.lister().get(undefined, ns);
        if (namespace?.status?.phase !== "Active" || namespace.metadata.deletionTimestamp) return;
        if (accounts.lister().get(ns, DEFAULT_SERVICE_ACCOUNT)) return;
        const sa: KubeObject = {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: ns },
        };
        await o.client.create(SERVICE_ACCOUNTS, ns, sa).catch((e) => {
          if (!isAlreadyExists(e)) throw e;
        });
      },
    });
    namespaces.addEventHandler({
      onAdd: (ns) => this.controller.enqueue(ns.metadata.name!),
      onUpdate: (_old, ns) => this.controller.enqueue(ns.metadata.name!),
    });
    accounts.addEventHandler({
      onDelete: (sa) => {
        if (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT) this.controller.enqueue(sa.metadata.namespace!);
      },
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.controller.start(signal);
  }
}
