// RBAC (upstream plugin/pkg/auth/authorizer/rbac): a request is allowed when a ClusterRoleBinding, or a
// RoleBinding in the request's namespace, binds the user (by name, group or ServiceAccount) to a Role or
// ClusterRole with a rule that allows it. RBAC never denies: without a matching rule it has no opinion.
import type { KubeObject } from "../../../api/object.js";
import { parseServiceAccountUsername, type UserInfo } from "../user-info.js";
import type { Attributes } from "./attributes.js";
import { type Authorizer, allow, noOpinion, type RuleSet, ruleSetOf } from "./authorizer.js";
import { type PolicyRule, ruleAllows } from "./policy-rule.js";
import { RBAC_GROUP, type RbacObjects, rulesOf } from "./rbac-objects.js";

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

/** Does a binding's subject name this user? ServiceAccounts default to the binding's namespace. */
export function subjectMatches(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.username === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const namespace = subject.namespace || bindingNamespace;
      if (!namespace) return false;
      const sa = parseServiceAccountUsername(user.username);
      return sa !== undefined && sa.namespace === namespace && sa.name === subject.name;
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === "ServiceAccount")
    return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

const subjectsOf = (binding: KubeObject): Subject[] =>
  Array.isArray(binding.subjects)
    ? (binding.subjects as Subject[]).filter((s) => s && typeof s === "object")
    : [];

/** Go's utilerrors.NewAggregate text: one message alone, several in brackets. */
const aggregate = (errors: readonly string[]): string =>
  errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`;

/** Visits rules; returns false to stop. `source` describes the binding lazily (only allow reasons need it). */
type RuleVisitor = (source: () => string, rule: PolicyRule | undefined, error: string | undefined) => boolean;

/** What applies to one user in one namespace: each binding's rules, and the bindings that did not resolve. */
interface Resolved {
  generation: number;
  grants: { source: () => string; rules: PolicyRule[] }[];
  errors: string[];
}

/** Users × namespaces remembered before the cache starts over. */
const MAX_RESOLVED = 10_000;

export class RbacAuthorizer implements Authorizer {
  /** Resolutions by user and namespace, valid while the RBAC objects' generation is unchanged. */
  private readonly resolved = new Map<string, Resolved>();

  constructor(private readonly objects: RbacObjects) {}

  /**
   * The rules a role reference grants inside `namespace` ("" for cluster bindings); throws a NotFound-style
   * message when the role does not exist.
   */
  roleRefRules(ref: RoleRef, namespace: string): PolicyRule[] {
    if (ref.kind === "ClusterRole") {
      const role = this.objects.clusterRole(ref.name);
      if (!role) throw new Error(`clusterrole.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found`);
      return rulesOf(role);
    }
    if (ref.kind === "Role") {
      const role = namespace ? this.objects.role(namespace, ref.name) : undefined;
      if (!role) throw new Error(`role.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found`);
      return rulesOf(role);
    }
    throw new Error(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
  }

  private visitBinding(user: UserInfo, binding: KubeObject, kind: string, visitor: RuleVisitor): boolean {
    const namespace = binding.metadata.namespace ?? "";
    const subject = subjectsOf(binding).find((s) => subjectMatches(user, s, namespace));
    if (!subject) return true;
    const ref = (binding.roleRef ?? {}) as RoleRef;
    let rules: PolicyRule[];
    try {
      rules = this.roleRefRules(ref, namespace);
    } catch (e) {
      return visitor(() => "", undefined, (e as Error).message);
    }
    const name = namespace ? `${binding.metadata.name}/${namespace}` : binding.metadata.name;
    const source = () =>
      `${kind} ${JSON.stringify(name)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, namespace)}`;
    for (const rule of rules) if (!visitor(source, rule, undefined)) return false;
    return true;
  }

  /** Cluster bindings first, then the namespace's bindings, as upstream's VisitRulesFor. */
  private resolve(user: UserInfo, namespace: string): Resolved {
    const generation = this.objects.generation?.() ?? -1;
    const key = generation >= 0 ? `${user.username}\0${user.groups.join("\0")}\0\0${namespace}` : undefined;
    const known = key === undefined ? undefined : this.resolved.get(key);
    if (known && known.generation === generation) return known;
    const resolved: Resolved = { generation, grants: [], errors: [] };
    const visit = (b: KubeObject, kind: string) =>
      this.visitBinding(user, b, kind, (source, rule, error) => {
        if (error) resolved.errors.push(error);
        else if (rule) {
          const last = resolved.grants.at(-1);
          if (last?.source === source) last.rules.push(rule);
          else resolved.grants.push({ source, rules: [rule] });
        }
        return true;
      });
    for (const b of this.objects.clusterRoleBindings()) visit(b, "ClusterRoleBinding");
    if (namespace) for (const b of this.objects.roleBindings(namespace)) visit(b, "RoleBinding");
    if (key !== undefined) {
      if (this.resolved.size >= MAX_RESOLVED) this.resolved.clear();
      this.resolved.set(key, resolved);
    }
    return resolved;
  }

  private visitRulesFor(user: UserInfo, namespace: string, visitor: RuleVisitor): void {
    const { grants, errors } = this.resolve(user, namespace);
    for (const e of errors) if (!visitor(() => "", undefined, e)) return;
    for (const g of grants) for (const rule of g.rules) if (!visitor(g.source, rule, undefined)) return;
  }

  authorize(attrs: Attributes) {
    const errors: string[] = [];
    let allowedBy: string | undefined;
    this.visitRulesFor(attrs.user, attrs.namespace, (source, rule, error) => {
      if (error) errors.push(error);
      else if (rule && ruleAllows(attrs, rule)) {
        allowedBy = source();
        return false;
      }
      return true;
    });
    if (allowedBy !== undefined) return allow(`RBAC: allowed by ${allowedBy}`);
    return noOpinion(errors.length ? `RBAC: ${aggregate(errors)}` : "");
  }

  /** Every rule granted to the user in the namespace, and the bindings that could not be resolved. */
  rulesAndErrors(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, error) => {
      if (error) errors.push(error);
      else if (rule) rules.push(rule);
      return true;
    });
    return { rules, errors };
  }

  rulesFor(user: UserInfo, namespace: string): RuleSet {
    const { rules, errors } = this.rulesAndErrors(user, namespace);
    return ruleSetOf(rules, errors);
  }
}
