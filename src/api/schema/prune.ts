// Drops fields a schema does not know from a decoded object (in place) and reports their paths in upstream's
// form (`spec.template.spec.containers[0].imagee`), for fieldValidation and for never storing unknown data.
// Known fields set to null go too, as Go's decoder turns them into zero values that the encoder omits — except
// timestamps, whose zero value upstream writes as null (`lastProbeTime: null`, a template's `creationTimestamp`).
// A strategic merge patch adding a list item keeps the item's nulls (a condition's `reason: null`); upstream's
// typed decoding drops them before storage, and so does this.
import type { Schema } from "./types.js";

/** Whether a null in a field of this schema is stored as null (Go's zero metav1.Time) rather than dropped. */
const keepsNull = (schema: Schema) => schema.format === "date-time";

export function pruneUnknownFields(value: unknown, schema: Schema, path = ""): string[] {
  const pruner = new Pruner(path);
  pruner.walk(value, schema, true);
  return pruner.unknown;
}

class Pruner {
  readonly unknown: string[] = [];
  /** Where the walk is: keys and indexes below the root, turned into a path only for an unknown field. */
  private readonly segments: (string | number)[] = [];

  constructor(private readonly root: string) {}

  /**
   * Prunes `value` and returns what to keep in its place: the value itself, or for an object that loses fields
   * a copy without them. `delete` would do, but V8 turns an object that loses a field into a dictionary several
   * times its size, and these objects are stored (`inPlace` only for the top level, whose callers hold it).
   */
  walk(value: unknown, schema: Schema, inPlace = false): unknown {
    if (value === null || typeof value !== "object" || schema.preserveUnknownFields) return value;
    if (Array.isArray(value)) {
      const items = schema.items;
      if (!items) return value;
      for (let i = 0; i < value.length; i++) {
        this.segments.push(i);
        const kept = this.walk(value[i], items);
        this.segments.pop();
        if (kept !== value[i]) value[i] = kept;
      }
      return value;
    }
    const obj = value as Record<string, unknown>;
    const properties = schema.properties;
    const values = properties ? undefined : schema.additionalProperties;
    if (!properties && !values) return obj;
    let dropped: Set<string> | undefined;
    for (const key of Object.keys(obj)) {
      // Own properties only: a body's "__proto__" or "constructor" key must not find Object.prototype's.
      const child = properties ? (Object.hasOwn(properties, key) ? properties[key] : undefined) : values;
      const v = obj[key];
      if (!child) this.unknown.push(this.pathTo(key));
      // A map's null values are left alone; a field's go unless it is a timestamp.
      if (!child || (v === null && properties && !keepsNull(child))) {
        dropped ??= new Set();
        dropped.add(key);
      } else if (v !== null && typeof v === "object") {
        this.segments.push(key);
        const kept = this.walk(v, child);
        this.segments.pop();
        if (kept !== v) obj[key] = kept;
      }
    }
    if (!dropped) return obj;
    if (inPlace) {
      for (const key of dropped) delete obj[key];
      return obj;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) if (!dropped.has(key)) out[key] = obj[key];
    return out;
  }

  /** Upstream's spelling of the path to `key`: `spec.template.spec.containers[0].imagee`. */
  private pathTo(key: string): string {
    let path = this.root;
    for (const s of this.segments) path = typeof s === "number" ? `${path}[${s}]` : path ? `${path}.${s}` : s;
    return path ? `${path}.${key}` : key;
  }
}
