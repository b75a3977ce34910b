// Small builders for the bootstrap policy's rules, named as upstream's (Read, ReadWrite, Write, eventsRule) so
// the role tables read like plugin/pkg/auth/authorizer/rbac/bootstrappolicy.
import type { PolicyRule } from "../policy-rule.js";

export const READ = ["get", "list", "watch"];
export const WRITE = ["create", "update", "patch", "delete", "deletecollection"];
export const READ_WRITE = [...READ, ...WRITE];

export const CORE = "";
export const APPS = "apps";
export const AUTHENTICATION = "authentication.k8s.io";
export const AUTHORIZATION = "authorization.k8s.io";
export const COORDINATION = "coordination.k8s.io";
export const POLICY = "policy";
export const RBAC = "rbac.authorization.k8s.io";
export const EVENTS_GROUP = "events.k8s.io";

/** A resource rule; `names` limits it to those objects. */
export function rule(verbs: string[], groups: string[], resources: string[], names?: string[]): PolicyRule {
  const r: PolicyRule = { verbs: [...verbs], apiGroups: [...groups], resources: [...resources] };
  if (names?.length) r.resourceNames = [...names];
  return r;
}

export const urls = (verbs: string[], paths: string[]): PolicyRule => ({
  verbs: [...verbs],
  nonResourceURLs: [...paths],
});

/** Recording events, which every component does. */
export const eventsRule = (): PolicyRule =>
  rule(["create", "update", "patch"], [CORE, EVENTS_GROUP], ["events"]);
