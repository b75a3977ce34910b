// Small constructors for Schema objects, so the per-kind schema modules read like the API reference
// instead of pages of nested object literals.

import type { Schema } from "./types.js";

/** Extension keys a field may add to its base shape (list/map semantics, enums, patch strategy). */
export type SchemaExtras = Omit<
  Schema,
  "type" | "description" | "properties" | "items" | "additionalProperties"
>;

function withDescription(
  base: Schema,
  description: string | undefined,
  extra: SchemaExtras | undefined,
): Schema {
  return { ...base, ...(description === undefined ? {} : { description }), ...extra };
}

export const str = (description?: string, extra?: SchemaExtras): Schema =>
  withDescription({ type: "string" }, description, extra);

export const bool = (description?: string, extra?: SchemaExtras): Schema =>
  withDescription({ type: "boolean" }, description, extra);

export const int32 = (description?: string, extra?: SchemaExtras): Schema =>
  withDescription({ type: "integer", format: "int32" }, description, extra);

export const int64 = (description?: string, extra?: SchemaExtras): Schema =>
  withDescription({ type: "integer", format: "int64" }, description, extra);

export const float64 = (description?: string, extra?: SchemaExtras): Schema =>
  withDescription({ type: "number", format: "double" }, description, extra);

/** Go `[]byte`: base64 text on the wire. */
export const bytes = (description?: string, extra?: SchemaExtras): Schema =>
  withDescription({ type: "string", format: "byte" }, description, extra);

export const list = (items: Schema, description?: string, extra?: SchemaExtras): Schema =>
  withDescription({ type: "array", items }, description, extra);

/** A map with string keys, such as labels or a ResourceList. */
export const mapOf = (values: Schema, description?: string, extra?: SchemaExtras): Schema =>
  withDescription({ type: "object", additionalProperties: values }, description, extra);

/**
 * A field whose type is a named definition. The copy keeps `definitionName` (so OpenAPI emits a $ref) and
 * the definition's properties (so decoding and explain can walk into it) but carries the field's own text.
 */
export const ref = (target: Schema, description: string, extra?: SchemaExtras): Schema =>
  withDescription(target, description, extra);

/** A named object definition (`io.k8s.api.core.v1.PodSpec`). */
export const definition = (
  definitionName: string,
  description: string,
  properties: Record<string, Schema>,
  extra?: SchemaExtras,
): Schema => ({ type: "object", description, properties, definitionName, ...extra });
