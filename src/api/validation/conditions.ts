// metav1.Condition lists (apimachinery's ValidateConditions): unique types that are qualified names, a known
// status, a transition time, and a CamelCase reason; used by the status of kinds such as PodDisruptionBudget.
import { duplicate, type FieldError, invalid, notSupported, required, tooLong } from "./field-errors.js";
import type { FieldPath } from "./field-path.js";
import { asRecords, asString, isSet, type JsonRecord } from "./json-access.js";
import { validateLabelName } from "./labels.js";
import { regexError } from "./names.js";

const CONDITION_STATUSES = ["False", "True", "Unknown"];
const MAX_REASON_LENGTH = 1024;
const MAX_MESSAGE_LENGTH = 32 * 1024;

const REASON_FMT = "[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?";
const REASON_RE = new RegExp(`^${REASON_FMT}$`);
const REASON_ERR =
  "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'";

function validateCondition(condition: JsonRecord, path: FieldPath): FieldError[] {
  const errs = validateLabelName(asString(condition.type), path.child("type"));
  const status = asString(condition.status);
  if (!CONDITION_STATUSES.includes(status))
    errs.push(notSupported(path.child("status"), status, CONDITION_STATUSES));
  const observedGeneration = condition.observedGeneration;
  if (typeof observedGeneration === "number" && observedGeneration < 0) {
    errs.push(
      invalid(path.child("observedGeneration"), observedGeneration, "must be greater than or equal to zero"),
    );
  }
  if (!isSet(condition.lastTransitionTime) || condition.lastTransitionTime === "")
    errs.push(required(path.child("lastTransitionTime"), "must be set"));
  const reason = asString(condition.reason);
  if (reason.length === 0) errs.push(required(path.child("reason"), "must be set"));
  else {
    if (!REASON_RE.test(reason)) {
      const msg = regexError(
        REASON_ERR,
        REASON_FMT,
        "my_name",
        "MY_NAME",
        "MyName",
        "ReasonA,ReasonB",
        "ReasonA:ReasonB",
      );
      errs.push(invalid(path.child("reason"), reason, msg));
    }
    if (reason.length > MAX_REASON_LENGTH) errs.push(tooLong(path.child("reason"), MAX_REASON_LENGTH));
  }
  if (asString(condition.message).length > MAX_MESSAGE_LENGTH)
    errs.push(tooLong(path.child("message"), MAX_MESSAGE_LENGTH));
  return errs;
}

/** Every condition on its own, and no condition type twice. */
export function validateConditions(conditions: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asRecords(conditions).forEach((condition, i) => {
    const type = asString(condition.type);
    if (seen.has(type)) errs.push(duplicate(path.index(i).child("type"), type));
    else seen.add(type);
    errs.push(...validateCondition(condition, path.index(i)));
  });
  return errs;
}
