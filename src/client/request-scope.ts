// Resolves the namespace and name a call addresses before anything is sent, shared by both transports so that
// a missing namespace or name fails the same way over HTTP and in-process.
import { ApiError } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import type { ResourceType } from "./client.js";

const qualified = (type: ResourceType) => (type.group ? `${type.resource}.${type.group}` : type.resource);

function missingNamespace(type: ResourceType): ApiError {
  return ApiError.badRequest(`${qualified(type)} is namespaced: a namespace is required`);
}

/**
 * The namespace of a list or watch: undefined means every namespace. Cluster-scoped types ignore the argument,
 * as client-go's NamespaceIfScoped does.
 */
export function collectionNamespace(type: ResourceType, namespace: string | undefined): string | undefined {
  return type.namespaced && namespace ? namespace : undefined;
}

/** The namespace of a call on one named object: required for namespaced types, ignored otherwise. */
export function objectNamespace(type: ResourceType, namespace: string | undefined): string | undefined {
  if (!type.namespaced) return undefined;
  if (!namespace) throw missingNamespace(type);
  return namespace;
}

/** The namespace of a create or update: the call's, else the object's own; required for namespaced types. */
export function writeNamespace(
  type: ResourceType,
  namespace: string | undefined,
  obj: KubeObject | undefined,
): string | undefined {
  return objectNamespace(type, namespace || obj?.metadata?.namespace || undefined);
}

/** Fails the way client-go does for a call that needs a name and has none. */
export function requireName(name: string | undefined): string {
  if (!name) throw ApiError.badRequest("resource name may not be empty");
  return name;
}
