// Schemas of NodeMetrics and PodMetrics (k8s.io/metrics v1beta1), for the OpenAPI documents and
// `kubectl explain nodemetrics`; the group is read-only, so they are never used to decode a request.
import { definition, list, mapOf, ref, str } from "../../api/schema/builders.js";
import { objectMetaField, Quantity, Time, typeMeta } from "../../api/schema/meta.js";
import type { Schema } from "../../api/schema/types.js";
import { METRICS_GROUP } from "./resources.js";

const PREFIX = "io.k8s.metrics.pkg.apis.metrics.v1beta1";

const usage = (what: string): Schema =>
  mapOf(Quantity, `The memory and CPU usage of the ${what} over the window (cpu in cores, memory in bytes).`);

const timestamp = (): Schema =>
  ref(Time, "When the usage was sampled: the end of the window [timestamp-window, timestamp].");

const window = (): Schema => str("The length of the window the usage was measured over, e.g. 15s.");

export const ContainerMetrics: Schema = definition(
  `${PREFIX}.ContainerMetrics`,
  "Resource usage of one container.",
  { name: str("Container name, as in the pod spec."), usage: usage("container") },
  { required: ["name", "usage"] },
);

export const NodeMetrics: Schema = definition(
  `${PREFIX}.NodeMetrics`,
  "Resource usage of a node, sampled by the metrics pipeline.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    timestamp: timestamp(),
    window: window(),
    usage: usage("node"),
  },
  { required: ["timestamp", "window", "usage"], gvk: { ...METRICS_GROUP, kind: "NodeMetrics" } },
);

export const PodMetrics: Schema = definition(
  `${PREFIX}.PodMetrics`,
  "Resource usage of a pod's running containers, sampled by the metrics pipeline.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    timestamp: timestamp(),
    window: window(),
    containers: list(ContainerMetrics, "Usage of each running container.", { listType: "atomic" }),
  },
  { required: ["timestamp", "window", "containers"], gvk: { ...METRICS_GROUP, kind: "PodMetrics" } },
);

/** The schema of a metrics.k8s.io kind, or undefined for any other kind. */
export function metricsSchemaForKind(group: string, version: string, kind: string): Schema | undefined {
  if (group !== METRICS_GROUP.group || version !== METRICS_GROUP.version) return undefined;
  return kind === "NodeMetrics" ? NodeMetrics : kind === "PodMetrics" ? PodMetrics : undefined;
}
