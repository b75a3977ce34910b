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

/** ShouldPodBeInEndpoints: an address, not finished for good, and (unless asked) not terminating. */
export function belongsInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  switch (pod.spec?.restartPolicy ?? "Always") {
    case "Never":
      return phase !== "Failed" && phase !== "Succeeded";
    case "OnFailure":
      return phase !== "Succeeded";
    default:
      return true;
  }
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
    .map((pod) => backendOf(svc, pod))
    .sort(
      (a, b) =>
        compareIPs(a.ip, b.ip) || (a.pod.metadata.name ?? "").localeCompare(b.pod.metadata.name ?? ""),
    );
}

function compareIPs(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

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
