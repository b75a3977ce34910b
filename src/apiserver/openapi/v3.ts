// OpenAPI v3 documents as Kubernetes serves them under /openapi/v3: one OpenAPI 3.0 document per group-version
// (and per discovery root) with its paths and every schema its kinds reach, plus the index that maps each
// document to a URL carrying its content hash (clients cache hashed URLs forever).

import { createHash } from "node:crypto";
import type { ResourceInfo } from "../../api/resources.js";
import {
  type ApiModel,
  type BodySchema,
  buildApiModel,
  type DocumentSpec,
  type OperationSpec,
  type ParameterSpec,
  type PathSpec,
  type SchemaForKind,
} from "./api-model.js";
import type { JsonObject } from "./json-types.js";
import { addTagAndExtensions, bodySchema, renderPathItem } from "./path-render.js";
import { reachableDefinitions } from "./schema-definitions.js";
import { OPENAPI_V3, SchemaRenderer } from "./schema-render.js";

export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface OpenApiV3Doc {
  json: string;
  /** Upper-case hex SHA-512 of `json`, as Kubernetes uses in `?hash=`. */
  hash: string;
}

export interface OpenApiV3 {
  index: OpenApiV3Index;
  /** Keyed like the index: "api/v1", "apis/apps/v1", "apis/apps", "apis", "api". */
  docs: Map<string, OpenApiV3Doc>;
}

export const OPENAPI_INFO = { title: "Kubernetes", version: "unversioned" };

export function contentHash(text: string | Uint8Array): string {
  return createHash("sha512").update(text).digest("hex").toUpperCase();
}

function parameter(p: ParameterSpec): JsonObject {
  const out: JsonObject = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

class V3Renderer {
  constructor(private readonly schemas: SchemaRenderer) {}

  private content(b: BodySchema, contentTypes: string[]): JsonObject {
    const schema = bodySchema(this.schemas, b);
    return Object.fromEntries(contentTypes.map((ct) => [ct, { schema }]));
  }

  operation(op: OperationSpec): JsonObject {
    const out: JsonObject = { description: op.description, operationId: op.operationId };
    if (op.parameters.length > 0) out.parameters = op.parameters.map(parameter);
    if (op.requestBody) {
      out.requestBody = {
        content: this.content(op.requestBody.body, op.requestBody.contentTypes),
        required: op.requestBody.required,
      };
    }
    const responses: JsonObject = {};
    for (const r of op.responses) {
      responses[r.code] = r.body
        ? { content: this.content(r.body, r.contentTypes), description: r.description }
        : { description: r.description };
    }
    out.responses = responses;
    return addTagAndExtensions(out, op);
  }

  pathItem(p: PathSpec): JsonObject {
    return renderPathItem(p, (op) => this.operation(op), parameter);
  }

  document(doc: DocumentSpec, definitionNames: string[]): JsonObject {
    const paths: JsonObject = {};
    for (const p of doc.paths) paths[p.path] = this.pathItem(p);
    const schemas: JsonObject = {};
    for (const name of definitionNames) schemas[name] = this.schemas.definition(name)!;
    return { openapi: "3.0.0", info: OPENAPI_INFO, paths, components: { schemas } };
  }
}

/** Renders the v3 documents of an already built model. */
export function renderOpenApiV3(model: ApiModel): OpenApiV3 {
  const renderer = new V3Renderer(new SchemaRenderer(model.catalog, OPENAPI_V3));
  const docs = new Map<string, OpenApiV3Doc>();
  const index: OpenApiV3Index = { paths: {} };
  for (const doc of model.documents) {
    const json = JSON.stringify(renderer.document(doc, reachableDefinitions(model.catalog, doc.roots)));
    const hash = contentHash(json);
    docs.set(doc.key, { json, hash });
    index.paths[doc.key] = { serverRelativeURL: `/openapi/v3/${doc.key}?hash=${hash}` };
  }
  return { index, docs };
}

export function buildOpenApiV3(resources: readonly ResourceInfo[], schemaForKind: SchemaForKind): OpenApiV3 {
  return renderOpenApiV3(buildApiModel(resources, schemaForKind));
}
