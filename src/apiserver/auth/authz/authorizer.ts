// The authorizer contract (upstream authorizer.Authorizer and RuleResolver) and the chain the API server runs:
// the privileged group first, then the node authorizer, then RBAC; the first Allow or Deny decides, and
// NoOpinion from every authorizer means the request is forbidden.
import { isPrivileged, type UserInfo } from "../user-info.js";
import type { Attributes } from "./attributes.js";
import type { PolicyRule } from "./policy-rule.js";

export type Decision = "Allow" | "Deny" | "NoOpinion";

export interface AuthorizationResult {
  decision: Decision;
  /** Why (shown after an allow in access reviews, and after a 403's message). */
  reason: string;
}

/** What a user may do in a namespace, as far as an authorizer can tell (SelfSubjectRulesReview). */
export interface RuleSet {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  /** True when some rules could not be resolved (a binding naming a missing role). */
  incomplete: boolean;
  errors: string[];
}

export interface Authorizer {
  authorize(attrs: Attributes): AuthorizationResult;
  rulesFor(user: UserInfo, namespace: string): RuleSet;
}

export const noOpinion = (reason = ""): AuthorizationResult => ({ decision: "NoOpinion", reason });
export const allow = (reason = ""): AuthorizationResult => ({ decision: "Allow", reason });

export const emptyRuleSet = (): RuleSet => ({
  resourceRules: [],
  nonResourceRules: [],
  incomplete: false,
  errors: [],
});

/** Splits rules into resource rules and non-resource rules, as SelfSubjectRulesReview reports them. */
export function ruleSetOf(rules: readonly PolicyRule[], errors: string[] = []): RuleSet {
  const set = emptyRuleSet();
  for (const r of rules) {
    if (r.resources?.length) {
      const rule: PolicyRule = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources };
      if (r.resourceNames?.length) rule.resourceNames = r.resourceNames;
      set.resourceRules.push(rule);
    }
    if (r.nonResourceURLs?.length)
      set.nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
  }
  set.errors = errors;
  set.incomplete = errors.length > 0;
  return set;
}

/** Members of system:masters may do anything (upstream's privileged-group authorizer). */
export const privilegedGroupAuthorizer: Authorizer = {
  authorize: (attrs) => (isPrivileged(attrs.user) ? allow() : noOpinion()),
  rulesFor: (user) =>
    isPrivileged(user)
      ? ruleSetOf([
          { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
          { verbs: ["*"], nonResourceURLs: ["*"] },
        ])
      : emptyRuleSet(),
};

/** Asks each authorizer in turn; reasons of those without an opinion are kept for the final answer. */
export function unionAuthorizer(chain: readonly Authorizer[]): Authorizer {
  return {
    authorize(attrs) {
      const reasons: string[] = [];
      for (const a of chain) {
        const result = a.authorize(attrs);
        if (result.decision !== "NoOpinion") return result;
        if (result.reason) reasons.push(result.reason);
      }
      return noOpinion(reasons.join("\n"));
    },
    rulesFor(user, namespace) {
      const all = emptyRuleSet();
      for (const a of chain) {
        const set = a.rulesFor(user, namespace);
        all.resourceRules.push(...set.resourceRules);
        all.nonResourceRules.push(...set.nonResourceRules);
        all.errors.push(...set.errors);
        all.incomplete ||= set.incomplete;
      }
      return all;
    },
  };
}

export const isAllowed = (r: AuthorizationResult): boolean => r.decision === "Allow";
