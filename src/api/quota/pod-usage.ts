// What a pod costs in quota (upstream pkg/quota/v1/evaluator/core/pods.go with resourcehelper.PodRequests and
// PodLimits, 1.32 defaults: no in-place resize, no pod-level resources): its requests and limits summed over
// containers, sidecars and the largest init container, the compute names they charge, whether a terminal or
// long-deleted pod still counts, and which containers lack the requests a cpu/memory quota insists on.
import type { KubeObject } from "../object.js";
import type { Quantity } from "../quantity.js";
import { quantityFromValue } from "../quantity.js";
import { isExtendedResourceName } from "../validation/pod-resources.js";
import { add, parseResourceList } from "./resource-list.js";

type Container = {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: unknown; limits?: unknown };
};
type PickList = (container: Container) => unknown;

/** The count name of pods in quota (generic.ObjectCountQuotaResourceNameFor of core pods). */
export const POD_COUNT_NAME = "count/pods";

/** maxResourceList: every name of `list` takes the larger of both amounts. */
function maxInto(target: Map<string, Quantity>, list: ReadonlyMap<string, Quantity>): void {
  for (const [name, q] of list) {
    const current = target.get(name);
    if (!current || q.cmp(current) > 0) target.set(name, q);
  }
}

/**
 * AggregateContainerRequests / AggregateContainerLimits: regular containers and restartable (sidecar) init
 * containers run together; while an ordinary init container runs, the sidecars started before it run too, so the
 * pod needs the larger of the two phases.
 */
export function aggregateContainers(spec: any, pick: PickList): Map<string, Quantity> {
  let total = new Map<string, Quantity>();
  for (const c of (spec?.containers ?? []) as Container[]) total = add(total, parseResourceList(pick(c)));
  let sidecars = new Map<string, Quantity>();
  const initPeak = new Map<string, Quantity>();
  for (const c of (spec?.initContainers ?? []) as Container[]) {
    const own = parseResourceList(pick(c));
    if (c?.restartPolicy === "Always") {
      total = add(total, own);
      sidecars = add(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      maxInto(initPeak, add(own, sidecars));
    }
  }
  maxInto(total, initPeak);
  return total;
}

/** resourcehelper.PodRequests: the aggregate plus the pod overhead. */
export function podRequests(pod: KubeObject): Map<string, Quantity> {
  const requests = aggregateContainers(pod.spec, (c) => c?.resources?.requests);
  return add(requests, parseResourceList(pod.spec?.overhead));
}

/** resourcehelper.PodLimits: the aggregate, with the overhead added only to limits that are set. */
export function podLimits(pod: KubeObject): Map<string, Quantity> {
  const limits = aggregateContainers(pod.spec, (c) => c?.resources?.limits);
  for (const [name, q] of parseResourceList(pod.spec?.overhead)) {
    const limit = limits.get(name);
    if (limit) limits.set(name, limit.add(q));
  }
  return limits;
}

const COMPUTE = ["cpu", "memory", "ephemeral-storage"] as const;

/**
 * podComputeUsageHelper: `pods` 1, each of cpu/memory/ephemeral-storage under its bare and `requests.` names and
 * its limit under `limits.`, hugepages under their own and `requests.` names, extended resources as `requests.`.
 */
export function podComputeUsage(
  requests: ReadonlyMap<string, Quantity>,
  limits: ReadonlyMap<string, Quantity>,
): Map<string, Quantity> {
  const usage = new Map<string, Quantity>([["pods", quantityFromValue(1)]]);
  for (const name of COMPUTE) {
    const request = requests.get(name);
    if (request) {
      usage.set(name, request);
      usage.set(`requests.${name}`, request);
    }
    const limit = limits.get(name);
    if (limit) usage.set(`limits.${name}`, limit);
  }
  for (const [name, request] of requests) {
    if (name.startsWith("hugepages-")) {
      usage.set(name, request);
      usage.set(`requests.${name}`, request);
    }
    if (isExtendedResourceName(name)) usage.set(`requests.${name}`, request);
  }
  return usage;
}

/**
 * QuotaV1Pod: terminal pods (Succeeded, Failed) are not charged, nor pods whose deletion deadline plus grace
 * period has passed (a lost node must not hold quota forever).
 */
export function podChargedForCompute(pod: KubeObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  const deletion = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (deletion && grace !== undefined && grace !== null) {
    if (now > Date.parse(deletion) + grace * 1000) return false;
  }
  return true;
}

/** PodUsageFunc: count/pods always (it counts what is stored), compute names while the pod is charged. */
export function podUsage(pod: KubeObject, now: number): Map<string, Quantity> {
  const usage = new Map<string, Quantity>([[POD_COUNT_NAME, quantityFromValue(1)]]);
  if (!podChargedForCompute(pod, now)) return usage;
  return add(usage, podComputeUsage(podRequests(pod), podLimits(pod)));
}

/**
 * The names that a cpu/memory quota requires every container to set explicitly (upstream's validationSet, a
 * backward-compatibility rule it keeps for these six names only).
 */
const EXPLICIT_NAMES = new Set([
  "cpu",
  "memory",
  "requests.cpu",
  "requests.memory",
  "limits.cpu",
  "limits.memory",
]);

/**
 * podEvaluator.Constraints: "must specify limits.cpu for: a,b; requests.memory for: b" when containers lack a
 * request or limit one of the matching quotas constrains; undefined when every container sets them.
 */
export function podConstraintsError(required: Iterable<string>, pod: KubeObject): string | undefined {
  const needed = [...new Set(required)].filter((n) => EXPLICIT_NAMES.has(n));
  if (needed.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as Container[];
  for (const c of containers) {
    const set = podComputeUsage(
      parseResourceList(c?.resources?.requests),
      parseResourceList(c?.resources?.limits),
    );
    for (const name of needed) {
      if (set.has(name)) continue;
      const names = missing.get(name) ?? new Set<string>();
      missing.set(name, names);
      names.add(c?.name ?? "");
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()]
    .sort()
    .map((name) => `${name} for: ${[...missing.get(name)!].sort().join(",")}`);
  return `must specify ${parts.join("; ")}`;
}
