// The set of fields an object sets (structured-merge-diff's ToFieldSet): every scalar, every atomic list or
// map as one leaf, every associative list item (and its fields), every key of a granular map, and empty or
// null maps. Also the strict check an apply configuration must pass before it is used (unknown fields,
// duplicate or key-less list items), reported the way upstream's typed conversion reports it.
import type { Schema } from "../../api/schema/types.js";
import { FieldSet } from "./field-set.js";
import { fieldElement, type PathElement, pathText } from "./path-element.js";
import { declaresKey, isObject, ListItemError, listItemElement, schemaOfKey, typeOf } from "./type-info.js";

export function toFieldSet(value: unknown, schema: Schema | undefined): FieldSet {
  const set = new FieldSet();
  collect(value, schema, [], set);
  return set;
}

function collect(value: unknown, schema: Schema | undefined, path: PathElement[], set: FieldSet): void {
  const info = typeOf(schema, value);
  if (info.kind === "scalar") {
    set.insert(path);
    return;
  }
  if (info.kind === "list") {
    if (info.atomic) {
      set.insert(path);
      return;
    }
    if (!Array.isArray(value)) return;
    const elements = value.map((item) => safeElement(info, item));
    const seen = new Set<PathElement>();
    const duplicated = new Set<PathElement>();
    for (const pe of elements) {
      if (pe === undefined) continue;
      if (seen.has(pe)) duplicated.add(pe);
      seen.add(pe);
    }
    // A duplicated item is owned as a whole, never field by field.
    for (const pe of duplicated) set.insert([...path, pe]);
    value.forEach((item, i) => {
      const pe = elements[i];
      if (pe === undefined || duplicated.has(pe)) return;
      path.push(pe);
      collect(item, info.items, path, set);
      set.insert(path);
      path.pop();
    });
    return;
  }
  if (info.atomic) {
    set.insert(path);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    path.push(fieldElement(key));
    collect(child, schemaOfKey(info, key), path, set);
    const isNamedField = info.fields !== undefined && Object.hasOwn(info.fields, key);
    if (child === null || (isObject(child) && Object.keys(child).length === 0) || !isNamedField)
      set.insert(path);
    path.pop();
  }
}

function safeElement(info: Parameters<typeof listItemElement>[0], item: unknown): PathElement | undefined {
  try {
    return listItemElement(info, item);
  } catch (e) {
    if (e instanceof ListItemError) return undefined;
    throw e;
  }
}

/**
 * Checks an apply configuration against the schema as upstream's conversion to a typed value does; returns
 * the problems as `<path>: <message>` lines (empty when the configuration is well-formed).
 */
export function typedConfigErrors(value: unknown, schema: Schema | undefined): string[] {
  const errors: string[] = [];
  check(value, schema, [], errors);
  return errors;
}

function check(value: unknown, schema: Schema | undefined, path: PathElement[], errors: string[]): void {
  if (value === null || value === undefined) return;
  const info = typeOf(schema, value);
  const at = (message: string) => errors.push(path.length ? `${pathText(path)}: ${message}` : message);
  if (info.kind === "scalar") {
    if (typeof value === "object") at(`expected scalar, got ${describe(value)}`);
    return;
  }
  if (info.kind === "list") {
    if (!Array.isArray(value)) {
      at(`expected list, got ${describe(value)}`);
      return;
    }
    const seen = new Set<PathElement>();
    value.forEach((item, i) => {
      let pe: PathElement;
      if (info.atomic) pe = `i:${i}`;
      else {
        try {
          pe = listItemElement(info, item);
        } catch (e) {
          if (!(e instanceof ListItemError)) throw e;
          at(`element ${i}: ${e.message}`);
          return;
        }
        if (seen.has(pe)) at(`duplicate entries for key ${pathText([pe])}`);
        seen.add(pe);
      }
      path.push(pe);
      check(item, info.items, path, errors);
      path.pop();
    });
    return;
  }
  if (!isObject(value)) {
    at(`expected map, got ${describe(value)}`);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    path.push(fieldElement(key));
    if (!declaresKey(info, key)) at("field not declared in schema");
    else check(child, schemaOfKey(info, key), path, errors);
    path.pop();
  }
}

function describe(value: unknown): string {
  return Array.isArray(value) ? `list ${JSON.stringify(value)}` : JSON.stringify(value);
}
