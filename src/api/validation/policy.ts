// policy/v1 PodDisruptionBudget validation (pkg/apis/policy/validation and the PDB registry strategy): the
// budget is minAvailable or maxUnavailable (never both), each an int ≥ 0 or a percentage ≤ 100%, a valid
// selector, a known unhealthyPodEvictionPolicy; the status counts are never negative.
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from "./apps.js";
import { validateConditions } from "./conditions.js";
import { type FieldError, invalid, notSupported } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { goPointer, goStruct } from "./go-format.js";
import { asArray, asNumber, asRecord, asRecords, asString, isSet, type JsonRecord } from "./json-access.js";
import { validateLabelSelector } from "./labels.js";
import { validateNonnegativeField, validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { isValidLabelValue, nameIsPathSegment } from "./names.js";

/** Sorted, as upstream lists them in the "supported values" message. */
const UNHEALTHY_POD_EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"];

// The generic registry checks PDB names only as path segments: the kind adds no name rule of its own.
const PDB_META = { namespaced: true, nameFn: nameIsPathSegment };

/** The spec as Go's %#v prints it when both budgets are set (pointer fields show as addresses). */
function goSpec(spec: JsonRecord) {
  return goStruct("policy.PodDisruptionBudgetSpec", [
    ["MinAvailable", goPointer("intstr.IntOrString", isSet(spec.minAvailable))],
    ["Selector", goPointer("v1.LabelSelector", isSet(spec.selector))],
    ["MaxUnavailable", goPointer("intstr.IntOrString", isSet(spec.maxUnavailable))],
    [
      "UnhealthyPodEvictionPolicy",
      goPointer("policy.UnhealthyPodEvictionPolicyType", isSet(spec.unhealthyPodEvictionPolicy)),
    ],
  ]);
}

function validateBudget(value: unknown, path: FieldPath): FieldError[] {
  return [...validatePositiveIntOrPercent(value, path), ...isNotMoreThan100Percent(value, path)];
}

function validateSpec(spec: JsonRecord, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const path = FieldPath.root("spec");
  const errs: FieldError[] = [];
  if (isSet(spec.minAvailable) && isSet(spec.maxUnavailable))
    errs.push(invalid(path, goSpec(spec), "minAvailable and maxUnavailable cannot be both set"));
  if (isSet(spec.minAvailable)) errs.push(...validateBudget(spec.minAvailable, path.child("minAvailable")));
  if (isSet(spec.maxUnavailable))
    errs.push(...validateBudget(spec.maxUnavailable, path.child("maxUnavailable")));
  errs.push(
    ...validateLabelSelector(spec.selector, path.child("selector"), {
      allowInvalidLabelValue: allowInvalidLabelValueInSelector,
    }),
  );
  const policy = spec.unhealthyPodEvictionPolicy;
  if (isSet(policy) && !UNHEALTHY_POD_EVICTION_POLICIES.includes(asString(policy))) {
    errs.push(
      notSupported(
        path.child("unhealthyPodEvictionPolicy"),
        asString(policy),
        UNHEALTHY_POD_EVICTION_POLICIES,
      ),
    );
  }
  return errs;
}

/** A stored selector with label values that are invalid today is tolerated on update, as upstream does. */
function hasInvalidLabelValueInSelector(pdb: JsonRecord): boolean {
  const selector = asRecord(asRecord(pdb.spec).selector);
  return asRecords(selector.matchExpressions).some((expr) =>
    asArray(expr.values).some((v) => isValidLabelValue(asString(v)).length > 0),
  );
}

export function validatePodDisruptionBudget(obj: unknown): FieldError[] {
  const pdb = asRecord(obj);
  const errs = validateSpec(asRecord(pdb.spec), false);
  // The generic registry checks metadata only once the kind's own rules pass.
  if (errs.length > 0) return errs;
  return validateObjectMeta(pdb.metadata, PDB_META);
}

export function validatePodDisruptionBudgetUpdate(obj: unknown, old: unknown): FieldError[] {
  const pdb = asRecord(obj);
  return [
    ...validateObjectMetaUpdate(pdb.metadata, asRecord(old).metadata),
    ...validateSpec(asRecord(pdb.spec), hasInvalidLabelValueInSelector(asRecord(old))),
  ];
}

/** ValidatePodDisruptionBudgetStatusUpdate for policy/v1: conditions, and counts that are never negative. */
export function validatePodDisruptionBudgetStatusUpdate(obj: unknown, old: unknown): FieldError[] {
  const pdb = asRecord(obj);
  const status = asRecord(pdb.status);
  const path = FieldPath.root("status");
  const errs = validateObjectMetaUpdate(pdb.metadata, asRecord(old).metadata);
  errs.push(...validateConditions(status.conditions, path.child("conditions")));
  for (const field of ["disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"])
    errs.push(...validateNonnegativeField(asNumber(status[field]), path.child(field)));
  return errs;
}
