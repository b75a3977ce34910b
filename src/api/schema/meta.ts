// Schemas of the apimachinery types shared by every kind: ObjectMeta, ListMeta, label selectors, owner
// references, managed fields, delete options and the scalar wrappers (Time, MicroTime, Quantity, IntOrString).

import { bool, definition, int64, list, mapOf, ref, str } from "./builders.js";
import type { Schema } from "./types.js";

/** The `apiVersion` and `kind` properties of every top-level kind (and of DeleteOptions). */
export function typeMeta(): Record<string, Schema> {
  return {
    apiVersion: str("The versioned schema this object follows, such as apps/v1."),
    kind: str("The REST kind this object represents, in CamelCase."),
  };
}

export const Time: Schema = {
  type: "string",
  format: "date-time",
  definitionName: "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
  description: "A point in time, serialised as an RFC 3339 string with second precision.",
};

export const MicroTime: Schema = {
  type: "string",
  format: "date-time",
  definitionName: "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
  description: "A point in time, serialised as an RFC 3339 string with microsecond precision.",
};

// Upstream publishes Quantity as a plain string (v2) or string-or-number (v3); the "quantity" format marks
// it so decoding accepts numbers and OpenAPI output can render it either way.
export const Quantity: Schema = {
  type: "string",
  format: "quantity",
  definitionName: "io.k8s.apimachinery.pkg.api.resource.Quantity",
  description: "A fixed-point amount such as 100m, 2Gi or 1.5, written as a string or a number.",
};

export const IntOrString: Schema = {
  intOrString: true,
  format: "int-or-string",
  definitionName: "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
  description: "A value that is either an integer or a string, such as a port number or a percentage.",
};

export const RawExtension: Schema = {
  type: "object",
  preserveUnknownFields: true,
  definitionName: "io.k8s.apimachinery.pkg.runtime.RawExtension",
  description: "Arbitrary embedded JSON content.",
};

export const FieldsV1: Schema = {
  type: "object",
  preserveUnknownFields: true,
  definitionName: "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
  description: "A set of field paths encoded as a JSON trie, used by server-side apply.",
};

export const OwnerReference: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
  "Identifies an object that owns the referring object.",
  {
    apiVersion: str("API version of the owner."),
    kind: str("Kind of the owner."),
    name: str("Name of the owner."),
    uid: str("UID of the owner."),
    controller: bool("True if this owner is the managing controller."),
    blockOwnerDeletion: bool(
      "When true, foreground deletion of the owner waits for this object to go first.",
    ),
  },
  { required: ["apiVersion", "kind", "name", "uid"], mapType: "atomic" },
);

export const ManagedFieldsEntry: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry",
  "One manager's ownership of a set of fields at one API version.",
  {
    manager: str("Name of the workflow that manages these fields."),
    operation: str("Whether the fields were set by Apply or Update."),
    apiVersion: str("API version the field set is expressed in."),
    time: ref(Time, "When this entry was last changed."),
    fieldsType: str("Format of the field set; currently always FieldsV1."),
    fieldsV1: ref(FieldsV1, "The set of managed fields."),
    subresource: str("Subresource through which the fields were written, empty for the main resource."),
  },
);

export const ObjectMeta: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
  "Metadata every persisted object carries: identity, labels, annotations and lifecycle bookkeeping.",
  {
    name: str("The object's name, unique within its namespace (or cluster for cluster-scoped kinds)."),
    generateName: str("Prefix the server uses to invent a unique name when name is left empty."),
    namespace: str("The namespace the object lives in; empty for cluster-scoped objects."),
    selfLink: str("Legacy link to this object; no longer filled in."),
    uid: str("Unique identifier assigned by the server when the object is created."),
    resourceVersion: str("Opaque version string that changes whenever the object is written."),
    generation: int64("Counter of changes to the desired state, maintained by the server."),
    creationTimestamp: ref(Time, "Server time when the object was created."),
    deletionTimestamp: ref(
      Time,
      "Time after which the object will be removed; set when a graceful deletion is requested.",
    ),
    deletionGracePeriodSeconds: int64(
      "Seconds the object is given to terminate gracefully once deletion was requested.",
    ),
    labels: mapOf(str(), "Key/value pairs used to organise and select objects."),
    annotations: mapOf(str(), "Free-form key/value data for tools and people; not used for selection."),
    ownerReferences: list(
      OwnerReference,
      "Objects that own this one; it is garbage collected when all owners are gone.",
      { patchStrategy: "merge", patchMergeKey: "uid", listType: "map", listMapKeys: ["uid"] },
    ),
    finalizers: list(
      str(),
      "Identifiers that must all be removed before the object is deleted from storage.",
      { patchStrategy: "merge", listType: "set" },
    ),
    managedFields: list(
      ManagedFieldsEntry,
      "Which manager owns which fields, as tracked by server-side apply.",
      { listType: "atomic" },
    ),
  },
);

/** The `metadata` property of a top-level kind. */
export const objectMetaField = (): Schema =>
  ref(ObjectMeta, "Standard object metadata: name, namespace, labels, annotations and ownership.");

export const ListMeta: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
  "Metadata of a list response: its version and paging token.",
  {
    selfLink: str("Legacy link to this list; no longer filled in."),
    resourceVersion: str("Storage version the list was read at, usable to start a watch."),
    continue: str("Token to fetch the next page of a paged list."),
    remainingItemCount: int64("Approximate number of items left after this page, when known."),
  },
);

export const LabelSelectorRequirement: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
  "One set-based requirement on a label key.",
  {
    key: str("The label key the requirement applies to."),
    operator: str("How the key relates to the values: In, NotIn, Exists or DoesNotExist."),
    values: list(str(), "Values to compare with; empty for Exists and DoesNotExist.", { listType: "atomic" }),
  },
  { required: ["key", "operator"] },
);

export const LabelSelector: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
  "A label query: matchLabels and matchExpressions, all of which must hold.",
  {
    matchLabels: mapOf(str(), "Labels that must be present with exactly these values."),
    matchExpressions: list(LabelSelectorRequirement, "Set-based requirements on labels.", {
      listType: "atomic",
    }),
  },
  { mapType: "atomic" },
);

export const Preconditions: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions",
  "Conditions the object must meet for an operation to proceed.",
  {
    uid: str("The UID the object must have."),
    resourceVersion: str("The resourceVersion the object must have."),
  },
);

export const DeleteOptions: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
  "Options that control how a delete request is carried out.",
  {
    ...typeMeta(),
    gracePeriodSeconds: int64("Seconds to wait before the object is deleted; zero means immediately."),
    preconditions: ref(Preconditions, "Conditions that must hold for the delete to go ahead."),
    orphanDependents: bool("Deprecated switch to orphan dependents instead of deleting them."),
    propagationPolicy: str("How dependents are handled: Orphan, Background or Foreground."),
    dryRun: list(str(), "When set to All, validate the request without persisting anything.", {
      listType: "atomic",
    }),
    ignoreStoreReadErrorWithClusterBreakingPotential: bool(
      "Delete even if the stored object cannot be read or decoded.",
    ),
  },
);

export const Condition: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.Condition",
  "A standard condition describing one aspect of an object's state.",
  {
    type: str("The condition type, in CamelCase."),
    status: str("True, False or Unknown."),
    observedGeneration: int64("The metadata.generation this condition was computed from."),
    lastTransitionTime: ref(Time, "When the status last changed."),
    reason: str("Programmatic CamelCase reason for the last transition."),
    message: str("Human-readable details about the last transition."),
  },
  { required: ["type", "status", "lastTransitionTime", "reason", "message"] },
);
