// The PATCH entry point: recognises the patch content types and applies a decoded patch body with the
// matching engine (JSON patch, JSON merge patch, strategic merge patch). Server-side apply is no patch of a
// document but a merge with field ownership: the registry store runs it through the field manager.
import { ApiError } from "../../api/errors.js";
import type { Schema } from "../../api/schema/types.js";
import { applyJsonPatch } from "./json-patch.js";
import { describeJson, isJsonObject } from "./json-values.js";
import { applyMergePatch } from "./merge-patch.js";
import { badPatch, unprocessablePatch } from "./patch-errors.js";
import { applyStrategicMergePatch } from "./strategic-merge.js";

export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from "./json-patch.js";
export { applyMergePatch } from "./merge-patch.js";
export { applyStrategicMergePatch } from "./strategic-merge.js";

export type PatchType = "json" | "merge" | "strategic" | "apply";

/** The media type of each patch type, as clients send it in Content-Type. */
export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

const PATCH_TYPE_BY_MEDIA_TYPE: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
  "application/apply-patch+cbor": "apply",
};

/** The patch type named by a Content-Type header (parameters such as charset are ignored). */
export function patchTypeFromContentType(contentType: string | undefined): PatchType | undefined {
  if (!contentType) return undefined;
  const mediaType = contentType.split(";")[0].trim().toLowerCase();
  return Object.hasOwn(PATCH_TYPE_BY_MEDIA_TYPE, mediaType) ? PATCH_TYPE_BY_MEDIA_TYPE[mediaType] : undefined;
}

/**
 * Applies a decoded patch body to `original` and returns the patched object. `schema` is the schema of the
 * object's kind; only the strategic merge patch reads it. The result must still be a JSON object.
 */
export function applyPatch(
  type: PatchType,
  original: unknown,
  patchBody: unknown,
  schema: Schema | undefined,
): unknown {
  let patched: unknown;
  switch (type) {
    case "json":
      patched = applyJsonPatch(original, patchBody);
      break;
    case "merge":
      if (!isJsonObject(patchBody))
        throw badPatch(`a merge patch must be a JSON object, got ${describeJson(patchBody)}`);
      patched = applyMergePatch(original, patchBody);
      break;
    case "strategic":
      patched = applyStrategicMergePatch(original, patchBody, schema);
      break;
    case "apply":
      // A caller bug, not a client mistake: apply patches go to RegistryStore.apply.
      throw ApiError.internal("server-side apply is performed by the field manager, not the patch engine");
    default:
      throw badPatch(`unknown patch type ${describeJson(type)}`);
  }
  if (!isJsonObject(patched))
    throw unprocessablePatch(`the patched document is not a JSON object: ${describeJson(patched)}`);
  return patched;
}
