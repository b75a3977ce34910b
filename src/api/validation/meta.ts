// ObjectMeta validation on create and update (apimachinery's ValidateObjectMeta / ValidateObjectMetaUpdate
// plus core's finalizer-name rule), and the small shared checks: non-negative numbers, immutable fields.
import { type FieldError, forbidden, invalid, required, tooLong } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { GoValue, goPointer, goQuote, goStringSlice, goStruct, goTime } from "./go-format.js";
import { asArray, asNumber, asRecord, asRecords, asString, isSet, sortedEntries } from "./json-access.js";
import { validateLabels } from "./labels.js";
import { isQualifiedName, type NameValidator, nameIsDNSLabel } from "./names.js";
import { semanticEqual } from "./semantic-equal.js";

export const IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0";
export const FIELD_IMMUTABLE_ERROR_MSG = "field is immutable";
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

export const metadataPath = (): FieldPath => FieldPath.root("metadata");

export function validateNonnegativeField(value: number, path: FieldPath): FieldError[] {
  return value < 0 ? [invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** "field is immutable" when the value changed; `shown` is the new value as upstream prints it. */
export function validateImmutableField(
  newValue: unknown,
  oldValue: unknown,
  path: FieldPath,
  shown: unknown = newValue,
): FieldError[] {
  return semanticEqual(newValue, oldValue) ? [] : [invalid(path, shown, FIELD_IMMUTABLE_ERROR_MSG)];
}

export function validateAnnotations(annotations: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of sortedEntries(annotations)) {
    // Keys are compared case-insensitively: upstream lower-cases them before the qualified-name check.
    errs.push(...isQualifiedName(k.toLowerCase()).map((msg) => invalid(path, k, msg)));
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

function goOwnerReference(ref: Record<string, unknown>): GoValue {
  return goStruct("v1.OwnerReference", [
    ["APIVersion", goQuote(asString(ref.apiVersion))],
    ["Kind", goQuote(asString(ref.kind))],
    ["Name", goQuote(asString(ref.name))],
    ["UID", goQuote(asString(ref.uid))],
    ["Controller", goPointer("bool", isSet(ref.controller))],
    ["BlockOwnerDeletion", goPointer("bool", isSet(ref.blockOwnerDeletion))],
  ]);
}

/** schema.FromAPIVersionAndKind: "apps/v1" → group apps, version v1; a malformed apiVersion yields neither. */
function parseAPIVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion === "/" ? [""] : apiVersion.split("/");
  if (parts.length === 1) return { group: "", version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return { group: "", version: "" };
}

export function validateOwnerReferences(refs: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = asRecords(refs);
  let firstController = "";
  for (const ref of list) {
    const apiVersion = asString(ref.apiVersion);
    const kind = asString(ref.kind);
    const gv = parseAPIVersion(apiVersion);
    if (gv.version.length === 0)
      errs.push(invalid(path.child("apiVersion"), apiVersion, "version must not be empty"));
    if (kind.length === 0) errs.push(invalid(path.child("kind"), kind, "kind must not be empty"));
    if (asString(ref.name).length === 0)
      errs.push(invalid(path.child("name"), asString(ref.name), "name must not be empty"));
    if (asString(ref.uid).length === 0)
      errs.push(invalid(path.child("uid"), asString(ref.uid), "uid must not be empty"));
    if (gv.group === "" && gv.version === "v1" && kind === "Event") {
      errs.push(invalid(path, goOwnerReference(ref), "/v1, Kind=Event is disallowed from being an owner"));
    }
    if (ref.controller === true) {
      const current = `${kind}/${asString(ref.name)}`;
      if (firstController !== "") {
        const shown = new GoValue(
          `[]v1.OwnerReference{${list.map((r) => goOwnerReference(r).repr).join(", ")}}`,
        );
        errs.push(
          invalid(
            path,
            shown,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

/** Finalizers must be qualified names, and unprefixed ones must be one of the standard names. */
export function validateFinalizers(finalizers: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = asArray(finalizers).map(asString);
  for (const f of list) errs.push(...isQualifiedName(f).map((msg) => invalid(path, f, msg)));
  if (list.includes("orphan") && list.includes("foregroundDeletion")) {
    errs.push(invalid(path, list, "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  return errs;
}

/** core's extra rule: a finalizer without a '/' must be a standard one. */
export function validateKubeFinalizerName(name: string, path: FieldPath): FieldError[] {
  if (name.includes("/") || STANDARD_FINALIZERS.has(name)) return [];
  return [invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified")];
}

function validateKubeFinalizers(finalizers: unknown, path: FieldPath): FieldError[] {
  return asArray(finalizers).flatMap((f, i) => validateKubeFinalizerName(asString(f), path.index(i)));
}

function validateManagedFields(entries: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asRecords(entries).forEach((entry, i) => {
    const operation = asString(entry.operation);
    if (operation !== "Apply" && operation !== "Update") {
      errs.push(invalid(path.index(i).child("operation"), operation, "must be `Apply` or `Update`"));
    }
    const fieldsType = asString(entry.fieldsType);
    if (fieldsType.length > 0 && fieldsType !== "FieldsV1") {
      errs.push(invalid(path.index(i).child("fieldsType"), fieldsType, "must be `FieldsV1`"));
    }
  });
  return errs;
}

export interface ObjectMetaRules {
  /** Namespaced kinds require metadata.namespace; cluster-scoped kinds forbid it. */
  namespaced: boolean;
  /** How names are checked (most kinds: DNS subdomain; Namespace: DNS label). */
  nameFn: NameValidator;
}

/**
 * ValidateObjectMeta on create. Name generation must already have happened: an empty name is
 * "name or generateName is required".
 */
export function validateObjectMeta(
  metadata: unknown,
  rules: ObjectMetaRules,
  path = metadataPath(),
): FieldError[] {
  const meta = asRecord(metadata);
  const errs: FieldError[] = [];
  const generateName = asString(meta.generateName);
  const name = asString(meta.name);
  const namespace = asString(meta.namespace);
  if (generateName.length > 0) {
    errs.push(
      ...rules
        .nameFn(generateName, true)
        .map((msg) => invalid(path.child("generateName"), generateName, msg)),
    );
  }
  if (name.length === 0) errs.push(required(path.child("name"), "name or generateName is required"));
  else errs.push(...rules.nameFn(name, false).map((msg) => invalid(path.child("name"), name, msg)));
  if (rules.namespaced) {
    if (namespace.length === 0) errs.push(required(path.child("namespace")));
    else
      errs.push(
        ...nameIsDNSLabel(namespace, false).map((msg) => invalid(path.child("namespace"), namespace, msg)),
      );
  } else if (namespace.length > 0) {
    errs.push(forbidden(path.child("namespace"), "not allowed on this type"));
  }
  errs.push(...validateNonnegativeField(asNumber(meta.generation), path.child("generation")));
  errs.push(...validateLabels(meta.labels, path.child("labels")));
  errs.push(...validateAnnotations(meta.annotations, path.child("annotations")));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child("ownerReferences")));
  errs.push(...validateFinalizers(meta.finalizers, path.child("finalizers")));
  errs.push(...validateManagedFields(meta.managedFields, path.child("managedFields")));
  errs.push(...validateKubeFinalizers(meta.finalizers, path.child("finalizers")));
  return errs;
}

/**
 * ValidateObjectMetaUpdate. As upstream, the registry is expected to have carried uid, creationTimestamp and
 * resourceVersion over from the stored object before calling this (an empty resourceVersion is an error).
 */
export function validateObjectMetaUpdate(
  newMetadata: unknown,
  oldMetadata: unknown,
  path = metadataPath(),
): FieldError[] {
  const next = asRecord(newMetadata);
  const old = asRecord(oldMetadata);
  const errs: FieldError[] = [];
  if (isSet(old.deletionTimestamp)) {
    const before = new Set(asArray(old.finalizers).map(asString));
    const added = [...new Set(asArray(next.finalizers).map(asString))].filter((f) => !before.has(f)).sort();
    if (added.length > 0) {
      errs.push(
        forbidden(
          path.child("finalizers"),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`,
        ),
      );
    }
  }
  const resourceVersion = asString(next.resourceVersion);
  if (resourceVersion.length === 0) {
    errs.push(invalid(path.child("resourceVersion"), resourceVersion, "must be specified for an update"));
  }
  if (asNumber(next.generation) < asNumber(old.generation)) {
    errs.push(invalid(path.child("generation"), asNumber(next.generation), "must not be decremented"));
  }
  errs.push(...validateImmutableField(asString(next.name), asString(old.name), path.child("name")));
  errs.push(
    ...validateImmutableField(asString(next.namespace), asString(old.namespace), path.child("namespace")),
  );
  errs.push(...validateImmutableField(asString(next.uid), asString(old.uid), path.child("uid")));
  errs.push(
    ...validateImmutableField(
      next.creationTimestamp ?? null,
      old.creationTimestamp ?? null,
      path.child("creationTimestamp"),
      isSet(next.creationTimestamp)
        ? goTime(next.creationTimestamp)
        : new GoValue("0001-01-01 00:00:00 +0000 UTC"),
    ),
  );
  errs.push(
    ...validateImmutableField(
      next.deletionTimestamp ?? null,
      old.deletionTimestamp ?? null,
      path.child("deletionTimestamp"),
      goTime(next.deletionTimestamp),
    ),
  );
  errs.push(
    ...validateImmutableField(
      next.deletionGracePeriodSeconds ?? null,
      old.deletionGracePeriodSeconds ?? null,
      path.child("deletionGracePeriodSeconds"),
    ),
  );
  errs.push(...validateLabels(next.labels, path.child("labels")));
  errs.push(...validateAnnotations(next.annotations, path.child("annotations")));
  errs.push(...validateOwnerReferences(next.ownerReferences, path.child("ownerReferences")));
  errs.push(...validateManagedFields(next.managedFields, path.child("managedFields")));
  errs.push(...validateKubeFinalizers(next.finalizers, path.child("finalizers")));
  return errs;
}
