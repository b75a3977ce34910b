// Strict decoding of a JSON object against a kind's schema, the way the apiserver's Go decoder does it with
// fieldValidation: unknown and duplicate fields (reported as `spec.containers[0].imagee` paths) and type errors
// (phrased like Go's "json: cannot unmarshal ..."). Free-form content (preserveUnknownFields) is not checked.

import { goTypeName, jsonValueKind } from "./go-types.js";
import { checkBase64, checkQuantity, checkTimestamp } from "./scalar-checks.js";
import type { Schema } from "./types.js";

export interface DecodeTypeError {
  /** Where the bad value sits, with list indexes: `spec.template.spec.containers[0].ports[0].containerPort`. */
  path: string;
  /** The decoder's message, e.g. `json: cannot unmarshal string into Go struct field ... of type int32`. */
  message: string;
}

export interface StrictCheckResult {
  unknownFields: string[];
  /** Present when the raw JSON text was given (JSON.parse keeps only the last of duplicate keys). */
  duplicateFields?: string[];
  /** Upstream stops at the first of these and rejects the request; all are listed here, first one first. */
  typeErrors: DecodeTypeError[];
}

export interface CheckOptions {
  /** The request body as received, to find duplicate keys. */
  jsonText?: string;
}

/** Upstream keeps at most this many unknown/duplicate field errors per object. */
const MAX_STRICT_ERRORS = 100;

/**
 * Where the walk is, as a chain of steps back to the top. The strict path (with indexes) and the context Go puts
 * into type errors are spelled out only when there is an error: building them for every field cost more than
 * the checks themselves.
 */
interface Cursor {
  readonly parent: Cursor | undefined;
  /** A struct field or map key (extending the path with `.key`), or a list index (`[i]`). */
  readonly step: string | number;
  /** A struct field: it joins Go's error field stack (map keys and indexes do not). */
  readonly field: boolean;
  /** Name of the Go struct whose field is being decoded ("" at the top). */
  readonly goStruct: string;
}

const TOP: Cursor = { parent: undefined, step: "", field: false, goStruct: "" };

/** The strict path of a cursor: `spec.template.spec.containers[0].ports[0].containerPort`. */
function pathOf(at: Cursor): string {
  if (!at.parent) return "";
  const before = pathOf(at.parent);
  if (typeof at.step === "number") return `${before}[${at.step}]`;
  return before ? `${before}.${at.step}` : at.step;
}

/** JSON names of the struct fields entered down to the cursor (Go's error field stack). */
function goFieldsOf(at: Cursor): string[] {
  const fields: string[] = [];
  for (let c: Cursor | undefined = at; c?.parent; c = c.parent) if (c.field) fields.push(c.step as string);
  return fields.reverse();
}

/** The Go struct name of a schema definition (`io.k8s.api.core.v1.PodSpec` → `PodSpec`), worked out once. */
const structNames = new WeakMap<Schema, string>();
function structName(schema: Schema): string {
  let name = structNames.get(schema);
  if (name === undefined) {
    name = schema.definitionName?.split(".").pop() ?? "";
    structNames.set(schema, name);
  }
  return name;
}

class Walker {
  readonly unknownFields: string[] = [];
  readonly typeErrors: DecodeTypeError[] = [];
  private readonly seenUnknown = new Set<string>();

  unknown(path: string): void {
    if (this.seenUnknown.has(path) || this.seenUnknown.size >= MAX_STRICT_ERRORS) return;
    this.seenUnknown.add(path);
    this.unknownFields.push(path);
  }

  /** Go's UnmarshalTypeError text, with the struct/field context its decoder adds. */
  mismatch(at: Cursor, value: unknown, goType: string, valueText = jsonValueKind(value)): void {
    const goFields = goFieldsOf(at);
    const target = goFields.length > 0 ? `Go struct field ${at.goStruct}.${goFields.join(".")}` : "Go value";
    this.typeErrors.push({
      path: pathOf(at),
      message: `json: cannot unmarshal ${valueText} into ${target} of type ${goType}`,
    });
  }

  /** An error a custom Go unmarshaler returns verbatim (Quantity, Time parsing, base64). */
  plain(at: Cursor, message: string): void {
    this.typeErrors.push({ path: pathOf(at), message });
  }

  walk(value: unknown, schema: Schema, at: Cursor): void {
    // JSON null decodes to the zero value of any Go type without complaint.
    if (value === null || value === undefined || schema.preserveUnknownFields) return;
    if (schema.intOrString) {
      this.intOrString(value, at);
      return;
    }
    if (schema.format === "quantity") {
      this.quantity(value, at);
      return;
    }
    if (schema.format === "date-time") {
      this.timestamp(value, at);
      return;
    }
    switch (schema.type) {
      case "string":
        this.string(value, schema, at);
        return;
      case "boolean":
        if (typeof value !== "boolean") this.mismatch(at, value, "bool");
        return;
      case "integer":
        this.integer(value, schema, at);
        return;
      case "number":
        if (typeof value !== "number") this.mismatch(at, value, "float64");
        return;
      case "array":
        this.array(value, schema, at);
        return;
      case "object":
        this.object(value, schema, at);
        return;
      default:
        return;
    }
  }

  private string(value: unknown, schema: Schema, at: Cursor): void {
    if (typeof value !== "string") {
      this.mismatch(at, value, goTypeName(schema));
      return;
    }
    if (schema.format === "byte") {
      const problem = checkBase64(value);
      if (problem) this.plain(at, problem);
    }
  }

  private integer(value: unknown, schema: Schema, at: Cursor): void {
    const goType = schema.format === "int64" ? "int64" : "int32";
    if (typeof value !== "number") {
      this.mismatch(at, value, goType);
      return;
    }
    const limit = goType === "int64" ? 2 ** 63 : 2 ** 31;
    if (!Number.isInteger(value) || value < -limit || value >= limit) {
      this.mismatch(at, value, goType, `number ${String(value)}`);
    }
  }

  private intOrString(value: unknown, at: Cursor): void {
    // IntOrString decodes strings as they are and everything else as an int32.
    if (typeof value === "string") return;
    this.integer(value, { type: "integer", format: "int32" }, at);
  }

  private quantity(value: unknown, at: Cursor): void {
    const problem = checkQuantity(value);
    if (problem) this.plain(at, problem);
  }

  private timestamp(value: unknown, at: Cursor): void {
    // metav1.Time first decodes a Go string, so non-strings fail as "of type string".
    if (typeof value !== "string") {
      this.mismatch(at, value, "string");
      return;
    }
    const problem = checkTimestamp(value);
    if (problem) this.plain(at, problem);
  }

  private array(value: unknown, schema: Schema, at: Cursor): void {
    if (!Array.isArray(value)) {
      this.mismatch(at, value, goTypeName(schema));
      return;
    }
    const items = schema.items;
    if (!items) return;
    for (let i = 0; i < value.length; i++) {
      this.walk(value[i], items, { parent: at, step: i, field: false, goStruct: at.goStruct });
    }
  }

  private object(value: unknown, schema: Schema, at: Cursor): void {
    if (typeof value !== "object" || Array.isArray(value)) {
      this.mismatch(at, value, goTypeName(schema));
      return;
    }
    const obj = value as Record<string, unknown>;
    const { properties, additionalProperties } = schema;
    if (properties) {
      const goStruct = structName(schema);
      for (const key in obj) {
        const field = Object.hasOwn(properties, key) ? properties[key] : undefined;
        if (!field) {
          const path = pathOf(at);
          this.unknown(path ? `${path}.${key}` : key);
          continue;
        }
        this.walk(obj[key], field, { parent: at, step: key, field: true, goStruct });
      }
    } else if (additionalProperties) {
      // Map entries extend the strict path but not Go's error context.
      for (const key in obj) {
        this.walk(obj[key], additionalProperties, {
          parent: at,
          step: key,
          field: false,
          goStruct: at.goStruct,
        });
      }
    }
  }
}

/** Checks a decoded JSON value against a schema the way a strict upstream decode would. */
export function checkObject(obj: unknown, schema: Schema, options: CheckOptions = {}): StrictCheckResult {
  const walker = new Walker();
  walker.walk(obj, schema, TOP);
  const result: StrictCheckResult = { unknownFields: walker.unknownFields, typeErrors: walker.typeErrors };
  if (options.jsonText !== undefined) {
    const room = Math.max(0, MAX_STRICT_ERRORS - walker.unknownFields.length);
    result.duplicateFields = findDuplicateKeys(options.jsonText).slice(0, room);
  }
  return result;
}

/** The per-field messages upstream returns (as Warning headers under fieldValidation=Warn). */
export function strictErrorMessages(
  result: Pick<StrictCheckResult, "unknownFields" | "duplicateFields">,
): string[] {
  return [
    ...result.unknownFields.map((path) => `unknown field ${JSON.stringify(path)}`),
    ...(result.duplicateFields ?? []).map((path) => `duplicate field ${JSON.stringify(path)}`),
  ];
}

/**
 * Upstream's message for a request rejected under fieldValidation=Strict:
 * `strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`; undefined when nothing is wrong.
 */
export function formatStrictError(
  result: Pick<StrictCheckResult, "unknownFields" | "duplicateFields">,
): string | undefined {
  const messages = strictErrorMessages(result);
  return messages.length > 0 ? `strict decoding error: ${messages.join(", ")}` : undefined;
}

/** Upstream's 400 message when a body cannot be decoded into its kind (a type error). */
export function formatDecodeError(kind: string, version: string, message: string): string {
  return `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${message}`;
}

/**
 * Paths of keys that appear twice in the same JSON object (`metadata.name`, `spec.containers[0].image`),
 * which strict decoding rejects. Malformed text yields whatever was found before the fault.
 */
export function findDuplicateKeys(jsonText: string): string[] {
  const found: string[] = [];
  const scanner = new DuplicateScanner(jsonText, found);
  try {
    scanner.value("");
  } catch {
    // The body is parsed elsewhere; a syntax error there is the one that gets reported.
  }
  return found;
}

class DuplicateScanner {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly found: string[],
  ) {}

  value(path: string): void {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === "{") this.object(path);
    else if (ch === "[") this.array(path);
    else if (ch === '"') this.string();
    else this.literal();
  }

  private object(path: string): void {
    this.pos++;
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      const childPath = path ? `${path}.${key}` : key;
      if (seen.has(key)) this.found.push(childPath);
      seen.add(key);
      this.expect(":");
      this.value(childPath);
      this.skipSpace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      this.expect("}");
      return;
    }
  }

  private array(path: string): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.value(`${path}[${i}]`);
      this.skipSpace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      this.expect("]");
      return;
    }
  }

  private string(): string {
    const start = this.pos;
    if (this.text[this.pos] !== '"') throw new Error("expected string");
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      this.pos += this.text[this.pos] === "\\" ? 2 : 1;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private literal(): void {
    const token = /[-+0-9.eEa-z]+/y;
    token.lastIndex = this.pos;
    if (!token.test(this.text)) throw new Error("unexpected character");
    this.pos = token.lastIndex;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) throw new Error(`expected ${ch}`);
    this.pos++;
  }
}
