// The 403 a refused request gets, worded exactly as upstream's responsewriters.Forbidden (clients and people
// grep for it): `daemonsets.apps is forbidden: User "alice" cannot list resource "daemonsets" in API group
// "apps" in the namespace "default"`, with the cluster-scope and non-resource variants.
import { ApiError } from "../../../api/errors.js";
import type { Attributes } from "./attributes.js";

export function forbiddenMessage(attrs: Attributes): string {
  const user = JSON.stringify(attrs.user.username);
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${JSON.stringify(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const what = `User ${user} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup)}`;
  return attrs.namespace
    ? `${what} in the namespace ${JSON.stringify(attrs.namespace)}`
    : `${what} at the cluster scope`;
}

/** errors.NewForbidden over the request's group and resource, with the authorizer's reason appended. */
export function forbiddenError(attrs: Attributes, reason = ""): ApiError {
  const why = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
  return forbiddenFor({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, why);
}

/** `<resource>.<group> "<name>" is forbidden: <why>` (no name: `<resource>.<group> is forbidden: …`). */
export function forbiddenFor(ref: { group: string; resource: string }, name: string, why: string): ApiError {
  if (!ref.resource) return new ApiError(403, "Forbidden", `forbidden: ${why}`, {});
  const qualified = ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
  const message = name
    ? `${qualified} ${JSON.stringify(name)} is forbidden: ${why}`
    : `${qualified} is forbidden: ${why}`;
  const details = ref.group ? { name, group: ref.group, kind: ref.resource } : { name, kind: ref.resource };
  if (!name) delete (details as { name?: string }).name;
  return new ApiError(403, "Forbidden", message, details);
}
