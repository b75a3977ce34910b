// Turns the project's Schema objects into OpenAPI schema objects, in the Swagger 2.0 or the OpenAPI 3.0
// flavour: named sub-schemas become $refs to definitions, and the Kubernetes vendor extensions that kubectl
// reads (patch strategy and merge key for strategic merge patch, the GVK of kinds) are written out.

import type { Schema } from "../../api/schema/types.js";
import type { JsonObject, JsonValue } from "./json-types.js";
import type { DefinitionCatalog } from "./schema-definitions.js";

export interface OpenApiFlavor {
  /** Prefix of a `$ref` to a definition. */
  readonly refPrefix: string;
  /**
   * Whether a `$ref` with sibling keys goes inside `allOf` (OpenAPI 3.0 ignores siblings of `$ref`; Kubernetes
   * publishes `{allOf: [{$ref}], description}` in v3 and `{$ref, description}` in v2, and kubectl reads both).
   */
  readonly wrapRefs: boolean;
}

export const SWAGGER_V2: OpenApiFlavor = { refPrefix: "#/definitions/", wrapRefs: false };
export const OPENAPI_V3: OpenApiFlavor = { refPrefix: "#/components/schemas/", wrapRefs: true };

export const INT_OR_STRING_FORMAT = "int-or-string";

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The list and map extensions, which can sit on a definition or, for one use of it, on the field. */
function listAndMapExtensions(schema: Schema): JsonObject {
  const out: JsonObject = {};
  if (schema.listMapKeys) out["x-kubernetes-list-map-keys"] = [...schema.listMapKeys];
  if (schema.listType) out["x-kubernetes-list-type"] = schema.listType;
  if (schema.mapType) out["x-kubernetes-map-type"] = schema.mapType;
  return out;
}

function patchExtensions(schema: Schema): JsonObject {
  const out: JsonObject = {};
  if (schema.patchMergeKey) out["x-kubernetes-patch-merge-key"] = schema.patchMergeKey;
  if (schema.patchStrategy) out["x-kubernetes-patch-strategy"] = schema.patchStrategy;
  return out;
}

/** Renders schemas for one flavour against one catalog; rendered definitions are cached. */
export class SchemaRenderer {
  private readonly definitions = new Map<string, JsonObject>();

  constructor(
    private readonly catalog: DefinitionCatalog,
    readonly flavor: OpenApiFlavor,
  ) {}

  ref(name: string): JsonObject {
    return { $ref: this.flavor.refPrefix + name };
  }

  /** The body of definition `name` (the catalog's canonical schema), or undefined for an unknown name. */
  definition(name: string): JsonObject | undefined {
    let rendered = this.definitions.get(name);
    if (rendered === undefined) {
      const schema = this.catalog.byName.get(name);
      if (!schema) return undefined;
      rendered = this.body(schema, true);
      // A description copied from one field belongs to that field, not to the type.
      if (!this.catalog.ownDescription.has(name)) delete rendered.description;
      this.definitions.set(name, rendered);
    }
    return rendered;
  }

  /** A schema where it is used (a property, an item, a request body): a reference when it is named. */
  use(schema: Schema): JsonObject {
    const name = schema.definitionName;
    const canonical = name ? this.catalog.byName.get(name) : undefined;
    if (!name || !canonical) return this.body(schema, false);

    const siblings: JsonObject = {};
    const typeDescription = this.catalog.ownDescription.has(name) ? canonical.description : undefined;
    if (schema.description && schema.description !== typeDescription)
      siblings.description = schema.description;
    // Field-level overrides of the list and map extensions, when this use differs from the definition.
    for (const [k, v] of Object.entries(listAndMapExtensions(schema))) {
      if (!sameJson(v, listAndMapExtensions(canonical)[k])) siblings[k] = v;
    }
    Object.assign(siblings, patchExtensions(schema));

    const ref = this.ref(name);
    if (Object.keys(siblings).length === 0) return ref;
    return this.flavor.wrapRefs ? { allOf: [ref], ...siblings } : { ...ref, ...siblings };
  }

  /**
   * The schema itself. For a definition body (`asDefinition`) the field-level patch extensions are left to the
   * fields that use it, and the GVK extension is added for top-level kinds.
   */
  private body(schema: Schema, asDefinition: boolean): JsonObject {
    const out: JsonObject = {};
    if (schema.description) out.description = schema.description;
    if (schema.type) {
      out.type = schema.type;
    } else if (schema.intOrString) {
      // Built-in Kubernetes types publish IntOrString as a string with this format; kubectl expects that.
      out.type = "string";
    }
    const format = schema.format ?? (schema.intOrString ? INT_OR_STRING_FORMAT : undefined);
    if (format) out.format = format;
    if (schema.enum) out.enum = [...schema.enum];
    if (schema.required?.length) out.required = [...schema.required];
    if (schema.properties) {
      const properties: JsonObject = {};
      for (const [key, child] of Object.entries(schema.properties)) properties[key] = this.use(child);
      out.properties = properties;
    }
    if (schema.additionalProperties) out.additionalProperties = this.use(schema.additionalProperties);
    // Swagger consumers (kubectl's v2 parser among them) reject an array without exactly one item schema.
    if (schema.items) out.items = this.use(schema.items);
    else if (schema.type === "array") out.items = {};

    if (asDefinition && schema.gvk) {
      const { group, kind, version } = schema.gvk;
      out["x-kubernetes-group-version-kind"] = [{ group, kind, version }];
    }
    if (schema.intOrString) out["x-kubernetes-int-or-string"] = true;
    Object.assign(out, listAndMapExtensions(schema));
    if (!asDefinition) Object.assign(out, patchExtensions(schema));
    if (schema.preserveUnknownFields) out["x-kubernetes-preserve-unknown-fields"] = true;
    return out;
  }
}

/** Every `$ref` target inside a rendered value, without the flavour's prefix. */
export function collectRefs(value: JsonValue, prefix: string, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, prefix, into);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith(prefix)) into.add(v.slice(prefix.length));
      else collectRefs(v, prefix, into);
    }
  }
  return into;
}
