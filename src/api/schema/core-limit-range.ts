// Schema of core/v1 LimitRange: per-namespace bounds on what each container, pod or claim may request and limit,
// and the requests and limits containers get when they name none.

import { definition, list, mapOf, ref, str } from "./builders.js";
import { objectMetaField, Quantity, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const LimitRangeItem: Schema = definition(
  "io.k8s.api.core.v1.LimitRangeItem",
  "The bounds and defaults for one type of object.",
  {
    type: str("What the item bounds: Container, Pod, PersistentVolumeClaim, or a fully qualified name."),
    max: mapOf(Quantity, "The most of each resource one object of this type may use."),
    min: mapOf(Quantity, "The least of each resource one object of this type must ask for."),
    default: mapOf(Quantity, "The limit a container gets for each resource it sets no limit on."),
    defaultRequest: mapOf(Quantity, "The request a container gets for each resource it requests nothing of."),
    maxLimitRequestRatio: mapOf(
      Quantity,
      "The largest limit-to-request ratio allowed per resource; both must then be set and above zero.",
    ),
  },
  { required: ["type"] },
);

export const LimitRangeSpec: Schema = definition(
  "io.k8s.api.core.v1.LimitRangeSpec",
  "The bounds a LimitRange enforces.",
  { limits: list(LimitRangeItem, "One item per type of object bounded.", { listType: "atomic" }) },
  { required: ["limits"] },
);

export const LimitRange: Schema = definition(
  "io.k8s.api.core.v1.LimitRange",
  "Bounds the resources each container, pod or claim in a namespace may use, and fills in container defaults.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(LimitRangeSpec, "The bounds and defaults enforced in the namespace."),
  },
  { gvk: { group: "", version: "v1", kind: "LimitRange" } },
);
