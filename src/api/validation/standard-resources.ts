// helper.IsStandardResourceName's list: the resource names Kubernetes itself defines (requests, limits, quotas).

export const STANDARD_RESOURCES: ReadonlySet<string> = new Set([
  "cpu",
  "memory",
  "ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.ephemeral-storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "pods",
  "services",
  "replicationcontrollers",
  "resourcequotas",
  "secrets",
  "persistentvolumeclaims",
  "configmaps",
  "storage",
  "requests.storage",
  "services.nodeports",
  "services.loadbalancers",
]);

/** helper.IsQuotaHugePageResourceName: huge pages, requested or not. */
export const isQuotaHugePages = (name: string): boolean =>
  name.startsWith("hugepages-") || name.startsWith("requests.hugepages-");

/** helper.IsStandardResourceName. */
export const isStandardResourceName = (name: string): boolean =>
  STANDARD_RESOURCES.has(name) || isQuotaHugePages(name);
