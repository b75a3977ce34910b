// Impersonation (upstream filters/impersonation.go): Impersonate-User, Impersonate-Group, Impersonate-Uid and
// Impersonate-Extra-<key> headers make a request act as another identity, provided the requester may
// `impersonate` each part (users, groups and serviceaccounts in the core group; uids and userextras/<key> in
// authentication.k8s.io). `kubectl --as` and `kubectl auth can-i --as` work this way.
import type { IncomingMessage } from "node:http";
import { ApiError } from "../../api/errors.js";
import { type Attributes, resourceAttributes } from "./authz/attributes.js";
import type { Authorizer } from "./authz/authorizer.js";
import { forbiddenError } from "./authz/forbidden.js";
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS_USERNAME,
  parseServiceAccountUsername,
  serviceAccountGroups,
  type UserInfo,
} from "./user-info.js";

const EXTRA_PREFIX = "impersonate-extra-";

function decodeExtraKey(raw: string): string {
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** The identity the request acts as: the requester itself, or whom it may impersonate (else a 403). */
export function impersonate(req: IncomingMessage, requester: UserInfo, authorizer: Authorizer): UserInfo {
  const headers = req.headersDistinct;
  const username = headers["impersonate-user"]?.[0] ?? "";
  const groups = headers["impersonate-group"] ?? [];
  const uid = headers["impersonate-uid"]?.[0];
  const extras = Object.entries(headers).filter(([k]) => k.startsWith(EXTRA_PREFIX));
  if (!username) {
    if (groups.length || extras.length || uid) {
      throw ApiError.internal("requested impersonation of groups, uid or extra without impersonating a user");
    }
    return requester;
  }
  const checks: Attributes[] = [];
  const check = (
    resource: string,
    name: string,
    more: { group?: string; namespace?: string; sub?: string } = {},
  ) =>
    checks.push(
      resourceAttributes(requester, {
        verb: "impersonate",
        group: more.group ?? "",
        resource,
        subresource: more.sub,
        name,
        namespace: more.namespace,
      }),
    );
  const sa = parseServiceAccountUsername(username);
  if (sa) check("serviceaccounts", sa.name, { namespace: sa.namespace });
  else check("users", username);
  if (uid) check("uids", uid, { group: "authentication.k8s.io" });
  for (const g of groups) check("groups", g);
  const extra: Record<string, string[]> = {};
  for (const [header, values] of extras) {
    const key = decodeExtraKey(header.slice(EXTRA_PREFIX.length));
    for (const v of values ?? []) {
      check("userextras", v, { group: "authentication.k8s.io", sub: key });
      extra[key] = [...(extra[key] ?? []), v];
    }
  }
  for (const attrs of checks) {
    const result = authorizer.authorize(attrs);
    if (result.decision !== "Allow") throw forbiddenError(attrs, result.reason);
  }
  const userGroups = groups.length ? [...groups] : sa ? serviceAccountGroups(sa.namespace) : [];
  // A non-anonymous identity is always authenticated; anonymous is not (upstream adds the matching group).
  const implied = username === ANONYMOUS_USERNAME ? ALL_UNAUTHENTICATED : ALL_AUTHENTICATED;
  if (!userGroups.includes(implied)) userGroups.push(implied);
  const user: UserInfo = { username, groups: userGroups };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
