// The quota admission decision for one new object (upstream CheckRequest for a create): which quotas it falls
// under, whether it satisfies their constraints, and whether its cost fits within each quota's hard limits given
// the usage so far. Pure: the caller supplies the usage and turns a refusal into a 403.
import type { KubeObject } from "../object.js";
import type { Quantity } from "../quantity.js";
import { hardOf, type QuotaEvaluator, quotaMatches } from "./evaluators.js";
import { add, lessThanOrEqual, mask, negativeNames, prettyPrint, removeZeros } from "./resource-list.js";

/** What the object adds to one quota it fits in. */
export interface QuotaCharge {
  quota: KubeObject;
  /** The object's cost, restricted to the names the quota limits. */
  requested: Map<string, Quantity>;
  /** The quota's usage of those names once the object is counted. */
  newUsage: Map<string, Quantity>;
}

export type QuotaDecision = { allowed: true; charges: QuotaCharge[] } | { allowed: false; message: string };

/**
 * Decides a create. `quotas` are the namespace's quotas (checked in name order, the first refusal wins);
 * `usedFor(quota)` is the quota's current usage of the names the evaluator measures. Messages are upstream's:
 * `failed quota: <name>: must specify …` and `exceeded quota: <name>, requested: …, used: …, limited: …`.
 */
export function checkCreate(
  evaluator: QuotaEvaluator,
  quotas: readonly KubeObject[],
  obj: KubeObject,
  now: number,
  usedFor: (quota: KubeObject) => ReadonlyMap<string, Quantity>,
): QuotaDecision {
  const sorted = [...quotas].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const interesting: KubeObject[] = [];
  for (const quota of sorted) {
    if (!quotaMatches(evaluator, quota, obj)) continue;
    const restricted = evaluator.matchingResources(hardOf(quota).keys());
    const problem = evaluator.constraints(restricted, obj);
    if (problem) return { allowed: false, message: `failed quota: ${quota.metadata.name}: ${problem}` };
    interesting.push(quota);
  }
  if (interesting.length === 0) return { allowed: true, charges: [] };
  const usage = evaluator.usage(obj, now);
  const negative = negativeNames(usage);
  if (negative.length > 0) {
    return { allowed: false, message: `quota usage is negative for resource(s): ${negative.join(",")}` };
  }
  const delta = removeZeros(usage);
  if (delta.size === 0) return { allowed: true, charges: [] };
  const charges: QuotaCharge[] = [];
  for (const quota of interesting) {
    const hard = hardOf(quota);
    const requested = mask(delta, hard.keys());
    if (requested.size === 0) continue;
    const used = usedFor(quota);
    const newUsage = mask(add(used, requested), requested.keys());
    const { allowed, exceeded } = lessThanOrEqual(newUsage, hard);
    if (!allowed) {
      return {
        allowed: false,
        message: `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(used, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`,
      };
    }
    charges.push({ quota, requested, newUsage });
  }
  return { allowed: true, charges };
}
