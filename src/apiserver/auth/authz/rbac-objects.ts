// Where the RBAC authorizer reads Roles, ClusterRoles and their bindings: the registry's watch cache, read
// synchronously (every object is already in memory), or plain arrays in tests. Rules are normalised on read so
// a hand-made object with missing lists never breaks evaluation.
import type { KubeObject } from "../../../api/object.js";
import type { Registry } from "../../registry/registry.js";
import type { PolicyRule } from "./policy-rule.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

export interface RbacObjects {
  clusterRoleBindings(): readonly KubeObject[];
  roleBindings(namespace: string): readonly KubeObject[];
  clusterRole(name: string): KubeObject | undefined;
  role(namespace: string, name: string): KubeObject | undefined;
  clusterRoles(): readonly KubeObject[];
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : undefined;

/** The rules of a Role or ClusterRole, with every list present as upstream's typed structs have them. */
export function rulesOf(role: KubeObject | undefined): PolicyRule[] {
  const raw: unknown = role?.rules;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((r): r is Record<string, unknown> => r !== null && typeof r === "object")
    .map((r) => {
      const rule: PolicyRule = { verbs: strings(r.verbs) ?? [] };
      for (const k of ["apiGroups", "resources", "resourceNames", "nonResourceURLs"] as const) {
        const list = strings(r[k]);
        if (list) rule[k] = list;
      }
      return rule;
    });
}

export function registryRbacObjects(registry: Registry): RbacObjects {
  const cache = (resource: string) => registry.cacher.cache({ group: RBAC_GROUP, resource });
  const store = (resource: string) => registry.store({ group: RBAC_GROUP, resource });
  return {
    clusterRoleBindings: () => cache("clusterrolebindings").list(),
    roleBindings: (namespace) => cache("rolebindings").list({ namespace }),
    clusterRole: (name) => store("clusterroles").getOrUndefined("", name),
    role: (namespace, name) => store("roles").getOrUndefined(namespace, name),
    clusterRoles: () => cache("clusterroles").list(),
  };
}

/** RbacObjects over fixed arrays (tests, previews). */
export function staticRbacObjects(objects: readonly KubeObject[]): RbacObjects {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return {
    clusterRoleBindings: () => of("ClusterRoleBinding"),
    roleBindings: (namespace) => of("RoleBinding").filter((o) => o.metadata.namespace === namespace),
    clusterRole: (name) => of("ClusterRole").find((o) => o.metadata.name === name),
    role: (namespace, name) =>
      of("Role").find((o) => o.metadata.name === name && o.metadata.namespace === namespace),
    clusterRoles: () => of("ClusterRole"),
  };
}
