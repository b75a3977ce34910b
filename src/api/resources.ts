// The table of built-in resources everynode serves: group, version, plural, kind, scope, verbs, short names
// and subresources. Discovery, routing, OpenAPI, tables and the registry all read this one table.

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export const ALL_VERBS: Verb[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

export interface SubresourceInfo {
  name: string;
  /** Kind returned by the subresource (status returns the parent kind). */
  kind: { group: string; version: string; kind: string };
  verbs: Verb[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower case: the path segment (`daemonsets`). */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: Verb[];
  shortNames: string[];
  categories: string[];
  subresources: SubresourceInfo[];
}

export const groupVersion = (r: { group: string; version: string }): string =>
  r.group ? `${r.group}/${r.version}` : r.version;

type Def = Omit<
  ResourceInfo,
  "listKind" | "singular" | "verbs" | "shortNames" | "categories" | "subresources"
> &
  Partial<Pick<ResourceInfo, "verbs" | "shortNames" | "categories" | "subresources">>;

function def(d: Def): ResourceInfo {
  return {
    verbs: ALL_VERBS,
    shortNames: [],
    categories: [],
    subresources: [],
    ...d,
    singular: d.kind.toLowerCase(),
    listKind: `${d.kind}List`,
  };
}

const statusOf = (group: string, version: string, kind: string): SubresourceInfo => ({
  name: "status",
  kind: { group, version, kind },
  verbs: ["get", "patch", "update"],
});

export const RESOURCES: ResourceInfo[] = [
  def({
    group: "",
    version: "v1",
    resource: "namespaces",
    kind: "Namespace",
    namespaced: false,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["ns"],
    subresources: [statusOf("", "v1", "Namespace")],
  }),
  def({
    group: "",
    version: "v1",
    resource: "nodes",
    kind: "Node",
    namespaced: false,
    shortNames: ["no"],
    subresources: [statusOf("", "v1", "Node")],
  }),
  def({
    group: "",
    version: "v1",
    resource: "pods",
    kind: "Pod",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    subresources: [
      statusOf("", "v1", "Pod"),
      { name: "binding", kind: { group: "", version: "v1", kind: "Binding" }, verbs: ["create"] },
      { name: "eviction", kind: { group: "policy", version: "v1", kind: "Eviction" }, verbs: ["create"] },
      { name: "log", kind: { group: "", version: "v1", kind: "Pod" }, verbs: ["get"] },
      {
        name: "ephemeralcontainers",
        kind: { group: "", version: "v1", kind: "Pod" },
        verbs: ["get", "patch", "update"],
      },
    ],
  }),
  def({ group: "", version: "v1", resource: "events", kind: "Event", namespaced: true, shortNames: ["ev"] }),
  def({
    group: "",
    version: "v1",
    resource: "configmaps",
    kind: "ConfigMap",
    namespaced: true,
    shortNames: ["cm"],
  }),
  def({ group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true }),
  def({
    group: "",
    version: "v1",
    resource: "limitranges",
    kind: "LimitRange",
    namespaced: true,
    shortNames: ["limits"],
  }),
  def({
    group: "",
    version: "v1",
    resource: "resourcequotas",
    kind: "ResourceQuota",
    namespaced: true,
    shortNames: ["quota"],
    subresources: [statusOf("", "v1", "ResourceQuota")],
  }),
  def({
    group: "",
    version: "v1",
    resource: "serviceaccounts",
    kind: "ServiceAccount",
    namespaced: true,
    shortNames: ["sa"],
    subresources: [
      {
        name: "token",
        kind: { group: "authentication.k8s.io", version: "v1", kind: "TokenRequest" },
        verbs: ["create"],
      },
    ],
  }),
  def({
    group: "",
    version: "v1",
    resource: "endpoints",
    kind: "Endpoints",
    namespaced: true,
    shortNames: ["ep"],
  }),
  def({
    group: "",
    version: "v1",
    resource: "services",
    kind: "Service",
    namespaced: true,
    // Upstream serves no deletecollection for services.
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["svc"],
    categories: ["all"],
    subresources: [statusOf("", "v1", "Service")],
  }),
  def({
    group: "apps",
    version: "v1",
    resource: "daemonsets",
    kind: "DaemonSet",
    namespaced: true,
    shortNames: ["ds"],
    categories: ["all"],
    subresources: [statusOf("apps", "v1", "DaemonSet")],
  }),
  def({
    group: "apps",
    version: "v1",
    resource: "controllerrevisions",
    kind: "ControllerRevision",
    namespaced: true,
  }),
  def({ group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease", namespaced: true }),
  def({
    group: "policy",
    version: "v1",
    resource: "poddisruptionbudgets",
    kind: "PodDisruptionBudget",
    namespaced: true,
    shortNames: ["pdb"],
    subresources: [statusOf("policy", "v1", "PodDisruptionBudget")],
  }),
  def({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "roles",
    kind: "Role",
    namespaced: true,
  }),
  def({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "clusterroles",
    kind: "ClusterRole",
    namespaced: false,
  }),
  def({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "rolebindings",
    kind: "RoleBinding",
    namespaced: true,
  }),
  def({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "clusterrolebindings",
    kind: "ClusterRoleBinding",
    namespaced: false,
  }),
  def({
    group: "discovery.k8s.io",
    version: "v1",
    resource: "endpointslices",
    kind: "EndpointSlice",
    namespaced: true,
  }),
  def({
    group: "scheduling.k8s.io",
    version: "v1",
    resource: "priorityclasses",
    kind: "PriorityClass",
    namespaced: false,
    shortNames: ["pc"],
  }),
];

/** The API groups in discovery order; "" is the legacy core group. */
export const GROUPS: { group: string; version: string }[] = [
  { group: "", version: "v1" },
  { group: "apps", version: "v1" },
  { group: "coordination.k8s.io", version: "v1" },
  { group: "discovery.k8s.io", version: "v1" },
  { group: "policy", version: "v1" },
  { group: "rbac.authorization.k8s.io", version: "v1" },
  { group: "scheduling.k8s.io", version: "v1" },
];

const byPath = new Map(RESOURCES.map((r) => [`${r.group}/${r.version}/${r.resource}`, r]));
const byKind = new Map(RESOURCES.map((r) => [`${r.group}/${r.version}/${r.kind}`, r]));

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${version}/${resource}`);
}

export function findKind(group: string, version: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${group}/${version}/${kind}`);
}

function mustFind(group: string, version: string, resource: string): ResourceInfo {
  const r = findResource(group, version, resource);
  if (!r) throw new Error(`built-in resource ${resource}.${group} is missing from the table`);
  return r;
}

/** The built-in resources components address by name. */
export const NAMESPACES = mustFind("", "v1", "namespaces");
export const NODES = mustFind("", "v1", "nodes");
export const PODS = mustFind("", "v1", "pods");
export const EVENTS = mustFind("", "v1", "events");
export const SERVICE_ACCOUNTS = mustFind("", "v1", "serviceaccounts");
export const SERVICES = mustFind("", "v1", "services");
export const ENDPOINTS = mustFind("", "v1", "endpoints");
export const ENDPOINT_SLICES = mustFind("discovery.k8s.io", "v1", "endpointslices");
export const RESOURCE_QUOTAS = mustFind("", "v1", "resourcequotas");
export const LIMIT_RANGES = mustFind("", "v1", "limitranges");
export const DAEMON_SETS = mustFind("apps", "v1", "daemonsets");
export const CONTROLLER_REVISIONS = mustFind("apps", "v1", "controllerrevisions");
export const LEASES = mustFind("coordination.k8s.io", "v1", "leases");
export const POD_DISRUPTION_BUDGETS = mustFind("policy", "v1", "poddisruptionbudgets");
export const PRIORITY_CLASSES = mustFind("scheduling.k8s.io", "v1", "priorityclasses");
