// Quota scopes (upstream getScopeSelectorsFromQuota and podMatchesScopeFunc): a quota's `scopes` and
// `scopeSelector` narrow which pods it counts — terminating or not, best-effort or not, by priority class, or
// using cross-namespace pod affinity. Kinds other than pods match no scope at all.
import { selectorFromLabelSelector } from "../labels.js";
import type { KubeObject } from "../object.js";
import { parseQuantity } from "../quantity.js";

/** corev1.ScopedResourceSelectorRequirement. */
export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: readonly string[];
}

/** Every scope of the quota as a requirement: `scopes` entries as Exists, then the selector's expressions. */
export function scopeSelectorsOf(quota: KubeObject): ScopeRequirement[] {
  const out: ScopeRequirement[] = [];
  for (const scope of (quota.spec?.scopes ?? []) as string[])
    out.push({ scopeName: scope, operator: "Exists" });
  for (const req of (quota.spec?.scopeSelector?.matchExpressions ?? []) as ScopeRequirement[]) out.push(req);
  return out;
}

/** activeDeadlineSeconds ≥ 0 makes a pod "terminating" in quota terms. */
function isTerminating(pod: KubeObject): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  return typeof deadline === "number" && deadline >= 0;
}

/** A cpu or memory amount above zero (QoS ignores zero and unparseable amounts). */
function positive(value: unknown): boolean {
  if (typeof value !== "string" && typeof value !== "number") return false;
  try {
    return parseQuantity(String(value)).sign() > 0;
  } catch {
    return false;
  }
}

/**
 * qos.GetPodQOS == BestEffort: the status class when the server already set it, otherwise no container (regular
 * or init) with a positive cpu or memory request or limit.
 */
export function isBestEffort(pod: KubeObject): boolean {
  const recorded = pod.status?.qosClass;
  if (typeof recorded === "string" && recorded !== "") return recorded === "BestEffort";
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return !containers.some((c: any) =>
    ["requests", "limits"].some((kind) =>
      ["cpu", "memory"].some((name) => positive(c?.resources?.[kind]?.[name])),
    ),
  );
}

/** podMatchesSelector: the priority class as the value of a "PriorityClass" label, absent when unset. */
function matchesPriorityClass(pod: KubeObject, req: ScopeRequirement): boolean {
  const className: string = pod.spec?.priorityClassName ?? "";
  if (req.operator === "Exists") return className !== "";
  try {
    const selector = selectorFromLabelSelector({
      matchExpressions: [{ key: req.scopeName, operator: req.operator, values: req.values ?? [] }],
    });
    return selector.matches(className === "" ? undefined : { [req.scopeName]: className });
  } catch {
    // An unparseable requirement matches nothing (upstream fails the match with an error).
    return false;
  }
}

type AffinityTerm = { namespaces?: unknown[]; namespaceSelector?: unknown };

const crossNamespace = (t: AffinityTerm | undefined): boolean =>
  (t?.namespaces?.length ?? 0) > 0 || (t?.namespaceSelector !== undefined && t?.namespaceSelector !== null);

/** usesCrossNamespacePodAffinity: any (anti-)affinity term naming other namespaces or a namespace selector. */
export function usesCrossNamespacePodAffinity(pod: KubeObject): boolean {
  const affinity = pod.spec?.affinity;
  for (const kind of [affinity?.podAffinity, affinity?.podAntiAffinity]) {
    if (!kind) continue;
    const required = (kind.requiredDuringSchedulingIgnoredDuringExecution ?? []) as AffinityTerm[];
    const preferred = (kind.preferredDuringSchedulingIgnoredDuringExecution ?? []) as {
      podAffinityTerm?: AffinityTerm;
    }[];
    if (required.some(crossNamespace) || preferred.some((w) => crossNamespace(w.podAffinityTerm)))
      return true;
  }
  return false;
}

/** podMatchesScopeFunc: whether the pod falls within one scope requirement. */
export function podMatchesScope(req: ScopeRequirement, pod: KubeObject): boolean {
  switch (req.scopeName) {
    case "Terminating":
      return isTerminating(pod);
    case "NotTerminating":
      return !isTerminating(pod);
    case "BestEffort":
      return isBestEffort(pod);
    case "NotBestEffort":
      return !isBestEffort(pod);
    case "PriorityClass":
      return matchesPriorityClass(pod, req);
    case "CrossNamespacePodAffinity":
      return usesCrossNamespacePodAffinity(pod);
    default:
      return false;
  }
}
