// Taints and tolerations as in k8s.io/component-helpers/scheduling/corev1 and core/v1 helpers: whether a toleration
// tolerates a taint, the first untolerated taint of a node, and upstream's add-or-update of a pod's tolerations.
import type { Taint, Toleration } from "kubernetes-types/core/v1.js";

export type { Taint, Toleration };

export const TaintEffect = {
  NoSchedule: "NoSchedule",
  PreferNoSchedule: "PreferNoSchedule",
  NoExecute: "NoExecute",
} as const;

/** The taints that the node lifecycle controller and kubelet put on nodes (v1.TaintNode*). */
export const WellKnownTaint = {
  NotReady: "node.kubernetes.io/not-ready",
  Unreachable: "node.kubernetes.io/unreachable",
  Unschedulable: "node.kubernetes.io/unschedulable",
  MemoryPressure: "node.kubernetes.io/memory-pressure",
  DiskPressure: "node.kubernetes.io/disk-pressure",
  PIDPressure: "node.kubernetes.io/pid-pressure",
  NetworkUnavailable: "node.kubernetes.io/network-unavailable",
} as const;

export interface TolerationOptions {
  /**
   * Accept the `Lt`/`Gt` toleration operators (alpha TaintTolerationComparisonOperators, off by default in
   * 1.31-1.34, where such a toleration tolerates nothing).
   */
  comparisonOperators?: boolean;
}

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64), undefined when it would fail. */
function parseInt64(s: string | undefined): bigint | undefined {
  if (s === undefined || !INT64_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * Toleration.ToleratesTaint: an empty effect matches every effect, an empty key matches every key (only valid
 * with Exists), Exists ignores the value, Equal (or no operator) needs the same value. tolerationSeconds plays no
 * part: whether and how long a NoExecute taint is tolerated is the taint manager's business.
 */
export function tolerationToleratesTaint(
  toleration: Toleration,
  taint: Taint,
  options: TolerationOptions = {},
): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "") {
    case "":
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    case "Lt":
    case "Gt": {
      if (!options.comparisonOperators) return false;
      const bound = parseInt64(toleration.value);
      const actual = parseInt64(taint.value);
      if (bound === undefined || actual === undefined) return false;
      return toleration.operator === "Lt" ? actual < bound : actual > bound;
    }
    default:
      return false;
  }
}

/** TolerationsTolerateTaint: true when any toleration tolerates the taint. */
export function tolerationsTolerateTaint(
  tolerations: readonly Toleration[] | undefined,
  taint: Taint,
  options?: TolerationOptions,
): boolean {
  return (tolerations ?? []).some((t) => tolerationToleratesTaint(t, taint, options));
}

export type TaintFilter = (taint: Taint) => boolean;

/**
 * FindMatchingUntoleratedTaint: the first taint accepted by `filter` (all taints when omitted) that no toleration
 * tolerates, or undefined when every such taint is tolerated.
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  filter?: TaintFilter,
  options?: TolerationOptions,
): Taint | undefined {
  for (const taint of taints ?? []) {
    if (filter && !filter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint, options)) return taint;
  }
  return undefined;
}

/** The taints that keep new pods off a node (the scheduler's TaintToleration filter and the DaemonSet's). */
export const isNoScheduleOrNoExecute: TaintFilter = (t) =>
  t.effect === TaintEffect.NoSchedule || t.effect === TaintEffect.NoExecute;

/** The taints that evict running pods. */
export const isNoExecute: TaintFilter = (t) => t.effect === TaintEffect.NoExecute;

/** The taints that only lower a node's score. */
export const isPreferNoSchedule: TaintFilter = (t) => t.effect === TaintEffect.PreferNoSchedule;

/** Taint.MatchTaint: taints are unique per key and effect. */
export function taintMatches(a: Taint, b: Taint): boolean {
  return a.key === b.key && (a.effect ?? "") === (b.effect ?? "");
}

/** Taint.ToString: `key=value:effect`, dropping the parts that are empty. */
export function taintToString(t: Taint): string {
  const value = t.value ?? "";
  const effect = t.effect ?? "";
  if (effect === "") return value === "" ? t.key : `${t.key}=${value}:`;
  return value === "" ? `${t.key}:${effect}` : `${t.key}=${value}:${effect}`;
}

/** Toleration.MatchToleration: tolerations are considered the same when key, effect, operator and value agree. */
export function tolerationMatches(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? "") === (b.key ?? "") &&
    (a.effect ?? "") === (b.effect ?? "") &&
    (a.operator ?? "") === (b.operator ?? "") &&
    (a.value ?? "") === (b.value ?? "")
  );
}

const sameToleration = (a: Toleration, b: Toleration): boolean =>
  tolerationMatches(a, b) && a.tolerationSeconds === b.tolerationSeconds;

/**
 * AddOrUpdateTolerationInPodSpec on a list: every matching toleration (same key, effect, operator and value) is
 * replaced by `toleration`, which drops any tolerationSeconds it carried; without a match it is appended. The
 * input is not modified; when it already holds `toleration` exactly, it is returned as is.
 */
export function addOrUpdateToleration(
  tolerations: readonly Toleration[] | undefined,
  toleration: Toleration,
): Toleration[] {
  const current = tolerations ?? [];
  let replaced = false;
  const result: Toleration[] = [];
  for (const existing of current) {
    if (!tolerationMatches(toleration, existing)) {
      result.push(existing);
      continue;
    }
    if (sameToleration(toleration, existing)) return [...current];
    result.push({ ...toleration });
    replaced = true;
  }
  if (!replaced) result.push({ ...toleration });
  return result;
}
