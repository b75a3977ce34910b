// How Go's JSON decoder would name the type behind a schema (`int32`, `[]v1.Container`, `v1.PodSpec`), so that
// type errors read like the ones the upstream apiserver returns.

import type { Schema } from "./types.js";

/** `io.k8s.api.core.v1.PodSpec` → `v1.PodSpec`: Go prints a type as its package name plus its own name. */
function goNameOfDefinition(definitionName: string): string {
  const parts = definitionName.split(".");
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

export function goTypeName(schema: Schema): string {
  if (schema.definitionName) return goNameOfDefinition(schema.definitionName);
  if (schema.intOrString) return "intstr.IntOrString";
  switch (schema.type) {
    case "string":
      return schema.format === "byte" ? "[]uint8" : "string";
    case "boolean":
      return "bool";
    case "integer":
      return schema.format === "int64" ? "int64" : "int32";
    case "number":
      return "float64";
    case "array":
      return `[]${schema.items ? goTypeName(schema.items) : "interface {}"}`;
    case "object":
      if (schema.additionalProperties) return `map[string]${goTypeName(schema.additionalProperties)}`;
      return schema.properties ? "struct" : "map[string]interface {}";
    default:
      return "interface {}";
  }
}

/** The name Go's decoder gives a JSON value in "cannot unmarshal X into ..." messages. */
export function jsonValueKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "string";
  return "object";
}
