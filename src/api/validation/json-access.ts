// Tolerant readers for decoded JSON: validators must report bad input, never throw on an unexpected shape.

export type JsonRecord = Record<string, unknown>;

export const isRecord = (v: unknown): v is JsonRecord =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const asRecord = (v: unknown): JsonRecord => (isRecord(v) ? v : {});

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Array of records; non-object items become `{}` so their indexes still line up with field paths. */
export const asRecords = (v: unknown): JsonRecord[] => asArray(v).map(asRecord);

/** The record items of an array, in place (for defaulting, which mutates them); other items are skipped. */
export const recordItems = (v: unknown): JsonRecord[] => (Array.isArray(v) ? v.filter(isRecord) : []);

export const asString = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);

/** A number as Go would hold it (absent is 0). */
export const asNumber = (v: unknown): number => (typeof v === "number" ? v : 0);

export const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** The string values of a map such as labels, with keys sorted so errors come out in a stable order. */
export function sortedEntries(v: unknown): [string, string][] {
  return Object.entries(asRecord(v))
    .map(([k, val]): [string, string] => [k, asString(val)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
