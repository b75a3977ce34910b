// Schemas of the remaining core/v1 kinds (Namespace, Event, ConfigMap, Secret, ServiceAccount) and of
// policy/v1 Eviction.

import { bool, bytes, definition, int32, list, mapOf, ref, str } from "./builders.js";
import { LocalObjectReference, ObjectReference } from "./core-common.js";
import { DeleteOptions, MicroTime, ObjectMeta, objectMetaField, Time, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const NamespaceSpec: Schema = definition(
  "io.k8s.api.core.v1.NamespaceSpec",
  "The desired state of a namespace.",
  {
    finalizers: list(str(), "Finalizers that must finish before the namespace is removed.", {
      listType: "atomic",
    }),
  },
);

export const NamespaceCondition: Schema = definition(
  "io.k8s.api.core.v1.NamespaceCondition",
  "One aspect of a namespace's state.",
  {
    type: str("The condition type."),
    status: str("True, False or Unknown."),
    lastTransitionTime: ref(Time, "When the condition last changed from one status to another."),
    reason: str("A short machine-readable word explaining the last transition."),
    message: str("A human-readable explanation of the last transition."),
  },
  { required: ["type", "status"] },
);

export const NamespaceStatus: Schema = definition(
  "io.k8s.api.core.v1.NamespaceStatus",
  "The observed state of a namespace.",
  {
    phase: str("Active or Terminating.", { enum: ["Active", "Terminating"] }),
    conditions: list(NamespaceCondition, "The namespace's current conditions.", {
      patchStrategy: "merge",
      patchMergeKey: "type",
      listType: "map",
      listMapKeys: ["type"],
    }),
  },
);

export const Namespace: Schema = definition(
  "io.k8s.api.core.v1.Namespace",
  "A scope for names of namespaced objects.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(NamespaceSpec, "The namespace's finalizers."),
    status: ref(NamespaceStatus, "The namespace's phase and conditions."),
  },
  { gvk: { group: "", version: "v1", kind: "Namespace" } },
);

export const EventSource: Schema = definition(
  "io.k8s.api.core.v1.EventSource",
  "The component that reported an event.",
  {
    component: str("Component name."),
    host: str("Node name."),
  },
);

export const EventSeries: Schema = definition(
  "io.k8s.api.core.v1.EventSeries",
  "Data about a series of repeated events.",
  {
    count: int32("Number of occurrences so far."),
    lastObservedTime: ref(MicroTime, "When the last occurrence was seen."),
  },
);

export const Event: Schema = definition(
  "io.k8s.api.core.v1.Event",
  "A report of something that happened to an object.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    involvedObject: ref(ObjectReference, "The object the event is about."),
    reason: str("Short CamelCase reason for the event."),
    message: str("Human-readable description of the event."),
    source: ref(EventSource, "Component that reported the event."),
    firstTimestamp: ref(Time, "When the event was first seen."),
    lastTimestamp: ref(Time, "When the event was last seen."),
    count: int32("How many times the event occurred."),
    type: str("Normal or Warning."),
    eventTime: ref(MicroTime, "When the event was first observed, with microsecond precision."),
    series: ref(EventSeries, "Data about a series of repeated events."),
    action: str("What action was taken or failed."),
    related: ref(ObjectReference, "A second object involved in the event."),
    reportingComponent: str("Controller that emitted the event."),
    reportingInstance: str("Instance of the controller that emitted the event."),
  },
  { required: ["metadata", "involvedObject"], gvk: { group: "", version: "v1", kind: "Event" } },
);

export const ConfigMap: Schema = definition(
  "io.k8s.api.core.v1.ConfigMap",
  "Non-secret configuration data for pods.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    immutable: bool("When true, the data can no longer be changed."),
    data: mapOf(str(), "UTF-8 configuration values by key."),
    binaryData: mapOf(bytes(), "Binary configuration values by key, base64-encoded."),
  },
  { gvk: { group: "", version: "v1", kind: "ConfigMap" } },
);

export const Secret: Schema = definition(
  "io.k8s.api.core.v1.Secret",
  "Sensitive data, such as passwords or tokens.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    immutable: bool("When true, the data can no longer be changed."),
    data: mapOf(bytes(), "Secret values by key, base64-encoded."),
    stringData: mapOf(str(), "Write-only plain-text values merged into data."),
    type: str("The kind of secret, used to check its content."),
  },
  { gvk: { group: "", version: "v1", kind: "Secret" } },
);

export const ServiceAccount: Schema = definition(
  "io.k8s.api.core.v1.ServiceAccount",
  "An identity for processes that run in pods.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    secrets: list(ObjectReference, "Deprecated list of secrets for this account.", {
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    imagePullSecrets: list(LocalObjectReference, "Secrets used to pull images for pods using this account.", {
      listType: "atomic",
    }),
    automountServiceAccountToken: bool("Whether pods of this account get a token mounted."),
  },
  { gvk: { group: "", version: "v1", kind: "ServiceAccount" } },
);

export const Eviction: Schema = definition(
  "io.k8s.api.policy.v1.Eviction",
  "Requests the graceful eviction of a pod, honouring disruption budgets.",
  {
    ...typeMeta(),
    metadata: ref(ObjectMeta, "Names the pod to evict."),
    deleteOptions: ref(DeleteOptions, "Options for deleting the pod."),
  },
  { gvk: { group: "policy", version: "v1", kind: "Eviction" } },
);
