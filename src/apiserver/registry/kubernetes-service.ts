// The `kubernetes` Service in `default`, as upstream's apiserver keeps it (its kubernetesservice controller and
// endpoint reconciler): the API server's address inside the cluster, the first IP of the service CIDR, port 443
// (https) forwarding to the port the server listens on, and the Endpoints and EndpointSlice naming that address
// and port — reconciled at start (the port may change between runs) and every 10 s after, as upstream's
// EndpointReconcilerInterval, so a deleted or edited `kubernetes` service comes back.
import { jsonEqual } from "../../api/equal.js";
import { isAlreadyExists } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { ENDPOINT_SLICES, ENDPOINTS, SERVICES } from "../../api/resources.js";
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

/** Writes `desired` as `name` in `store` unless it already holds the same `compared` fields. */
async function upsert(store: RegistryStore, desired: KubeObject, compared: readonly string[]): Promise<void> {
  const existing = store.getOrUndefined(NAMESPACE, NAME);
  if (!existing) {
    await store.create(NAMESPACE, desired).catch((err) => {
      if (!isAlreadyExists(err)) throw err;
    });
    return;
  }
  if (compared.every((field) => jsonEqual(existing[field], desired[field]))) return;
  await store.update(NAMESPACE, NAME, {
    ...desired,
    metadata: { ...desired.metadata, resourceVersion: existing.metadata.resourceVersion },
  });
}

/**
 * The Endpoints and EndpointSlice of the `kubernetes` service: the API server at `host:apiPort`. The service has no
 * selector, so the endpoint controllers leave them to the API server, as upstream's do (skip-mirror, no
 * managed-by label).
 */
export async function ensureKubernetesEndpoints(
  endpoints: RegistryStore,
  slices: RegistryStore,
  host: string,
  apiPort: number,
): Promise<void> {
  const ip = host === "0.0.0.0" || host === "::" || host === "localhost" ? "127.0.0.1" : host;
  const port = { name: "https", port: apiPort, protocol: "TCP" };
  await upsert(
    endpoints,
    {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: {
        name: NAME,
        namespace: NAMESPACE,
        labels: { "endpointslice.kubernetes.io/skip-mirror": "true" },
      },
      subsets: [{ addresses: [{ ip }], ports: [port] }],
    },
    ["subsets"],
  );
  await upsert(
    slices,
    {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: NAME, namespace: NAMESPACE, labels: { "kubernetes.io/service-name": NAME } },
      addressType: "IPv4",
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [port],
    },
    ["endpoints", "ports"],
  );
}

/** Upstream's EndpointReconcilerInterval: how often the API server checks its own service and endpoints. */
export const KUBERNETES_SERVICE_RESYNC_MS = 10_000;

/** Keeps the `kubernetes` service and its endpoints as this API server wants them, now and every 10 s. */
export class KubernetesServiceReconciler {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stores: { store(ref: { group: string; resource: string }): RegistryStore },
    private readonly host: string,
    private readonly apiPort: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** One pass: the service, then its Endpoints and EndpointSlice. */
  async reconcile(): Promise<void> {
    await ensureKubernetesService(this.stores.store(SERVICES), this.apiPort);
    await ensureKubernetesEndpoints(
      this.stores.store(ENDPOINTS),
      this.stores.store(ENDPOINT_SLICES),
      this.host,
      this.apiPort,
    );
  }

  /** Reconciles once (a failure is reported, never thrown: the server still serves), then periodically. */
  async start(intervalMs = KUBERNETES_SERVICE_RESYNC_MS): Promise<void> {
    const pass = () => this.reconcile().catch(this.onError);
    await pass();
    this.timer = setInterval(pass, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
