// Drops fields a schema does not know from a decoded object (in place) and reports their paths in upstream's
// form (`spec.template.spec.containers[0].imagee`), for fieldValidation and for never storing unknown data.
import type { Schema } from "./types.js";

export function pruneUnknownFields(value: unknown, schema: Schema, path = ""): string[] {
  const unknown: string[] = [];
  walk(value, schema, path, unknown);
  return unknown;
}

function walk(value: unknown, schema: Schema, path: string, unknown: string[]): void {
  if (value === null || typeof value !== "object" || schema.preserveUnknownFields) return;
  if (Array.isArray(value)) {
    if (schema.items) {
      for (let i = 0; i < value.length; i++) walk(value[i], schema.items, `${path}[${i}]`, unknown);
    }
    return;
  }
  const obj = value as Record<string, unknown>;
  if (schema.properties) {
    for (const key of Object.keys(obj)) {
      const child = schema.properties[key];
      const childPath = path ? `${path}.${key}` : key;
      if (!child) {
        unknown.push(childPath);
        delete obj[key];
      } else {
        walk(obj[key], child, childPath, unknown);
      }
    }
  } else if (schema.additionalProperties) {
    for (const key of Object.keys(obj))
      walk(obj[key], schema.additionalProperties, `${path}.${key}`, unknown);
  }
}
