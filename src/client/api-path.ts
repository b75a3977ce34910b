// REST paths and query strings of the Kubernetes API for a ResourceType: /api/v1/namespaces/{ns}/pods/{name}
// for the core group, /apis/{group}/{version}/... for the others, with an optional subresource.
import type { ResourceType } from "./client.js";

/** The path of a collection (no name) or of one object, and optionally one of its subresources. */
export function resourcePath(
  type: ResourceType,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  let path = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  if (type.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${type.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${encodeURIComponent(subresource)}`;
  return path;
}

export type QueryValue = string | number | boolean | undefined;

/** `?a=1&b=x` from the defined values (empty string when none are). */
export function queryString(params: Record<string, QueryValue>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.append(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : "";
}
