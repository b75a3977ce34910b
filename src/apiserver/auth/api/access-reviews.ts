// authorization.k8s.io/v1 reviews, answered by the same authorizer chain that guards every request, so
// `kubectl auth can-i` agrees with enforcement: SelfSubjectAccessReview (may I?), SubjectAccessReview and
// LocalSubjectAccessReview (may they?), and SelfSubjectRulesReview (what may I do in a namespace? — `can-i
// --list`).
import { ApiError, type StatusCause } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import { type Attributes, nonResourceAttributes, resourceAttributes } from "../authz/attributes.js";
import type { Authorizer } from "../authz/authorizer.js";
import type { UserInfo } from "../user-info.js";
import { AUTHORIZATION_GROUP } from "./resources.js";

type Body = Record<string, any>;

const API_VERSION = `${AUTHORIZATION_GROUP.group}/${AUTHORIZATION_GROUP.version}`;

const str = (v: unknown): string => (typeof v === "string" ? v : "");

function invalid(kind: string, body: Body, causes: StatusCause[]): ApiError {
  return ApiError.invalid(kind, AUTHORIZATION_GROUP.group, str(body.metadata?.name), causes);
}

/** The attributes a review asks about, for `user`; a 422 unless exactly one kind of attributes is given. */
function reviewAttributes(kind: string, body: Body, user: UserInfo): Attributes {
  const spec: Body = body.spec ?? {};
  const res: Body | undefined = spec.resourceAttributes ?? undefined;
  const nonRes: Body | undefined = spec.nonResourceAttributes ?? undefined;
  if (res && nonRes) {
    throw invalid(kind, body, [
      {
        reason: "FieldValueInvalid",
        field: "spec.nonResourceAttributes",
        message: "Invalid value: cannot be specified in combination with resourceAttributes",
      },
    ]);
  }
  if (!res && !nonRes) {
    throw invalid(kind, body, [
      {
        reason: "FieldValueRequired",
        field: "spec.resourceAttributes",
        message:
          "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified",
      },
    ]);
  }
  if (nonRes) return nonResourceAttributes(user, str(nonRes.verb), str(nonRes.path));
  return resourceAttributes(user, {
    verb: str(res!.verb),
    group: str(res!.group),
    version: str(res!.version),
    resource: str(res!.resource),
    subresource: str(res!.subresource),
    name: str(res!.name),
    namespace: str(res!.namespace),
  });
}

function answer(kind: string, body: Body, spec: Body, authorizer: Authorizer, attrs: Attributes): KubeObject {
  const result = authorizer.authorize(attrs);
  const status: Body = { allowed: result.decision === "Allow" };
  if (result.decision === "Deny") status.denied = true;
  if (result.reason) status.reason = result.reason;
  return {
    apiVersion: API_VERSION,
    kind,
    metadata: { ...(body.metadata ?? {}), creationTimestamp: null },
    spec,
    status,
  };
}

export function selfSubjectAccessReview(body: Body, user: UserInfo, authorizer: Authorizer): KubeObject {
  const kind = "SelfSubjectAccessReview";
  const attrs = reviewAttributes(kind, body, user);
  return answer(kind, body, body.spec, authorizer, attrs);
}

/** The user a SubjectAccessReview names in its spec. */
function subjectOf(kind: string, body: Body): UserInfo {
  const spec: Body = body.spec ?? {};
  const groups = Array.isArray(spec.groups) ? spec.groups.filter((g: unknown) => typeof g === "string") : [];
  if (!str(spec.user) && groups.length === 0) {
    throw invalid(kind, body, [
      {
        reason: "FieldValueInvalid",
        field: "spec.user",
        message: 'Invalid value: "": at least one of user or group must be specified',
      },
    ]);
  }
  const user: UserInfo = { username: str(spec.user), groups };
  if (str(spec.uid)) user.uid = spec.uid;
  if (spec.extra && typeof spec.extra === "object") user.extra = spec.extra;
  return user;
}

export function subjectAccessReview(body: Body, authorizer: Authorizer): KubeObject {
  const kind = "SubjectAccessReview";
  const attrs = reviewAttributes(kind, body, subjectOf(kind, body));
  return answer(kind, body, body.spec, authorizer, attrs);
}

/** A SubjectAccessReview confined to the namespace of its path. */
export function localSubjectAccessReview(body: Body, namespace: string, authorizer: Authorizer): KubeObject {
  const kind = "LocalSubjectAccessReview";
  const spec: Body = body.spec ?? {};
  if (spec.nonResourceAttributes) {
    throw invalid(kind, body, [
      {
        reason: "FieldValueInvalid",
        field: "spec.nonResourceAttributes",
        message: "Invalid value: disallowed on this kind of request",
      },
    ]);
  }
  const asked = spec.resourceAttributes?.namespace;
  if (asked && asked !== namespace) {
    throw invalid(kind, body, [
      {
        reason: "FieldValueInvalid",
        field: "spec.resourceAttributes.namespace",
        message: `Invalid value: ${JSON.stringify(asked)}: must match metadata.namespace`,
      },
    ]);
  }
  const scoped = { ...spec, resourceAttributes: { ...spec.resourceAttributes, namespace } };
  const attrs = reviewAttributes(kind, { ...body, spec: scoped }, subjectOf(kind, body));
  const response = answer(kind, body, spec, authorizer, attrs);
  response.metadata.namespace = namespace;
  return response;
}

export function selfSubjectRulesReview(body: Body, user: UserInfo, authorizer: Authorizer): KubeObject {
  const namespace = str(body.spec?.namespace);
  const rules = authorizer.rulesFor(user, namespace);
  const status: Body = {
    resourceRules: rules.resourceRules,
    nonResourceRules: rules.nonResourceRules,
    incomplete: rules.incomplete,
  };
  if (rules.errors.length) status.evaluationError = rules.errors.join(", ");
  return {
    apiVersion: API_VERSION,
    kind: "SelfSubjectRulesReview",
    metadata: { ...(body.metadata ?? {}), creationTimestamp: null },
    spec: { namespace },
    status,
  };
}
