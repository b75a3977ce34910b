// Hand-built schemas for the patch tests, shaped like upstream's patch metadata for the fields the tests
// touch (merge keys, strategies), so the engine is tested without depending on the real kind schemas.
import type { Schema } from "../../api/schema/types.js";

const string: Schema = { type: "string" };
const integer: Schema = { type: "integer", format: "int32" };
const boolean: Schema = { type: "boolean" };
const stringMap: Schema = { type: "object", additionalProperties: string };
const intOrString: Schema = { intOrString: true, format: "int-or-string" };

function object(properties: Record<string, Schema>, extra: Partial<Schema> = {}): Schema {
  return { type: "object", properties, ...extra };
}

function list(items: Schema, extra: Partial<Schema> = {}): Schema {
  return { type: "array", items, ...extra };
}

function mergeList(items: Schema, mergeKey: string, listMapKeys = [mergeKey]): Schema {
  return list(items, { patchStrategy: "merge", patchMergeKey: mergeKey, listType: "map", listMapKeys });
}

const ownerReference = object({
  apiVersion: string,
  kind: string,
  name: string,
  uid: string,
  controller: boolean,
  blockOwnerDeletion: boolean,
});

export const objectMetaSchema = object({
  name: string,
  namespace: string,
  uid: string,
  resourceVersion: string,
  labels: stringMap,
  annotations: stringMap,
  finalizers: list(string, { patchStrategy: "merge", listType: "set" }),
  ownerReferences: mergeList(ownerReference, "uid"),
});

const envVar = object({
  name: string,
  value: string,
  valueFrom: object({ fieldRef: object({ fieldPath: string }) }),
});

const containerPort = object({ name: string, containerPort: integer, hostPort: integer, protocol: string });

const volumeMount = object({ name: string, mountPath: string, readOnly: boolean });

const resourceList: Schema = {
  type: "object",
  additionalProperties: { intOrString: true, format: "quantity" },
};

export const containerSchema = object({
  name: string,
  image: string,
  imagePullPolicy: string,
  command: list(string, { listType: "atomic" }),
  args: list(string, { listType: "atomic" }),
  env: mergeList(envVar, "name"),
  ports: mergeList(containerPort, "containerPort", ["containerPort", "protocol"]),
  volumeMounts: mergeList(volumeMount, "mountPath"),
  resources: object({ limits: resourceList, requests: resourceList }),
});

const toleration = object({
  key: string,
  operator: string,
  value: string,
  effect: string,
  tolerationSeconds: integer,
});

const volume = object({
  name: string,
  hostPath: object({ path: string, type: string }),
  configMap: object({ name: string }),
  emptyDir: object({ medium: string, sizeLimit: resourceList }),
});

export const podSpecSchema = object({
  containers: mergeList(containerSchema, "name"),
  initContainers: mergeList(containerSchema, "name"),
  volumes: list(volume, {
    patchStrategy: "merge,retainKeys",
    patchMergeKey: "name",
    listType: "map",
    listMapKeys: ["name"],
  }),
  tolerations: list(toleration, { listType: "atomic" }),
  nodeSelector: stringMap,
  hostNetwork: boolean,
  terminationGracePeriodSeconds: integer,
});

const podTemplate = object({ metadata: objectMetaSchema, spec: podSpecSchema });

const condition = object({ type: string, status: string, reason: string, message: string });

const labelSelector = object(
  {
    matchLabels: stringMap,
    matchExpressions: list(object({ key: string, operator: string, values: list(string) })),
  },
  { mapType: "atomic" },
);

const rollingUpdate = object({ maxUnavailable: intOrString, maxSurge: intOrString });

/** apps/v1 DaemonSet: upstream gives updateStrategy no patch strategy (Deployment.strategy has retainKeys). */
export const daemonSetSchema = object({
  apiVersion: string,
  kind: string,
  metadata: objectMetaSchema,
  spec: object({
    selector: labelSelector,
    template: podTemplate,
    updateStrategy: object({ type: string, rollingUpdate }),
    minReadySeconds: integer,
    revisionHistoryLimit: integer,
  }),
  status: object({
    currentNumberScheduled: integer,
    numberReady: integer,
    conditions: mergeList(condition, "type"),
  }),
});

/** apps/v1 Deployment, for the retainKeys strategy on spec.strategy. */
export const deploymentSchema = object({
  apiVersion: string,
  kind: string,
  metadata: objectMetaSchema,
  spec: object({
    replicas: integer,
    template: podTemplate,
    strategy: object({ type: string, rollingUpdate }, { patchStrategy: "retainKeys" }),
  }),
});

const taint = object({ key: string, value: string, effect: string, timeAdded: string });

/** core/v1 Node: taints are atomic, conditions and addresses merge by type. */
export const nodeSchema = object({
  apiVersion: string,
  kind: string,
  metadata: objectMetaSchema,
  spec: object({ unschedulable: boolean, taints: list(taint, { listType: "atomic" }), podCIDR: string }),
  status: object({
    capacity: resourceList,
    conditions: mergeList(condition, "type"),
    addresses: mergeList(object({ type: string, address: string }), "type"),
  }),
});

/** core/v1 Pod. */
export const podSchema = object({
  apiVersion: string,
  kind: string,
  metadata: objectMetaSchema,
  spec: podSpecSchema,
});

/** A field whose content the schema leaves open (a CRD-like blob). */
export const openSchema = object({
  metadata: objectMetaSchema,
  spec: { type: "object", preserveUnknownFields: true },
});
