// core/v1 Event validation (the "legacy" rules upstream applies to v1 requests) and coordination/v1 Lease
// validation. Both are light: events are written by components, leases by heartbeats and elections.
import { type FieldError, invalid, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { asNumber, asRecord, asString, isSet } from "./json-access.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain, nameIsPathSegment } from "./names.js";

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

const tooManyChars = (path: FieldPath, limit: number): FieldError =>
  invalid(path, "", `can have at most ${limit} characters`);

/** legacyValidateEvent: the namespace must agree with the involved object; new-style events need reporters. */
function validateEventFields(event: unknown): FieldError[] {
  const e = asRecord(event);
  const namespace = asString(asRecord(e.metadata).namespace);
  const involvedNamespace = asString(asRecord(e.involvedObject).namespace);
  const involvedPath = FieldPath.root("involvedObject", "namespace");
  const errs: FieldError[] = [];
  if (!isSet(e.eventTime)) {
    const consistent =
      involvedNamespace.length === 0
        ? namespace === "" || namespace === "default"
        : namespace === involvedNamespace;
    if (!consistent) errs.push(invalid(involvedPath, involvedNamespace, "does not match event.namespace"));
  } else {
    if (involvedNamespace.length === 0 && namespace !== "default" && namespace !== "kube-system") {
      errs.push(invalid(involvedPath, involvedNamespace, "does not match event.namespace"));
    }
    const controller = asString(e.reportingComponent);
    const controllerPath = FieldPath.root("reportingComponent");
    if (controller.length === 0) errs.push(required(controllerPath));
    errs.push(...isQualifiedName(controller).map((m) => invalid(controllerPath, controller, m)));
    const checks: [string, number, boolean][] = [
      ["reportingInstance", REPORTING_INSTANCE_LIMIT, true],
      ["action", ACTION_LIMIT, true],
      ["reason", REASON_LIMIT, true],
      ["message", NOTE_LIMIT, false],
    ];
    for (const [field, limit, mandatory] of checks) {
      const value = asString(e[field]);
      if (mandatory && value.length === 0) errs.push(required(FieldPath.root(field)));
      if (value.length > limit) errs.push(tooManyChars(FieldPath.root(field), limit));
    }
  }
  errs.push(...isDNS1123Subdomain(namespace).map((m) => invalid(FieldPath.root("namespace"), namespace, m)));
  return errs;
}

// Events get no kind-specific name rule upstream; the generic registry check (path-segment names) applies.
const eventMeta = { namespaced: true, nameFn: nameIsPathSegment };

export function validateEvent(event: unknown): FieldError[] {
  return [...validateEventFields(event), ...validateObjectMeta(asRecord(event).metadata, eventMeta)];
}

export function validateEventUpdate(event: unknown, oldEvent: unknown): FieldError[] {
  return [
    ...validateEventFields(event),
    ...validateObjectMetaUpdate(asRecord(event).metadata, asRecord(oldEvent).metadata),
  ];
}

export function validateLease(lease: unknown): FieldError[] {
  const l = asRecord(lease);
  const spec = asRecord(l.spec);
  const errs = validateObjectMeta(l.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  if (isSet(spec.leaseDurationSeconds) && asNumber(spec.leaseDurationSeconds) <= 0) {
    errs.push(
      invalid(
        FieldPath.root("spec", "leaseDurationSeconds"),
        asNumber(spec.leaseDurationSeconds),
        "must be greater than 0",
      ),
    );
  }
  if (isSet(spec.leaseTransitions) && asNumber(spec.leaseTransitions) < 0) {
    errs.push(
      invalid(
        FieldPath.root("spec", "leaseTransitions"),
        asNumber(spec.leaseTransitions),
        "must be greater than or equal to 0",
      ),
    );
  }
  return errs;
}

export function validateLeaseUpdate(lease: unknown, oldLease: unknown): FieldError[] {
  return [
    ...validateObjectMetaUpdate(asRecord(lease).metadata, asRecord(oldLease).metadata),
    ...validateLease(lease),
  ];
}
