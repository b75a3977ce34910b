// JSON patch (application/json-patch+json, RFC 6902) on top of fast-json-patch, with upstream's status
// codes: a body that is not a list of operations is 400, an operation that cannot be applied is 422.

import type { Operation } from "fast-json-patch";
import jsonpatch from "fast-json-patch";
import { ApiError } from "../../api/errors.js";
import { cloneJson, describeJson, isJsonObject } from "./json-values.js";
import { badPatch, unprocessablePatch } from "./patch-errors.js";

/** Upstream's cap on operations in one JSON patch (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** Why fast-json-patch rejected an operation, in words a person can act on. */
const FAILURE_REASONS: Record<string, string> = {
  OPERATION_OP_INVALID: "unknown operation (expected add, remove, replace, move, copy or test)",
  OPERATION_PATH_INVALID: 'the path must be a JSON pointer starting with "/"',
  OPERATION_FROM_REQUIRED: 'the "from" field is required',
  OPERATION_VALUE_REQUIRED: 'the "value" field is required',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: "the value is not valid JSON",
  OPERATION_PATH_CANNOT_ADD: "the parent of the path does not exist",
  OPERATION_PATH_UNRESOLVABLE: "doc is missing path",
  OPERATION_FROM_UNRESOLVABLE: 'doc is missing the "from" path',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: "the path has an invalid array index",
  OPERATION_VALUE_OUT_OF_BOUNDS: "the array index is out of bounds",
  TEST_OPERATION_FAILED: "test failed",
};

function describeOperation(operation: unknown, index: number): string {
  if (!isJsonObject(operation)) return `operation ${index}`;
  const from = typeof operation.from === "string" ? ` from ${operation.from}` : "";
  return `${String(operation.op)} operation ${index} on path ${describeJson(operation.path)}${from}`;
}

function checkShape(operations: unknown): asserts operations is Operation[] {
  if (!Array.isArray(operations)) {
    throw badPatch(`a JSON patch must be a JSON array of operations, got ${describeJson(operations)}`);
  }
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError(
      413,
      "RequestEntityTooLarge",
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`,
    );
  }
  operations.forEach((operation, index) => {
    if (!isJsonObject(operation))
      throw badPatch(`JSON patch operation ${index} is not an object: ${describeJson(operation)}`);
  });
}

/** Applies RFC 6902 operations in order; all or nothing. Neither argument is modified. */
export function applyJsonPatch(original: unknown, operations: unknown): unknown {
  checkShape(operations);
  // fast-json-patch links operation values into the document, so it gets copies of both.
  const document = cloneJson(original);
  const ops = cloneJson(operations);
  try {
    return jsonpatch.applyPatch(document, ops, true, true, true).newDocument;
  } catch (err) {
    const failed = err as { name?: string; index?: number; message?: string };
    const index = typeof failed.index === "number" ? failed.index : -1;
    const where = index >= 0 ? describeOperation(operations[index], index) : "JSON patch";
    const reason = (failed.name && FAILURE_REASONS[failed.name]) || firstLine(failed.message);
    throw unprocessablePatch(`${where} does not apply: ${reason}`);
  }
}

function firstLine(message: string | undefined): string {
  return (message ?? "unknown error").split("\n")[0];
}
