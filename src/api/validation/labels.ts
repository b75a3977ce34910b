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

/** Checks `values` for an operator that only some selectors accept, such as a node selector's Gt and Lt. */
export type OperatorValuesCheck = (values: readonly string[], valuesPath: FieldPath) => FieldError[];

export interface SelectorRequirementOptions extends LabelSelectorOptions {
  /** Operators beyond In, NotIn, Exists and DoesNotExist, each with its check of `values`. */
  extraOperators?: Readonly<Record<string, OperatorValuesCheck>>;
}

export function validateLabelSelector(
  selector: unknown,
  path: FieldPath,
  opts: LabelSelectorOptions = {},
): FieldError[] {
  if (!isRecord(selector)) return [];
  const errs = validateLabels(selector.matchLabels, path.child("matchLabels"));
  asRecords(selector.matchExpressions).forEach((expr, i) => {
    errs.push(...validateSelectorRequirement(expr, path.child("matchExpressions").index(i), opts));
  });
  return errs;
}

/**
 * One requirement of a label or node selector ({key, operator, values}): the values its operator allows, a
 * qualified-name key, and label values. Label and node selectors differ only in the operators they add.
 */
export function validateSelectorRequirement(
  req: Record<string, unknown>,
  path: FieldPath,
  opts: SelectorRequirementOptions = {},
): FieldError[] {
  const values = asArray(req.values).map(asString);
  const errs = operatorValuesErrors(asString(req.operator), values, path, opts.extraOperators ?? {});
  errs.push(...validateLabelName(asString(req.key), path.child("key")));
  if (!opts.allowInvalidLabelValue) {
    values.forEach((v, i) => {
      errs.push(...isValidLabelValue(v).map((msg) => invalid(path.child("values").index(i), v, msg)));
    });
  }
  return errs;
}

function operatorValuesErrors(
  operator: string,
  values: readonly string[],
  path: FieldPath,
  extraOperators: Readonly<Record<string, OperatorValuesCheck>>,
): FieldError[] {
  const valuesPath = path.child("values");
  switch (operator) {
    case "In":
    case "NotIn":
      return values.length === 0
        ? [required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'")]
        : [];
    case "Exists":
    case "DoesNotExist":
      return values.length > 0
        ? [forbidden(valuesPath, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")]
        : [];
  }
  // hasOwn keeps operators such as "constructor" from resolving through the prototype chain.
  const extra = Object.hasOwn(extraOperators, operator) ? extraOperators[operator] : undefined;
  return extra
    ? extra(values, valuesPath)
    : [invalid(path.child("operator"), operator, "not a valid selector operator")];
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
