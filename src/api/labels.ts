// Kubernetes label selectors as in k8s.io/apimachinery/pkg/labels: the string parser, LabelSelector conversion,
// the canonical string form, and precompiled matching that is cheap enough to run over every pod in a list.
import { ApiError } from "./errors.js";
import { isQualifiedName, isValidLabelValue } from "./validation/names.js";

/** The operators of k8s.io/apimachinery/pkg/selection, spelled as upstream spells them. */
export type SelectorOperator = "in" | "notin" | "=" | "==" | "!=" | "exists" | "!" | "gt" | "lt";

export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Empty for exists/!; sorted and de-duplicated when parsed from a string. */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

/** The wire shape of a meta/v1 LabelSelector (structurally compatible with kubernetes-types). */
export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: readonly string[] }>;
}

export interface Selector {
  /** ANDed requirements, sorted by key. */
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Labels | undefined | null): boolean;
  /** True when the selector does not restrict anything (it selects everything). */
  empty(): boolean;
  /** True only for the selector of a null LabelSelector, which selects nothing. */
  matchesNothing(): boolean;
  toString(): string;
  /**
   * The only values `key` may take for an object to match (from `=`, `==` and `in`, intersected when the key
   * is pinned several times), or undefined when the selector does not pin the key. Used for index lookups.
   */
  exactMatchValues(key: string): string[] | undefined;
}

// Keys and values are checked by the util/validation port that object validation uses, so a selector and an
// object's labels word the same problem the same way.

/** Problems with a label key (a qualified name: optional DNS-subdomain prefix, '/', name), as upstream words them. */
export const labelKeyErrors: (key: string) => string[] = isQualifiedName;
/** Problems with a label value, as upstream words them. */
export const labelValueErrors: (value: string) => string[] = isValidLabelValue;

// ---- field-error text, shaped like field.Error.Error() so messages read as upstream's ----

const goQuote = (s: string): string => JSON.stringify(s);
const goStringSlice = (values: readonly string[] | null): string =>
  values === null ? "[]string(nil)" : `[]string{${values.map(goQuote).join(", ")}}`;
const invalid = (field: string, badValue: string, detail: string): string =>
  `${field}: Invalid value: ${badValue}: ${detail}`;

/** utilerrors.Aggregate: one message alone, several de-duplicated inside brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(", ")}]`;
}

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): an optional sign, decimal digits, within int64. */
function parseInt64(s: string): bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * labels.NewRequirement: validates and builds one requirement. `values === null` stands for a nil Go slice,
 * which only changes how an error prints the bad value.
 */
function newRequirement(
  key: string,
  operator: SelectorOperator,
  values: readonly string[] | null,
): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length > 0) errs.push(invalid("key", goQuote(key), keyErrs.join("; ")));
  const vals = values ?? [];
  switch (operator) {
    case "in":
    case "notin":
      if (vals.length === 0) {
        errs.push(
          invalid("values", goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"),
        );
      }
      break;
    case "=":
    case "==":
    case "!=":
      if (vals.length !== 1) {
        errs.push(
          invalid("values", goStringSlice(values), "exact-match compatibility requires one single value"),
        );
      }
      break;
    case "exists":
    case "!":
      if (vals.length !== 0) {
        errs.push(
          invalid("values", goStringSlice(values), "values set must be empty for exists and does not exist"),
        );
      }
      break;
    case "gt":
    case "lt":
      if (vals.length !== 1) {
        errs.push(
          invalid("values", goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"),
        );
      }
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalid(`values[${i}]`, goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
  }
  vals.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) errs.push(invalid(`values[${i}][${key}]`, goQuote(v), valueErrs.join("; ")));
  });
  if (errs.length > 0) throw new Error(aggregate(errs));
  return { key, operator, values: [...vals] };
}

// ---- compiled matching ----

// One numeric kind per matcher keeps the hot loop a monomorphic switch instead of a megamorphic call.
const EQUALS = 0;
const IN_SET = 1;
const NOT_EQUALS = 2;
const NOT_IN_SET = 3;
const EXISTS = 4;
const NOT_EXISTS = 5;
const GREATER = 6;
const LESS = 7;

interface Matcher {
  readonly key: string;
  readonly kind: number;
  readonly one: string;
  readonly set: ReadonlySet<string> | null;
  readonly bound: bigint;
}

function compile(r: LabelRequirement): Matcher {
  const single = r.values.length === 1;
  const base = { key: r.key, one: r.values[0] ?? "", set: null, bound: 0n };
  switch (r.operator) {
    case "=":
    case "==":
    case "in":
      return single ? { ...base, kind: EQUALS } : { ...base, kind: IN_SET, set: new Set(r.values) };
    case "!=":
    case "notin":
      return single ? { ...base, kind: NOT_EQUALS } : { ...base, kind: NOT_IN_SET, set: new Set(r.values) };
    case "exists":
      return { ...base, kind: EXISTS };
    case "!":
      return { ...base, kind: NOT_EXISTS };
    case "gt":
    case "lt":
      return { ...base, kind: r.operator === "gt" ? GREATER : LESS, bound: parseInt64(r.values[0]) ?? 0n };
  }
}

/** A label value read as an int64 without regexes or allocation in the common short case. */
function labelAsInteger(v: string): number | bigint | undefined {
  const n = v.length;
  if (n === 0) return undefined;
  let i = v.charCodeAt(0) === 43 || v.charCodeAt(0) === 45 ? 1 : 0; // '+' or '-'
  if (i === n) return undefined;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  // Fifteen characters always fit a double exactly; longer ones go through bigint and the int64 range check.
  return n <= 15 ? Number(v) : parseInt64(v);
}

function matchOne(m: Matcher, labels: Labels): boolean {
  const v = labels[m.key];
  // typeof guards against keys such as "constructor" resolving through the prototype chain.
  const has = typeof v === "string";
  switch (m.kind) {
    case EQUALS:
      return has && v === m.one;
    case IN_SET:
      return has && m.set!.has(v);
    case NOT_EQUALS:
      return !has || v !== m.one;
    case NOT_IN_SET:
      return !has || !m.set!.has(v);
    case EXISTS:
      return has;
    case NOT_EXISTS:
      return !has;
    default: {
      if (!has) return false;
      const n = labelAsInteger(v);
      if (n === undefined) return false;
      return m.kind === GREATER ? n > m.bound : n < m.bound;
    }
  }
}

function requirementToString(r: LabelRequirement): string {
  switch (r.operator) {
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "in":
    case "notin":
      return `${r.key} ${r.operator} (${sortedValues(r.values).join(",")})`;
    case "gt":
      return `${r.key}>${r.values[0]}`;
    case "lt":
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${sortedValues(r.values).join(",")}`;
  }
}

const sortedValues = (values: readonly string[]): readonly string[] =>
  values.length < 2 ? values : [...values].sort();

const EMPTY_LABELS: Labels = Object.freeze({});

class RequirementSelector implements Selector {
  readonly requirements: readonly LabelRequirement[];
  private readonly matchers: readonly Matcher[];
  private text: string | undefined;

  constructor(requirements: LabelRequirement[]) {
    // Stable sort by key, as upstream does, so the string form is deterministic.
    requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.requirements = Object.freeze(requirements);
    this.matchers = requirements.map(compile);
  }

  matches(labels: Labels | undefined | null): boolean {
    const ls = labels ?? EMPTY_LABELS;
    const ms = this.matchers;
    for (let i = 0; i < ms.length; i++) {
      if (!matchOne(ms[i], ls)) return false;
    }
    return true;
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  matchesNothing(): boolean {
    return false;
  }

  toString(): string {
    this.text ??= this.requirements.map(requirementToString).join(",");
    return this.text;
  }

  exactMatchValues(key: string): string[] | undefined {
    let allowed: Set<string> | undefined;
    for (const r of this.requirements) {
      if (r.key !== key || (r.operator !== "=" && r.operator !== "==" && r.operator !== "in")) continue;
      allowed = allowed ? new Set(r.values.filter((v) => allowed!.has(v))) : new Set(r.values);
    }
    return allowed ? [...allowed].sort() : undefined;
  }
}

class NothingSelector implements Selector {
  readonly requirements: readonly LabelRequirement[] = Object.freeze([]);
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  matchesNothing(): boolean {
    return true;
  }
  toString(): string {
    return "";
  }
  exactMatchValues(): string[] | undefined {
    return undefined;
  }
}

const EVERYTHING: Selector = new RequirementSelector([]);
const NOTHING: Selector = new NothingSelector();

/** labels.Everything(): selects every object. */
export const everythingSelector = (): Selector => EVERYTHING;
/** labels.Nothing(): selects no object (the selector of a null LabelSelector). */
export const nothingSelector = (): Selector => NOTHING;

/** labels.SelectorFromSet: exact match on every pair, without validation; empty or missing selects everything. */
export function selectorFromSet(set: Labels | undefined | null): Selector {
  if (!set) return EVERYTHING;
  const keys = Object.keys(set);
  if (keys.length === 0) return EVERYTHING;
  return new RequirementSelector(keys.map((key) => ({ key, operator: "=", values: [set[key]] })));
}

// ---- the string parser (labels.Parse) ----

type Token =
  | "error"
  | "eos"
  | ")"
  | ","
  | "!"
  | "=="
  | "="
  | ">"
  | "identifier"
  | "in"
  | "<"
  | "!="
  | "notin"
  | "(";

interface ScannedItem {
  tok: Token;
  literal: string;
}

const LITERAL_TOKENS: ReadonlyMap<string, Token> = new Map<string, Token>([
  [")", ")"],
  [",", ","],
  ["!", "!"],
  ["==", "=="],
  ["=", "="],
  [">", ">"],
  ["in", "in"],
  ["<", "<"],
  ["!=", "!="],
  ["notin", "notin"],
  ["(", "("],
]);

const isWhitespace = (ch: string): boolean => ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
const isSpecialSymbol = (ch: string): boolean =>
  ch === "=" || ch === "!" || ch === "(" || ch === ")" || ch === "," || ch === ">" || ch === "<";

/** Splits a selector string into tokens exactly as upstream's byte lexer does (NUL ends the input). */
function scan(input: string): ScannedItem[] {
  const nul = input.indexOf("\0");
  const s = nul >= 0 ? input.slice(0, nul) : input;
  const items: ScannedItem[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: "eos", literal: "" });
      return items;
    }
    if (isSpecialSymbol(s[pos])) {
      // Longest run of special characters that still forms a known operator.
      let buffer = "";
      let last: ScannedItem | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos])) {
        const grown = buffer + s[pos];
        const tok = LITERAL_TOKENS.get(grown);
        if (tok) last = { tok, literal: grown };
        else if (last) break;
        buffer = grown;
        pos++;
      }
      items.push(last ?? { tok: "error", literal: `error expected: keyword found '${buffer}'` });
    } else {
      const start = pos;
      while (pos < s.length && !isSpecialSymbol(s[pos]) && !isWhitespace(s[pos])) pos++;
      const word = s.slice(start, pos);
      items.push({ tok: LITERAL_TOKENS.get(word) ?? "identifier", literal: word });
    }
  }
}

/** Parser contexts: inside value lists, the words `in`/`notin` are plain identifiers. */
type Context = "keyAndOperator" | "values";

class Parser {
  private position = 0;
  constructor(private readonly items: ScannedItem[]) {}

  private lookahead(ctx: Context): ScannedItem {
    return this.asContext(this.items[this.position], ctx);
  }

  private consume(ctx: Context): ScannedItem {
    return this.asContext(this.items[this.position++], ctx);
  }

  private asContext(item: ScannedItem, ctx: Context): ScannedItem {
    if (ctx === "values" && (item.tok === "in" || item.tok === "notin"))
      return { tok: "identifier", literal: item.literal };
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead("values");
      if (tok === "identifier" || tok === "!") {
        try {
          requirements.push(this.parseRequirement());
        } catch (e) {
          throw new Error(`unable to parse requirement: ${(e as Error).message}`);
        }
        const next = this.consume("values");
        if (next.tok === "eos") return requirements;
        if (next.tok !== ",") throw new Error(`found '${next.literal}', expected: ',' or 'end of string'`);
        const after = this.lookahead("values");
        if (after.tok !== "identifier" && after.tok !== "!") {
          throw new Error(`found '${after.literal}', expected: identifier after ','`);
        }
      } else if (tok === "eos") {
        return requirements;
      } else {
        throw new Error(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === "exists" || operator === "!") return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === "in" || op === "notin" ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private parseKeyAndInferOperator(): { key: string; operator: SelectorOperator | undefined } {
    let operator: SelectorOperator | undefined;
    let item = this.consume("values");
    if (item.tok === "!") {
      operator = "!";
      item = this.consume("values");
    }
    if (item.tok !== "identifier") throw new Error(`found '${item.literal}', expected: identifier`);
    const keyErrs = labelKeyErrors(item.literal);
    // The parser validates the key against a nil field path, which prints as "<nil>".
    if (keyErrs.length > 0) throw new Error(invalid("<nil>", goQuote(item.literal), keyErrs.join("; ")));
    const next = this.lookahead("values").tok;
    if ((next === "eos" || next === ",") && operator !== "!") operator = "exists";
    return { key: item.literal, operator };
  }

  private parseOperator(): SelectorOperator {
    const { tok, literal } = this.consume("keyAndOperator");
    switch (tok) {
      case "in":
      case "notin":
      case "=":
      case "==":
      case "!=":
        return tok;
      case ">":
        return "gt";
      case "<":
        return "lt";
      default:
        throw new Error(`found '${literal}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume("values");
    if (open.tok !== "(") throw new Error(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead("values");
    if (tok === "identifier" || tok === ",") {
      const values = this.parseIdentifiersList();
      this.consume("values"); // the ')' that ended the list
      return values;
    }
    if (tok === ")") {
      this.consume("values");
      return new Set([""]);
    }
    throw new Error(`found '${literal}', expected: ',', ')' or identifier`);
  }

  /** A comma-separated list in which empty entries stand for the empty value: "(a,,b)", "(,a)", "(a,)". */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume("values");
      if (tok === "identifier") {
        values.add(literal);
        const next = this.lookahead("values");
        if (next.tok === ",") continue;
        if (next.tok === ")") return values;
        throw new Error(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (tok === ",") {
        if (values.size === 0) values.add("");
        const next = this.lookahead("values").tok;
        if (next === ")") {
          values.add("");
          return values;
        }
        if (next === ",") values.add("");
        continue;
      }
      throw new Error(`found '${literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead("values").tok;
    if (next === "eos" || next === ",") return new Set([""]);
    const { tok, literal } = this.consume("values");
    if (tok === "identifier") return new Set([literal]);
    throw new Error(`found '${literal}', expected: identifier`);
  }
}

/**
 * labels.Parse: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>5`, `a<5`, comma-separated.
 * The empty string selects everything. Throws ApiError.badRequest with upstream's message.
 */
export function parseLabelSelector(text: string): Selector {
  let requirements: LabelRequirement[];
  try {
    requirements = new Parser(scan(text)).parse();
  } catch (e) {
    throw ApiError.badRequest((e as Error).message);
  }
  return requirements.length === 0 ? EVERYTHING : new RequirementSelector(requirements);
}

const EXPRESSION_OPERATORS: Readonly<Record<string, SelectorOperator>> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

function requirementsOf(ls: LabelSelectorLike): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  const matchLabels = ls.matchLabels ?? {};
  for (const key of Object.keys(matchLabels).sort()) {
    requirements.push(newRequirement(key, "=", [matchLabels[key]]));
  }
  for (const expr of ls.matchExpressions ?? []) {
    const operator = Object.hasOwn(EXPRESSION_OPERATORS, expr.operator)
      ? EXPRESSION_OPERATORS[expr.operator]
      : undefined;
    if (!operator) throw new Error(`${goQuote(expr.operator)} is not a valid label selector operator`);
    const values = expr.values && expr.values.length > 0 ? expr.values : null;
    requirements.push(newRequirement(expr.key, operator, values));
  }
  return requirements;
}

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects nothing, `{}` selects everything, otherwise the
 * AND of matchLabels and matchExpressions. Throws ApiError.badRequest when the selector is invalid.
 */
export function selectorFromLabelSelector(ls: LabelSelectorLike | undefined | null): Selector {
  if (ls == null) return NOTHING;
  if (Object.keys(ls.matchLabels ?? {}).length + (ls.matchExpressions?.length ?? 0) === 0) return EVERYTHING;
  try {
    return new RequirementSelector(requirementsOf(ls));
  } catch (e) {
    throw ApiError.badRequest((e as Error).message);
  }
}

/** metav1.FormatLabelSelector: the selector's string form, `<none>` when empty or null, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelectorLike | undefined | null): string {
  let text: string;
  try {
    text = selectorFromLabelSelector(ls).toString();
  } catch {
    return "<error>";
  }
  return text.length === 0 ? "<none>" : text;
}
