// Authorization attributes of a request (upstream authorizer.Attributes, filled as RequestInfoFactory does): the
// user, the verb (get/list/watch/create/update/patch/delete/deletecollection on resources, the lower-case HTTP
// method on other paths), and what is addressed: API group, resource, subresource, name and namespace, or the
// non-resource path.
import { parseFieldSelector } from "../../../api/fields.js";
import type { RequestTarget } from "../../request-info.js";
import type { UserInfo } from "../user-info.js";

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  namespace: string;
  /** The request path (non-resource requests). */
  path: string;
}

/** What an in-process call addresses, for authorizing it as the HTTP request it stands for. */
export interface ResourceAddress {
  verb: string;
  group: string;
  version?: string;
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}

export function resourceAttributes(user: UserInfo, a: ResourceAddress): Attributes {
  return {
    user,
    verb: a.verb,
    resourceRequest: true,
    apiGroup: a.group,
    apiVersion: a.version ?? "",
    resource: a.resource,
    subresource: a.subresource ?? "",
    name: a.name ?? "",
    // A namespace object lives in itself: upstream authorizes /api/v1/namespaces/foo as namespace "foo".
    namespace: a.namespace ?? (a.group === "" && a.resource === "namespaces" && a.name ? a.name : ""),
    path: "",
  };
}

export function nonResourceAttributes(user: UserInfo, verb: string, path: string): Attributes {
  return {
    user,
    verb,
    resourceRequest: false,
    apiGroup: "",
    apiVersion: "",
    resource: "",
    subresource: "",
    name: "",
    namespace: "",
    path,
  };
}

/** A name usable as one path segment (upstream path.IsValidPathSegmentName). */
const validSegment = (name: string): boolean =>
  name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("%");

/** The verb of a resource request: list/watch for collection reads, deletecollection for collection deletes. */
export function resourceVerb(method: string, named: boolean, query: URLSearchParams): string {
  switch (method) {
    case "GET":
    case "HEAD": {
      if (named) return "get";
      const watch = query.get("watch");
      return watch === "true" || watch === "1" ? "watch" : "list";
    }
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

/** A list or watch narrowed to one object by `metadata.name=` is authorized as that name (resourceNames rules). */
export function selectedName(fieldSelector: string | null | undefined): string | undefined {
  const text = fieldSelector;
  if (!text) return undefined;
  try {
    const name = parseFieldSelector(text).exactMatch("metadata.name");
    return name !== undefined && validSegment(name) ? name : undefined;
  } catch {
    // The handler answers a malformed selector with 400; authorization just sees no name.
    return undefined;
  }
}

/** The attributes of an HTTP request, from its method, URL and parsed target. */
export function requestAttributes(
  user: UserInfo,
  method: string,
  url: URL,
  target: RequestTarget,
): Attributes {
  if (target.kind !== "resource") return nonResourceAttributes(user, method.toLowerCase(), url.pathname);
  const verb = resourceVerb(method, target.name !== undefined, url.searchParams);
  const name =
    target.name ??
    (verb === "list" || verb === "watch" ? selectedName(url.searchParams.get("fieldSelector")) : undefined);
  return resourceAttributes(user, {
    verb,
    group: target.group,
    version: target.version,
    resource: target.resource,
    subresource: target.subresource,
    name,
    namespace: target.namespace,
  });
}

/** Authorizes in-process calls (the LocalClient of a component acting as its own identity). */
export interface CallAuthorizer {
  /** Throws the 403 the same request would get over HTTP. */
  authorizeCall(user: UserInfo, address: ResourceAddress): void;
}
