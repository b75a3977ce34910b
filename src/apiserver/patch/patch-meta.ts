// Reads the strategic-merge metadata of one field from a schema (x-kubernetes-patch-strategy and
// x-kubernetes-patch-merge-key), the way upstream's LookupPatchMeta reads Go struct tags.
import { ApiError } from "../../api/errors.js";
import type { Schema } from "../../api/schema/types.js";

export interface FieldPatchMeta {
  /** The field's own schema (for a list: the list's), or undefined when the schema says nothing. */
  schema: Schema | undefined;
  /** "merge", "replace", or "" (the default: maps merge, lists are replaced). */
  strategy: string;
  /** Whether `retainKeys` is among the field's strategies. */
  retainKeys: boolean;
  /** The key that identifies items of a merging list of maps; "" for primitive lists. */
  mergeKey: string;
}

/** The schema of `key` inside an object schema: a declared property, else the map's value schema. */
export function fieldSchema(parent: Schema | undefined, key: string): Schema | undefined {
  if (!parent) return undefined;
  if (parent.properties && Object.hasOwn(parent.properties, key)) return parent.properties[key];
  return parent.additionalProperties;
}

/** Splits "merge,retainKeys" like upstream's extractRetainKeysPatchStrategy. */
function parseStrategies(
  field: string,
  patchStrategy: string | undefined,
): { strategy: string; retainKeys: boolean } {
  const parts = patchStrategy ? patchStrategy.split(",") : [];
  if (parts.length === 0) return { strategy: "", retainKeys: false };
  if (parts.length === 1) {
    return parts[0] === "retainKeys"
      ? { strategy: "", retainKeys: true }
      : { strategy: parts[0], retainKeys: false };
  }
  if (parts.length === 2 && parts.includes("retainKeys")) {
    return { strategy: parts[0] === "retainKeys" ? parts[1] : parts[0], retainKeys: true };
  }
  // A schema bug, not a client mistake.
  throw ApiError.internal(`unexpected patch strategy ${JSON.stringify(patchStrategy)} for field ${field}`);
}

export function patchMetaFor(parent: Schema | undefined, key: string): FieldPatchMeta {
  const schema = fieldSchema(parent, key);
  const { strategy, retainKeys } = parseStrategies(key, schema?.patchStrategy);
  return { schema, strategy, retainKeys, mergeKey: schema?.patchMergeKey ?? "" };
}
