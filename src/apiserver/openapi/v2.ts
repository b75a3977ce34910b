// The Swagger 2.0 document Kubernetes serves at /openapi/v2: every path of every group-version in one
// document, with all definitions. kubectl 1.27 and 1.28 read it (protobuf only) for field-validation discovery,
// `explain` and strategic-merge patches; later versions fall back to it. The JSON form is for tests and tools.

import type { ResourceInfo } from "../../api/resources.js";
import {
  type ApiModel,
  buildApiModel,
  type OperationSpec,
  type ParameterSpec,
  type PathSpec,
  type SchemaForKind,
} from "./api-model.js";
import { encodeGnosticDocument } from "./gnostic-v2.js";
import type { JsonObject } from "./json-types.js";
import { addTagAndExtensions, bodySchema, renderPathItem } from "./path-render.js";
import { reachableDefinitions } from "./schema-definitions.js";
import { SchemaRenderer, SWAGGER_V2 } from "./schema-render.js";
import { OPENAPI_INFO } from "./v3.js";

function nonBodyParameter(p: ParameterSpec): JsonObject {
  const out: JsonObject = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.type = p.type;
  out.uniqueItems = true;
  return out;
}

class V2Renderer {
  constructor(private readonly schemas: SchemaRenderer) {}

  operation(op: OperationSpec): JsonObject {
    const out: JsonObject = {};
    if (op.requestBody) out.consumes = [...op.requestBody.contentTypes];
    out.description = op.description;
    out.operationId = op.operationId;
    const parameters: JsonObject[] = [];
    if (op.requestBody) {
      const body: JsonObject = { in: "body", name: "body" };
      if (op.requestBody.required) body.required = true;
      body.schema = bodySchema(this.schemas, op.requestBody.body);
      parameters.push(body);
    }
    parameters.push(...op.parameters.map(nonBodyParameter));
    if (parameters.length > 0) out.parameters = parameters;
    const produces = [...new Set(op.responses.flatMap((r) => r.contentTypes))];
    if (produces.length > 0) out.produces = produces;
    const responses: JsonObject = {};
    for (const r of op.responses) {
      responses[r.code] = r.body
        ? { description: r.description, schema: bodySchema(this.schemas, r.body) }
        : { description: r.description };
    }
    out.responses = responses;
    out.schemes = ["https"];
    return addTagAndExtensions(out, op);
  }

  pathItem(p: PathSpec): JsonObject {
    return renderPathItem(p, (op) => this.operation(op), nonBodyParameter);
  }
}

/** The Swagger 2.0 document of an already built model, as a JSON object. */
export function renderOpenApiV2(model: ApiModel): JsonObject {
  const schemas = new SchemaRenderer(model.catalog, SWAGGER_V2);
  const renderer = new V2Renderer(schemas);
  const paths: JsonObject = {};
  for (const doc of model.documents) {
    for (const p of doc.paths) paths[p.path] = renderer.pathItem(p);
  }
  const definitions: JsonObject = {};
  for (const name of reachableDefinitions(
    model.catalog,
    model.documents.flatMap((d) => d.roots),
  )) {
    definitions[name] = schemas.definition(name)!;
  }
  return { swagger: "2.0", info: OPENAPI_INFO, paths, definitions };
}

export function buildOpenApiV2Json(
  resources: readonly ResourceInfo[],
  schemaForKind: SchemaForKind,
): JsonObject {
  return renderOpenApiV2(buildApiModel(resources, schemaForKind));
}

/** The document as a gnostic `openapi.v2.Document` protobuf, the only form kubectl accepts on /openapi/v2. */
export function buildOpenApiV2Protobuf(
  resources: readonly ResourceInfo[],
  schemaForKind: SchemaForKind,
): Uint8Array {
  return encodeGnosticDocument(buildOpenApiV2Json(resources, schemaForKind));
}
