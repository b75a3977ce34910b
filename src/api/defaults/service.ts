// SetDefaults_Service: session affinity None, type ClusterIP, TCP ports that forward to the same port, Cluster
// traffic policies, node ports for load balancers. Cluster IPs and node ports are allocated later, on create
// (apiserver/registry/service-allocation.ts), as upstream's REST storage does after defaulting.
import { asRecords, isRecord, isSet, type JsonRecord } from "../validation/json-access.js";

/** Upstream's DefaultClientIPServiceAffinitySeconds: three hours. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10_800;

/** Reachable from outside the cluster: what externalTrafficPolicy is about. */
export function externallyAccessible(spec: JsonRecord): boolean {
  return (
    spec.type === "LoadBalancer" ||
    spec.type === "NodePort" ||
    (spec.type === "ClusterIP" && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
  );
}

export function setServiceDefaults(svc: JsonRecord): void {
  if (!isRecord(svc.spec)) svc.spec = {};
  const spec = svc.spec as JsonRecord;
  if (!spec.sessionAffinity) spec.sessionAffinity = "None";
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP") {
    const clientIP = isRecord(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig.clientIP : undefined;
    if (!isRecord(clientIP) || !isSet(clientIP.timeoutSeconds)) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
  }
  if (!spec.type) spec.type = "ClusterIP";
  for (const port of asRecords(spec.ports)) {
    if (!port.protocol) port.protocol = "TCP";
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === "") {
      port.targetPort = port.port;
    }
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = "Cluster";
  if (!isSet(spec.internalTrafficPolicy) && spec.type !== "ExternalName")
    spec.internalTrafficPolicy = "Cluster";
  if (spec.type === "LoadBalancer" && !isSet(spec.allocateLoadBalancerNodePorts)) {
    spec.allocateLoadBalancerNodePorts = true;
  }
}
