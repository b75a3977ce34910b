// Schema of core/v1 ResourceQuota: per-namespace ceilings on object counts and on what pods request, optionally
// narrowed to pods of certain scopes, and the usage the quota controller and admission record against them.

import { definition, list, mapOf, ref, str } from "./builders.js";
import { objectMetaField, Quantity, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

const SCOPES = [
  "BestEffort",
  "CrossNamespacePodAffinity",
  "NotBestEffort",
  "NotTerminating",
  "PriorityClass",
  "Terminating",
  "VolumeAttributesClass",
];

export const ScopedResourceSelectorRequirement: Schema = definition(
  "io.k8s.api.core.v1.ScopedResourceSelectorRequirement",
  "One condition on the scope of the objects a quota counts.",
  {
    scopeName: str("The scope the condition is about, such as PriorityClass.", { enum: SCOPES }),
    operator: str(
      "How the scope relates to the values: In, NotIn, Exists or DoesNotExist. Scopes other than PriorityClass only take Exists.",
      { enum: ["DoesNotExist", "Exists", "In", "NotIn"] },
    ),
    values: list(str(), "The values for In and NotIn (at least one); empty for Exists and DoesNotExist.", {
      listType: "atomic",
    }),
  },
  { required: ["scopeName", "operator"] },
);

export const ScopeSelector: Schema = definition(
  "io.k8s.api.core.v1.ScopeSelector",
  "Conditions on scopes, all of which an object must meet for the quota to count it.",
  {
    matchExpressions: list(ScopedResourceSelectorRequirement, "The conditions; they are ANDed.", {
      listType: "atomic",
    }),
  },
  { mapType: "atomic" },
);

export const ResourceQuotaSpec: Schema = definition(
  "io.k8s.api.core.v1.ResourceQuotaSpec",
  "The ceilings a quota sets and the objects it applies to.",
  {
    hard: mapOf(
      Quantity,
      "The ceiling of each named resource: object counts (pods, count/<resource>[.<group>]) or what pods request and limit (requests.cpu, limits.memory, …).",
    ),
    scopes: list(
      str(undefined, { enum: SCOPES }),
      "Only objects in all of these scopes are counted; with none, every object is.",
      { listType: "atomic" },
    ),
    scopeSelector: ref(
      ScopeSelector,
      "Conditions on scopes, like scopes but with operators and values; an object must meet them all to be counted.",
    ),
  },
);

export const ResourceQuotaStatus: Schema = definition(
  "io.k8s.api.core.v1.ResourceQuotaStatus",
  "The ceilings in force and how much of each is in use.",
  {
    hard: mapOf(Quantity, "The ceilings currently enforced, as last observed from spec.hard."),
    used: mapOf(Quantity, "How much of each limited resource the namespace currently uses."),
  },
);

export const ResourceQuota: Schema = definition(
  "io.k8s.api.core.v1.ResourceQuota",
  "Caps what one namespace may hold: how many objects of each kind and how much compute its pods may claim.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(ResourceQuotaSpec, "The ceilings and the scopes they apply to."),
    status: ref(ResourceQuotaStatus, "The ceilings enforced and the usage counted against them."),
  },
  { gvk: { group: "", version: "v1", kind: "ResourceQuota" } },
);
