// The strategic-merge-patch directive vocabulary ($patch, $retainKeys, $setElementOrder/…,
// $deleteFromPrimitiveList/…) and the clean-up that keeps directives out of stored objects.

import { isJsonObject, type JsonObject, setOwn } from "./json-values.js";
import { badPatch } from "./patch-errors.js";

export const PATCH_DIRECTIVE = "$patch";
export const DELETE_DIRECTIVE = "delete";
export const REPLACE_DIRECTIVE = "replace";
export const MERGE_DIRECTIVE = "merge";
export const RETAIN_KEYS_DIRECTIVE = "$retainKeys";
export const SET_ELEMENT_ORDER_PREFIX = "$setElementOrder";
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = "$deleteFromPrimitiveList";

// Upstream returns these exact texts (mergepatch.ErrBadPatchFormat…); clients may match on them.
export const BAD_PRIMITIVE_LIST_FORMAT = "invalid patch format of primitive list";
export const BAD_RETAIN_KEYS_FORMAT = "invalid patch format of retainKeys";
export const BAD_SET_ELEMENT_ORDER_FORMAT = "invalid patch format of setElementOrder list";

/** True for every key that is an instruction to the patch engine rather than a field of the object. */
export function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH_DIRECTIVE ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(SET_ELEMENT_ORDER_PREFIX) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
  );
}

/**
 * The field a parallel-list directive refers to: `$setElementOrder/containers` → `containers`.
 * A key that only starts like a directive (`$setElementOrderX`) is malformed, as upstream rules.
 */
export function directiveField(key: string, prefix: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw badPatch(
      prefix === SET_ELEMENT_ORDER_PREFIX ? BAD_SET_ELEMENT_ORDER_FORMAT : BAD_PRIMITIVE_LIST_FORMAT,
    );
  }
  return key.slice(slash + 1);
}

export interface CleanOptions {
  /** Drop `null` map values (a null for a field the original lacks means nothing). */
  dropNulls: boolean;
  /**
   * Drop whole maps that carry `$patch` (and list items that are such maps), as upstream's removeDirectives
   * does for content with nothing to merge into; otherwise only the directive keys are removed, which is what
   * upstream's typed decoding leaves of content it copies verbatim.
   */
  dropPatchMaps: boolean;
}

/** Content copied verbatim from a patch (appended list items, replaced lists and maps). */
export const VERBATIM: CleanOptions = { dropNulls: false, dropPatchMaps: false };
/** A list that is new to the object. */
export const NEW_LIST: CleanOptions = { dropNulls: false, dropPatchMaps: true };
/** A field that is new to the object, or whose type changes. */
export const NEW_FIELD: CleanOptions = { dropNulls: true, dropPatchMaps: true };

/**
 * Returns patch content with every directive removed; `undefined` when the value itself is dropped.
 * The input is a private copy of the patch and may be modified.
 */
export function withoutDirectives(value: unknown, options: CleanOptions): unknown {
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) {
      const cleaned = withoutDirectives(item, options);
      if (cleaned !== undefined) kept.push(cleaned);
    }
    return kept;
  }
  if (!isJsonObject(value)) return value;
  if (options.dropPatchMaps && Object.hasOwn(value, PATCH_DIRECTIVE)) return undefined;
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (isDirectiveKey(key)) continue;
    if (item === null && options.dropNulls) continue;
    const cleaned = withoutDirectives(item, options);
    if (cleaned !== undefined) setOwn(result, key, cleaned);
  }
  return result;
}
