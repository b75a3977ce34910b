// Schemas of the authorization.k8s.io/v1 access reviews (`kubectl auth can-i`): SubjectAccessReview,
// LocalSubjectAccessReview, SelfSubjectAccessReview and SelfSubjectRulesReview. Only ever created, never stored;
// the schemas serve OpenAPI (kubectl's client-side validation and `explain`).

import { bool, definition, list, mapOf, ref, str } from "./builders.js";
import { LabelSelectorRequirement, objectMetaField, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

const GROUP = "authorization.k8s.io";
const strings = (description: string): Schema => list(str(), description, { listType: "atomic" });

const FieldSelectorRequirement: Schema = definition(
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement",
  "One field selector requirement.",
  {
    key: str("The field the requirement applies to."),
    operator: str("How the field relates to the values: In, NotIn, Exists, DoesNotExist."),
    values: strings("The values; empty for Exists and DoesNotExist."),
  },
  { required: ["key", "operator"] },
);

const selectorAttributes = (name: string, kind: "Field" | "Label", requirement: Schema): Schema =>
  definition(
    `io.k8s.api.authorization.v1.${name}`,
    `A ${kind.toLowerCase()} selector the request is limited by.`,
    {
      rawSelector: str("The selector as the client sent it."),
      requirements: list(requirement, "The parsed requirements.", { listType: "atomic" }),
    },
  );

const ResourceAttributes: Schema = definition(
  "io.k8s.api.authorization.v1.ResourceAttributes",
  "The resource request to check, as an authorizer sees it.",
  {
    namespace: str('The namespace of the action; "" for all namespaces or a cluster-scoped resource.'),
    verb: str("A Kubernetes resource API verb (get, list, watch, create, update, delete, proxy) or *."),
    group: str("The API group of the resource; * means all."),
    version: str("The API version of the resource; * means all."),
    resource: str("One of the existing resource types; * means all."),
    subresource: str("One of the existing subresources; empty means none."),
    name: str("The name of the resource; empty means all."),
    fieldSelector: ref(
      selectorAttributes("FieldSelectorAttributes", "Field", FieldSelectorRequirement),
      "The field selector of a list or watch.",
    ),
    labelSelector: ref(
      selectorAttributes("LabelSelectorAttributes", "Label", LabelSelectorRequirement),
      "The label selector of a list or watch.",
    ),
  },
);

const NonResourceAttributes: Schema = definition(
  "io.k8s.api.authorization.v1.NonResourceAttributes",
  "The non-resource request to check.",
  {
    path: str("The URL path of the request."),
    verb: str("The standard HTTP verb."),
  },
);

const SubjectAccessReviewSpec: Schema = definition(
  "io.k8s.api.authorization.v1.SubjectAccessReviewSpec",
  "The user and the action to check; exactly one of resourceAttributes and nonResourceAttributes.",
  {
    resourceAttributes: ref(ResourceAttributes, "The resource request to check."),
    nonResourceAttributes: ref(NonResourceAttributes, "The non-resource request to check."),
    user: str("The user to check."),
    groups: strings("The groups to check."),
    extra: mapOf(
      strings("Values of one extra attribute."),
      "The authenticator's extra attributes of the user.",
    ),
    uid: str("The UID of the user to check."),
  },
);

const SubjectAccessReviewStatus: Schema = definition(
  "io.k8s.api.authorization.v1.SubjectAccessReviewStatus",
  "Whether the action is allowed.",
  {
    allowed: bool("Whether the action is allowed."),
    denied: bool("Whether the action is explicitly denied (no other authorizer is asked)."),
    reason: str("Why the action was allowed or denied."),
    evaluationError: str("An error met while checking; the answer may still be complete."),
  },
  { required: ["allowed"] },
);

const accessReview = (kind: string, description: string, spec: Schema): Schema =>
  definition(
    `io.k8s.api.authorization.v1.${kind}`,
    description,
    {
      ...typeMeta(),
      metadata: objectMetaField(),
      spec: ref(spec, "The action to check."),
      status: ref(SubjectAccessReviewStatus, "Filled in by the server: whether the action is allowed."),
    },
    { required: ["spec"], gvk: { group: GROUP, version: "v1", kind } },
  );

export const SubjectAccessReview = accessReview(
  "SubjectAccessReview",
  "Checks whether a user or group may perform an action.",
  SubjectAccessReviewSpec,
);

export const LocalSubjectAccessReview = accessReview(
  "LocalSubjectAccessReview",
  "Checks whether a user or group may perform an action in one namespace.",
  SubjectAccessReviewSpec,
);

const SelfSubjectAccessReviewSpec: Schema = definition(
  "io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec",
  "The action to check for the requesting user; exactly one of the two attributes.",
  {
    resourceAttributes: ref(ResourceAttributes, "The resource request to check."),
    nonResourceAttributes: ref(NonResourceAttributes, "The non-resource request to check."),
  },
);

export const SelfSubjectAccessReview = accessReview(
  "SelfSubjectAccessReview",
  "Checks whether the requesting user may perform an action (`kubectl auth can-i`).",
  SelfSubjectAccessReviewSpec,
);

const SelfSubjectRulesReviewSpec: Schema = definition(
  "io.k8s.api.authorization.v1.SelfSubjectRulesReviewSpec",
  "Where to list the requesting user's rules.",
  { namespace: str("The namespace to evaluate rules for.") },
);

const ResourceRule: Schema = definition(
  "io.k8s.api.authorization.v1.ResourceRule",
  "Verbs the user may use on resources.",
  {
    verbs: strings("Allowed verbs; * means all."),
    apiGroups: strings("API groups of the resources; * means all."),
    resources: strings("Resources the rule applies to; * means all."),
    resourceNames: strings("Object names the rule is limited to; empty means all."),
  },
  { required: ["verbs"] },
);

const NonResourceRule: Schema = definition(
  "io.k8s.api.authorization.v1.NonResourceRule",
  "Verbs the user may use on non-resource URLs.",
  {
    verbs: strings("Allowed verbs; * means all."),
    nonResourceURLs: strings("URL paths the rule applies to; * means all, a trailing * a prefix."),
  },
  { required: ["verbs"] },
);

const SubjectRulesReviewStatus: Schema = definition(
  "io.k8s.api.authorization.v1.SubjectRulesReviewStatus",
  "The rules the user has in the namespace.",
  {
    resourceRules: list(ResourceRule, "Rules on resources.", { listType: "atomic" }),
    nonResourceRules: list(NonResourceRule, "Rules on non-resource URLs.", { listType: "atomic" }),
    incomplete: bool("Whether the list is incomplete (an authorizer cannot enumerate its rules)."),
    evaluationError: str("An error met while listing; the list may still be usable."),
  },
  { required: ["resourceRules", "nonResourceRules", "incomplete"] },
);

export const SelfSubjectRulesReview: Schema = definition(
  "io.k8s.api.authorization.v1.SelfSubjectRulesReview",
  "Lists what the requesting user may do in a namespace (`kubectl auth can-i --list`).",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(SelfSubjectRulesReviewSpec, "Where to list the rules."),
    status: ref(SubjectRulesReviewStatus, "Filled in by the server: the rules."),
  },
  { required: ["spec"], gvk: { group: GROUP, version: "v1", kind: "SelfSubjectRulesReview" } },
);
