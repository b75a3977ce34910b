// The metrics.k8s.io API (kubectl top): its resource entries, the virtual resources that compute them and
// their schemas.
import type { VirtualResourceDefinition } from "../registry/virtual-resource.js";
import { nodeMetricsResource, podMetricsResource } from "./providers.js";
import { METRICS_GROUP, NODE_METRICS, POD_METRICS } from "./resources.js";

export { metricsSchemaForKind } from "./schema.js";
export { METRICS_GROUP, NODE_METRICS, POD_METRICS };

export const METRICS_VIRTUAL_RESOURCES: readonly VirtualResourceDefinition[] = [
  { info: NODE_METRICS, create: nodeMetricsResource },
  { info: POD_METRICS, create: podMetricsResource },
];
