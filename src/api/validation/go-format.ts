// Renders "bad values" the way Kubernetes 1.32 prints them in field errors: strings with Go's %q, numbers
// bare, and maps, slices and structs with Go's %#v (e.g. `map[string]string{"app":"y"}`), because clients and
// users read those exact shapes in `kubectl` messages.
import { int64AmountOf, parseQuantity } from "../quantity.js";

/** A value already rendered as Go source text; printed verbatim. */
export class GoValue {
  constructor(readonly repr: string) {}
  toString(): string {
    return this.repr;
  }
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SIMPLE_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** Go's strconv.Quote: printable runes kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const escaped = SIMPLE_ESCAPES[ch];
    if (escaped) {
      out += escaped;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (cp > 0xffff) out += `\\U${hex(cp, 8)}`;
    else out += `\\u${hex(cp, 4)}`;
  }
  return `${out}"`;
}

const sortedKeys = (m: Record<string, unknown>): string[] => Object.keys(m).sort();

/** `map[string]string{"a":"b", "c":"d"}` (Go sorts keys); `map[string]string(nil)` when absent. */
export function goStringMap(m: Record<string, unknown> | null | undefined): GoValue {
  if (m === null || m === undefined || typeof m !== "object") return new GoValue("map[string]string(nil)");
  const entries = sortedKeys(m).map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`);
  return new GoValue(`map[string]string{${entries.join(", ")}}`);
}

/** `[]string{"a", "b"}`; `[]string(nil)` when absent. */
export function goStringSlice(a: readonly unknown[] | null | undefined, typeName = "[]string"): GoValue {
  if (!Array.isArray(a)) return new GoValue(`${typeName}(nil)`);
  return new GoValue(`${typeName}{${a.map((s) => goQuote(String(s))).join(", ")}}`);
}

/** A struct literal: `pkg.Type{A:x, B:y}` from already-rendered fields. */
export function goStruct(typeName: string, fields: [string, GoValue | string][]): GoValue {
  return new GoValue(`${typeName}{${fields.map(([k, v]) => `${k}:${v}`).join(", ")}}`);
}

/** A pointer inside a %#v struct: `(*T)(nil)`, or a stand-in address (Go prints the real one). */
export function goPointer(typeName: string, isSet: boolean): GoValue {
  return new GoValue(`(*${typeName})(${isSet ? "0xc000000000" : "nil"})`);
}

/** intstr.IntOrString, which 1.32 prints with %#v (its String method has a pointer receiver). */
export function goIntOrString(v: unknown): GoValue {
  if (typeof v === "string") return new GoValue(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`);
  const n = typeof v === "number" ? Math.trunc(v) : 0;
  return new GoValue(`intstr.IntOrString{Type:0, IntVal:${n}, StrVal:""}`);
}

interface SelectorShape {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key?: string; operator?: string; values?: string[] | null }[] | null;
}

/** metav1.LabelSelector as %#v prints it, e.g. in "field is immutable" on spec.selector. */
export function goLabelSelector(selector: unknown): GoValue {
  if (typeof selector !== "object" || selector === null) return new GoValue("null");
  const sel = selector as SelectorShape;
  const exprs = Array.isArray(sel.matchExpressions)
    ? new GoValue(
        `[]v1.LabelSelectorRequirement{${sel.matchExpressions
          .map((e) =>
            goStruct("v1.LabelSelectorRequirement", [
              ["Key", goQuote(e.key ?? "")],
              ["Operator", goQuote(e.operator ?? "")],
              ["Values", goStringSlice(e.values)],
            ]),
          )
          .join(", ")}}`,
      )
    : new GoValue("[]v1.LabelSelectorRequirement(nil)");
  return goStruct("v1.LabelSelector", [
    ["MatchLabels", goStringMap(sel.matchLabels)],
    ["MatchExpressions", exprs],
  ]);
}

/**
 * A resource.Quantity value (not a pointer) as %#v prints it: its String method has a pointer receiver, so field
 * errors dump the struct, e.g. `resource.Quantity{i:resource.int64Amount{value:100, scale:-3},
 * d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"100m", Format:"DecimalSI"}`. The cached string `s` is filled
 * in, as upstream's messages call String() on the same value first.
 */
export function goQuantity(text: string): GoValue {
  const q = parseQuantity(text);
  const amount = int64AmountOf(text);
  return goStruct("resource.Quantity", [
    [
      "i",
      goStruct("resource.int64Amount", [
        ["value", String(amount?.value ?? 0n)],
        ["scale", String(amount?.scale ?? 0)],
      ]),
    ],
    ["d", goStruct("resource.infDecAmount", [["Dec", goPointer("inf.Dec", amount === undefined)]])],
    ["s", goQuote(q.toString())],
    ["Format", goQuote(q.format)],
  ]);
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** metav1.Time prints through time.Time.String(): `2024-05-01 10:00:00 +0000 UTC`. */
export function goTime(value: unknown): GoValue {
  if (value === null || value === undefined || value === "") return new GoValue("null");
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) return new GoValue(goQuote(String(value)));
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return new GoValue(`${date} ${time} +0000 UTC`);
}

function isStringRecord(v: object): v is Record<string, string> {
  return Object.values(v).every((x) => typeof x === "string");
}

/**
 * The text after "Invalid value: ": GoValue verbatim, strings quoted, numbers and booleans bare,
 * null as "null", string maps and slices in %#v form, anything else as JSON (a readable stand-in for
 * the Go struct dump upstream would print).
 */
export function formatBadValue(v: unknown): string {
  if (v instanceof GoValue) return v.repr;
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "string")) return goStringSlice(v).repr;
    return JSON.stringify(v);
  }
  if (typeof v === "object" && isStringRecord(v)) return goStringMap(v).repr;
  return JSON.stringify(v);
}
