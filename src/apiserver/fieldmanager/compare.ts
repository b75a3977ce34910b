// Compares two versions of an object field by field (structured-merge-diff's Compare): which paths the new
// version added, modified or removed. Leaves are scalars, atomic lists and maps, and empty collections;
// an associative list item or map entry that appears or disappears is itself added or removed.
import { jsonEqual } from "../../api/equal.js";
import type { Schema } from "../../api/schema/types.js";
import { FieldSet } from "./field-set.js";
import { fieldElement, type PathElement } from "./path-element.js";
import { ListItemError, listItemElement, schemaOfKey, type TypeInfo, typeOf } from "./type-info.js";

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** `undefined` stands for an absent value (Go's nil); `null` is a present JSON null. */
export function compareObjects(lhs: unknown, rhs: unknown, schema: Schema | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(lhs, rhs, schema, [], c);
  return c;
}

/** Removes the given paths, and everything below them, from a comparison (reset fields). */
export function excludeFromComparison(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored || ignored.isEmpty()) return c;
  return {
    added: c.added.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
  };
}

function leaf(lhs: unknown, rhs: unknown, path: PathElement[], c: Comparison): void {
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
  else if (!jsonEqual(lhs, rhs)) c.modified.insert(path);
}

type Shape = "absent" | "null" | "list" | "map" | "scalar";

function shapeOf(v: unknown): Shape {
  if (v === undefined) return "absent";
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? "map" : "scalar";
}

/** Whether a value fits a type: null and absence fit any collection. */
function fits(info: TypeInfo, shape: Shape): boolean {
  if (shape === "absent" || shape === "null") return true;
  if (info.kind === "list") return shape === "list";
  if (info.kind === "map") return shape === "map";
  return shape === "scalar";
}

function walk(lhs: unknown, rhs: unknown, schema: Schema | undefined, path: PathElement[], c: Comparison) {
  // One value on both sides changed nothing below it: a status write keeps the stored object's own (frozen) spec.
  if (lhs === rhs) return;
  const ls = shapeOf(lhs);
  const rs = shapeOf(rhs);
  const info = typeOf(schema, rhs !== undefined && rhs !== null ? rhs : lhs);
  if (info.kind === "scalar" || info.atomic || !fits(info, ls) || !fits(info, rs)) {
    leaf(lhs, rhs, path, c);
    return;
  }
  if (info.kind === "list") {
    const l = (lhs as unknown[] | null | undefined) ?? [];
    const r = (rhs as unknown[] | null | undefined) ?? [];
    if (l.length === 0 && r.length === 0) {
      leaf(lhs, rhs, path, c);
      return;
    }
    compareLists(info, l, r, path, c);
  } else {
    const l = (lhs as Record<string, unknown> | null | undefined) ?? {};
    const r = (rhs as Record<string, unknown> | null | undefined) ?? {};
    if (isEmpty(l) && isEmpty(r)) {
      leaf(lhs, rhs, path, c);
      return;
    }
    for (const key of Object.keys(l)) {
      if (l[key] === undefined) continue;
      path.push(fieldElement(key));
      walk(l[key], r[key], schemaOfKey(info, key), path, c);
      path.pop();
    }
    for (const key of Object.keys(r)) {
      if (r[key] === undefined || (Object.hasOwn(l, key) && l[key] !== undefined)) continue;
      path.push(fieldElement(key));
      walk(undefined, r[key], schemaOfKey(info, key), path, c);
      path.pop();
    }
  }
  // A collection that appears or disappears as a whole is itself added or removed.
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

function isEmpty(o: Record<string, unknown>): boolean {
  for (const k in o) if (o[k] !== undefined) return false;
  return true;
}

/** Groups list items by path element; items whose element cannot be computed are skipped. */
function indexItems(info: TypeInfo & { kind: "list" }, items: unknown[]): Map<PathElement, unknown[]> {
  const byElement = new Map<PathElement, unknown[]>();
  for (const item of items) {
    let pe: PathElement;
    try {
      pe = listItemElement(info, item);
    } catch (e) {
      if (e instanceof ListItemError) continue;
      throw e;
    }
    const group = byElement.get(pe);
    if (group) group.push(item);
    else byElement.set(pe, [item]);
  }
  return byElement;
}

function compareLists(
  info: TypeInfo & { kind: "list" },
  l: unknown[],
  r: unknown[],
  path: PathElement[],
  c: Comparison,
): void {
  const left = indexItems(info, l);
  const right = indexItems(info, r);
  const all = new Set([...left.keys(), ...right.keys()]);
  for (const pe of all) {
    const lList = left.get(pe) ?? [];
    const rList = right.get(pe) ?? [];
    path.push(pe);
    if (lList.length <= 1 && rList.length <= 1) {
      walk(lList[0], rList[0], info.items, path, c);
    } else if (lList.length >= 2 && rList.length >= 2) {
      // Duplicates before and after: compared as a whole.
      if (!jsonEqual(lList, rList)) c.modified.insert(path);
    } else if (lList.length >= 2) {
      if (rList.length !== 0) walk(undefined, rList[0], info.items, path, c);
      c.removed.insert(path);
    } else {
      if (lList.length !== 0) walk(lList[0], undefined, info.items, path, c);
      c.added.insert(path);
    }
    path.pop();
  }
}
