// Pod create, update and status-update validation, and Binding (core ValidatePodCreate / ValidatePodUpdate /
// ValidatePodStatusUpdate / ValidatePodBinding). Pod specs are immutable apart from a few fields.
import { type FieldError, forbidden, invalid, notSupported, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import {
  asArray,
  asNumber,
  asRecord,
  asRecords,
  asString,
  isRecord,
  isSet,
  type JsonRecord,
} from "./json-access.js";
import { validateLabelName } from "./labels.js";
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { inclusiveRangeError, MAX_INT32, nameIsDNSSubdomain } from "./names.js";
import { validateImageWhitespace } from "./pod-containers.js";
import { validateTolerations } from "./pod-scheduling.js";
import { validateIP, validatePodSpec, validatePodSpecificAnnotations } from "./pod-spec.js";
import { semanticEqual } from "./semantic-equal.js";

export const UPDATABLE_POD_SPEC_FIELDS = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

const specPath = (): FieldPath => FieldPath.root("spec");

function validatePodMetadataAndSpec(pod: JsonRecord): FieldError[] {
  const meta = asRecord(pod.metadata);
  const spec = asRecord(pod.spec);
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(
    ...validatePodSpecificAnnotations(meta.annotations, spec, FieldPath.root("metadata", "annotations")),
  );
  errs.push(...validatePodSpec(spec, specPath(), { resourceIsPod: true }));
  if (asString(spec.serviceAccountName).length === 0) {
    asRecords(spec.volumes).forEach((volume, vi) => {
      asRecords(asRecord(volume.projected).sources).forEach((source, si) => {
        if (!isSet(source.serviceAccountToken)) return;
        const p = specPath()
          .child("volumes")
          .index(vi)
          .child("projected", "sources")
          .index(si)
          .child("serviceAccountToken");
        errs.push(forbidden(p, "must not be specified when serviceAccountName is not set"));
      });
    });
  }
  errs.push(...validateImageWhitespace(spec.containers, specPath().child("containers")));
  errs.push(...validateImageWhitespace(spec.initContainers, specPath().child("initContainers")));
  return errs;
}

export function validatePodCreate(pod: unknown): FieldError[] {
  const p = asRecord(pod);
  const spec = asRecord(p.spec);
  const errs = validatePodMetadataAndSpec(p);
  if (asArray(spec.ephemeralContainers).length > 0) {
    errs.push(forbidden(specPath().child("ephemeralContainers"), "cannot be set on create"));
  }
  if (asString(spec.nodeName).length > 0 && asArray(spec.schedulingGates).length > 0) {
    errs.push(
      forbidden(specPath().child("nodeName"), "cannot be set until all schedulingGates have been cleared"),
    );
  }
  return errs;
}

/** Returns [errors, stop]: adding or removing containers ends pod update validation early. */
function validateContainerUpdates(next: unknown, old: unknown, path: FieldPath): [FieldError[], boolean] {
  const newList = asRecords(next);
  if (newList.length !== asArray(old).length)
    return [[forbidden(path, "pod updates may not add or remove containers")], true];
  const errs: FieldError[] = [];
  newList.forEach((c, i) => {
    const image = asString(c.image);
    if (image.length === 0) errs.push(required(path.index(i).child("image")));
    if (image.trim() !== image)
      errs.push(invalid(path.index(i).child("image"), image, "must not have leading or trailing whitespace"));
  });
  return [errs, false];
}

function validateOnlyAddedTolerations(next: unknown, old: unknown, path: FieldPath): FieldError[] {
  const newList = asRecords(next);
  for (const before of asRecords(old)) {
    const kept = newList.some((t) => semanticEqual({ ...before, tolerationSeconds: t.tolerationSeconds }, t));
    if (!kept)
      return [forbidden(path, "existing toleration can not be modified except its tolerationSeconds")];
  }
  return validateTolerations(newList, path);
}

function validateOnlyDeletedSchedulingGates(next: unknown, old: unknown, path: FieldPath): FieldError[] {
  const oldNames = new Set(asRecords(old).map((g) => asString(g.name)));
  return asRecords(next).flatMap((g, i) => {
    const name = asString(g.name);
    return oldNames.has(name)
      ? []
      : [
          forbidden(
            path.index(i).child("name"),
            `only deletion is allowed, but found new scheduling gate '${name}'`,
          ),
        ];
  });
}

/** A short stand-in for upstream's cmp.Diff: the top-level spec fields that differ. */
function describeSpecDiff(oldSpec: JsonRecord, newSpec: JsonRecord): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = ["  core.PodSpec{"];
  for (const k of keys) {
    if (semanticEqual(oldSpec[k], newSpec[k])) continue;
    if (isSet(oldSpec[k])) lines.push(`- \t${k}: ${JSON.stringify(oldSpec[k])},`);
    if (isSet(newSpec[k])) lines.push(`+ \t${k}: ${JSON.stringify(newSpec[k])},`);
  }
  lines.push("  }");
  return lines.join("\n");
}

/** The new spec with every field a user may change reset to the old value (upstream's "munged" spec). */
function mungeUpdatableFields(newSpec: JsonRecord, oldSpec: JsonRecord): JsonRecord {
  const munged: JsonRecord = { ...newSpec };
  for (const field of ["containers", "initContainers"] as const) {
    const oldList = asRecords(oldSpec[field]);
    if (Array.isArray(newSpec[field])) {
      munged[field] = asRecords(newSpec[field]).map((c, i) => ({ ...c, image: oldList[i]?.image }));
    }
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (isSet(oldGrace) && asNumber(oldGrace) < 0 && asNumber(newSpec.terminationGracePeriodSeconds) === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  // Gated pods may gain nodeSelector entries and node affinity while they wait to be scheduled.
  if (asArray(oldSpec.schedulingGates).length > 0) {
    munged.nodeSelector = oldSpec.nodeSelector;
    if (isRecord(munged.affinity))
      munged.affinity = { ...munged.affinity, nodeAffinity: asRecord(oldSpec.affinity).nodeAffinity };
  }
  return munged;
}

export function validatePodUpdate(pod: unknown, oldPod: unknown): FieldError[] {
  const next = asRecord(pod);
  const old = asRecord(oldPod);
  const newSpec = asRecord(next.spec);
  const oldSpec = asRecord(old.spec);
  const errs = validateObjectMetaUpdate(next.metadata, old.metadata);
  errs.push(...validatePodMetadataAndSpec(next));
  errs.push(...validateMirrorAnnotationUpdate(next, old));
  for (const field of ["containers", "initContainers"] as const) {
    const [containerErrs, stop] = validateContainerUpdates(
      newSpec[field],
      oldSpec[field],
      specPath().child(field),
    );
    errs.push(...containerErrs);
    if (stop) return errs;
  }
  const deadlinePath = specPath().child("activeDeadlineSeconds");
  if (isSet(newSpec.activeDeadlineSeconds)) {
    const value = asNumber(newSpec.activeDeadlineSeconds);
    if (value < 0 || value > MAX_INT32) {
      errs.push(invalid(deadlinePath, value, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (isSet(oldSpec.activeDeadlineSeconds) && asNumber(oldSpec.activeDeadlineSeconds) < value) {
      errs.push(invalid(deadlinePath, value, "must be less than or equal to previous value"));
      return errs;
    }
  } else if (isSet(oldSpec.activeDeadlineSeconds)) {
    errs.push(invalid(deadlinePath, null, "must not update from a positive integer to nil value"));
  }
  errs.push(
    ...validateOnlyAddedTolerations(
      newSpec.tolerations,
      oldSpec.tolerations,
      specPath().child("tolerations"),
    ),
  );
  errs.push(
    ...validateOnlyDeletedSchedulingGates(
      newSpec.schedulingGates,
      oldSpec.schedulingGates,
      specPath().child("schedulingGates"),
    ),
  );
  if (semanticEqual(newSpec, oldSpec)) return errs;
  const munged = mungeUpdatableFields(newSpec, oldSpec);
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(
      forbidden(
        specPath(),
        `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(",")}\n${describeSpecDiff(oldSpec, munged)}`,
      ),
    );
  }
  return errs;
}

function validateMirrorAnnotationUpdate(next: JsonRecord, old: JsonRecord): FieldError[] {
  const key = "kubernetes.io/config.mirror";
  const newAnn = asRecord(asRecord(next.metadata).annotations);
  const oldAnn = asRecord(asRecord(old.metadata).annotations);
  const path = FieldPath.root("metadata", "annotations").key(key);
  if (Object.hasOwn(oldAnn, key) && newAnn[key] !== oldAnn[key]) {
    return [forbidden(path, "may not remove or update mirror pod annotation")];
  }
  if (!Object.hasOwn(oldAnn, key) && Object.hasOwn(newAnn, key))
    return [forbidden(path, "may not add mirror pod annotation")];
  return [];
}

const SYSTEM_CONDITIONS = new Set(["PodScheduled", "Ready", "Initialized"]);

function validateContainerStateTransitions(
  next: unknown,
  old: unknown,
  restartPolicy: string,
  path: FieldPath,
): FieldError[] {
  if (restartPolicy === "Always") return [];
  const newStatuses = asRecords(next);
  const errs: FieldError[] = [];
  asRecords(old).forEach((before, i) => {
    const terminated = asRecord(before.state).terminated;
    if (!isRecord(terminated)) return;
    if (asNumber(terminated.exitCode) !== 0 && restartPolicy === "OnFailure") return;
    for (const after of newStatuses) {
      if (asString(after.name) === asString(before.name) && !isRecord(asRecord(after.state).terminated)) {
        errs.push(forbidden(path.index(i).child("state"), "may not be transitioned to non-terminated state"));
      }
    }
  });
  return errs;
}

/** ValidatePodStatusUpdate: metadata rules, no node change, immutable QoS, valid IPs and conditions. */
export function validatePodStatusUpdate(pod: unknown, oldPod: unknown): FieldError[] {
  const next = asRecord(pod);
  const old = asRecord(oldPod);
  const status = asRecord(next.status);
  const oldStatus = asRecord(old.status);
  const errs = validateObjectMetaUpdate(next.metadata, old.metadata);
  errs.push(...validateMirrorAnnotationUpdate(next, old));
  asRecords(status.conditions).forEach((c, i) => {
    const type = asString(c.type);
    if (!SYSTEM_CONDITIONS.has(type)) {
      errs.push(...validateLabelName(type, FieldPath.root("metadata", "conditions").index(i).child("Type")));
    }
  });
  const statusPath = FieldPath.root("status");
  if (asString(asRecord(next.spec).nodeName) !== asString(asRecord(old.spec).nodeName)) {
    errs.push(forbidden(statusPath.child("nodeName"), "may not be changed directly"));
  }
  const nominated = asString(status.nominatedNodeName);
  if (nominated !== asString(oldStatus.nominatedNodeName) && nominated.length > 0) {
    errs.push(
      ...nameIsDNSSubdomain(nominated, false).map((m) =>
        invalid(statusPath.child("nominatedNodeName"), nominated, m),
      ),
    );
  }
  errs.push(
    ...validateImmutableField(
      asString(status.qosClass),
      asString(oldStatus.qosClass),
      statusPath.child("qosClass"),
    ),
  );
  const restartPolicy = asString(asRecord(old.spec).restartPolicy);
  errs.push(
    ...validateContainerStateTransitions(
      status.containerStatuses,
      oldStatus.containerStatuses,
      restartPolicy,
      statusPath.child("containerStatuses"),
    ),
  );
  asRecords(status.podIPs).forEach((ip, i) => {
    errs.push(...validateIP(asString(ip.ip), statusPath.child("podIPs").index(i)));
  });
  return errs;
}

/** ValidatePodBinding: the target must be a Node, by name. */
export function validateBinding(binding: unknown): FieldError[] {
  const target = asRecord(asRecord(binding).target);
  const errs: FieldError[] = [];
  const kind = asString(target.kind);
  if (kind.length > 0 && kind !== "Node")
    errs.push(notSupported(FieldPath.root("target", "kind"), kind, ["Node", "<empty>"]));
  if (asString(target.name).length === 0) errs.push(required(FieldPath.root("target", "name")));
  return errs;
}
