// The flavour-neutral model of everything the OpenAPI documents describe: documents (one per group-version
// plus the discovery roots), their paths and operations, and the catalog of schema definitions. The v2 and v3
// builders render this one model, so both documents always say the same thing.

import type { ResourceInfo } from "../../api/resources.js";
import type { Schema } from "../../api/schema/types.js";
import { FALLBACK_SCHEMAS, listSchemaFor, META, withDefinitionName } from "./builtin-schemas.js";
import { discoveryDocuments, groupVersionRootPath } from "./discovery-paths.js";
import { type KindBodies, resourcePaths } from "./resource-paths.js";
import { collectDefinitions, type DefinitionCatalog } from "./schema-definitions.js";

/** Looks up the schema of a kind; `schemaForKind` from src/api/schema/index.ts has this shape. */
export type SchemaForKind = (group: string, version: string, kind: string) => Schema | undefined;

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** A request or response body: a named definition, or an inline schema when the kind has no schema. */
export type BodySchema = { definition: string } | { inline: Schema };

export interface ParameterSpec {
  name: string;
  in: "query" | "path";
  description: string;
  type: "string" | "boolean" | "integer";
  required?: boolean;
}

export interface ResponseSpec {
  code: string;
  description: string;
  body?: BodySchema;
  contentTypes: string[];
}

export type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

export interface OperationSpec {
  method: HttpMethod;
  /** `x-kubernetes-action`: get, list, post, put, patch, delete, deletecollection. */
  action?: string;
  operationId: string;
  description: string;
  tag: string;
  /** `x-kubernetes-group-version-kind` of the operation (a single map, unlike the list on definitions). */
  gvk?: Gvk;
  parameters: ParameterSpec[];
  requestBody?: { body: BodySchema; contentTypes: string[]; required: boolean };
  responses: ResponseSpec[];
}

export interface PathSpec {
  path: string;
  /** Parameters shared by every operation of the path (path segments, `pretty`). */
  parameters: ParameterSpec[];
  operations: OperationSpec[];
}

export interface DocumentSpec {
  /** The key under /openapi/v3: "api/v1", "apis/apps/v1", "apis/apps", "apis", "api". */
  key: string;
  paths: PathSpec[];
  /** Definition names the paths refer to; the document carries everything reachable from them. */
  roots: string[];
}

export interface ApiModel {
  documents: DocumentSpec[];
  catalog: DefinitionCatalog;
}

const gvkKey = (g: Gvk): string => `${g.group}/${g.version}/${g.kind}`;

/**
 * Resolves kinds to body schemas through `schemaForKind`, remembering which schemas were used so that the
 * catalog can be built from them afterwards. Kinds without a schema get an inline free-form object: their
 * paths still advertise `fieldValidation`, but no definition claims their GVK (so kubectl falls back to its
 * built-in types for patches instead of failing on an empty schema).
 */
class KindResolver implements KindBodies {
  readonly primary: Schema[] = [];
  readonly fallback: Schema[] = [...FALLBACK_SCHEMAS];
  private readonly kinds = new Map<string, Schema | undefined>();
  private readonly synthesizedLists = new Map<string, Schema>();

  constructor(private readonly lookup: SchemaForKind) {}

  private schemaOf(gvk: Gvk): Schema | undefined {
    const key = gvkKey(gvk);
    if (!this.kinds.has(key)) {
      const found = this.lookup(gvk.group, gvk.version, gvk.kind);
      const named = found && withDefinitionName(found, gvk);
      if (named) this.primary.push(named);
      this.kinds.set(key, named);
    }
    return this.kinds.get(key);
  }

  kind(gvk: Gvk): BodySchema {
    const schema = this.schemaOf(gvk);
    return schema ? { definition: schema.definitionName! } : { inline: freeFormObject(gvk.kind) };
  }

  list(item: Gvk, listKind: string): BodySchema {
    // The item kind first, so that its GVK-carrying schema is met before any copy inside the list schema.
    const itemSchema = this.schemaOf(item);
    const listGvk = { ...item, kind: listKind };
    const own = this.schemaOf(listGvk);
    if (own) return { definition: own.definitionName! };
    if (!itemSchema) return { inline: freeFormObject(listKind) };
    let synthesized = this.synthesizedLists.get(gvkKey(listGvk));
    if (!synthesized) {
      synthesized = listSchemaFor(itemSchema, listGvk);
      this.synthesizedLists.set(gvkKey(listGvk), synthesized);
      this.fallback.push(synthesized);
    }
    return { definition: synthesized.definitionName! };
  }

  /** A meta type (Status, DeleteOptions): the project's schema when it has one, else the built-in one. */
  meta(name: "Status" | "DeleteOptions"): BodySchema {
    const own = this.schemaOf({ group: "", version: "v1", kind: name });
    return { definition: own?.definitionName ?? META[name].definitionName! };
  }

  patch(): BodySchema {
    return { definition: META.Patch.definitionName! };
  }
}

function freeFormObject(kind: string): Schema {
  return { type: "object", description: `A ${kind} object.`, preserveUnknownFields: true };
}

function rootsOf(paths: PathSpec[]): string[] {
  const roots = new Set<string>();
  const add = (b: BodySchema | undefined): void => {
    if (b && "definition" in b) roots.add(b.definition);
  };
  for (const p of paths) {
    for (const op of p.operations) {
      add(op.requestBody?.body);
      for (const r of op.responses) add(r.body);
    }
  }
  return [...roots];
}

/** Builds the model for `resources`, in table order; group-versions appear in the order first met. */
export function buildApiModel(resources: readonly ResourceInfo[], schemaForKind: SchemaForKind): ApiModel {
  const kinds = new KindResolver(schemaForKind);
  const byGroupVersion = new Map<string, { group: string; version: string; resources: ResourceInfo[] }>();
  for (const r of resources) {
    const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
    let entry = byGroupVersion.get(key);
    if (!entry) {
      entry = { group: r.group, version: r.version, resources: [] };
      byGroupVersion.set(key, entry);
    }
    entry.resources.push(r);
  }

  const documents: DocumentSpec[] = [];
  for (const [key, gv] of byGroupVersion) {
    const paths = [
      groupVersionRootPath(gv.group, gv.version),
      ...gv.resources.flatMap((r) => resourcePaths(r, kinds)),
    ];
    documents.push({ key, paths, roots: rootsOf(paths) });
  }
  for (const doc of discoveryDocuments([...byGroupVersion.values()].map((gv) => gv.group))) {
    documents.push({ ...doc, roots: rootsOf(doc.paths) });
  }
  return { documents, catalog: collectDefinitions(kinds.primary, kinds.fallback) };
}
