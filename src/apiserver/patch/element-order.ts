// Ordering of merged lists, after upstream's normalizeElementOrder: items named by the patch (or by
// $setElementOrder) take the patch's order, items only the server has keep theirs, and the two runs are
// interleaved using the positions the items had in the live list.

import type { ApiError } from "../../api/errors.js";
import { DELETE_DIRECTIVE, PATCH_DIRECTIVE } from "./directives.js";
import { describeJson, isJsonObject, type JsonObject } from "./json-values.js";
import { badPatch, unprocessablePatch } from "./patch-errors.js";

/** What the items of a list are: maps (merged by key) or primitives (merged by value). */
export type ElementKind = "map" | "primitive";

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  return isJsonObject(value) ? "map" : typeof value;
}

/**
 * The common element kind of the given lists (upstream's sliceElementType); undefined when they hold no
 * items at all. Mixed item types and lists of lists are rejected as upstream does.
 */
export function elementKind(...lists: unknown[][]): ElementKind | undefined {
  let seen: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = jsonTypeOf(item);
      if (type === "list") throw unprocessablePatch("lists of lists are not supported");
      if (seen === undefined) seen = type;
      else if (seen !== type) throw badPatch(`list element types are not identical: ${describeJson(lists)}`);
    }
  }
  if (seen === undefined) return undefined;
  return seen === "map" ? "map" : "primitive";
}

export function noMergeKey(item: unknown, mergeKey: string): ApiError {
  return badPatch(`map: ${describeJson(item)} does not contain declared merge key: ${mergeKey}`);
}

/** The merge-key value of a map item; throws when the item is not a map or lacks the key. */
export function mergeKeyValue(item: unknown, mergeKey: string): unknown {
  if (!isJsonObject(item))
    throw badPatch(`expected a map in a list merged by ${mergeKey}, got ${describeJson(item)}`);
  if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
  return item[mergeKey];
}

/** Index of the first map in `list` whose merge key equals `value`, or -1. */
export function findByMergeKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isJsonObject(item)) throw badPatch(`value for key ${i} is not a map`);
    if (Object.hasOwn(item, mergeKey) && item[mergeKey] === value) return i;
  }
  return -1;
}

/** How an item is identified when comparing positions: its merge-key value for maps, itself otherwise. */
function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== "map") return item;
  return isJsonObject(item) ? item[mergeKey] : undefined;
}

/** First position of every identity in `order`, so that position look-ups are constant time. */
function positions(order: unknown[], mergeKey: string, kind: ElementKind): Map<unknown, number> {
  const found = new Map<unknown, number>();
  order.forEach((item, i) => {
    const id = identity(item, mergeKey, kind);
    if (!found.has(id)) found.set(id, i);
  });
  return found;
}

/** Splits `merged` into the items present in `presentIn` and the rest (upstream's partition…ByPresentInList). */
export function partitionByPresence(
  merged: unknown[],
  presentIn: unknown[],
  mergeKey: string,
): { present: unknown[]; absent: unknown[] } {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  if (!mergeKey) {
    const wanted = new Set(presentIn);
    for (const item of merged) (wanted.has(item) ? present : absent).push(item);
    return { present, absent };
  }
  for (const item of merged) {
    const value = mergeKeyValue(item, mergeKey);
    (findByMergeKey(presentIn, mergeKey, value) >= 0 ? present : absent).push(item);
  }
  return { present, absent };
}

/**
 * Sorts `toSort` by the positions its items have in `order`. Upstream sorts with a comparator that calls
 * any pair involving an unknown item "less"; Go's stable sort is an insertion sort for short lists, and the
 * same insertion sort here reproduces its result for those odd pairs too. Items marked `$patch: delete`
 * go last, as upstream puts them.
 */
function sortByOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let items = toSort;
  let deletions: unknown[] = [];
  if (kind === "map") {
    for (const item of [...toSort, ...order]) mergeKeyValue(item, mergeKey);
    items = toSort.filter((item) => (item as JsonObject)[PATCH_DIRECTIVE] !== DELETE_DIRECTIVE);
    deletions = toSort.filter((item) => (item as JsonObject)[PATCH_DIRECTIVE] === DELETE_DIRECTIVE);
  }
  const at = positions(order, mergeKey, kind);
  const positionOf = (item: unknown) => at.get(identity(item, mergeKey, kind)) ?? -1;
  const less = (a: unknown, b: unknown): boolean => {
    const pa = positionOf(a);
    const pb = positionOf(b);
    return pa >= 0 && pb >= 0 ? pa < pb : true;
  };
  const sorted = [...items];
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0 && less(sorted[j], sorted[j - 1]); j--) {
      [sorted[j], sorted[j - 1]] = [sorted[j - 1], sorted[j]];
    }
  }
  return [...sorted, ...deletions];
}

/**
 * Interleaves two sorted runs (upstream's mergeSortedSlice): a server-only item goes before a patch item
 * only when both appear in the live list and the server-only item came first there.
 */
function interleave(
  serverOnly: unknown[],
  patchItems: unknown[],
  liveOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const at = positions(liveOrder, mergeKey, kind);
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (i >= serverOnly.length) result.push(patchItems[j++]);
    else if (j >= patchItems.length) result.push(serverOnly[i++]);
    else {
      const left = at.get(identity(serverOnly[i], mergeKey, kind));
      const right = at.get(identity(patchItems[j], mergeKey, kind));
      if (left !== undefined && right !== undefined && left < right) result.push(serverOnly[i++]);
      else result.push(patchItems[j++]);
    }
  }
  return result;
}

/**
 * Orders a merged list: `patchItems` by `patchOrder`, `serverOnly` by `liveOrder`, then interleaved.
 * The precedence is $setElementOrder (or the patch list) over the live list.
 */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  liveOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const sortedPatch = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const sortedServer = sortByOrder(serverOnly, liveOrder, mergeKey, kind);
  return interleave(sortedServer, sortedPatch, liveOrder, mergeKey, kind);
}
