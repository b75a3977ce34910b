// The RollingUpdate limits of a DaemonSet (util.SurgeCount, util.UnavailableCount, updatedDesiredNodeCounts):
// ints or percentages of the desired node count, percentages rounded up.
import { scaledValueFromIntOrPercent } from "../../api/int-or-string.js";
import type { DaemonSetLike } from "./types.js";

export { scaledValueFromIntOrPercent };

function rollingUpdateOf(ds: DaemonSetLike) {
  const strategy = ds.spec?.updateStrategy;
  // A missing type is defaulted to RollingUpdate by the API; only an explicit OnDelete (or anything else) opts out.
  if ((strategy?.type ?? "RollingUpdate") !== "RollingUpdate") return undefined;
  return strategy?.rollingUpdate;
}

/**
 * util.SurgeCount: how many nodes may run an extra new pod, out of `desired`. 0 for OnDelete, without a
 * rollingUpdate block, or when maxSurge is unset (its default). Throws on an invalid value.
 */
export function surgeCount(ds: DaemonSetLike, desired: number): number {
  const maxSurge = rollingUpdateOf(ds)?.maxSurge;
  return maxSurge === undefined ? 0 : scaledValueFromIntOrPercent(maxSurge, desired);
}

/**
 * util.UnavailableCount: how many desired nodes may be without an available pod. 0 for OnDelete or without a
 * rollingUpdate block; an unset maxUnavailable takes the API default of 1. Throws on an invalid value.
 */
export function unavailableCount(ds: DaemonSetLike, desired: number): number {
  const rollingUpdate = rollingUpdateOf(ds);
  if (!rollingUpdate) return 0;
  return scaledValueFromIntOrPercent(rollingUpdate.maxUnavailable ?? 1, desired);
}

/** util.AllowsSurge: any positive maxSurge (a percentage of one node rounds up to 1); invalid values do not. */
export function allowsSurge(ds: DaemonSetLike): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    return false;
  }
}

export interface RollingUpdateLimits {
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * The limits rollingUpdate works with for `desired` nodes. When both resolve to 0 on a non-empty DaemonSet (which
 * validation forbids, but e.g. 0% of few nodes can still produce), one unavailable node is allowed so the update
 * can progress. Throws `invalid value for MaxUnavailable|MaxSurge: …` on invalid values.
 */
export function rollingUpdateLimits(ds: DaemonSetLike, desired: number): RollingUpdateLimits {
  let maxUnavailable: number;
  let maxSurge: number;
  try {
    maxUnavailable = unavailableCount(ds, desired);
  } catch (e) {
    throw new Error(`invalid value for MaxUnavailable: ${(e as Error).message}`);
  }
  try {
    maxSurge = surgeCount(ds, desired);
  } catch (e) {
    throw new Error(`invalid value for MaxSurge: ${(e as Error).message}`);
  }
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}
