// Strategic merge patch (application/strategic-merge-patch+json), faithful to upstream's
// k8s.io/apimachinery/pkg/util/strategicpatch: JSON merge semantics, except that lists the schema marks
// `patchStrategy: merge` are merged item by item, and the $patch / $retainKeys / $setElementOrder /
// $deleteFromPrimitiveList directives are honoured.
import type { Schema } from "../../api/schema/types.js";
import {
  BAD_RETAIN_KEYS_FORMAT,
  BAD_SET_ELEMENT_ORDER_FORMAT,
  type CleanOptions,
  DELETE_DIRECTIVE,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  directiveField,
  MERGE_DIRECTIVE,
  NEW_FIELD,
  NEW_LIST,
  PATCH_DIRECTIVE,
  REPLACE_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  VERBATIM,
  withoutDirectives,
} from "./directives.js";
import {
  elementKind,
  findByMergeKey,
  mergeKeyValue,
  noMergeKey,
  normalizeElementOrder,
  partitionByPresence,
} from "./element-order.js";
import { cloneJson, describeJson, isJsonObject, type JsonObject, setOwn } from "./json-values.js";
import { badPatch } from "./patch-errors.js";
import { type FieldPatchMeta, patchMetaFor } from "./patch-meta.js";

/**
 * Applies a strategic merge patch to `original` (an object; null or undefined count as `{}`), guided by the
 * schema of the object's kind. Neither argument is modified. Throws ApiError 400 for a malformed patch,
 * 422 for lists of lists.
 */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  schema: Schema | undefined,
): unknown {
  if (!isJsonObject(patch)) {
    throw badPatch(`a strategic merge patch must be a JSON object, got ${describeJson(patch)}`);
  }
  if (original !== null && original !== undefined && !isJsonObject(original)) {
    throw badPatch(`invalid JSON document: only an object can be patched, got ${describeJson(original)}`);
  }
  // The algorithm edits in place like upstream's; it works on private copies.
  const target = isJsonObject(original) ? cloneJson(original) : {};
  return mergeMap(target, cloneJson(patch), schema);
}

function clean(value: unknown, options: CleanOptions): unknown {
  return withoutDirectives(value, options);
}

/** Sets `key` to cleaned patch content, or removes it when the content is itself a directive. */
function setFromPatch(target: JsonObject, key: string, value: unknown, options: CleanOptions): void {
  const cleaned = clean(value, options);
  if (cleaned === undefined) delete target[key];
  else setOwn(target, key, cleaned);
}

/** Merges `patch` into `original` (both private copies, edited in place) and returns the result. */
function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema | undefined): JsonObject {
  if (Object.hasOwn(patch, PATCH_DIRECTIVE)) return applyMapDirective(patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, schema);

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);
    const key = isDeleteList ? directiveField(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX) : patchKey;

    // null deletes the field; a null for a missing field means nothing.
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const originalValue = Object.hasOwn(original, key) ? original[key] : undefined;
    const bothMaps = isJsonObject(originalValue) && isJsonObject(patchValue);
    const bothLists = Array.isArray(originalValue) && Array.isArray(patchValue);
    if (!bothMaps && !bothLists) {
      // New field, a primitive, or a change of type: the patch value wins (a delete list adds nothing).
      if (!isDeleteList) setFromPatch(original, key, patchValue, NEW_FIELD);
      continue;
    }
    const meta = patchMetaFor(schema, key);
    if (bothMaps) {
      setOwn(original, key, mergeMapField(originalValue as JsonObject, patchValue as JsonObject, meta));
    } else {
      const merged = mergeListField(
        originalValue as unknown[],
        patchValue as unknown[],
        meta,
        key,
        isDeleteList,
      );
      setOwn(original, key, merged.list);
    }
  }
  return original;
}

/** `$patch` at map level: "replace" keeps only the patch's content, "delete" empties the map. */
function applyMapDirective(patch: JsonObject): JsonObject {
  const directive = patch[PATCH_DIRECTIVE];
  if (directive === REPLACE_DIRECTIVE) {
    delete patch[PATCH_DIRECTIVE];
    return clean(patch, VERBATIM) as JsonObject;
  }
  if (directive === DELETE_DIRECTIVE) return {};
  throw badPatch(`unknown patch type: ${describeJson(directive)} in map: ${describeJson(patch)}`);
}

/**
 * `$retainKeys: [...]`: every field of the original not listed is cleared. Every non-null field the patch
 * sets must itself be listed, otherwise the patch contradicts itself.
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retained = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retained)) throw badPatch(BAD_RETAIN_KEYS_FORMAT);
  const keep = new Set<unknown>(retained);
  for (const [key, value] of Object.entries(patch)) {
    if (
      value === null ||
      key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) ||
      key.startsWith(SET_ELEMENT_ORDER_PREFIX)
    ) {
      continue;
    }
    if (!keep.has(key)) throw badPatch(BAD_RETAIN_KEYS_FORMAT);
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

function mergeMapField(original: JsonObject, patch: JsonObject, meta: FieldPatchMeta): JsonObject {
  if (meta.strategy === REPLACE_DIRECTIVE) return clean(patch, VERBATIM) as JsonObject;
  return mergeMap(original, patch, meta.schema);
}

/**
 * A merged list, plus the positions $setElementOrder compares server-only items against. Upstream reads
 * them through the live list's slice, which by then shares storage with the merge in progress: as many
 * slots as the live list had, holding the surviving items and then the first appended ones. Reproducing
 * that keeps upstream's results, e.g. an item added while another is deleted lands after server-only items.
 */
interface MergedList {
  list: unknown[];
  mergeOrder: unknown[];
}

/** Lists merge only when the schema says so; `$deleteFromPrimitiveList` lists always apply. */
function mergeListField(
  original: unknown[],
  patch: unknown[],
  meta: FieldPatchMeta,
  field: string,
  isDeleteList: boolean,
): MergedList {
  if (meta.strategy === MERGE_DIRECTIVE || isDeleteList) {
    return mergeList(original, patch, meta.schema?.items, meta.mergeKey, field, isDeleteList);
  }
  return { list: clean(patch, VERBATIM) as unknown[], mergeOrder: original };
}

/**
 * `$setElementOrder/<field>`: merges that field's list (if the patch has one) and then orders the result
 * as the directive lists, keeping server-only items where they were (upstream's mergePatchIntoOriginal).
 * The list is removed from `patch` so that the main loop does not merge it twice.
 */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, schema: Schema | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw badPatch(BAD_SET_ELEMENT_ORDER_FORMAT);
    const field = directiveField(directiveKey, SET_ELEMENT_ORDER_PREFIX);
    const originalList = listField(original, field, "object");
    const patchList = listField(patch, field, "patch");
    if (originalList === undefined && patchList === undefined) continue;

    const meta = patchMetaFor(schema, field);
    checkOrderMatchesPatch(patchList ?? [], order, meta.mergeKey);

    let merged: MergedList;
    if (patchList === undefined)
      merged = { list: originalList as unknown[], mergeOrder: originalList as unknown[] };
    else if (originalList === undefined)
      merged = { list: clean(patchList, NEW_LIST) as unknown[], mergeOrder: [] };
    else merged = mergeListField(originalList, patchList, meta, field, false);
    delete patch[field];

    const kind = elementKind(originalList ?? [], patchList ?? []);
    // Upstream fails on an empty list here and cannot order maps without a merge key; leaving such a list
    // in merge order is the useful reading of the directive.
    if (kind === undefined || (kind === "map" && !meta.mergeKey)) {
      setOwn(original, field, merged.list);
      continue;
    }
    const { present, absent } = partitionByPresence(merged.list, order, meta.mergeKey);
    const liveOrder = meta.mergeKey ? merged.mergeOrder : (originalList ?? []);
    setOwn(original, field, normalizeElementOrder(present, absent, order, liveOrder, meta.mergeKey, kind));
  }
}

/** A list-valued field of the object or the patch; undefined when absent (or null in the object). */
function listField(obj: JsonObject, field: string, side: "object" | "patch"): unknown[] | undefined {
  if (!Object.hasOwn(obj, field)) return undefined;
  const value = obj[field];
  if (value === null && side === "object") return undefined;
  if (!Array.isArray(value)) {
    throw badPatch(
      `${SET_ELEMENT_ORDER_PREFIX}/${field} refers to ${field}, which is not a list in the ${side}`,
    );
  }
  return value;
}

/**
 * The items of the patch list must appear in $setElementOrder in the same relative order (deletions and
 * other directive items aside); upstream's validatePatchWithSetOrderList.
 */
function checkOrderMatchesPatch(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (patchList.length === 0 || order.length === 0) return;
  // Maps without a merge key have no identity to compare (upstream crashes here); nothing to check.
  if (!mergeKey && patchList.some(isJsonObject)) return;
  const items = mergeKey ? patchList.filter((item) => !isDeletion(item)) : patchList;
  const same = (item: unknown, ordered: unknown) =>
    mergeKey ? mergeKeyValue(item, mergeKey) === mergeKeyValue(ordered, mergeKey) : item === ordered;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isJsonObject(items[p]) && Object.hasOwn(items[p] as JsonObject, PATCH_DIRECTIVE)) {
      p++;
      continue;
    }
    if (same(items[p], order[o])) p++;
    o++;
  }
  if (p < items.length) {
    throw badPatch(
      `the order in patch list ${describeJson(patchList)} doesn't match ${SET_ELEMENT_ORDER_PREFIX} list ${describeJson(order)}`,
    );
  }
}

function isDeletion(item: unknown): boolean {
  if (!isJsonObject(item)) throw badPatch(`expected a map in a merging list, got ${describeJson(item)}`);
  return item[PATCH_DIRECTIVE] === DELETE_DIRECTIVE;
}

/** Upstream's mergeSlice: merge by key (maps) or by value (primitives), then restore a sensible order. */
function mergeList(
  original: unknown[],
  patch: unknown[],
  itemSchema: Schema | undefined,
  mergeKey: string,
  field: string,
  isDeleteList: boolean,
): MergedList {
  if (original.length === 0 && patch.length === 0) return { list: original, mergeOrder: original };
  const kind = elementKind(original, patch) as "map" | "primitive";

  if (kind === "primitive") {
    if (isDeleteList) {
      const doomed = new Set(patch);
      const list = original.filter((item) => !doomed.has(item));
      return { list, mergeOrder: original };
    }
    const merged = [...new Set([...original, ...patch])];
    const { present, absent } = partitionByPresence(merged, patch, "");
    return { list: normalizeElementOrder(present, absent, patch, original, "", kind), mergeOrder: original };
  }

  if (!mergeKey) throw badPatch(`cannot merge lists without merge key for ${field}`);
  const { live, items } = applyListDirectives(original, patch, mergeKey);
  const merged = [...live];
  for (const item of items) {
    const at = findByMergeKey(merged, mergeKey, mergeKeyValue(item, mergeKey));
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, item as JsonObject, itemSchema);
    else merged.push(clean(item, VERBATIM));
  }
  // A new item has no position in `live`, so it goes before the next server-only item: upstream's
  // documented `kubectl patch` example that adds a container lists the new container first.
  const { present, absent } = partitionByPresence(merged, items, mergeKey);
  const list = normalizeElementOrder(present, absent, items, live, mergeKey, kind);
  return { list, mergeOrder: merged.slice(0, original.length) };
}

/**
 * Handles list items that carry `$patch` (upstream's mergeSliceWithSpecialElements): `delete` removes every
 * live item with that key, `replace` makes the patch's other items the whole list.
 */
function applyListDirectives(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
): { live: unknown[]; items: unknown[] } {
  let live = original;
  let replace = false;
  const items: unknown[] = [];
  for (const item of patch) {
    const entry = item as JsonObject;
    if (!Object.hasOwn(entry, PATCH_DIRECTIVE)) {
      items.push(item);
      continue;
    }
    const directive = entry[PATCH_DIRECTIVE];
    if (directive === DELETE_DIRECTIVE) {
      if (!Object.hasOwn(entry, mergeKey)) throw noMergeKey(entry, mergeKey);
      const doomed = entry[mergeKey];
      // elementKind already checked that every live item is a map.
      live = live.filter((candidate) => {
        const map = candidate as JsonObject;
        return !(Object.hasOwn(map, mergeKey) && map[mergeKey] === doomed);
      });
    } else if (directive === REPLACE_DIRECTIVE) {
      replace = true; // keep scanning: later items may still be malformed
    } else if (directive === MERGE_DIRECTIVE) {
      throw badPatch("merging lists cannot yet be specified in the patch");
    } else {
      throw badPatch(`unknown patch type: ${describeJson(directive)} in map: ${describeJson(entry)}`);
    }
  }
  if (replace) return { live: items.map((item) => clean(item, VERBATIM)), items: [] };
  return { live, items };
}
