// Labels and label selectors: metav1 validation (ValidateLabels, ValidateLabelSelector) and the conversion of
// a LabelSelector into a matcher (LabelSelectorAsSelector), which validation uses to check templates.
import { type LabelSelectorLike, selectorFromLabelSelector } from "../labels.js";
import { type FieldError, forbidden, invalid, required } from "./field-errors.js";
import type { FieldPath } from "./field-path.js";
import { asArray, asRecords, asString, isRecord, sortedEntries } from "./json-access.js";
import { isQualifiedName, isValidLabelValue } from "./names.js";

export function validateLabelName(name: string, path: FieldPath): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(path, name, msg));
}

/** Every key must be a qualified name and every value a label value; errors point at the map itself. */
export function validateLabels(labels: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of sortedEntries(labels)) {
    errs.push(...validateLabelName(k, path));
    errs.push(...isValidLabelValue(v).map((msg) => invalid(path, v, msg)));
  }
  return errs;
}

export interface LabelSelectorOptions {
  /** Tolerate invalid values in matchExpressions (kept for objects stored before the check existed). */
  allowInvalidLabelValue?: boolean;
}

export function validateLabelSelector(
  selector: unknown,
  path: FieldPath,
  opts: LabelSelectorOptions = {},
): FieldError[] {
  if (!isRecord(selector)) return [];
  const errs = validateLabels(selector.matchLabels, path.child("matchLabels"));
  asRecords(selector.matchExpressions).forEach((expr, i) => {
    errs.push(...validateRequirement(expr, path.child("matchExpressions").index(i), opts));
  });
  return errs;
}

function validateRequirement(
  expr: Record<string, unknown>,
  path: FieldPath,
  opts: LabelSelectorOptions,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray(expr.values).map(asString);
  const operator = asString(expr.operator);
  switch (operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) {
        errs.push(required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
      }
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) {
        errs.push(
          forbidden(
            path.child("values"),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
      break;
    default:
      errs.push(invalid(path.child("operator"), operator, "not a valid selector operator"));
  }
  errs.push(...validateLabelName(asString(expr.key), path.child("key")));
  if (!opts.allowInvalidLabelValue) {
    values.forEach((v, i) => {
      errs.push(...isValidLabelValue(v).map((msg) => invalid(path.child("values").index(i), v, msg)));
    });
  }
  return errs;
}

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/**
 * LabelSelectorAsSelector as a matcher: a nil selector matches nothing, an empty one everything; null when
 * the selector cannot be converted (bad operator, key or value), in which case callers skip matching.
 */
export function labelSelectorAsMatcher(selector: unknown): LabelMatcher | null {
  try {
    const compiled = selectorFromLabelSelector(selector as LabelSelectorLike | null | undefined);
    return (labels) => compiled.matches(labels);
  } catch {
    return null;
  }
}
