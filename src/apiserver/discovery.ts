// API discovery documents built from the served resources (the resource table plus the virtual metrics.k8s.io
// resources): legacy (/api, /apis, /api/v1, /apis/{g}/{v}) and aggregated (apidiscovery.k8s.io v2 and
// v2beta1), which kubectl asks for first.
import { groupVersion, type ResourceInfo } from "../api/resources.js";
import { SERVED_GROUPS, SERVED_RESOURCES } from "./served-resources.js";

const AGGREGATED_RE = /as=APIGroupDiscoveryList/;

/** Which aggregated discovery version the Accept header asks for, if any (v2 preferred, as kubectl 1.30+). */
export function aggregatedVersion(accept: string | undefined): "v2" | "v2beta1" | undefined {
  if (!accept || !AGGREGATED_RE.test(accept)) return undefined;
  for (const part of accept.split(",")) {
    if (!AGGREGATED_RE.test(part) || !/g=apidiscovery\.k8s\.io/.test(part)) continue;
    if (/;\s*v=v2(;|$|\s)/.test(part)) return "v2";
    if (/;\s*v=v2beta1/.test(part)) return "v2beta1";
  }
  return undefined;
}

export function aggregatedContentType(version: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

function resourcesOf(group: string, version: string): ResourceInfo[] {
  return SERVED_RESOURCES.filter((r) => r.group === group && r.version === version);
}

export function legacyApiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

export function apiGroupList() {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    // Items of a list carry no kind/apiVersion of their own, as upstream serialises them.
    groups: SERVED_GROUPS.filter((g) => g.group !== "").map((g) => {
      const { kind: _kind, apiVersion: _apiVersion, ...group } = apiGroup(g);
      return group;
    }),
  };
}

export function apiGroup(g: { group: string; version: string }) {
  const gv = { groupVersion: groupVersion(g), version: g.version };
  return { kind: "APIGroup", apiVersion: "v1", name: g.group, versions: [gv], preferredVersion: gv };
}

export function findGroup(group: string): { group: string; version: string } | undefined {
  return SERVED_GROUPS.find((g) => g.group === group);
}

export function apiResourceList(group: string, version: string) {
  const resources: object[] = [];
  for (const r of resourcesOf(group, version)) {
    const entry: Record<string, unknown> = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    resources.push(entry);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = {
        name: `${r.resource}/${s.name}`,
        singularName: "",
        namespaced: r.namespaced,
        kind: s.kind.kind,
        verbs: s.verbs,
      };
      if (s.kind.group !== group || s.kind.version !== version) {
        sub.group = s.kind.group;
        sub.version = s.kind.version;
      }
      resources.push(sub);
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupVersion({ group, version }),
    resources,
  };
}

function discoveryResource(r: ResourceInfo) {
  const entry: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) entry.shortNames = r.shortNames;
  if (r.categories.length) entry.categories = r.categories;
  if (r.subresources.length) {
    entry.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: s.kind,
      verbs: s.verbs,
    }));
  }
  return entry;
}

/** The aggregated document for /api (legacy core group only) or /apis (every named group). */
export function aggregatedDiscovery(root: "api" | "apis", version: "v2" | "v2beta1") {
  const groups = SERVED_GROUPS.filter((g) => (root === "api" ? g.group === "" : g.group !== ""));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: [
        {
          version: g.version,
          resources: resourcesOf(g.group, g.version).map(discoveryResource),
          freshness: "Current",
        },
      ],
    })),
  };
}
