// Small hand-made schemas and resources for the OpenAPI tests, shaped like the project's real ones (field
// copies of definitions carrying the field's description, patch strategies on lists). The .suite.ts suffix
// keeps this file out of the build and out of the test runner's file list.

import { findResource, type ResourceInfo } from "../../api/resources.js";
import type { Schema } from "../../api/schema/types.js";
import type { SchemaForKind } from "./api-model.js";

/** A field that uses a definition: a copy with the field's own text, as the schema builders make. */
const field = (target: Schema, description: string, extra: Partial<Schema> = {}): Schema => ({
  ...target,
  description,
  ...extra,
});

const str = (description: string): Schema => ({ type: "string", description });

export const OBJECT_META: Schema = {
  definitionName: "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
  description: "Metadata every persisted object has.",
  type: "object",
  properties: {
    name: str("Name of the object."),
    labels: { type: "object", additionalProperties: { type: "string" }, description: "Labels." },
  },
};

const INT_OR_STRING: Schema = {
  intOrString: true,
  format: "int-or-string",
  definitionName: "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
  description: "An integer or a string.",
};

export const CONTAINER: Schema = {
  definitionName: "io.k8s.api.core.v1.Container",
  description: "A container of a pod.",
  type: "object",
  required: ["name"],
  properties: {
    name: str("Name of the container."),
    image: str("Image to run."),
    imagePullPolicy: {
      type: "string",
      enum: ["Always", "IfNotPresent", "Never"],
      description: "Pull policy.",
    },
    ports: {
      type: "array",
      description: "Ports.",
      items: {
        definitionName: "io.k8s.api.core.v1.ContainerPort",
        description: "A port.",
        type: "object",
        properties: { containerPort: { type: "integer", format: "int32", description: "Port." } },
      },
      patchStrategy: "merge",
      patchMergeKey: "containerPort",
      listType: "map",
      listMapKeys: ["containerPort", "protocol"],
    },
  },
};

export const POD_SPEC: Schema = {
  definitionName: "io.k8s.api.core.v1.PodSpec",
  description: "What a pod runs.",
  type: "object",
  required: ["containers"],
  properties: {
    containers: {
      type: "array",
      description: "The containers.",
      items: CONTAINER,
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    },
    nodeSelector: {
      type: "object",
      description: "Node labels the pod needs.",
      additionalProperties: { type: "string" },
      mapType: "atomic",
    },
    tolerations: { type: "array", description: "Tolerations.", listType: "atomic" },
  },
};

const TEMPLATE: Schema = {
  definitionName: "io.k8s.api.core.v1.PodTemplateSpec",
  description: "A pod template.",
  type: "object",
  properties: {
    metadata: field(OBJECT_META, "Template metadata."),
    spec: field(POD_SPEC, "Spec of the pods."),
  },
};

export const POD: Schema = {
  definitionName: "io.k8s.api.core.v1.Pod",
  gvk: { group: "", version: "v1", kind: "Pod" },
  description: "A pod.",
  type: "object",
  properties: {
    apiVersion: str("API version."),
    kind: str("Kind."),
    metadata: field(OBJECT_META, "Standard object metadata."),
    spec: field(POD_SPEC, "The pod's spec."),
  },
};

export const DAEMON_SET: Schema = {
  definitionName: "io.k8s.api.apps.v1.DaemonSet",
  gvk: { group: "apps", version: "v1", kind: "DaemonSet" },
  description: "Runs a pod on every node.",
  type: "object",
  properties: {
    apiVersion: str("API version."),
    kind: str("Kind."),
    metadata: field(OBJECT_META, "Standard object metadata."),
    spec: {
      definitionName: "io.k8s.api.apps.v1.DaemonSetSpec",
      description: "The desired state.",
      type: "object",
      properties: {
        template: field(TEMPLATE, "The pod template."),
        updateStrategy: {
          definitionName: "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
          description: "How to update.",
          type: "object",
          properties: {
            maxUnavailable: field(INT_OR_STRING, "Most pods down at once."),
            type: { type: "string", enum: ["OnDelete", "RollingUpdate"], description: "Strategy." },
          },
        },
      },
    },
    status: {
      type: "object",
      description: "Inline status.",
      preserveUnknownFields: true,
    },
  },
};

/** pods (namespaced, with status/binding/eviction/log), daemonsets (namespaced), nodes (cluster-scoped). */
export const FIXTURE_RESOURCES: ResourceInfo[] = [
  findResource("", "v1", "pods")!,
  findResource("", "v1", "nodes")!,
  findResource("apps", "v1", "daemonsets")!,
];

const FIXTURE_KINDS = new Map<string, Schema>([
  ["/v1/Pod", POD],
  ["apps/v1/DaemonSet", DAEMON_SET],
]);

/** Schemas for Pod and DaemonSet only: Node, Binding and Eviction have none, as a partial catalog would. */
export const fixtureSchemaForKind: SchemaForKind = (group, version, kind) =>
  FIXTURE_KINDS.get(`${group}/${version}/${kind}`);
