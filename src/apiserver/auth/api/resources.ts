// The authentication.k8s.io/v1 and authorization.k8s.io/v1 groups: review resources that are only ever
// created (never stored), answered on the spot from the authenticators and authorizers. Discovery, routing and
// OpenAPI read these entries beside the built-in resource table, as `kubectl auth can-i` and `kubectl auth
// whoami` look them up in discovery. SelfSubjectReview is also served at v1beta1, as a 1.32 API server does by
// default: kubectl 1.27 asks only for v1alpha1 or v1beta1.
import type { ResourceInfo, ServedGroup } from "../../../api/resources.js";

export const AUTHENTICATION_GROUP = { group: "authentication.k8s.io", version: "v1" };
export const AUTHORIZATION_GROUP = { group: "authorization.k8s.io", version: "v1" };

const review = (
  gv: { group: string; version: string },
  resource: string,
  kind: string,
  namespaced = false,
): ResourceInfo => ({
  ...gv,
  resource,
  singular: kind.toLowerCase(),
  kind,
  listKind: `${kind}List`,
  namespaced,
  verbs: ["create"],
  shortNames: [],
  categories: [],
  subresources: [],
});

export const SELF_SUBJECT_REVIEWS = review(AUTHENTICATION_GROUP, "selfsubjectreviews", "SelfSubjectReview");
const SELF_SUBJECT_REVIEWS_V1BETA1 = review(
  { ...AUTHENTICATION_GROUP, version: "v1beta1" },
  "selfsubjectreviews",
  "SelfSubjectReview",
);
export const TOKEN_REVIEWS = review(AUTHENTICATION_GROUP, "tokenreviews", "TokenReview");
export const LOCAL_SUBJECT_ACCESS_REVIEWS = review(
  AUTHORIZATION_GROUP,
  "localsubjectaccessreviews",
  "LocalSubjectAccessReview",
  true,
);
export const SELF_SUBJECT_ACCESS_REVIEWS = review(
  AUTHORIZATION_GROUP,
  "selfsubjectaccessreviews",
  "SelfSubjectAccessReview",
);
export const SELF_SUBJECT_RULES_REVIEWS = review(
  AUTHORIZATION_GROUP,
  "selfsubjectrulesreviews",
  "SelfSubjectRulesReview",
);
export const SUBJECT_ACCESS_REVIEWS = review(
  AUTHORIZATION_GROUP,
  "subjectaccessreviews",
  "SubjectAccessReview",
);

export const AUTH_GROUPS: readonly ServedGroup[] = [
  { ...AUTHENTICATION_GROUP, olderVersions: ["v1beta1"] },
  AUTHORIZATION_GROUP,
];

export const AUTH_RESOURCES: readonly ResourceInfo[] = [
  SELF_SUBJECT_REVIEWS,
  SELF_SUBJECT_REVIEWS_V1BETA1,
  TOKEN_REVIEWS,
  LOCAL_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_RULES_REVIEWS,
  SUBJECT_ACCESS_REVIEWS,
];

/** Is this the review resource at group/version/resource? */
export function findAuthResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return AUTH_RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}
