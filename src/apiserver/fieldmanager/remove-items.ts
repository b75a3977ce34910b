// Removing a set of fields from an object (structured-merge-diff's RemoveItems), and the set helper apply's
// pruning needs (EnsureNamedFieldsAreMembers: a struct field with owned children counts as owned itself).
// A collection left with nothing becomes null, as upstream's walker leaves it; nulls are dropped later.
import type { Schema } from "../../api/schema/types.js";
import { FieldSet } from "./field-set.js";
import { fieldElement } from "./path-element.js";
import { isObject, ListItemError, listItemElement, schemaBelow, schemaOfKey, typeOf } from "./type-info.js";

export function removeItems(value: unknown, toRemove: FieldSet, schema: Schema | undefined): unknown {
  if (toRemove.isEmpty() || value === null || value === undefined) return value;
  const info = typeOf(schema, value);
  if (info.kind === "scalar") return value;
  if (info.kind === "list") {
    if (!Array.isArray(value)) return value;
    if (value.length === 0 || info.atomic) return null;
    const items: unknown[] = [];
    for (const item of value) {
      let pe: string;
      try {
        pe = listItemElement(info, item);
      } catch (e) {
        if (!(e instanceof ListItemError)) throw e;
        items.push(item);
        continue;
      }
      if (toRemove.members.has(pe)) continue;
      const below = toRemove.child(pe);
      items.push(below ? removeItems(item, below, info.items) : item);
    }
    return items.length > 0 ? items : null;
  }
  if (!isObject(value)) return value;
  if (Object.keys(value).length === 0 || info.atomic) return null;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const pe = fieldElement(key);
    if (toRemove.members.has(pe)) continue;
    const below = toRemove.child(pe);
    out[key] = below ? removeItems(child, below, schemaOfKey(info, key)) : child;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Adds, as members, the named struct fields that have owned paths below them. */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: Schema | undefined): FieldSet {
  const out = new FieldSet();
  for (const m of set.members) out.members.add(m);
  const info = schema ? typeOf(schema, {}) : undefined;
  const fields = info?.kind === "map" ? info.fields : undefined;
  for (const [pe, child] of set.children) {
    const name = pe.startsWith("f:") ? pe.slice(2) : undefined;
    if (name !== undefined && fields && Object.hasOwn(fields, name)) out.members.add(pe);
    const ensured = ensureNamedFieldsAreMembers(child, schemaBelow(schema, pe));
    if (!ensured.isEmpty()) out.children.set(pe, ensured);
  }
  return out;
}
