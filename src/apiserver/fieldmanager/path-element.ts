// Path elements of server-side apply field paths in their fieldsV1 spelling (`f:name`, `k:{"name":"c"}`,
// `v:"x"`, `i:0`), how they sort (structured-merge-diff's order) and how they print in conflict messages.

/** A path element as fieldsV1 spells it; the spelling is canonical, so equal elements are equal strings. */
export type PathElement = string;

/** A field path from the object's root, e.g. ["f:spec", "f:containers", `k:{"name":"c"}`, "f:image"]. */
export type FieldPath = readonly PathElement[];

/**
 * JSON as Go's encoding/json writes it: `<`, `>` and `&` (and the two JavaScript line separators) are
 * escaped, so element spellings match what an upstream server stores.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, "0");
    return `\\u${hex}`;
  });
}

export const fieldElement = (name: string): PathElement => `f:${name}`;

/** A map-list item selected by its key fields (sorted by name, as upstream sorts them). */
export function keyElement(fields: Record<string, unknown>): PathElement {
  const names = Object.keys(fields);
  // Most list keys are one field (a container's name, a condition's type): written directly, without a sorted copy.
  if (names.length === 1) return `k:{${goJson(names[0])}:${goJson(fields[names[0]])}}`;
  const sorted: Record<string, unknown> = {};
  for (const name of names.sort(compareStrings)) sorted[name] = fields[name];
  return `k:${goJson(sorted)}`;
}

/** A set item selected by its value. */
export const valueElement = (value: unknown): PathElement => `v:${goJson(value)}`;

export const indexElement = (index: number): PathElement => `i:${index}`;

/** The field name of an `f:` element, or undefined for the other kinds. */
export function fieldNameOf(pe: PathElement): string | undefined {
  return pe.startsWith("f:") ? pe.slice(2) : undefined;
}

/** Re-spells an element read from stored fieldsV1, so that equal elements compare equal. */
export function canonicalElement(pe: string): PathElement {
  const kind = pe.slice(0, 2);
  const body = pe.slice(2);
  switch (kind) {
    case "f:":
      return pe;
    case "k:": {
      const fields = JSON.parse(body) as unknown;
      if (fields === null || typeof fields !== "object" || Array.isArray(fields))
        throw new Error(`invalid key element ${pe}`);
      return keyElement(fields as Record<string, unknown>);
    }
    case "v:":
      return valueElement(JSON.parse(body));
    case "i:": {
      const index = Number(body);
      if (!Number.isInteger(index)) throw new Error(`invalid index element ${pe}`);
      return indexElement(index);
    }
    default:
      throw new Error(`unknown path element type in ${JSON.stringify(pe)}`);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's value.Compare: numbers, then strings, booleans, lists, maps, null. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown): number =>
    typeof v === "number"
      ? 0
      : typeof v === "string"
        ? 1
        : typeof v === "boolean"
          ? 2
          : Array.isArray(v)
            ? 3
            : v !== null && typeof v === "object"
              ? 4
              : 5;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a as number) - (b as number);
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return Number(a) - Number(b);
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 4:
      return compareFieldLists(a as Record<string, unknown>, b as Record<string, unknown>);
    default:
      return 0;
  }
}

function compareFieldLists(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a).sort(compareStrings);
  const kb = Object.keys(b).sort(compareStrings);
  for (let i = 0; ; i++) {
    if (i >= ka.length || i >= kb.length) return ka.length - kb.length;
    const byName = compareStrings(ka[i], kb[i]);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[ka[i]], b[kb[i]]);
    if (byValue !== 0) return byValue;
  }
}

/** Element kinds in structured-merge-diff's order, by the first character of their spelling. */
function kindRank(pe: PathElement): number {
  switch (pe.charCodeAt(0)) {
    case 102: // f
      return 0;
    case 107: // k
      return 1;
    case 118: // v
      return 2;
    default: // i
      return 3;
  }
}

/**
 * Parsed bodies of key and value elements. Sorting a trie's level compares each element several times, and the
 * same few elements (`k:{"type":"Ready"}`) recur in every pod: each is parsed once, not at every comparison.
 * Cleared when full rather than kept in order, since a miss only costs the parse.
 */
const parsedBodies = new Map<PathElement, unknown>();
const PARSED_BODIES_LIMIT = 4096;

function bodyOf(pe: PathElement): unknown {
  let body = parsedBodies.get(pe);
  if (body === undefined) {
    body = JSON.parse(pe.slice(2));
    if (parsedBodies.size >= PARSED_BODIES_LIMIT) parsedBodies.clear();
    parsedBodies.set(pe, body);
  }
  return body;
}

/** structured-merge-diff's order of path elements: fields, then keys, values and indexes. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ka = kindRank(a);
  const kb = kindRank(b);
  if (ka !== kb) return ka - kb;
  switch (ka) {
    case 0:
      return compareStrings(a, b);
    case 1:
      return compareFieldLists(bodyOf(a) as Record<string, unknown>, bodyOf(b) as Record<string, unknown>);
    case 2:
      return compareValues(bodyOf(a), bodyOf(b));
    default:
      return Number(a.slice(2)) - Number(b.slice(2));
  }
}

/** Go's value.ToString: strings quoted, numbers and booleans bare. */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(",")}]`;
  if (typeof v === "object")
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${valueText(x)}`)
      .join("");
  return String(v);
}

/** How upstream prints an element: `.image`, `[name="c"]`, `[=value]`, `[0]`. */
export function elementText(pe: PathElement): string {
  const body = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case "f:":
      return `.${body}`;
    case "k:": {
      const fields = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(fields)
        .map(([k, v]) => `${k}=${valueText(v)}`)
        .join(",")}]`;
    }
    case "v:":
      return `[=${valueText(JSON.parse(body))}]`;
    default:
      return `[${body}]`;
  }
}

/** A whole path as upstream prints it: `.spec.template.spec.containers[name="c"].image`. */
export function pathText(path: FieldPath): string {
  return path.map(elementText).join("");
}
