// Schemas of the small core/v1 reference and selector types that volumes, containers and pods all share.

import { definition, int32, ref, str } from "./builders.js";
import { Quantity } from "./meta.js";
import type { Schema } from "./types.js";

export const LocalObjectReference: Schema = definition(
  "io.k8s.api.core.v1.LocalObjectReference",
  "A reference by name to an object in the same namespace.",
  {
    name: str("Name of the referenced object."),
  },
  { mapType: "atomic" },
);

export const ObjectReference: Schema = definition(
  "io.k8s.api.core.v1.ObjectReference",
  "A reference to any object.",
  {
    kind: str("Kind of the referent."),
    namespace: str("Namespace of the referent."),
    name: str("Name of the referent."),
    uid: str("UID of the referent."),
    apiVersion: str("API version of the referent."),
    resourceVersion: str("Version of the referent the reference was made at."),
    fieldPath: str("Path to a part of the referent, such as one container."),
  },
  { mapType: "atomic" },
);

export const TypedLocalObjectReference: Schema = definition(
  "io.k8s.api.core.v1.TypedLocalObjectReference",
  "A reference to an object of a given kind in the same namespace.",
  {
    apiGroup: str("API group of the referenced kind; core when empty."),
    kind: str("Kind of the referenced object."),
    name: str("Name of the referenced object."),
  },
  { required: ["kind", "name"], mapType: "atomic" },
);

export const TypedObjectReference: Schema = definition(
  "io.k8s.api.core.v1.TypedObjectReference",
  "A reference to an object of a given kind, possibly in another namespace.",
  {
    apiGroup: str("API group of the referenced kind; core when empty."),
    kind: str("Kind of the referenced object."),
    name: str("Name of the referenced object."),
    namespace: str("Namespace of the referenced object."),
  },
  { required: ["kind", "name"] },
);

export const ObjectFieldSelector: Schema = definition(
  "io.k8s.api.core.v1.ObjectFieldSelector",
  "Selects one field of an object.",
  {
    apiVersion: str("Version of the schema the field path refers to."),
    fieldPath: str("Path of the field to select."),
  },
  { required: ["fieldPath"], mapType: "atomic" },
);

export const ResourceFieldSelector: Schema = definition(
  "io.k8s.api.core.v1.ResourceFieldSelector",
  "Selects a container resource value and its unit.",
  {
    containerName: str("Container whose resources are read."),
    resource: str("Resource to read, such as limits.cpu."),
    divisor: ref(Quantity, "Unit the value is expressed in."),
  },
  { required: ["resource"], mapType: "atomic" },
);

export const KeyToPath: Schema = definition(
  "io.k8s.api.core.v1.KeyToPath",
  "Maps one key to a file path in the volume.",
  {
    key: str("The key to project."),
    path: str("Relative file path to write the value to."),
    mode: int32("Permission bits for this file."),
  },
  { required: ["key", "path"] },
);
