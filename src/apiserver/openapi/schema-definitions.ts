// Collects the named sub-schemas (`definitionName`) of the built-in kinds into one catalog, the source of the
// `definitions` (v2) and `components.schemas` (v3) sections, and works out which definitions a document needs.

import type { Schema } from "../../api/schema/types.js";

/**
 * Keys that may differ between two uses of one definition without making them different types: a field's
 * description and patch strategy, the GVK (only the top-level copy has it), and list/map semantics that a field
 * may tighten (rendered as field-level overrides).
 */
const USE_SITE_KEYS = new Set([
  "description",
  "patchStrategy",
  "patchMergeKey",
  "gvk",
  "listType",
  "listMapKeys",
  "mapType",
]);

export interface DefinitionCatalog {
  /** One canonical schema per definition name (see `collectDefinitions` for which one). */
  readonly byName: ReadonlyMap<string, Schema>;
  /**
   * Names whose canonical schema is the type itself (a top-level kind, or a list item or map value) rather than
   * a copy made for one field: only then is its description the type's own. A field copy carries the field's
   * text, which the documents keep on the field.
   */
  readonly ownDescription: ReadonlySet<string>;
  /** Two uses of one definition name that disagree on structure; the documents use the canonical one. */
  readonly conflicts: readonly string[];
}

/** The direct sub-schemas of a schema, with a label for messages. */
export function childSchemas(schema: Schema): [label: string, child: Schema][] {
  const out: [string, Schema][] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) out.push([name, child]);
  if (schema.additionalProperties) out.push(["{value}", schema.additionalProperties]);
  if (schema.items) out.push(["[]", schema.items]);
  return out;
}

/**
 * A structural fingerprint of a named schema: its JSON with nested definitions reduced to their names and the
 * use-site keys of the schema itself left out, so two uses that only differ in description compare equal.
 */
function fingerprint(schema: Schema): string {
  const strip = (s: Schema, top: boolean): unknown => {
    if (!top && s.definitionName) return { $ref: s.definitionName };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) {
      if (top && USE_SITE_KEYS.has(k)) continue;
      if (k === "properties") {
        out[k] = Object.fromEntries(
          Object.entries(v as Record<string, Schema>).map(([n, c]) => [n, strip(c, false)]),
        );
      } else if (k === "items" || k === "additionalProperties") {
        out[k] = strip(v as Schema, false);
      } else {
        out[k] = v;
      }
    }
    return out;
  };
  return JSON.stringify(strip(schema, true));
}

/** How much an occurrence says about the type itself: a root beats a list item, which beats a field copy. */
const Position = { Root: 0, Element: 1, Field: 2 } as const;
type Position = (typeof Position)[keyof typeof Position];

/**
 * Walks `primary` roots (the project's schemas) and then `fallback` roots (the OpenAPI module's stand-ins for
 * types the schemas may not provide). The canonical schema of a name is its best-placed occurrence (a root,
 * else a list item or map value, else the first field copy; among equals the first met, or one with a GVK).
 * A fallback definition is used only when no primary schema defines that name, and never counts as a conflict.
 */
export function collectDefinitions(
  primary: readonly Schema[],
  fallback: readonly Schema[] = [],
): DefinitionCatalog {
  const byName = new Map<string, Schema>();
  const positions = new Map<string, Position>();
  const conflicts: string[] = [];
  const fingerprints = new WeakMap<Schema, string>();
  const print = (s: Schema): string => {
    let f = fingerprints.get(s);
    if (f === undefined) {
      f = fingerprint(s);
      fingerprints.set(s, f);
    }
    return f;
  };
  const visited = new WeakSet<Schema>();

  const walk = (schema: Schema, path: string, position: Position, isFallback: boolean): void => {
    if (visited.has(schema)) return;
    visited.add(schema);
    const name = schema.definitionName;
    if (name) {
      const known = byName.get(name);
      if (known === undefined) {
        byName.set(name, schema);
        positions.set(name, position);
      } else {
        if (isFallback) return;
        if (print(known) !== print(schema)) {
          conflicts.push(`${name}: the schema at ${path} differs from the first one met`);
        } else if (
          position < positions.get(name)! ||
          (position === positions.get(name) && !known.gvk && schema.gvk)
        ) {
          byName.set(name, schema);
          positions.set(name, position);
        }
        // A second copy is still walked: its nested definitions may be copies too, and may disagree.
      }
    }
    for (const [label, child] of childSchemas(schema)) {
      walk(
        child,
        `${path}.${label}`,
        label === "[]" || label === "{value}" ? Position.Element : Position.Field,
        isFallback,
      );
    }
  };

  for (const root of primary) walk(root, root.definitionName ?? "(root)", Position.Root, false);
  for (const root of fallback) walk(root, root.definitionName ?? "(root)", Position.Root, true);
  const ownDescription = new Set([...positions].filter(([, p]) => p !== Position.Field).map(([n]) => n));
  return { byName, ownDescription, conflicts };
}

/** Names of the definitions nested anywhere inside `schema` (not counting the schema's own name). */
export function referencedNames(schema: Schema): string[] {
  const names: string[] = [];
  const visit = (s: Schema): void => {
    for (const [, child] of childSchemas(s)) {
      if (child.definitionName) names.push(child.definitionName);
      else visit(child);
    }
  };
  visit(schema);
  return names;
}

/** The definitions reachable from `roots` (definition names) through the catalog, sorted by name. */
export function reachableDefinitions(catalog: DefinitionCatalog, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    const schema = catalog.byName.get(name);
    if (!schema) continue;
    seen.add(name);
    queue.push(...referencedNames(schema));
  }
  return [...seen].sort();
}
