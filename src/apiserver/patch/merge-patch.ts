// JSON merge patch (application/merge-patch+json) as RFC 7396 defines it: objects merge recursively,
// `null` removes a member, and anything that is not an object (arrays included) replaces the target.
import { cloneJson, isJsonObject, type JsonObject, ownValue, setOwn } from "./json-values.js";

/** Returns the patched value; neither argument is modified (unchanged subtrees are shared with `original`). */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const target: JsonObject = {};
  if (isJsonObject(original)) for (const [key, value] of Object.entries(original)) setOwn(target, key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else setOwn(target, key, applyMergePatch(ownValue(target, key), value));
  }
  return target;
}
