// The OpenAPI module's own schemas for the apimachinery meta types that operations mention (Status,
// DeleteOptions, the Patch body, ListMeta, discovery objects), list kinds derived from item kinds, and the
// default definition names of kinds. The project's schemas win whenever they define the same name.

import type { Schema } from "../../api/schema/types.js";
import type { Gvk } from "./api-model.js";

const META_PREFIX = "io.k8s.apimachinery.pkg.apis.meta.v1.";

const str = (description: string): Schema => ({ type: "string", description });
const int32 = (description: string): Schema => ({ type: "integer", format: "int32", description });
const int64 = (description: string): Schema => ({ type: "integer", format: "int64", description });
const bool = (description: string): Schema => ({ type: "boolean", description });
const strings = (description: string): Schema => ({ type: "array", description, items: { type: "string" } });
const arrayOf = (items: Schema, description: string): Schema => ({ type: "array", description, items });

function object(
  name: string,
  description: string,
  properties: Record<string, Schema>,
  extra: Partial<Schema> = {},
): Schema {
  return { definitionName: META_PREFIX + name, description, type: "object", properties, ...extra };
}

const coreGvk = (kind: string) => ({ group: "", version: "v1", kind });

/** `apiVersion` and `kind`, the type fields every top-level object carries. */
export const TYPE_META_PROPERTIES: Record<string, Schema> = {
  apiVersion: str("The versioned schema of this object, as group/version (or just the version for core)."),
  kind: str("The type of this object, in CamelCase."),
};

const LIST_META = object("ListMeta", "Metadata of a list: its resource version and paging token.", {
  continue: str("Token to fetch the next page of a paged list; empty on the last page."),
  remainingItemCount: int64("Estimated number of items after this page, when the list was paged."),
  resourceVersion: str(
    "The version of the collection this list was read at; watch from it to see later changes.",
  ),
  selfLink: str("Deprecated and always empty."),
});

const STATUS_CAUSE = object("StatusCause", "One reason a request failed, often tied to a field.", {
  field: str("Path of the field at fault, such as spec.template.spec.containers[0].image."),
  message: str("Human-readable explanation of the cause."),
  reason: str("Machine-readable reason, such as FieldValueInvalid."),
});

const STATUS_DETAILS = object("StatusDetails", "Extra data about a failure: which object, and the causes.", {
  causes: arrayOf(STATUS_CAUSE, "The individual causes of the failure."),
  group: str("API group of the object concerned."),
  kind: str("Kind (or resource) of the object concerned."),
  name: str("Name of the object concerned."),
  retryAfterSeconds: int32("Seconds to wait before retrying, when the server asks for it."),
  uid: str("UID of the object concerned."),
});

const STATUS = object(
  "Status",
  "The result of an operation that returns no object, and the body of every error response.",
  {
    ...TYPE_META_PROPERTIES,
    code: int32("HTTP status code of the response."),
    details: { ...STATUS_DETAILS, description: "Extra data about the failure." },
    message: str("Human-readable description of the status."),
    metadata: { ...LIST_META, description: "Standard list metadata." },
    reason: str("Machine-readable reason for a failure, such as NotFound or AlreadyExists."),
    status: str('"Success" or "Failure".'),
  },
  { gvk: coreGvk("Status") },
);

const PRECONDITIONS = object("Preconditions", "Conditions the object must meet for the delete to proceed.", {
  resourceVersion: str("The object must have this resource version."),
  uid: str("The object must have this UID."),
});

const DELETE_OPTIONS = object(
  "DeleteOptions",
  "Options of a delete request: grace period, cascading policy, preconditions and dry run.",
  {
    ...TYPE_META_PROPERTIES,
    dryRun: strings('Set to ["All"] to go through every stage of the delete without persisting it.'),
    gracePeriodSeconds: int64(
      "Seconds the object gets to shut down before it is deleted; 0 deletes at once.",
    ),
    orphanDependents: bool("Deprecated: use propagationPolicy. Whether dependents are orphaned."),
    preconditions: { ...PRECONDITIONS, description: "Must be met for the delete to proceed." },
    propagationPolicy: {
      ...str("How dependents are garbage collected: Orphan, Background or Foreground."),
      enum: ["Background", "Foreground", "Orphan"],
    },
  },
  { gvk: coreGvk("DeleteOptions") },
);

const PATCH: Schema = {
  definitionName: `${META_PREFIX}Patch`,
  description: "The body of a PATCH request; its format depends on the Content-Type.",
  type: "object",
};

const SERVER_ADDRESS = object(
  "ServerAddressByClientCIDR",
  "The server address to use for clients in a CIDR.",
  {
    clientCIDR: str("The CIDR clients are matched against."),
    serverAddress: str("Address of the server for those clients, as host[:port]."),
  },
);

const GROUP_VERSION = object("GroupVersionForDiscovery", "One version of an API group.", {
  groupVersion: str('The group and version, as "group/version".'),
  version: str("The version alone."),
});

const API_VERSIONS = object(
  "APIVersions",
  "The versions of the core API group.",
  {
    ...TYPE_META_PROPERTIES,
    serverAddressByClientCIDRs: arrayOf(SERVER_ADDRESS, "Server addresses by client CIDR."),
    versions: strings("The versions of the core API, such as v1."),
  },
  { gvk: coreGvk("APIVersions"), required: ["versions"] },
);

const API_GROUP = object(
  "APIGroup",
  "An API group: its name, versions and preferred version.",
  {
    ...TYPE_META_PROPERTIES,
    name: str("Name of the group."),
    preferredVersion: { ...GROUP_VERSION, description: "The version clients should prefer." },
    serverAddressByClientCIDRs: arrayOf(SERVER_ADDRESS, "Server addresses by client CIDR."),
    versions: arrayOf(GROUP_VERSION, "The versions of the group."),
  },
  { gvk: coreGvk("APIGroup"), required: ["name", "versions"] },
);

const API_GROUP_LIST = object(
  "APIGroupList",
  "The API groups served under /apis.",
  { ...TYPE_META_PROPERTIES, groups: arrayOf(API_GROUP, "The groups.") },
  { gvk: coreGvk("APIGroupList"), required: ["groups"] },
);

const API_RESOURCE = object(
  "APIResource",
  "One resource of a group-version, as listed by discovery.",
  {
    categories: strings("Categories the resource belongs to, such as all."),
    group: str("Group of the resource's kind, when it differs from the containing group."),
    kind: str("Kind of the resource's objects."),
    name: str("Plural name of the resource, with /subresource for subresources."),
    namespaced: bool("Whether the resource lives in namespaces."),
    shortNames: strings("Short names, such as ds."),
    singularName: str("Singular name of the resource."),
    verbs: strings("Verbs the resource supports."),
    version: str("Version of the resource's kind, when it differs from the containing version."),
  },
  { required: ["name", "singularName", "namespaced", "kind", "verbs"] },
);

const API_RESOURCE_LIST = object(
  "APIResourceList",
  "The resources of one group-version.",
  {
    ...TYPE_META_PROPERTIES,
    groupVersion: str("The group-version these resources belong to."),
    resources: arrayOf(API_RESOURCE, "The resources."),
  },
  { gvk: coreGvk("APIResourceList"), required: ["groupVersion", "resources"] },
);

/** The meta and discovery schemas, by kind name. */
export const META = {
  ListMeta: LIST_META,
  Status: STATUS,
  DeleteOptions: DELETE_OPTIONS,
  Patch: PATCH,
  APIVersions: API_VERSIONS,
  APIGroupList: API_GROUP_LIST,
  APIGroup: API_GROUP,
  APIResourceList: API_RESOURCE_LIST,
} as const;

/** Walked after the project's schemas: each one is used only where the project defines no such name. */
export const FALLBACK_SCHEMAS: readonly Schema[] = Object.values(META);

/** The name Kubernetes gives a kind's definition: io.k8s.api.<group package>.<version>.<Kind>. */
export function defaultDefinitionName(gvk: Gvk): string {
  const groupPackage = gvk.group === "" ? "core" : gvk.group.split(".")[0];
  return `io.k8s.api.${groupPackage}.${gvk.version}.${gvk.kind}`;
}

/** `schema` itself when it already names its definition and GVK, else a copy that does. */
export function withDefinitionName(schema: Schema, gvk: Gvk): Schema {
  if (schema.definitionName && schema.gvk) return schema;
  return {
    ...schema,
    definitionName: schema.definitionName ?? defaultDefinitionName(gvk),
    gvk: schema.gvk ?? { group: gvk.group, version: gvk.version, kind: gvk.kind },
  };
}

/** A `<Kind>List` schema for a kind whose list the project's schemas do not describe. */
export function listSchemaFor(item: Schema, listGvk: Gvk): Schema {
  const itemKind = item.gvk?.kind ?? listGvk.kind.replace(/List$/, "");
  return {
    definitionName: `${item.definitionName}List`,
    description: `${listGvk.kind} is a list of ${itemKind} objects.`,
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: TYPE_META_PROPERTIES.apiVersion,
      items: arrayOf(item, `The ${itemKind} objects.`),
      kind: TYPE_META_PROPERTIES.kind,
      metadata: { ...LIST_META, description: "Standard list metadata." },
    },
    gvk: { group: listGvk.group, version: listGvk.version, kind: listGvk.kind },
  };
}
