// The taints the node lifecycle controller owns: which NoSchedule taints a node's conditions and cordon call
// for (upstream doNoScheduleTaintingPass), the NoExecute not-ready/unreachable pair, and the write that swaps
// taints on a node (SwapNodeControllerTaint: the whole list in a strategic merge patch guarded by the
// resourceVersion, since spec.taints is an atomic list).

import { jsonEqual } from "../../api/equal.js";
import { isConflict, isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { findResource } from "../../api/resources.js";
import { type Taint, TaintEffect, taintMatches, WellKnownTaint } from "../../api/scheduling/taints.js";
import type { Client } from "../../client/client.js";
import { rfc3339 } from "./node-conditions.js";

export const NODES = findResource("", "v1", "nodes")!;

export const UNREACHABLE_TAINT: Taint = { key: WellKnownTaint.Unreachable, effect: TaintEffect.NoExecute };
export const NOT_READY_TAINT: Taint = { key: WellKnownTaint.NotReady, effect: TaintEffect.NoExecute };

/** Which taint key a condition in a given status calls for (upstream nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: WellKnownTaint.NotReady, Unknown: WellKnownTaint.Unreachable },
  MemoryPressure: { True: WellKnownTaint.MemoryPressure },
  DiskPressure: { True: WellKnownTaint.DiskPressure },
  NetworkUnavailable: { True: WellKnownTaint.NetworkUnavailable },
  PIDPressure: { True: WellKnownTaint.PIDPressure },
};

const CONDITION_TAINT_KEYS = new Set(
  Object.values(CONDITION_TAINTS).flatMap((byStatus) => Object.values(byStatus)),
);

/** Upstream retries a taint update this many times (UpdateTaintBackoff steps). */
const TAINT_UPDATE_ATTEMPTS = 5;

/** The NoSchedule taints the node's conditions and spec.unschedulable call for. */
export function desiredNoScheduleTaints(node: KubeObject): Taint[] {
  const taints: Taint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[condition.type]?.[condition.status];
    if (key) taints.push({ key, effect: TaintEffect.NoSchedule });
  }
  if (node.spec?.unschedulable)
    taints.push({ key: WellKnownTaint.Unschedulable, effect: TaintEffect.NoSchedule });
  return taints;
}

/** The node's NoSchedule taints that this controller manages (condition taints and unschedulable). */
export function managedNoScheduleTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter(
    (t) =>
      t.effect === TaintEffect.NoSchedule &&
      (t.key === WellKnownTaint.Unschedulable || CONDITION_TAINT_KEYS.has(t.key)),
  );
}

/** Taints in `desired` but not `current`, and in `current` but not `desired`, matched by key and effect. */
export function taintSetDiff(
  desired: readonly Taint[],
  current: readonly Taint[],
): { toAdd: Taint[]; toRemove: Taint[] } {
  return {
    toAdd: desired.filter((d) => !current.some((c) => taintMatches(c, d))),
    toRemove: current.filter((c) => !desired.some((d) => taintMatches(c, d))),
  };
}

export function taintExists(taints: readonly Taint[] | undefined, taint: Taint): boolean {
  return (taints ?? []).some((t) => taintMatches(t, taint));
}

/**
 * The taint list after adding `add` (replacing a taint of the same key and effect unless identical, as
 * upstream AddOrUpdateTaint) and dropping those matching `remove`; undefined when nothing changes.
 */
export function swapTaints(
  current: readonly Taint[],
  add: readonly Taint[],
  remove: readonly Taint[],
): Taint[] | undefined {
  let next = [...current];
  let changed = false;
  for (const taint of add) {
    const index = next.findIndex((t) => taintMatches(t, taint));
    if (index < 0) next.push(taint);
    else if (!jsonEqual(next[index], taint)) next[index] = taint;
    else continue;
    changed = true;
  }
  const kept = next.filter((t) => !remove.some((r) => taintMatches(t, r)));
  if (kept.length !== next.length) changed = true;
  next = kept;
  return changed ? next : undefined;
}

/**
 * Adds `add` (stamped with timeAdded = now) and removes `remove` on the node, starting from `cached` (the
 * informer's copy) and rereading it live after a conflict. A node that is gone needs nothing.
 */
export async function swapNodeTaints(
  client: Client,
  cached: KubeObject | undefined,
  name: string,
  add: readonly Taint[],
  remove: readonly Taint[],
  now: number,
): Promise<void> {
  const stamped = add.map((t) => ({ ...t, timeAdded: rfc3339(now) }));
  let node = cached;
  for (let attempt = 1; ; attempt++) {
    try {
      node ??= await client.get(NODES, undefined, name);
      const next = swapTaints(node.spec?.taints ?? [], stamped, remove);
      if (!next) return;
      await client.patch(NODES, undefined, name, "strategic", {
        metadata: { resourceVersion: node.metadata.resourceVersion },
        spec: { taints: next.length > 0 ? next : null },
      });
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err) || attempt >= TAINT_UPDATE_ATTEMPTS) throw err;
      node = undefined;
    }
  }
}
