// The ownership rules of server-side apply (structured-merge-diff's merge.Updater), over one object version:
// - an update takes every field it adds or changes, and whoever owned a field the write removed loses it;
// - an apply merges its configuration, owns exactly the configuration's fields, removes fields it applied
//   before and no longer applies unless someone else owns them, and fails with conflicts when it would
//   change another manager's field (unless forced, which takes the field away from that manager).
import { jsonEqual } from "../../api/equal.js";
import type { Schema } from "../../api/schema/types.js";
import { compareObjects, excludeFromComparison } from "./compare.js";
import { ApplyConflicts } from "./conflicts.js";
import { FieldSet } from "./field-set.js";
import type { VersionedSet } from "./managed-fields.js";
import { mergeValues } from "./merge.js";
import { ensureNamedFieldsAreMembers, removeItems } from "./remove-items.js";
import { toFieldSet } from "./to-field-set.js";

export type ManagerSets = Map<string, VersionedSet>;

export interface UpdaterContext {
  schema: Schema | undefined;
  /** The version every set is expressed in; sets of other versions cannot be converted and are dropped. */
  apiVersion: string;
  /** Fields the strategy resets for this request (status on the main resource, spec on /status). */
  ignored?: FieldSet;
}

/** Takes away from other managers what `workflow` changed (conflicts unless `force`) or removed. */
function settleOwnership(
  oldObject: unknown,
  newObject: unknown,
  managers: ManagerSets,
  workflow: string,
  force: boolean,
  ctx: UpdaterContext,
) {
  const comparison = excludeFromComparison(compareObjects(oldObject, newObject, ctx.schema), ctx.ignored);
  const changed = comparison.modified.union(comparison.added);
  const conflicts = new Map<string, FieldSet>();
  const out: ManagerSets = new Map();
  for (const [manager, vs] of managers) {
    if (manager === workflow) {
      out.set(manager, vs);
      continue;
    }
    if (vs.apiVersion !== ctx.apiVersion) continue;
    const conflict = vs.set.intersection(changed);
    if (!conflict.isEmpty()) conflicts.set(manager, conflict);
    out.set(manager, vs);
  }
  if (!force && conflicts.size > 0) throw ApplyConflicts.fromSets(conflicts);
  for (const [manager, vs] of out) {
    if (manager === workflow) continue;
    let set = vs.set;
    const conflict = conflicts.get(manager);
    if (conflict) set = set.difference(conflict);
    if (!comparison.removed.isEmpty()) set = set.difference(comparison.removed);
    if (set.isEmpty()) out.delete(manager);
    else if (set !== vs.set) out.set(manager, { ...vs, set });
  }
  for (const [manager, vs] of out) if (vs.set.isEmpty()) out.delete(manager);
  return { managers: out, comparison };
}

/** Records a create, update or patch by `manager`: returns the new ownership. */
export function recordUpdate(
  live: unknown,
  next: unknown,
  managers: ManagerSets,
  manager: string,
  ctx: UpdaterContext,
): ManagerSets {
  const { managers: out, comparison } = settleOwnership(live, next, managers, manager, true, ctx);
  let set = (out.get(manager)?.set ?? new FieldSet())
    .difference(comparison.removed)
    .union(comparison.modified)
    .union(comparison.added);
  if (ctx.ignored) set = set.recursiveDifference(ctx.ignored);
  if (set.isEmpty()) out.delete(manager);
  else out.set(manager, { set, apiVersion: ctx.apiVersion, applied: false });
  return out;
}

export interface ApplyResult {
  /** The merged object, or undefined when applying changed nothing. */
  object: unknown;
  managers: ManagerSets;
}

/** Applies `config` for `manager`; throws ApplyConflicts unless `force`. */
export function applyConfiguration(
  live: unknown,
  config: unknown,
  managers: ManagerSets,
  manager: string,
  force: boolean,
  ctx: UpdaterContext,
): ApplyResult {
  const merged = mergeValues(live, config, ctx.schema);
  const lastSet = managers.get(manager);
  let set = toFieldSet(config, ctx.schema);
  if (ctx.ignored) set = set.recursiveDifference(ctx.ignored);
  const withConfig: ManagerSets = new Map(managers);
  withConfig.set(manager, { set, apiVersion: ctx.apiVersion, applied: true });
  const pruned = prune(merged, withConfig, lastSet, ctx);
  const { managers: out } = settleOwnership(live, pruned, withConfig, manager, force, ctx);
  return { object: jsonEqual(live, pruned) ? undefined : pruned, managers: out };
}

/**
 * Removes what the applier owned last time and no longer applies, unless another manager (or the new
 * configuration) owns it. Mirrors upstream's three passes: remove everything last applied, add back what
 * anyone owns, then restore anything removed that was not last applied.
 */
function prune(
  merged: unknown,
  managers: ManagerSets,
  lastSet: VersionedSet | undefined,
  ctx: UpdaterContext,
): unknown {
  if (!lastSet || lastSet.set.isEmpty() || lastSet.apiVersion !== ctx.apiVersion) return merged;
  const ensure = (s: FieldSet) => ensureNamedFieldsAreMembers(s, ctx.schema);
  const setOf = (v: unknown) => ensure(toFieldSet(v, ctx.schema));
  const last = ensure(lastSet.set);
  let managed = new FieldSet();
  for (const vs of managers.values()) if (vs.apiVersion === ctx.apiVersion) managed = managed.union(vs.set);

  const mergedSet = setOf(merged);
  const removedAll = removeItems(merged, last, ctx.schema);
  const ownedBack = removeItems(
    merged,
    mergedSet.difference(setOf(removedAll).union(ensure(managed))),
    ctx.schema,
  );
  return removeItems(merged, mergedSet.difference(setOf(ownedBack)).intersection(last), ctx.schema);
}
