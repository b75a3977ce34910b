// Storage keys for API objects: /registry/<group|core>/<resource>/<namespace>/<name> (namespaced) or
// /registry/<group|core>/<resource>/<name> (cluster-scoped), as the kube-apiserver lays them out in etcd.
import type { ResourceInfo } from "../api/resources.js";

export const REGISTRY_PREFIX = "/registry/";

export function resourcePrefix(r: Pick<ResourceInfo, "group" | "resource">): string {
  return `${REGISTRY_PREFIX}${r.group || "core"}/${r.resource}/`;
}

export function objectKey(
  r: Pick<ResourceInfo, "group" | "resource" | "namespaced">,
  namespace: string,
  name: string,
): string {
  return r.namespaced ? `${resourcePrefix(r)}${namespace}/${name}` : `${resourcePrefix(r)}${name}`;
}

/** Prefix of every object of `r` in `namespace` (namespaced resources only). */
export function namespacePrefix(r: Pick<ResourceInfo, "group" | "resource">, namespace: string): string {
  return `${resourcePrefix(r)}${namespace}/`;
}
