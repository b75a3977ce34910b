// Namespace and ServiceAccount validation: namespace names are DNS labels, spec.finalizers must be valid
// finalizer names, and the status phase follows the deletion timestamp.
import { type FieldError, invalid } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { asArray, asRecord, asString, isSet } from "./json-access.js";
import { validateKubeFinalizerName, validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { isQualifiedName, nameIsDNSLabel, nameIsDNSSubdomain } from "./names.js";

export function validateNamespace(ns: unknown): FieldError[] {
  const n = asRecord(ns);
  const errs = validateObjectMeta(n.metadata, { namespaced: false, nameFn: nameIsDNSLabel });
  // Upstream reports these against the list, without an index.
  const path = FieldPath.root("spec", "finalizers");
  for (const f of asArray(asRecord(n.spec).finalizers).map(asString)) {
    errs.push(...isQualifiedName(f).map((m) => invalid(path, f, m)));
    errs.push(...validateKubeFinalizerName(f, path));
  }
  return errs;
}

export function validateNamespaceUpdate(ns: unknown, oldNs: unknown): FieldError[] {
  return validateObjectMetaUpdate(asRecord(ns).metadata, asRecord(oldNs).metadata);
}

export function validateNamespaceStatusUpdate(ns: unknown, oldNs: unknown): FieldError[] {
  const next = asRecord(ns);
  const errs = validateObjectMetaUpdate(next.metadata, asRecord(oldNs).metadata);
  const phase = asString(asRecord(next.status).phase);
  const path = FieldPath.root("status", "Phase");
  if (!isSet(asRecord(next.metadata).deletionTimestamp)) {
    if (phase !== "Active")
      errs.push(invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (phase !== "Terminating") {
    errs.push(invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errs;
}

export function validateServiceAccount(sa: unknown): FieldError[] {
  return validateObjectMeta(asRecord(sa).metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
}

export function validateServiceAccountUpdate(sa: unknown, oldSa: unknown): FieldError[] {
  return [
    ...validateObjectMetaUpdate(asRecord(sa).metadata, asRecord(oldSa).metadata),
    ...validateServiceAccount(sa),
  ];
}
