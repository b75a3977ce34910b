// Where the RBAC authorizer reads Roles, ClusterRoles and their bindings: the registry's watch cache, read
// synchronously (every object is already in memory), or plain arrays in tests. Rules are normalised on read so
// a hand-made object with missing lists never breaks evaluation. A generation counter, bumped by every change
// to an RBAC object, lets the authorizer cache what it resolved.
import type { KubeObject } from "../../../api/object.js";
import type { Registry } from "../../registry/registry.js";
import type { WatchHandle } from "../../registry/store.js";
import type { PolicyRule } from "./policy-rule.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

export interface RbacObjects {
  clusterRoleBindings(): readonly KubeObject[];
  roleBindings(namespace: string): readonly KubeObject[];
  clusterRole(name: string): KubeObject | undefined;
  role(namespace: string, name: string): KubeObject | undefined;
  clusterRoles(): readonly KubeObject[];
  /** Changes whenever any Role, ClusterRole or binding changes (undefined: no caching possible). */
  generation?(): number;
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : undefined;

/** Stored objects are never changed in place (a change replaces them), so their rules are normalised once. */
const normalised = new WeakMap<KubeObject, PolicyRule[]>();

/** The rules of a Role or ClusterRole, with every list present as upstream's typed structs have them. */
export function rulesOf(role: KubeObject | undefined): PolicyRule[] {
  if (!role) return [];
  let rules = normalised.get(role);
  if (!rules) {
    rules = normaliseRules(role.rules);
    normalised.set(role, rules);
  }
  return rules;
}

function normaliseRules(raw: unknown): PolicyRule[] {
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

const RBAC_RESOURCES = ["roles", "clusterroles", "rolebindings", "clusterrolebindings"];

/** RbacObjects over the registry; `start` follows changes (delivered synchronously, before writers return). */
export class RegistryRbacObjects implements RbacObjects {
  private changes = 0;
  private watches: WatchHandle[] = [];

  constructor(private readonly registry: Registry) {}

  private cache(resource: string) {
    return this.registry.cacher.cache({ group: RBAC_GROUP, resource });
  }

  private store(resource: string) {
    return this.registry.store({ group: RBAC_GROUP, resource });
  }

  async start(): Promise<void> {
    const from = String(this.registry.cacher.revision);
    for (const resource of RBAC_RESOURCES) {
      const watch = await this.store(resource).watch(
        undefined,
        { resourceVersion: from },
        {
          send: () => {
            this.changes++;
          },
        },
      );
      this.watches.push(watch);
    }
    this.changes++;
  }

  stop(): void {
    for (const w of this.watches) w.stop();
    this.watches = [];
  }

  /** -1 until started: nothing may be cached before changes are followed. */
  generation(): number {
    return this.watches.length ? this.changes : -1;
  }

  clusterRoleBindings = () => this.cache("clusterrolebindings").list();
  roleBindings = (namespace: string) => this.cache("rolebindings").list({ namespace });
  clusterRole = (name: string) => this.store("clusterroles").getOrUndefined("", name);
  role = (namespace: string, name: string) => this.store("roles").getOrUndefined(namespace, name);
  clusterRoles = () => this.cache("clusterroles").list();
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
