// Serves the authentication and authorization APIs over HTTP: the review resources (create only, answered from
// the authenticators and authorizers, never stored) and the serviceaccounts/token subresource. The request
// has already been authenticated and authorized for its verb and resource by the server.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import { groupVersion, type ResourceInfo } from "../../../api/resources.js";
import { decodeBody, readBody } from "../../http/body.js";
import { sendObject } from "../../http/respond.js";
import type { ResourceRequest } from "../../request-info.js";
import type { RequestAuthenticator } from "../authn/request-authenticator.js";
import type { ServiceAccountTokens } from "../authn/service-account-token.js";
import type { Authorizer } from "../authz/authorizer.js";
import type { UserInfo } from "../user-info.js";
import {
  localSubjectAccessReview,
  selfSubjectAccessReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from "./access-reviews.js";
import { selfSubjectReview, tokenReview } from "./authentication-reviews.js";
import { findAuthResource } from "./resources.js";
import { requestToken, type TokenRequestContext } from "./token-request.js";

type Body = Record<string, any>;

export interface AuthApiDeps {
  authorizer: Authorizer;
  authenticator: RequestAuthenticator;
  tokens: ServiceAccountTokens;
  tokenRequests: TokenRequestContext;
}

const isTokenRequest = (t: ResourceRequest): boolean =>
  t.group === "" && t.resource === "serviceaccounts" && t.subresource === "token";

/** Does this request address a review resource or serviceaccounts/token? */
export function isAuthApiRequest(t: ResourceRequest): boolean {
  return isTokenRequest(t) || findAuthResource(t.group, t.version, t.resource) !== undefined;
}

/** Decodes the body and checks its apiVersion and kind against what the endpoint serves. */
async function readReview(req: IncomingMessage, apiVersion: string, kind: string): Promise<Body> {
  const body = decodeBody(await readBody(req), req.headers["content-type"]);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw ApiError.badRequest("the request body must be a JSON or YAML object");
  }
  const b = body as Body;
  if (b.apiVersion !== undefined && b.apiVersion !== apiVersion) {
    throw ApiError.badRequest(
      `the API version in the data (${b.apiVersion}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (b.kind !== undefined && b.kind !== kind) {
    throw ApiError.badRequest(`${b.kind} in version "${apiVersion}" cannot be handled as a ${kind}`);
  }
  return b;
}

function review(
  deps: AuthApiDeps,
  info: ResourceInfo,
  body: Body,
  user: UserInfo,
  namespace: string,
): KubeObject {
  switch (info.resource) {
    case "selfsubjectreviews":
      return selfSubjectReview(body, user);
    case "tokenreviews":
      return tokenReview(body, deps.authenticator, deps.tokens);
    case "selfsubjectaccessreviews":
      return selfSubjectAccessReview(body, user, deps.authorizer);
    case "subjectaccessreviews":
      return subjectAccessReview(body, deps.authorizer);
    case "localsubjectaccessreviews":
      return localSubjectAccessReview(body, namespace, deps.authorizer);
    default:
      return selfSubjectRulesReview(body, user, deps.authorizer);
  }
}

export async function serveAuthApi(
  deps: AuthApiDeps,
  target: ResourceRequest,
  req: IncomingMessage,
  res: ServerResponse,
  user: UserInfo,
): Promise<void> {
  const method = req.method ?? "GET";
  const accept = req.headers.accept;
  if (isTokenRequest(target)) {
    if (method !== "POST")
      throw ApiError.methodNotAllowed(`${method} is not supported on serviceaccounts/token`);
    if (target.namespace === undefined || target.name === undefined) throw ApiError.noSuchPath();
    const body = await readReview(req, "authentication.k8s.io/v1", "TokenRequest");
    return sendObject(
      res,
      201,
      requestToken(deps.tokenRequests, target.namespace, target.name, body),
      accept,
    );
  }
  const info = findAuthResource(target.group, target.version, target.resource)!;
  if (
    target.name !== undefined ||
    (info.namespaced ? target.namespace === undefined : target.namespace !== undefined)
  ) {
    throw ApiError.noSuchPath();
  }
  if (method !== "POST") {
    throw new ApiError(
      405,
      "MethodNotAllowed",
      `the server does not allow this method on the requested resource`,
      {
        group: info.group,
        kind: info.resource,
      },
    );
  }
  const body = await readReview(req, groupVersion(info), info.kind);
  return sendObject(res, 201, review(deps, info, body, user, target.namespace ?? ""), accept);
}
