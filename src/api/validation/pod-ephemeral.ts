// ValidatePodEphemeralContainersUpdate: what the pods/ephemeralcontainers subresource (kubectl debug) may do.
// Ephemeral containers are only ever added: an existing one may not change or go. Each new one is a container
// like the others (name, image, pull policy, mounts, security context) but without the fields that make no
// sense for a debugging process (ports, probes, lifecycle hooks, resources), and its target must be one of the
// pod's containers.
import { duplicate, type FieldError, forbidden, notFound } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { asRecord, asRecords, asString, isSet } from "./json-access.js";
import { validateContainerCommon } from "./pod-containers.js";
import { podContainerContext } from "./pod-spec.js";
import { semanticEqual } from "./semantic-equal.js";

/** Container fields an ephemeral container may not set. */
const DISALLOWED = [
  "ports",
  "livenessProbe",
  "readinessProbe",
  "startupProbe",
  "lifecycle",
  "resources",
  "resizePolicy",
  "restartPolicy",
] as const;

/** Go's non-zero value: kubectl debug sends `resources: {}`, which upstream's allow-list check lets through. */
function isNonZero(v: unknown): boolean {
  if (!isSet(v) || v === "" || v === 0 || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.values(v as object).some(isNonZero);
  return true;
}

export function validateEphemeralContainersUpdate(pod: unknown, oldPod: unknown): FieldError[] {
  const spec = asRecord(asRecord(pod).spec);
  const oldSpec = asRecord(asRecord(oldPod).spec);
  const path = FieldPath.root("spec", "ephemeralContainers");
  const errs: FieldError[] = [];
  const next = asRecords(spec.ephemeralContainers);
  const byName = new Map(next.map((c) => [asString(c.name), c]));
  for (const old of asRecords(oldSpec.ephemeralContainers)) {
    const name = asString(old.name);
    const now = byName.get(name);
    if (!now) errs.push(forbidden(path, `existing ephemeral containers "${name}" may not be removed\n`));
    else if (!semanticEqual(old, now))
      errs.push(forbidden(path, `existing ephemeral containers "${name}" may not be changed\n`));
  }
  const targets = new Set(
    [...asRecords(spec.containers), ...asRecords(spec.initContainers)].map((c) => asString(c.name)),
  );
  const names = new Set(targets);
  const ctx = podContainerContext(spec);
  next.forEach((c, i) => {
    const at = path.index(i);
    const name = asString(c.name);
    if (names.has(name)) errs.push(duplicate(at.child("name"), name));
    names.add(name);
    errs.push(...validateContainerCommon(c, ctx, at));
    for (const field of DISALLOWED) {
      if (isNonZero(c[field]))
        errs.push(forbidden(at.child(field), "cannot be set for an Ephemeral Container"));
    }
    const target = asString(c.targetContainerName);
    if (target !== "" && !targets.has(target)) errs.push(notFound(at.child("targetContainerName"), target));
  });
  return errs;
}
