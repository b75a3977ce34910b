// authentication.k8s.io/v1 reviews: SelfSubjectReview (who am I — `kubectl auth whoami`) and TokenReview (whom
// does this token authenticate, and for which audiences).
import type { KubeObject } from "../../../api/object.js";
import type { RequestAuthenticator } from "../authn/request-authenticator.js";
import type { ServiceAccountTokens } from "../authn/service-account-token.js";
import type { UserInfo } from "../user-info.js";
import { AUTHENTICATION_GROUP } from "./resources.js";

type Body = Record<string, any>;

const API_VERSION = `${AUTHENTICATION_GROUP.group}/${AUTHENTICATION_GROUP.version}`;

/** UserInfo as the API spells it (empty uid and extra left out). */
function userInfoJson(user: UserInfo): Body {
  const out: Body = { username: user.username, groups: [...user.groups] };
  if (user.uid) out.uid = user.uid;
  if (user.extra && Object.keys(user.extra).length) out.extra = user.extra;
  return out;
}

export function selfSubjectReview(body: Body, user: UserInfo): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "SelfSubjectReview",
    metadata: { ...(body.metadata ?? {}), creationTimestamp: null },
    status: { userInfo: userInfoJson(user) },
  };
}

export function tokenReview(
  body: Body,
  authenticator: RequestAuthenticator,
  tokens: ServiceAccountTokens,
): KubeObject {
  const spec: Body = body.spec ?? {};
  const token = typeof spec.token === "string" ? spec.token : "";
  const wanted: string[] =
    Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : tokens.apiAudiences;
  const status: Body = { user: {} };
  // Only the API server's own audiences are accepted, so a review for another audience authenticates nothing.
  const audiences = wanted.filter((a) => tokens.apiAudiences.includes(a));
  const user = audiences.length ? authenticator.authenticateToken(token) : undefined;
  if (user) {
    status.authenticated = true;
    status.user = userInfoJson(user);
    status.audiences = audiences;
  } else {
    status.error = audiences.length ? "invalid bearer token" : "token audiences is invalid";
  }
  return {
    apiVersion: API_VERSION,
    kind: "TokenReview",
    metadata: { ...(body.metadata ?? {}), creationTimestamp: null },
    spec,
    status,
  };
}
