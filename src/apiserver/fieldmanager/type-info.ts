// How server-side apply sees a field's schema (structured-merge-diff's "atoms"): a scalar, a list (atomic, a
// set, or a map-list keyed by listMapKeys/patchMergeKey) or a map (a struct with named fields, or a granular
// map such as labels; either may be atomic). Schemaless content is "deduced" from the value, as upstream
// treats preserve-unknown-fields: objects are granular maps, arrays are atomic.
import type { Schema } from "../../api/schema/types.js";
import { keyElement, type PathElement, valueElement } from "./path-element.js";

export type TypeInfo =
  | { kind: "scalar" }
  | {
      kind: "list";
      atomic: boolean;
      /** Key fields of a map-list; empty for a set of scalars. */
      keys: readonly string[];
      items: Schema | undefined;
    }
  | {
      kind: "map";
      atomic: boolean;
      /** Named fields of a struct; undefined for a map with arbitrary keys. */
      fields: Record<string, Schema> | undefined;
      /** Schema of the values of arbitrary keys (undefined: deduced from the value). */
      values: Schema | undefined;
      /** Whether keys outside `fields` are allowed (maps, schemaless and preserve-unknown objects). */
      open: boolean;
    };

/**
 * Key fields with a default in upstream's OpenAPI (`ports[].protocol` defaults to TCP): an item that omits one
 * is keyed by the default, so `{containerPort: 80}` and `{containerPort: 80, protocol: TCP}` are the same item.
 */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: "TCP" };

const SCALAR: TypeInfo = { kind: "scalar" };
const DEDUCED_LIST: TypeInfo = { kind: "list", atomic: true, keys: [], items: undefined };
const DEDUCED_MAP: TypeInfo = {
  kind: "map",
  atomic: false,
  fields: undefined,
  values: undefined,
  open: true,
};

function deduced(value: unknown): TypeInfo {
  if (Array.isArray(value)) return DEDUCED_LIST;
  if (value !== null && typeof value === "object") return DEDUCED_MAP;
  return SCALAR;
}

function listRelationship(schema: Schema): { atomic: boolean; keys: readonly string[] } {
  switch (schema.listType) {
    case "atomic":
      return { atomic: true, keys: [] };
    case "set":
      return { atomic: false, keys: [] };
    case "map":
      return {
        atomic: false,
        keys: schema.listMapKeys ?? (schema.patchMergeKey ? [schema.patchMergeKey] : []),
      };
  }
  // Without a list type, upstream reads the strategic-merge tags: merging lists are associative.
  if (schema.patchStrategy?.split(",").includes("merge")) {
    return { atomic: false, keys: schema.patchMergeKey ? [schema.patchMergeKey] : [] };
  }
  return { atomic: true, keys: [] };
}

const cache = new WeakMap<Schema, TypeInfo>();

/** The type of a schema; `value` decides only where the schema leaves it open. */
export function typeOf(schema: Schema | undefined, value: unknown): TypeInfo {
  if (!schema) return deduced(value);
  const known = cache.get(schema);
  if (known) return known;
  let info: TypeInfo;
  if (schema.type === "array") {
    info = { kind: "list", ...listRelationship(schema), items: schema.items };
  } else if (schema.type === "object" && (schema.properties || schema.additionalProperties)) {
    info = {
      kind: "map",
      atomic: schema.mapType === "atomic",
      fields: schema.properties,
      values: schema.additionalProperties,
      open: !schema.properties || schema.additionalProperties !== undefined || !!schema.preserveUnknownFields,
    };
  } else if (schema.type === "object" || (!schema.type && !schema.intOrString)) {
    return deduced(value);
  } else {
    info = SCALAR;
  }
  cache.set(schema, info);
  return info;
}

/** The schema of map key `key` (a named field, else the map's value schema). */
export function schemaOfKey(info: TypeInfo & { kind: "map" }, key: string): Schema | undefined {
  if (info.fields && Object.hasOwn(info.fields, key)) return info.fields[key];
  return info.values;
}

/** Whether a map type declares `key` (named fields must be known unless the map is open). */
export function declaresKey(info: TypeInfo & { kind: "map" }, key: string): boolean {
  return info.open || (info.fields !== undefined && Object.hasOwn(info.fields, key));
}

/** The schema one path element below `schema` (list elements for keys, values and indexes). */
export function schemaBelow(schema: Schema | undefined, pe: PathElement): Schema | undefined {
  if (!schema) return undefined;
  if (pe.startsWith("f:")) {
    const info = typeOf(schema, {});
    return info.kind === "map" ? schemaOfKey(info, pe.slice(2)) : undefined;
  }
  return schema.type === "array" ? schema.items : undefined;
}

export class ListItemError extends Error {}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The path element naming an item of an associative list (upstream's listItemToPathElement). */
export function listItemElement(info: TypeInfo & { kind: "list" }, item: unknown): PathElement {
  if (info.keys.length > 0) {
    if (item === null) throw new ListItemError("associative list with keys may not have a null element");
    if (!isObject(item)) throw new ListItemError("associative list with keys may not have non-map elements");
    const key: Record<string, unknown> = {};
    const itemSchema = info.items?.properties;
    for (const name of info.keys) {
      if (Object.hasOwn(item, name) && item[name] !== undefined) key[name] = item[name];
      else if (Object.hasOwn(KEY_DEFAULTS, name) && itemSchema && Object.hasOwn(itemSchema, name))
        key[name] = KEY_DEFAULTS[name];
    }
    if (Object.keys(key).length === 0) {
      throw new ListItemError(
        `associative list with keys has an element that omits all key fields ${goQuotedList(info.keys)} (and doesn't have default values for any key fields)`,
      );
    }
    return keyElement(key);
  }
  if (isObject(item))
    throw new ListItemError("associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw new ListItemError("not supported: associative list with lists as elements");
  if (item === null)
    throw new ListItemError("associative list without keys has an element that's an explicit null");
  return valueElement(item);
}

/** Go's %q of a []string: `["a" "b"]`. */
function goQuotedList(items: readonly string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(" ")}]`;
}
