// The authentication.k8s.io/v1 and authorization.k8s.io/v1 groups: review resources that are only ever
// created (never stored), answered on the spot from the authenticators and authorizers. Discovery, routing and
// OpenAPI read these entries beside the built-in resource table, as `kubectl auth can-i` and `kubectl auth
// whoami` look them up in discovery.
import type { ResourceInfo } from "../../../api/resources.js";

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

export const AUTH_GROUPS = [AUTHENTICATION_GROUP, AUTHORIZATION_GROUP];

export const AUTH_RESOURCES: readonly ResourceInfo[] = [
  SELF_SUBJECT_REVIEWS,
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
