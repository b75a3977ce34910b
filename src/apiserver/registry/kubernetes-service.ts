// The `kubernetes` Service in `default`, as upstream's apiserver keeps it (its kubernetesservice controller):
// the API server's address inside the cluster, the first IP of the service CIDR, port 443 (https) forwarding to
// the port the server listens on — reconciled at every start, since that port may change between runs.
import { isAlreadyExists } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { KUBERNETES_SERVICE_IP } from "./service-allocation.js";
import type { RegistryStore } from "./store.js";

const NAME = "kubernetes";
const NAMESPACE = "default";

function desiredPorts(apiPort: number) {
  return [{ name: "https", protocol: "TCP", port: 443, targetPort: apiPort }];
}

/** Creates the service, or points its port at `apiPort` again if it forwards elsewhere. */
export async function ensureKubernetesService(services: RegistryStore, apiPort: number): Promise<KubeObject> {
  const existing = services.getOrUndefined(NAMESPACE, NAME);
  const ports = desiredPorts(apiPort);
  if (!existing) {
    try {
      return await services.create(NAMESPACE, {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
          name: NAME,
          namespace: NAMESPACE,
          labels: { component: "apiserver", provider: "kubernetes" },
        },
        spec: { type: "ClusterIP", clusterIP: KUBERNETES_SERVICE_IP, sessionAffinity: "None", ports },
      });
    } catch (err) {
      // Created meanwhile by another server on the same store.
      if (!isAlreadyExists(err)) throw err;
      return services.get(NAMESPACE, NAME);
    }
  }
  if (existing.spec?.ports?.[0]?.targetPort === apiPort) return existing;
  return services.update(NAMESPACE, NAME, { ...existing, spec: { ...existing.spec, ports } });
}
