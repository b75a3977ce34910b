// The fields each kind lets clients filter on with `fieldSelector` (upstream's per-kind GetAttrs /
// SelectableFields), and how to read them from an object.
import type { KubeObject } from "../../api/object.js";

type Getter = (obj: KubeObject) => string | undefined;

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

const metaFields: Record<string, Getter> = {
  "metadata.name": (o) => o.metadata.name,
  "metadata.namespace": (o) => str(o.metadata.namespace),
};

const byResource: Record<string, Record<string, Getter>> = {
  "/pods": {
    "spec.nodeName": (o) => str(o.spec?.nodeName),
    "spec.restartPolicy": (o) => str(o.spec?.restartPolicy),
    "spec.schedulerName": (o) => str(o.spec?.schedulerName),
    "spec.serviceAccountName": (o) => str(o.spec?.serviceAccountName),
    "spec.hostNetwork": (o) => String(o.spec?.hostNetwork === true),
    "status.phase": (o) => str(o.status?.phase),
    "status.podIP": (o) => str(o.status?.podIP),
    "status.nominatedNodeName": (o) => str(o.status?.nominatedNodeName),
  },
  "/events": {
    "involvedObject.kind": (o) => str(o.involvedObject?.kind),
    "involvedObject.namespace": (o) => str(o.involvedObject?.namespace),
    "involvedObject.name": (o) => str(o.involvedObject?.name),
    "involvedObject.uid": (o) => str(o.involvedObject?.uid),
    "involvedObject.apiVersion": (o) => str(o.involvedObject?.apiVersion),
    "involvedObject.resourceVersion": (o) => str(o.involvedObject?.resourceVersion),
    "involvedObject.fieldPath": (o) => str(o.involvedObject?.fieldPath),
    reason: (o) => str(o.reason),
    reportingComponent: (o) => str(o.reportingComponent),
    source: (o) => str(o.source?.component),
    type: (o) => str(o.type),
  },
  "/nodes": { "spec.unschedulable": (o) => String(o.spec?.unschedulable === true) },
  "/namespaces": { "status.phase": (o) => str(o.status?.phase) },
  "/secrets": { type: (o) => str(o.type) },
};

/** The selectable fields of a resource, keyed by field path. */
export function selectableFields(group: string, resource: string): Record<string, Getter> {
  return { ...metaFields, ...(byResource[`${group}/${resource}`] ?? {}) };
}
