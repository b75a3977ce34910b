// Server-side field validation (the `fieldValidation` query parameter). Type errors always fail the request
// (Go's decoder cannot build the object); unknown and duplicate fields fail it under Strict, become Warning
// headers under Warn (the default) and pass silently under Ignore. Unknown fields are never stored: Go's
// decoder drops them upstream, and so does pruning here.
import type { ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import {
  checkObject,
  formatDecodeError,
  formatStrictError,
  strictErrorMessages,
} from "../../api/schema/decode.js";
import { pruneUnknownFields } from "../../api/schema/prune.js";
import type { Schema } from "../../api/schema/types.js";
import { addWarning } from "./respond.js";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function checkFields(
  obj: KubeObject,
  schema: Schema | undefined,
  mode: FieldValidation,
  res: ServerResponse,
  jsonText?: string,
  /** The object is a request body being decoded (create, update), not the result of a patch. */
  decodedBody = true,
): KubeObject {
  if (!schema) return obj;
  const result = checkObject(obj, schema, mode === "Ignore" ? {} : { jsonText });
  if (result.typeErrors.length > 0) {
    const kind = schema.gvk?.kind ?? "object";
    throw ApiError.badRequest(
      formatDecodeError(kind, schema.gvk?.version ?? "v1", result.typeErrors[0].message),
    );
  }
  pruneUnknownFields(obj, schema);
  if (mode === "Ignore") return obj;
  if (mode === "Strict") {
    const message = formatStrictError(result);
    if (message) {
      // Creates and updates fail in the decoder, which names the kind as upstream's does.
      throw ApiError.badRequest(
        decodedBody
          ? formatDecodeError(schema.gvk?.kind ?? "object", schema.gvk?.version ?? "v1", message)
          : message,
      );
    }
    return obj;
  }
  for (const m of strictErrorMessages(result)) addWarning(res, m);
  return obj;
}
