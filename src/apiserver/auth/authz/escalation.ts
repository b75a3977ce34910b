// Privilege-escalation prevention for RBAC objects (upstream pkg/registry/rbac policybased storage and
// validation.ConfirmNoEscalation): nobody creates or updates a Role or ClusterRole granting what they do not
// hold themselves unless RBAC lets them `escalate` it, and nobody binds a role whose permissions they do not
// hold unless RBAC lets them `bind` it. system:masters and the server's own work are exempt.
import { jsonEqual } from "../../../api/equal.js";
import { ApiError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resources.js";
import { requestUser } from "../request-user.js";
import { isPrivileged, type UserInfo } from "../user-info.js";
import { resourceAttributes } from "./attributes.js";
import { type Authorizer, isAllowed } from "./authorizer.js";
import { forbiddenFor } from "./forbidden.js";
import { compactRules, compactString, covers, type PolicyRule } from "./policy-rule.js";
import type { RbacAuthorizer, RoleRef } from "./rbac-authorizer.js";
import { RBAC_GROUP, rulesOf } from "./rbac-objects.js";

const ROLE_RESOURCES = new Set(["roles", "clusterroles"]);
const BINDING_RESOURCES = new Set(["rolebindings", "clusterrolebindings"]);

/** Everything, as cluster-admin holds it: what an aggregationRule may gather. */
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
  { verbs: ["*"], nonResourceURLs: ["*"] },
];

const quotedList = (items: readonly string[]): string => `[${items.map((i) => JSON.stringify(i)).join(" ")}]`;

/** Only ownerReferences or finalizers changed: the garbage collector's writes are never escalations. */
function onlyGcFieldsChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  return jsonEqual(strip(obj), strip(old));
}

export class EscalationCheck {
  constructor(
    private readonly authorizer: Authorizer,
    private readonly rbac: RbacAuthorizer,
  ) {}

  admitCreate(resource: ResourceInfo, obj: KubeObject): void {
    this.admit(resource, obj, undefined);
  }

  admitUpdate(resource: ResourceInfo, obj: KubeObject, old: KubeObject): void {
    this.admit(resource, obj, old);
  }

  private admit(resource: ResourceInfo, obj: KubeObject, old: KubeObject | undefined): void {
    if (resource.group !== RBAC_GROUP) return;
    const user = requestUser();
    if (!user || isPrivileged(user)) return;
    if (old && onlyGcFieldsChanged(obj, old)) return;
    if (ROLE_RESOURCES.has(resource.resource)) this.checkRole(user, resource, obj, old);
    else if (BINDING_RESOURCES.has(resource.resource)) this.checkBinding(user, resource, obj);
  }

  private checkRole(
    user: UserInfo,
    resource: ResourceInfo,
    role: KubeObject,
    old: KubeObject | undefined,
  ): void {
    const namespace = role.metadata.namespace ?? "";
    const name = role.metadata.name ?? "";
    const escalate = resourceAttributes(user, {
      verb: "escalate",
      group: RBAC_GROUP,
      resource: resource.resource,
      name,
      namespace,
    });
    if (isAllowed(this.authorizer.authorize(escalate))) return;
    const ref = { group: RBAC_GROUP, resource: resource.resource };
    // An aggregationRule can gather anything, so setting one needs every permission there is.
    if (role.aggregationRule && !(old && jsonEqual(old.aggregationRule, role.aggregationRule))) {
      if (!covers(this.rbac.rulesAndErrors(user, "").rules, FULL_AUTHORITY).covered) {
        throw forbiddenFor(ref, name, "must have cluster-admin privileges to use the aggregationRule");
      }
      return;
    }
    this.confirmNoEscalation(user, rulesOf(role), namespace, ref, name);
  }

  private checkBinding(user: UserInfo, resource: ResourceInfo, binding: KubeObject): void {
    const namespace = binding.metadata.namespace ?? "";
    const roleRef = (binding.roleRef ?? {}) as RoleRef;
    const bind = resourceAttributes(user, {
      verb: "bind",
      group: roleRef.apiGroup ?? "",
      resource: roleRef.kind === "Role" ? "roles" : "clusterroles",
      name: roleRef.name,
      namespace,
    });
    if (
      (roleRef.kind === "Role" || roleRef.kind === "ClusterRole") &&
      isAllowed(this.authorizer.authorize(bind))
    )
      return;
    let rules: PolicyRule[];
    try {
      rules = this.rbac.roleRefRules(roleRef, namespace);
    } catch (e) {
      const kind = roleRef.kind === "Role" ? "role" : "clusterrole";
      if (roleRef.kind === "Role" || roleRef.kind === "ClusterRole")
        throw ApiError.notFound({ group: RBAC_GROUP, resource: kind }, roleRef.name);
      throw ApiError.badRequest((e as Error).message);
    }
    this.confirmNoEscalation(
      user,
      rules,
      namespace,
      { group: RBAC_GROUP, resource: resource.resource },
      binding.metadata.name ?? "",
    );
  }

  /** Refuses unless the user's own RBAC rules in `namespace` cover `rules`, listing what is missing. */
  private confirmNoEscalation(
    user: UserInfo,
    rules: PolicyRule[],
    namespace: string,
    ref: { group: string; resource: string },
    name: string,
  ): void {
    const owner = this.rbac.rulesAndErrors(user, namespace);
    const { covered, missing } = covers(owner.rules, rules);
    if (covered) return;
    const described = [...new Set(compactRules(missing).map(compactString))].sort();
    let message = `user ${JSON.stringify(user.username)} (groups=${quotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${described.join("\n")}`;
    if (owner.errors.length) message += `; resolution errors: [${owner.errors.join(", ")}]`;
    throw forbiddenFor(ref, name, message);
  }
}
