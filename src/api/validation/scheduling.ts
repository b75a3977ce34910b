// scheduling.k8s.io/v1 PriorityClass validation (pkg/apis/scheduling/validation): names with the "system-"
// prefix are reserved for the built-in classes with exactly their values, user classes stay at or below
// 1000000000, preemptionPolicy is a known policy; value and preemptionPolicy never change.
import {
  HIGHEST_USER_DEFINABLE_PRIORITY,
  PREEMPT_LOWER_PRIORITY,
  PREEMPT_NEVER,
  SYSTEM_PRIORITY_CLASS_PREFIX,
  systemPriorityClassMismatch,
} from "../scheduling/priority-classes.js";
import { type FieldError, forbidden, notSupported, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { asNumber, asRecord, asString, isSet } from "./json-access.js";
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { nameIsDNSSubdomain } from "./names.js";

const PREEMPTION_POLICIES = [PREEMPT_LOWER_PRIORITY, PREEMPT_NEVER];

/** ValidatePreemptionPolicy. */
function validatePreemptionPolicy(policy: unknown, path: FieldPath): FieldError[] {
  if (!isSet(policy)) return [];
  const value = asString(policy);
  if (value === "") return [required(path)];
  return PREEMPTION_POLICIES.includes(value) ? [] : [notSupported(path, value, PREEMPTION_POLICIES)];
}

export function validatePriorityClass(obj: unknown): FieldError[] {
  const pc = asRecord(obj);
  const name = asString(asRecord(pc.metadata).name);
  const value = asNumber(pc.value);
  const errs = validateObjectMeta(pc.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain });
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const mismatch = systemPriorityClassMismatch(name, value, pc.globalDefault === true);
    if (mismatch) {
      errs.push(
        forbidden(
          FieldPath.root("metadata", "name"),
          `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${mismatch}`,
        ),
      );
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(
      forbidden(
        FieldPath.root("value"),
        `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
      ),
    );
  }
  errs.push(...validatePreemptionPolicy(pc.preemptionPolicy, FieldPath.root("preemptionPolicy")));
  return errs;
}

/**
 * The strategy's ValidateUpdate: the class rules again plus ValidatePriorityClassUpdate (metadata rules, and
 * value and preemptionPolicy stay as they were).
 */
export function validatePriorityClassUpdate(obj: unknown, old: unknown): FieldError[] {
  const pc = asRecord(obj);
  const oldPc = asRecord(old);
  const errs = validatePriorityClass(obj);
  errs.push(...validateObjectMetaUpdate(pc.metadata, oldPc.metadata));
  if (asNumber(pc.value) !== asNumber(oldPc.value))
    errs.push(forbidden(FieldPath.root("value"), "may not be changed in an update."));
  errs.push(
    ...validateImmutableField(
      pc.preemptionPolicy,
      oldPc.preemptionPolicy,
      FieldPath.root("preemptionPolicy"),
    ),
  );
  return errs;
}
