// The metrics.k8s.io/v1beta1 group as metrics-server serves it: NodeMetrics (cluster-scoped) and PodMetrics
// (namespaced), read-only, with the verbs get and list. Discovery and routing read these entries beside the
// built-in resource table.
import type { ResourceInfo } from "../../api/resources.js";

export const METRICS_GROUP = { group: "metrics.k8s.io", version: "v1beta1" };

const metricsResource = (resource: string, kind: string, namespaced: boolean): ResourceInfo => ({
  ...METRICS_GROUP,
  resource,
  singular: kind.toLowerCase(),
  kind,
  listKind: `${kind}List`,
  namespaced,
  verbs: ["get", "list"],
  shortNames: [],
  categories: [],
  subresources: [],
});

export const NODE_METRICS = metricsResource("nodes", "NodeMetrics", false);
export const POD_METRICS = metricsResource("pods", "PodMetrics", true);

/** metrics-server names its resources by kind in errors: `podmetrics.metrics.k8s.io "ns/x" not found`. */
export const NODE_METRICS_REF = { group: METRICS_GROUP.group, resource: "nodemetrics" };
export const POD_METRICS_REF = { group: METRICS_GROUP.group, resource: "podmetrics" };
