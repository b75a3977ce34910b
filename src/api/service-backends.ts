// What the endpoints and EndpointSlice controllers, and the simulated cluster network, need to know of a
// service's pods: which pods it selects, which of them belong in its endpoints (upstream's
// ShouldPodBeInEndpoints), whether each is ready or terminating, and the port each service port reaches on it
// (upstream's FindPort: a number, or the number of the container port with that name).
import type { KubeObject } from "./object.js";
import { isPodReady } from "./pod-conditions.js";

/** A service port as reached on one pod. */
export interface BackendPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface Backend {
  pod: KubeObject;
  ip: string;
  ready: boolean;
  terminating: boolean;
  /** The service's ports as this pod serves them (those it cannot resolve are left out). */
  ports: BackendPort[];
}

/** A service whose endpoints the controllers keep: one with a selector (others are managed by hand). */
export function managedService(svc: KubeObject): boolean {
  const selector = svc.spec?.selector ?? {};
  return svc.spec?.type !== "ExternalName" && Object.keys(selector).length > 0;
}

export function selects(svc: KubeObject, pod: KubeObject): boolean {
  if (pod.metadata.namespace !== svc.metadata.namespace || !managedService(svc)) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => labels[k] === v);
}

/** The label both controllers put on a headless service's Endpoints and EndpointSlices. */
export const HEADLESS_LABEL = "service.kubernetes.io/headless";

/**
 * ShouldPodBeInEndpoints: not finished (Succeeded or Failed, whatever its restart policy), an address, and
 * (unless asked) not terminating.
 */
export function belongsInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  if (!pod.status?.podIP) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/** Whether traffic may go to the backend: ready, or published whatever its readiness. */
export function receivesTraffic(svc: KubeObject, b: Backend): boolean {
  return svc.spec?.publishNotReadyAddresses === true || (b.ready && !b.terminating);
}

/** FindPort: the port a service port's targetPort names on this pod, or undefined if it has none by that name. */
function findPort(pod: KubeObject, targetPort: unknown, protocol: string): number | undefined {
  if (typeof targetPort === "number") return targetPort;
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === targetPort && (p.protocol ?? "TCP") === protocol) return p.containerPort;
    }
  }
  return undefined;
}

export function backendOf(svc: KubeObject, pod: KubeObject): Backend {
  const ports: BackendPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const protocol = sp.protocol ?? "TCP";
    const port = findPort(pod, sp.targetPort ?? sp.port, protocol);
    if (port === undefined) continue;
    const resolved: BackendPort = { name: sp.name ?? "", port, protocol };
    if (sp.appProtocol) resolved.appProtocol = sp.appProtocol;
    ports.push(resolved);
  }
  return {
    pod,
    ip: pod.status.podIP,
    ready: isPodReady(pod),
    terminating: pod.metadata.deletionTimestamp !== undefined,
    ports,
  };
}

/** The backends of `svc` among `pods` (its namespace's), sorted by IP so that repeated syncs write the same thing. */
export function backendsOf(
  svc: KubeObject,
  pods: readonly KubeObject[],
  includeTerminating: boolean,
): Backend[] {
  return pods
    .filter((pod) => selects(svc, pod) && belongsInEndpoints(pod, includeTerminating))
    .map((pod) => ({ backend: backendOf(svc, pod), order: ipOrder(pod.status.podIP) }))
    .sort((a, b) => a.order - b.order || compareNames(a.backend, b.backend))
    .map((entry) => entry.backend);
}

/** An IPv4 address as one number, for sorting (other text sorts last). */
function ipOrder(ip: string): number {
  const parts = ip.split(".");
  if (parts.length !== 4) return Number.MAX_SAFE_INTEGER;
  return parts.reduce((n, octet) => n * 256 + Number(octet), 0);
}

const compareNames = (a: Backend, b: Backend) =>
  (a.pod.metadata.name ?? "").localeCompare(b.pod.metadata.name ?? "");

/** Backends that serve the same ports, as one Endpoints subset or one run of EndpointSlices lists them. */
export interface PortGroup {
  ports: BackendPort[];
  backends: Backend[];
}

/**
 * The backends grouped by the ports they serve, in first-seen order. A pod serving none of the service's ports is
 * no endpoint, except for a headless service without ports (whose endpoints are bare addresses).
 */
export function groupByPorts(svc: KubeObject, backends: readonly Backend[]): PortGroup[] {
  const bare = svc.spec?.clusterIP === "None" && (svc.spec?.ports ?? []).length === 0;
  const groups = new Map<string, PortGroup>();
  for (const b of backends) {
    if (b.ports.length === 0 && !bare) continue;
    const key = JSON.stringify(b.ports);
    const group = groups.get(key);
    if (group) group.backends.push(b);
    else groups.set(key, { ports: b.ports, backends: [b] });
  }
  return [...groups.values()];
}

/** The reference to a pod that endpoints carry. */
export function podRef(pod: KubeObject): Record<string, string> {
  return {
    kind: "Pod",
    namespace: pod.metadata.namespace ?? "",
    name: pod.metadata.name ?? "",
    uid: pod.metadata.uid ?? "",
  };
}
