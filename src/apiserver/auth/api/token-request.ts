// The TokenRequest API (POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token, what `kubectl create token`
// calls): issues a bound ServiceAccount token for the named ServiceAccount, for the requested audiences
// (default: the API server) and lifetime (default one hour, at least ten minutes), optionally bound to a Pod
// so that it dies with the Pod too.
import { ApiError, type StatusCause } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ServiceAccountTokens } from "../authn/service-account-token.js";
import { AUTHENTICATION_GROUP } from "./resources.js";

type Body = Record<string, any>;

export const DEFAULT_TOKEN_SECONDS = 3600;
const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 2 ** 32;

export interface TokenRequestContext {
  tokens: ServiceAccountTokens;
  serviceAccount(namespace: string, name: string): KubeObject;
  pod(namespace: string, name: string): KubeObject | undefined;
  now(): number;
}

const rfc3339 = (unixSeconds: number): string =>
  new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

function invalid(name: string, causes: StatusCause[]): ApiError {
  return ApiError.invalid("TokenRequest", AUTHENTICATION_GROUP.group, name, causes);
}

function validate(name: string, spec: Body): number {
  const seconds = spec.expirationSeconds ?? DEFAULT_TOKEN_SECONDS;
  if (typeof seconds !== "number" || !Number.isInteger(seconds)) {
    throw ApiError.badRequest("spec.expirationSeconds must be an integer");
  }
  if (seconds < MIN_TOKEN_SECONDS || seconds > MAX_TOKEN_SECONDS) {
    const why =
      seconds < MIN_TOKEN_SECONDS
        ? "may not specify a duration less than 10 minutes"
        : "may not specify a duration larger than 2^32 seconds";
    throw invalid(name, [
      {
        reason: "FieldValueInvalid",
        field: "spec.expirationSeconds",
        message: `Invalid value: ${seconds}: ${why}`,
      },
    ]);
  }
  return seconds;
}

/** The Pod a token is to be bound to (the only kind of bound object everynode serves). */
function boundPod(ctx: TokenRequestContext, namespace: string, ref: Body | undefined) {
  if (!ref) return undefined;
  if (ref.kind !== "Pod") {
    throw ApiError.badRequest(
      `cannot bind token for object of type ${JSON.stringify(ref.kind ?? "")}: only Pod is supported`,
    );
  }
  const pod = ctx.pod(namespace, String(ref.name ?? ""));
  if (!pod) throw ApiError.notFound({ group: "", resource: "pods" }, String(ref.name ?? ""));
  if (ref.uid && ref.uid !== pod.metadata.uid) {
    throw ApiError.conflict(
      { group: "", resource: "Pod" },
      pod.metadata.name!,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { name: pod.metadata.name!, uid: pod.metadata.uid! };
}

export function requestToken(
  ctx: TokenRequestContext,
  namespace: string,
  name: string,
  body: Body,
): KubeObject {
  const sa = ctx.serviceAccount(namespace, name);
  const metadata: Body = { ...(body.metadata ?? {}) };
  if (metadata.name && metadata.name !== name)
    throw ApiError.badRequest("the name of the TokenRequest must match the ServiceAccount");
  if (metadata.namespace && metadata.namespace !== namespace) {
    throw ApiError.badRequest("the namespace of the TokenRequest must match the ServiceAccount");
  }
  const spec: Body = { ...(body.spec ?? {}) };
  const seconds = validate(name, spec);
  const audiences: string[] =
    Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : ctx.tokens.apiAudiences;
  const pod = boundPod(ctx, namespace, spec.boundObjectRef ?? undefined);
  const issued = ctx.tokens.issue({
    namespace,
    serviceAccount: { name, uid: sa.metadata.uid! },
    audiences,
    expirationSeconds: seconds,
    pod,
  });
  return {
    apiVersion: `${AUTHENTICATION_GROUP.group}/${AUTHENTICATION_GROUP.version}`,
    kind: "TokenRequest",
    metadata: { ...metadata, name, namespace, creationTimestamp: rfc3339(Math.floor(ctx.now() / 1000)) },
    spec: { ...spec, audiences, expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token: issued.token, expirationTimestamp: rfc3339(issued.expiresAt) },
  };
}
