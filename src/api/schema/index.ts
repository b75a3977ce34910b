// Entry point of the built-in schemas: finds the schema of a kind by group/version/kind and walks a schema
// along a field path (for strategic merge patch and `kubectl explain`).

import { ControllerRevision, DaemonSet } from "./apps.js";
import { SelfSubjectReview, TokenReview } from "./authentication.js";
import {
  LocalSubjectAccessReview,
  SelfSubjectAccessReview,
  SelfSubjectRulesReview,
  SubjectAccessReview,
} from "./authorization.js";
import { Lease } from "./coordination.js";
import { ConfigMap, Event, Eviction, Namespace, Secret, ServiceAccount } from "./core.js";
import { LimitRange } from "./core-limit-range.js";
import { Node } from "./core-node.js";
import { Binding, Pod } from "./core-pod.js";
import { ResourceQuota } from "./core-quota.js";
import { Service } from "./core-service.js";
import { EndpointSlice, Endpoints } from "./discovery.js";
import { DeleteOptions } from "./meta.js";
import { PodDisruptionBudget } from "./policy.js";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "./rbac.js";
import { PriorityClass } from "./scheduling.js";
import type { Schema } from "./types.js";

/**
 * Every top-level kind with a schema: the served resources (the create-only review kinds too) plus the Binding
 * and Eviction subresource bodies.
 */
export const KIND_SCHEMAS: readonly Schema[] = [
  Namespace,
  Node,
  Pod,
  Binding,
  Event,
  ConfigMap,
  Secret,
  LimitRange,
  ResourceQuota,
  ServiceAccount,
  Service,
  Endpoints,
  EndpointSlice,
  Eviction,
  DaemonSet,
  ControllerRevision,
  Lease,
  PodDisruptionBudget,
  Role,
  ClusterRole,
  RoleBinding,
  ClusterRoleBinding,
  PriorityClass,
  SelfSubjectReview,
  TokenReview,
  SubjectAccessReview,
  LocalSubjectAccessReview,
  SelfSubjectAccessReview,
  SelfSubjectRulesReview,
];

const gvkKey = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;

const byGvk = new Map(
  KIND_SCHEMAS.map((schema) => {
    const { group, version, kind } = schema.gvk!;
    return [gvkKey(group, version, kind), schema] as const;
  }),
);

/**
 * The schema of a top-level kind, or undefined for kinds without one. DeleteOptions is accepted in every
 * group version, as upstream registers it everywhere a DELETE body may be sent.
 */
export function schemaForKind(group: string, version: string, kind: string): Schema | undefined {
  if (kind === "DeleteOptions") return DeleteOptions;
  return byGvk.get(gvkKey(group, version, kind));
}

const isIndex = (segment: string): boolean => /^\d+$/.test(segment) || segment === "*" || segment === "[]";

/**
 * Walks `path` from `schema` through properties, list items and map values. At a list, an index segment
 * ("0", "*" or "[]") steps into the items; a field name steps into the items and then into that field, so
 * `["spec", "containers", "ports"]` reaches the ports list as `kubectl explain pod.spec.containers.ports` does.
 */
export function schemaAtPath(schema: Schema, path: readonly string[]): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const segment of path) {
    if (!current) return undefined;
    if (current.type === "array" && current.items) {
      if (isIndex(segment)) {
        current = current.items;
        continue;
      }
      current = current.items;
    }
    current = childOf(current, segment);
  }
  return current;
}

function childOf(schema: Schema, segment: string): Schema | undefined {
  if (schema.properties)
    return Object.hasOwn(schema.properties, segment) ? schema.properties[segment] : undefined;
  return schema.additionalProperties;
}
