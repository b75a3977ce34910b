// Parses a request path into what it addresses (upstream RequestInfoFactory): API group/version, namespace,
// resource, name and subresource, or a non-resource path such as /version.
import type { ResourceInfo } from "../api/resources.js";
import { findServedResource } from "./served-resources.js";

export interface ResourceRequest {
  kind: "resource";
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  info?: ResourceInfo;
}

export interface GroupRequest {
  kind: "group";
  /** "" for /api, "apps" for /apis/apps. */
  group?: string;
  version?: string;
  /** /api or /apis itself. */
  root: "api" | "apis";
}

export type RequestTarget = ResourceRequest | GroupRequest | { kind: "other"; path: string };

/** Subresources of a Namespace object itself, as opposed to resources inside a namespace. */
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

export function parseRequestPath(pathname: string): RequestTarget {
  const parts = pathname
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === "api") {
    if (parts.length === 1) return { kind: "group", root: "api" };
    group = "";
    rest = parts.slice(1);
  } else if (parts[0] === "apis") {
    if (parts.length === 1) return { kind: "group", root: "apis" };
    if (parts.length === 2) return { kind: "group", root: "apis", group: parts[1] };
    group = parts[1];
    rest = parts.slice(2);
  } else {
    return { kind: "other", path: pathname };
  }
  const version = rest[0];
  const tail = rest.slice(1);
  if (tail.length === 0) return { kind: "group", root: parts[0] as "api" | "apis", group, version };
  let namespace: string | undefined;
  let segs = tail;
  // /namespaces/{ns}/{resource}... addresses namespaced content; /namespaces/{name}[/status] the namespace itself.
  if (segs[0] === "namespaces" && segs.length >= 3 && !NAMESPACE_SUBRESOURCES.has(segs[2])) {
    namespace = segs[1];
    segs = segs.slice(2);
  }
  const [resource, name, subresource] = segs;
  const req: ResourceRequest = { kind: "resource", group, version, resource };
  if (namespace !== undefined) req.namespace = namespace;
  if (name !== undefined) req.name = name;
  if (subresource !== undefined) req.subresource = subresource;
  if (segs.length > 3) req.subresource = segs.slice(2).join("/");
  req.info = findServedResource(group, version, resource);
  return req;
}
