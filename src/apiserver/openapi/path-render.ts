// What the Swagger 2.0 and OpenAPI 3.0 renderers share for paths and operations: bodies as references or
// inline schemas, the tag and Kubernetes extensions that close each operation, and path items.

import type { BodySchema, OperationSpec, ParameterSpec, PathSpec } from "./api-model.js";
import type { JsonObject } from "./json-types.js";
import type { SchemaRenderer } from "./schema-render.js";

/** A request or response body: a reference to a named definition, or the schema written inline. */
export function bodySchema(schemas: SchemaRenderer, body: BodySchema): JsonObject {
  return "definition" in body ? schemas.ref(body.definition) : schemas.use(body.inline);
}

/**
 * Appends an operation's tag, action and group-version-kind to `out`. Both versions end every operation with
 * these keys in this order, and the v3 content hashes depend on key order.
 */
export function addTagAndExtensions(out: JsonObject, op: OperationSpec): JsonObject {
  out.tags = [op.tag];
  if (op.action) out["x-kubernetes-action"] = op.action;
  if (op.gvk) {
    const { group, kind, version } = op.gvk;
    out["x-kubernetes-group-version-kind"] = { group, kind, version };
  }
  return out;
}

/** A path item: one operation per method, then the parameters all of them share. */
export function renderPathItem(
  path: PathSpec,
  renderOperation: (op: OperationSpec) => JsonObject,
  renderParameter: (p: ParameterSpec) => JsonObject,
): JsonObject {
  const out: JsonObject = {};
  for (const op of path.operations) out[op.method] = renderOperation(op);
  if (path.parameters.length > 0) out.parameters = path.parameters.map(renderParameter);
  return out;
}
