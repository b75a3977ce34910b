// NodeMetrics and PodMetrics objects as metrics-server returns them: name (and namespace) and labels of the
// measured object, the sample's timestamp and window, and usage quantities in metrics-server's units
// (cpu in nanocores, memory in bytes, printed canonically: "3512345n", "49380Ki").
import type { KubeObject, ObjectMeta } from "../../api/object.js";
import { Quantity, quantityFromValue } from "../../api/quantity.js";
import { groupVersion } from "../../api/resources.js";
import { isoSeconds } from "../registry/store.js";
import { NODE_METRICS, POD_METRICS } from "./resources.js";
import { type ContainerUsage, METRICS_WINDOW_MS, type ResourceUsage } from "./usage-model.js";

/** The window as a Go duration string ("15s"), as metav1.Duration serialises it. */
const WINDOW = `${METRICS_WINDOW_MS / 1000}s`;

/** A ResourceList of usage: cpu as DecimalSI nanocores, memory as BinarySI bytes. */
export function usageList(usage: ResourceUsage): { cpu: string; memory: string } {
  return {
    cpu: new Quantity(BigInt(usage.cpuNanoCores), "DecimalSI").toString(),
    memory: quantityFromValue(usage.memoryBytes, "BinarySI").toString(),
  };
}

/** metadata of a metrics object: created now, named and labelled like the object it measures. */
function metricsMeta(measured: KubeObject, now: number): ObjectMeta {
  const meta: ObjectMeta = { name: measured.metadata.name };
  if (measured.metadata.namespace) meta.namespace = measured.metadata.namespace;
  meta.creationTimestamp = isoSeconds(now);
  if (measured.metadata.labels) meta.labels = { ...measured.metadata.labels };
  return meta;
}

export function nodeMetricsObject(
  node: KubeObject,
  usage: ResourceUsage,
  at: number,
  now: number,
): KubeObject {
  return {
    kind: NODE_METRICS.kind,
    apiVersion: groupVersion(NODE_METRICS),
    metadata: metricsMeta(node, now),
    timestamp: isoSeconds(at),
    window: WINDOW,
    usage: usageList(usage),
  };
}

export function podMetricsObject(
  pod: KubeObject,
  containers: readonly ContainerUsage[],
  at: number,
  now: number,
): KubeObject {
  return {
    kind: POD_METRICS.kind,
    apiVersion: groupVersion(POD_METRICS),
    metadata: metricsMeta(pod, now),
    timestamp: isoSeconds(at),
    window: WINDOW,
    containers: containers.map((c) => ({ name: c.name, usage: usageList(c) })),
  };
}
