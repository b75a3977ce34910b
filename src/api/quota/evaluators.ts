// Quota evaluators (upstream quota.Evaluator: the pod evaluator and the generic object count evaluator): for one
// resource, which quota names it measures, whether a quota's scopes select an object, what one object costs, and
// the aggregate usage of a namespace's objects under one quota.
import type { KubeObject } from "../object.js";
import type { Quantity } from "../quantity.js";
import { quantityFromValue } from "../quantity.js";
import { POD_COUNT_NAME, podConstraintsError, podUsage } from "./pod-usage.js";
import { add, mask, parseResourceList } from "./resource-list.js";
import { podMatchesScope, type ScopeRequirement, scopeSelectorsOf } from "./scopes.js";

export interface GroupResource {
  group: string;
  resource: string;
}

export interface QuotaEvaluator extends GroupResource {
  /** The names among `names` this evaluator measures. */
  matchingResources(names: Iterable<string>): string[];
  /** Whether `obj` falls within one scope requirement. */
  matchesScope(req: ScopeRequirement, obj: KubeObject): boolean;
  /** What `obj` costs, by quota name (`now` decides whether a deleted pod still counts). */
  usage(obj: KubeObject, now: number): Map<string, Quantity>;
  /** Why `obj` cannot be admitted under quotas that constrain `required`, or undefined. */
  constraints(required: Iterable<string>, obj: KubeObject): string | undefined;
}

/** ObjectCountQuotaResourceNameFor: `count/pods`, `count/daemonsets.apps`. */
export const objectCountName = (gr: GroupResource): string =>
  gr.group === "" ? `count/${gr.resource}` : `count/${gr.resource}.${gr.group}`;

/** The legacy names core kinds are also counted under (upstream registers them as aliases). */
const LEGACY_COUNT_ALIASES: Readonly<Record<string, string>> = {
  configmaps: "configmaps",
  secrets: "secrets",
  resourcequotas: "resourcequotas",
  replicationcontrollers: "replicationcontrollers",
  persistentvolumeclaims: "persistentvolumeclaims",
  services: "services",
};

const POD_NAMES = new Set([
  POD_COUNT_NAME,
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
]);

/** helper.IsNativeResource: unprefixed names and names in a kubernetes.io domain. */
const isNative = (name: string): boolean => !name.includes("/") || name.includes("kubernetes.io/");

/** A name the pod evaluator measures: the fixed set, hugepages and `requests.<extended resource>`. */
function isPodQuotaName(name: string): boolean {
  if (POD_NAMES.has(name)) return true;
  if (name.startsWith("hugepages-") || name.startsWith("requests.hugepages-")) return true;
  return !isNative(name) && name.startsWith("requests.");
}

export const podEvaluator: QuotaEvaluator = {
  group: "",
  resource: "pods",
  matchingResources: (names) => [...names].filter(isPodQuotaName),
  matchesScope: podMatchesScope,
  usage: podUsage,
  constraints: podConstraintsError,
};

/** generic.NewObjectCountEvaluator: one of each object, under its count name and its legacy alias if any. */
export function objectCountEvaluator(gr: GroupResource): QuotaEvaluator {
  const names = [objectCountName(gr)];
  const alias = gr.group === "" ? LEGACY_COUNT_ALIASES[gr.resource] : undefined;
  if (alias) names.push(alias);
  return {
    group: gr.group,
    resource: gr.resource,
    matchingResources: (input) => [...input].filter((n) => names.includes(n)),
    // Object counts know no scopes: a scoped quota never counts them (MatchesNoScopeFunc).
    matchesScope: () => false,
    usage: () => new Map(names.map((n) => [n, quantityFromValue(1)])),
    constraints: () => undefined,
  };
}

/** The evaluator of a resource: pods have their own, every other kind is counted. */
export function evaluatorFor(gr: GroupResource): QuotaEvaluator {
  if (gr.group === "" && gr.resource === "pods") return podEvaluator;
  return objectCountEvaluator(gr);
}

/**
 * The resource a quota name measures: `count/<resource>[.<group>]`, a legacy alias, or a pod compute name;
 * undefined for names nothing measures (`storage`-class names of kinds this server does not serve included).
 */
export function resourceForQuotaName(name: string): GroupResource | undefined {
  if (name.startsWith("count/")) {
    const rest = name.slice("count/".length);
    const dot = rest.indexOf(".");
    if (rest === "" || dot === 0) return undefined;
    return dot < 0
      ? { group: "", resource: rest }
      : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
  }
  if (isPodQuotaName(name)) return { group: "", resource: "pods" };
  const alias = Object.entries(LEGACY_COUNT_ALIASES).find(([, a]) => a === name);
  return alias ? { group: "", resource: alias[0] } : undefined;
}

/** The quota's hard limits (spec.hard), parsed. */
export const hardOf = (quota: KubeObject): Map<string, Quantity> => parseResourceList(quota.spec?.hard);

/**
 * generic.Matches: the quota constrains at least one name the evaluator measures, and the object falls within
 * every scope of the quota.
 */
export function quotaMatches(evaluator: QuotaEvaluator, quota: KubeObject, obj: KubeObject): boolean {
  if (evaluator.matchingResources(hardOf(quota).keys()).length === 0) return false;
  return scopeSelectorsOf(quota).every((req) => evaluator.matchesScope(req, obj));
}

/**
 * CalculateUsageStats for one evaluator: the summed usage of the objects the quota's scopes select, for the
 * quota's names this evaluator measures (each starting at zero, so an unused name reads 0).
 */
export function calculateUsage(
  evaluator: QuotaEvaluator,
  quota: KubeObject,
  objects: Iterable<KubeObject>,
  now: number,
): Map<string, Quantity> {
  const names = evaluator.matchingResources(hardOf(quota).keys());
  let used = new Map<string, Quantity>(names.map((n) => [n, quantityFromValue(0)]));
  if (names.length === 0) return used;
  const selectors = scopeSelectorsOf(quota);
  for (const obj of objects) {
    if (!selectors.every((req) => evaluator.matchesScope(req, obj))) continue;
    used = add(used, mask(evaluator.usage(obj, now), names));
  }
  return used;
}
