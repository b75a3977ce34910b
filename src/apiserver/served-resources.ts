// Everything the API server serves: the built-in resource table (stored kinds) plus the virtual resources
// computed on request (metrics.k8s.io, the always-empty CustomResourceDefinitions) and the create-only review resources of authentication.k8s.io and
// authorization.k8s.io. Discovery, routing and OpenAPI read this; the registry stores only the built-in table.
import { findResource, GROUPS, RESOURCES, type ResourceInfo } from "../api/resources.js";
import { schemaForKind } from "../api/schema/index.js";
import type { Schema } from "../api/schema/types.js";
import { APIEXTENSIONS_GROUP, APIEXTENSIONS_VIRTUAL_RESOURCES } from "./apiextensions/index.js";
import { AUTH_GROUPS, AUTH_RESOURCES, findAuthResource } from "./auth/api/resources.js";
import { METRICS_GROUP, METRICS_VIRTUAL_RESOURCES, metricsSchemaForKind } from "./metrics-api/index.js";
import type { VirtualResourceDefinition } from "./registry/virtual-resource.js";

export const VIRTUAL_RESOURCES: readonly VirtualResourceDefinition[] = [
  ...APIEXTENSIONS_VIRTUAL_RESOURCES,
  ...METRICS_VIRTUAL_RESOURCES,
];

export const SERVED_RESOURCES: readonly ResourceInfo[] = [
  ...RESOURCES,
  ...VIRTUAL_RESOURCES.map((v) => v.info),
  ...AUTH_RESOURCES,
];

/**
 * Groups in discovery order. The metrics group comes last, as aggregated APIs do on a real cluster: kubectl
 * resolves a bare `pods` or `nodes` to the first group that has it, which must stay the core group.
 */
export const SERVED_GROUPS: readonly { group: string; version: string }[] = [
  ...GROUPS,
  ...AUTH_GROUPS,
  APIEXTENSIONS_GROUP,
  METRICS_GROUP,
];

const virtualByPath = new Map(
  VIRTUAL_RESOURCES.map((v) => [`${v.info.group}/${v.info.version}/${v.info.resource}`, v.info]),
);

/** The served resource at group/version/resource, stored or virtual. */
export function findServedResource(
  group: string,
  version: string,
  resource: string,
): ResourceInfo | undefined {
  return (
    findResource(group, version, resource) ??
    virtualByPath.get(`${group}/${version}/${resource}`) ??
    findAuthResource(group, version, resource)
  );
}

/** The schema of any served kind. */
export function servedSchemaForKind(group: string, version: string, kind: string): Schema | undefined {
  return schemaForKind(group, version, kind) ?? metricsSchemaForKind(group, version, kind);
}
