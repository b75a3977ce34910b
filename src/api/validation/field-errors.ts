// Field-level validation errors modelled on apimachinery's field.Error: the same types, the same message
// bodies ("Invalid value: ...: detail") and the same StatusCause shape, so `kubectl` prints what a real
// 1.32 API server prints.
import { ApiError, type StatusCause } from "../errors.js";
import type { FieldPath } from "./field-path.js";
import { formatBadValue, goQuote } from "./go-format.js";

export type FieldErrorType =
  | "FieldValueNotFound"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "InternalError"
  | "FieldValueTypeInvalid";

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: "Not found",
  FieldValueRequired: "Required value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  InternalError: "Internal error",
  FieldValueTypeInvalid: "Invalid value",
};

/** Types whose message never shows the offending value (upstream prints only the type text). */
const VALUE_HIDDEN = new Set<FieldErrorType>([
  "FieldValueRequired",
  "FieldValueForbidden",
  "FieldValueTooLong",
  "InternalError",
]);

/** Marks a value that must not be printed (upstream's omitValue). */
const OMIT = Symbol("omit");

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    readonly field: string,
    readonly badValue: unknown,
    public detail: string,
  ) {}

  /** The message without the field, as Status causes carry it. */
  errorBody(): string {
    let s = TYPE_TEXT[this.type];
    if (!VALUE_HIDDEN.has(this.type) && this.badValue !== OMIT) s += `: ${formatBadValue(this.badValue)}`;
    if (this.detail.length > 0) s += `: ${this.detail}`;
    return s;
  }

  /** `field: body`, as in the aggregate message of a 422. */
  toString(): string {
    return `${this.field}: ${this.errorBody()}`;
  }

  toCause(): StatusCause {
    return { reason: this.type, message: this.errorBody(), field: this.field };
  }
}

const at = (path: FieldPath | string): string => (typeof path === "string" ? path : path.toString());

export const required = (path: FieldPath | string, detail = ""): FieldError =>
  new FieldError("FieldValueRequired", at(path), "", detail);

export const invalid = (path: FieldPath | string, value: unknown, detail: string): FieldError =>
  new FieldError("FieldValueInvalid", at(path), value, detail);

export const notSupported = (
  path: FieldPath | string,
  value: unknown,
  supported: readonly string[],
): FieldError =>
  new FieldError(
    "FieldValueNotSupported",
    at(path),
    value,
    supported.length > 0 ? `supported values: ${supported.map(goQuote).join(", ")}` : "",
  );

export const forbidden = (path: FieldPath | string, detail: string): FieldError =>
  new FieldError("FieldValueForbidden", at(path), "", detail);

export const duplicate = (path: FieldPath | string, value: unknown): FieldError =>
  new FieldError("FieldValueDuplicate", at(path), value, "");

export const notFound = (path: FieldPath | string, value: unknown): FieldError =>
  new FieldError("FieldValueNotFound", at(path), value, "");

export const tooLong = (path: FieldPath | string, maxBytes: number): FieldError =>
  new FieldError("FieldValueTooLong", at(path), "", `must have at most ${maxBytes} bytes`);

export const tooMany = (path: FieldPath | string, actual: number, max: number): FieldError =>
  new FieldError(
    "FieldValueTooMany",
    at(path),
    actual >= 0 ? actual : OMIT,
    max >= 0 ? `must have at most ${max} items` : "has too many items",
  );

export const internalError = (path: FieldPath | string, message: string): FieldError =>
  new FieldError("InternalError", at(path), null, message);

/** Drops errors whose rendered text repeats an earlier one, as upstream's aggregate does. */
export function dedupe(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const text = e.toString();
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}

/**
 * The 422 Invalid error for a list of field errors:
 * `DaemonSet.apps "x" is invalid: spec.selector: Required value` (one error) or `[a, b]` (several).
 */
export function toApiError(
  kind: string,
  group: string,
  name: string,
  errors: readonly FieldError[],
): ApiError {
  return ApiError.invalid(
    kind,
    group,
    name,
    dedupe(errors).map((e) => e.toCause()),
  );
}
