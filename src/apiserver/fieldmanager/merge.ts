// Merges an apply configuration into the live object (structured-merge-diff's Merge): the configuration wins
// for scalars and atomic values, maps merge key by key, and associative lists merge item by item with
// upstream's ordering (items only the live object has keep their place; shared items follow the
// configuration's order).
import type { Schema } from "../../api/schema/types.js";
import type { PathElement } from "./path-element.js";
import { isObject, listItemElement, schemaOfKey, type TypeInfo, typeOf } from "./type-info.js";

/** `undefined` is an absent value; the result is undefined only when both sides are absent. */
export function mergeValues(lhs: unknown, rhs: unknown, schema: Schema | undefined): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  const info = typeOf(schema, rhs !== null ? rhs : lhs);
  if (info.kind === "scalar" || info.atomic) return rhs;
  if (info.kind === "list") {
    const l = Array.isArray(lhs) ? lhs : lhs === null ? [] : undefined;
    const r = Array.isArray(rhs) ? rhs : rhs === null ? [] : undefined;
    if (!l || !r) return rhs;
    if (l.length === 0 && r.length === 0) return rhs;
    const merged = mergeLists(info, l, r);
    return merged.length > 0 ? merged : undefined;
  }
  const l = isObject(lhs) ? lhs : lhs === null ? {} : undefined;
  const r = isObject(rhs) ? rhs : rhs === null ? {} : undefined;
  if (!l || !r) return rhs;
  if (Object.keys(l).length === 0 && Object.keys(r).length === 0) return rhs;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(l)) {
    const v = mergeValues(l[key], r[key], schemaOfKey(info, key));
    if (v !== undefined) out[key] = v;
  }
  for (const key of Object.keys(r)) {
    if (Object.hasOwn(l, key)) continue;
    const v = mergeValues(undefined, r[key], schemaOfKey(info, key));
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Items of the live list that share a path element are duplicates: a configuration item replaces them. */
const DUPLICATE = null;

function mergeLists(info: TypeInfo & { kind: "list" }, l: unknown[], r: unknown[]): unknown[] {
  const rhsPEs = r.map((item) => listItemElement(info, item));
  const observedRHS = new Map<PathElement, unknown>();
  rhsPEs.forEach((pe, i) => {
    observedRHS.set(pe, r[i]);
  });
  const lhsPEs = l.map((item) => listItemElement(info, item));
  const observedLHS = new Map<PathElement, unknown>();
  lhsPEs.forEach((pe, i) => {
    observedLHS.set(pe, observedLHS.has(pe) ? DUPLICATE : l[i]);
  });

  const sharedOrder = rhsPEs.filter((pe) => observedLHS.has(pe));
  let nextShared = sharedOrder.shift();
  const mergedRHS = new Set<PathElement>();
  const out: unknown[] = [];
  const push = (lhs: unknown, rhs: unknown) => {
    const v = mergeValues(lhs, rhs, info.items);
    if (v !== undefined) out.push(v);
  };

  let lI = 0;
  let rI = 0;
  while (lI < lhsPEs.length || rI < rhsPEs.length) {
    if (lI < lhsPEs.length && rI < rhsPEs.length) {
      const pe = lhsPEs[lI];
      if (pe === rhsPEs[rI]) {
        mergedRHS.add(pe);
        push(observedLHS.get(pe), observedRHS.get(pe));
        lI++;
        rI++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (observedRHS.has(pe) && nextShared !== undefined && nextShared !== pe) {
        // A shared item, but not the one due in this round: it is merged where the configuration puts it.
        lI++;
        continue;
      }
    }
    if (lI < lhsPEs.length) {
      const pe = lhsPEs[lI];
      if (!observedRHS.has(pe)) {
        push(l[lI], undefined);
        lI++;
        continue;
      }
      if (mergedRHS.has(pe)) lI++;
    }
    if (rI < rhsPEs.length) {
      const pe = rhsPEs[rI];
      mergedRHS.add(pe);
      push(observedLHS.get(pe), observedRHS.get(pe));
      rI++;
      if (nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

/**
 * Drops null fields from typed maps, as decoding the merged object into its Go type does (an applied
 * `field: null` removes the field). Free-form content (preserve-unknown-fields) keeps its nulls.
 */
export function dropNulls(value: unknown, schema: Schema | undefined): unknown {
  if (value === null || typeof value !== "object" || !schema) return value;
  const info = typeOf(schema, value);
  if (info.kind === "list" && Array.isArray(value)) {
    return value.map((item) => dropNulls(item, info.items));
  }
  if (info.kind !== "map" || !isObject(value) || (!info.fields && !info.values)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue;
    out[key] = dropNulls(child, schemaOfKey(info, key));
  }
  return out;
}
