// Query parameters shared by the resource handlers: booleans and integers as the API server parses them,
// list options (selectors, paging, resourceVersion) and the Table `includeObject` choice.
import { ApiError } from "../../api/errors.js";
import type { ListOptions } from "../registry/store.js";
import type { IncludeObject } from "../tables/index.js";

export function boolParam(v: string | null): boolean {
  return v === "true" || v === "1";
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw ApiError.badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

export function listOptions(q: URLSearchParams): ListOptions {
  return {
    labelSelector: q.get("labelSelector") ?? undefined,
    fieldSelector: q.get("fieldSelector") ?? undefined,
    limit: intParam(q, "limit"),
    continue: q.get("continue") ?? undefined,
    resourceVersion: q.get("resourceVersion") ?? undefined,
    resourceVersionMatch: q.get("resourceVersionMatch") ?? undefined,
  };
}

/** What Table rows carry (`includeObject`); kubectl relies on the default, Metadata. */
export function includeObjectParam(q: URLSearchParams): IncludeObject {
  return (q.get("includeObject") as IncludeObject | null) ?? "Metadata";
}
