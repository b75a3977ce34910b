// Kubernetes field selectors as in k8s.io/apimachinery/pkg/fields: `k=v`, `k==v`, `k!=v` terms ANDed by commas,
// with `\,` `\=` `\\` escapes in values, plus the per-kind check of which fields may be selected.
import { ApiError } from "./errors.js";

export type FieldOperator = "=" | "!=";

export interface FieldRequirement {
  readonly field: string;
  readonly op: FieldOperator;
  readonly value: string;
}

export interface FieldSelector {
  /** ANDed requirements, in the order of their sorted source terms (as upstream). */
  readonly requirements: readonly FieldRequirement[];
  /** `get` returns a field's value; a missing field reads as "" (so `spec.nodeName=` selects unbound pods). */
  matches(get: (field: string) => string | undefined): boolean;
  /** True when the selector restricts nothing. */
  empty(): boolean;
  /** The value `field` must equal, when a `=`/`==` term pins it (the first such term wins, as upstream). */
  exactMatch(field: string): string | undefined;
  /** Canonical form: terms joined by commas, `==` written as `=`, values escaped. */
  toString(): string;
}

/** fields.EscapeValue: makes an arbitrary string safe to use as a selector value. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue; errors carry upstream's text. */
function unescapeFieldValue(raw: string): string {
  if (!/[\\,=]/.test(raw)) return raw;
  let out = "";
  let inSlash = false;
  for (const c of raw) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=") {
        throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === "\\") {
      inSlash = true;
    } else if (c === "," || c === "=") {
      // Go prints the offending rune with %v, i.e. as its code point.
      throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new Error("invalid field selector: invalid escape sequence: \\");
  return out;
}

/** Splits on commas that are not escaped; escapes stay in the terms for unescapeFieldValue to read. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

// `==` is tried before `=` so that it never leaves a stray `=` at the start of the value.
const TERM_OPERATORS = ["!=", "==", "="] as const;

/** The first operator occurrence splits the term: keys cannot be escaped. */
function splitTerm(
  term: string,
): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

class ParsedFieldSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];

  constructor(requirements: FieldRequirement[]) {
    this.requirements = Object.freeze(requirements);
  }

  matches(get: (field: string) => string | undefined): boolean {
    const rs = this.requirements;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      const actual = get(r.field) ?? "";
      if ((actual === r.value) !== (r.op === "=")) return false;
    }
    return true;
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  exactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.op === "=")?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(",");
  }
}

const EVERYTHING: FieldSelector = new ParsedFieldSelector([]);

/** fields.Everything(). */
export const everythingFieldSelector = (): FieldSelector => EVERYTHING;

/** fields.ParseSelector. Throws ApiError.badRequest with upstream's message. */
export function parseFieldSelector(text: string): FieldSelector {
  const terms = splitTerms(text).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === "") continue;
    const parts = splitTerm(term);
    if (!parts) throw ApiError.badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    let value: string;
    try {
      value = unescapeFieldValue(parts.rhs);
    } catch (e) {
      throw ApiError.badRequest((e as Error).message);
    }
    requirements.push({ field: parts.lhs, op: parts.op === "!=" ? "!=" : "=", value });
  }
  return requirements.length === 0 ? EVERYTHING : new ParsedFieldSelector(requirements);
}

/** fields.OneTermEqualSelector: `field=value`, e.g. metadata.name for single-object watches. */
export function fieldSelectorFromTerm(field: string, value: string): FieldSelector {
  return new ParsedFieldSelector([{ field, op: "=", value }]);
}

// Kinds without their own field-label conversion accept only these, and say so in a distinct message.
const DEFAULT_SELECTABLE = ["metadata.name", "metadata.namespace"];

const isDefaultSelectable = (allowed: readonly string[]): boolean =>
  allowed.length === DEFAULT_SELECTABLE.length && DEFAULT_SELECTABLE.every((f) => allowed.includes(f));

/**
 * Rejects a selector naming a field the kind cannot select on, with the message the upstream API server gives:
 * kinds limited to metadata.name/metadata.namespace use runtime.DefaultMetaV1FieldSelectorConversion
 * (`"x" is not a known field selector: only "metadata.name", "metadata.namespace"`), while kinds that register
 * their own conversion (Pod, Node, Event, Namespace, Secret, Service, ...) answer `field label not supported: x`.
 */
export function validateFieldSelectorKeys(sel: FieldSelector, allowed: readonly string[]): void {
  for (const { field } of sel.requirements) {
    if (allowed.includes(field)) continue;
    if (isDefaultSelectable(allowed)) {
      throw ApiError.badRequest(
        `${JSON.stringify(field)} is not a known field selector: only ${DEFAULT_SELECTABLE.map((f) => JSON.stringify(f)).join(", ")}`,
      );
    }
    throw ApiError.badRequest(`field label not supported: ${field}`);
  }
}
