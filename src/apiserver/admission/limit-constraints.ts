// The checks one LimitRange item makes of a container's or a pod's requests and limits (upstream limitranger's
// minConstraint, maxConstraint and limitRequestRatioConstraint as of 1.32), with their messages word for word:
// clients and users read them in the 403 that refuses the pod.
import type { Quantity } from "../../api/quantity.js";
import { parseResourceList } from "../../api/quota/resource-list.js";

export type ResourceList = ReadonlyMap<string, Quantity>;

/** resource.MaxMilliValue: the largest whole amount whose milli-value fits in an int64. */
const MAX_MILLI_VALUE = (2n ** 63n - 1n) / 1000n;

/**
 * requestLimitEnforcedValues: the three amounts in milli-units when all of them allow it, else in whole units
 * (rounded up). An absent amount is Go's zero Quantity.
 */
function comparable(
  request: Quantity | undefined,
  limit: Quantity | undefined,
  enforced: Quantity,
): [bigint, bigint, bigint] {
  const whole = [request?.value() ?? 0n, limit?.value() ?? 0n, enforced.value()];
  if (whole.every((v) => v <= MAX_MILLI_VALUE)) {
    return [request?.milliValue() ?? 0n, limit?.milliValue() ?? 0n, enforced.milliValue()];
  }
  return [whole[0], whole[1], whole[2]];
}

/** What one check sees: the item's type and bound, and the requests and limits it bounds. */
export interface ConstraintInput {
  limitType: string;
  resource: string;
  enforced: Quantity;
  requests: ResourceList;
  limits: ResourceList;
}

export function minConstraint(c: ConstraintInput): string | undefined {
  const req = c.requests.get(c.resource);
  const lim = c.limits.get(c.resource);
  const [observedReq, observedLim, enforced] = comparable(req, lim, c.enforced);
  const prefix = `minimum ${c.resource} usage per ${c.limitType} is ${c.enforced}`;
  if (!req) return `${prefix}.  No request is specified`;
  if (observedReq < enforced) return `${prefix}, but request is ${req}`;
  if (lim && observedLim < enforced) return `${prefix}, but limit is ${lim}`;
  return undefined;
}

export function maxConstraint(c: ConstraintInput): string | undefined {
  const req = c.requests.get(c.resource);
  const lim = c.limits.get(c.resource);
  const [observedReq, observedLim, enforced] = comparable(req, lim, c.enforced);
  const prefix = `maximum ${c.resource} usage per ${c.limitType} is ${c.enforced}`;
  if (!lim) return `${prefix}.  No limit is specified`;
  if (observedLim > enforced) return `${prefix}, but limit is ${lim}`;
  if (req && observedReq > enforced) return `${prefix}, but request is ${req}`;
  return undefined;
}

export function limitRequestRatioConstraint(c: ConstraintInput): string | undefined {
  const req = c.requests.get(c.resource);
  const lim = c.limits.get(c.resource);
  const [observedReq, observedLim] = comparable(req, lim, c.enforced);
  const prefix = `${c.resource} max limit to request ratio per ${c.limitType} is ${c.enforced}`;
  if (!req || observedReq === 0n) return `${prefix}, but no request is specified or request is 0`;
  if (!lim || observedLim === 0n) return `${prefix}, but no limit is specified or limit is 0`;
  // Upstream compares floats: the observed ratio against the bound, both scaled to milli when the bound allows.
  const displayed = Number(observedLim) / Number(observedReq);
  let observed = displayed;
  let allowed = Number(c.enforced.value());
  if (c.enforced.value() <= MAX_MILLI_VALUE) {
    observed *= 1000;
    allowed = Number(c.enforced.milliValue());
  }
  if (observed > allowed) return `${prefix}, but provided ratio is ${displayed.toFixed(6)}`;
  return undefined;
}

/** A LimitRange item's bounds as parsed lists (wire JSON in, quantities out). */
export interface ItemBounds {
  type: string;
  min: ResourceList;
  max: ResourceList;
  maxLimitRequestRatio: ResourceList;
}

export function boundsOf(item: Record<string, unknown>): ItemBounds {
  return {
    type: typeof item.type === "string" ? item.type : "",
    min: parseResourceList(item.min),
    max: parseResourceList(item.max),
    maxLimitRequestRatio: parseResourceList(item.maxLimitRequestRatio),
  };
}

/** Every min, max and ratio bound of the item checked against one requests/limits pair, in name order. */
export function checkBounds(item: ItemBounds, requests: ResourceList, limits: ResourceList): string[] {
  const failures: string[] = [];
  const run = (bounds: ResourceList, check: (c: ConstraintInput) => string | undefined) => {
    for (const resource of [...bounds.keys()].sort()) {
      const failure = check({
        limitType: item.type,
        resource,
        enforced: bounds.get(resource)!,
        requests,
        limits,
      });
      if (failure) failures.push(failure);
    }
  };
  run(item.min, minConstraint);
  run(item.max, maxConstraint);
  run(item.maxLimitRequestRatio, limitRequestRatioConstraint);
  return failures;
}
