// Puts the bootstrap policy in place on every start, as upstream's RBAC post-start hook does: missing roles
// and bindings are created; existing ones annotated rbac.authorization.kubernetes.io/autoupdate=true get the
// labels, annotations, rules, aggregation selectors and subjects they lack (never losing what a user added);
// autoupdate=false leaves an object exactly as its owner made it. Nothing is written when nothing is missing,
// so a restarted cluster keeps its resourceVersions.
import { jsonEqual } from "../../../../api/equal.js";
import { isAlreadyExists, isNotFound } from "../../../../api/errors.js";
import { deepCopy, type KubeObject } from "../../../../api/object.js";
import type { Registry } from "../../../registry/registry.js";
import { covers, type PolicyRule } from "../policy-rule.js";
import type { Subject } from "../rbac-authorizer.js";
import { RBAC_GROUP, rulesOf } from "../rbac-objects.js";
import { bootstrapClusterRoleBindings } from "./bindings.js";
import { AUTOUPDATE_ANNOTATION, bootstrapClusterRoles, clusterRole } from "./cluster-roles.js";
import { CONTROLLER_ROLE_PREFIX, CONTROLLER_ROLES } from "./controller-roles.js";

/** Every bootstrap ClusterRole: the cluster roles and one per built-in controller. */
export function allBootstrapClusterRoles(): KubeObject[] {
  return [
    ...bootstrapClusterRoles(),
    ...CONTROLLER_ROLES.map((c) => clusterRole(`${CONTROLLER_ROLE_PREFIX}${c.name}`, c.rules)),
  ];
}

/** `expected` entries win for keys the existing map lacks; existing values are kept (upstream merge). */
function mergeMaps(
  expected: Record<string, string> | undefined,
  existing: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const merged = { ...expected, ...existing };
  return Object.keys(merged).length ? merged : undefined;
}

function mergeMetadata(expected: KubeObject, result: KubeObject): void {
  const labels = mergeMaps(expected.metadata.labels, result.metadata.labels);
  const annotations = mergeMaps(expected.metadata.annotations, result.metadata.annotations);
  if (labels) result.metadata.labels = labels;
  if (annotations) result.metadata.annotations = annotations;
}

/** The reconciled ClusterRole, or undefined when the existing one needs no change. */
export function reconcileClusterRole(expected: KubeObject, existing: KubeObject): KubeObject | undefined {
  if (existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === "false") return undefined;
  const result = deepCopy(existing);
  mergeMetadata(expected, result);
  const { missing } = covers(rulesOf(existing), rulesOf(expected));
  if (missing.length) result.rules = [...((existing.rules as PolicyRule[] | undefined) ?? []), ...missing];
  const expectedSelectors: unknown[] = expected.aggregationRule?.clusterRoleSelectors ?? [];
  if (!expected.aggregationRule && existing.aggregationRule) delete result.aggregationRule;
  else if (expectedSelectors.length) {
    const have: unknown[] = existing.aggregationRule?.clusterRoleSelectors ?? [];
    const lacking = expectedSelectors.filter((s) => !have.some((h) => jsonEqual(h, s)));
    if (lacking.length) result.aggregationRule = { clusterRoleSelectors: [...have, ...lacking] };
  }
  return jsonEqual(result, existing) ? undefined : result;
}

const sameSubject = (a: Subject, b: Subject): boolean =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");

/**
 * The reconciled binding, or undefined when nothing changes; `recreate` when the roleRef differs (it is
 * immutable, so upstream deletes and creates the binding).
 */
export function reconcileClusterRoleBinding(
  expected: KubeObject,
  existing: KubeObject,
): { binding: KubeObject; recreate: boolean } | undefined {
  if (existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === "false") return undefined;
  const result = deepCopy(existing);
  mergeMetadata(expected, result);
  const recreate = !jsonEqual(existing.roleRef, expected.roleRef);
  if (recreate) result.roleRef = deepCopy(expected.roleRef);
  const have: Subject[] = existing.subjects ?? [];
  const lacking = ((expected.subjects ?? []) as Subject[]).filter(
    (s) => !have.some((h) => sameSubject(h, s)),
  );
  if (lacking.length) result.subjects = [...have, ...lacking];
  if (!recreate && jsonEqual(result, existing)) return undefined;
  return { binding: result, recreate };
}

async function ensure(
  registry: Registry,
  resource: "clusterroles" | "clusterrolebindings",
  expected: KubeObject,
): Promise<void> {
  const store = registry.store({ group: RBAC_GROUP, resource });
  const name = expected.metadata.name!;
  const existing = store.getOrUndefined("", name);
  if (!existing) {
    await store.create("", expected).catch((e) => {
      if (!isAlreadyExists(e)) throw e;
    });
    return;
  }
  if (resource === "clusterroles") {
    const updated = reconcileClusterRole(expected, existing);
    if (updated) await store.update("", name, updated);
    return;
  }
  const change = reconcileClusterRoleBinding(expected, existing);
  if (!change) return;
  if (!change.recreate) {
    await store.update("", name, change.binding);
    return;
  }
  await store.delete("", name, { preconditions: { uid: existing.metadata.uid } }).catch((e) => {
    if (!isNotFound(e)) throw e;
  });
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, ...metadata } = change.binding.metadata;
  await store.create("", { ...change.binding, metadata });
}

/** Creates or completes every bootstrap ClusterRole and ClusterRoleBinding. */
export async function reconcileBootstrapPolicy(registry: Registry): Promise<void> {
  await Promise.all(allBootstrapClusterRoles().map((r) => ensure(registry, "clusterroles", r)));
  await Promise.all(bootstrapClusterRoleBindings().map((b) => ensure(registry, "clusterrolebindings", b)));
}
