// apps/v1 validation: DaemonSet create, update and status update (pkg/apis/apps/validation plus the selector
// immutability the DaemonSet strategy adds for apps/v1), and ControllerRevision.
import { type FieldError, forbidden, invalid, notSupported, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import {
  GoValue,
  goIntOrString,
  goLabelSelector,
  goPointer,
  goQuote,
  goStringMap,
  goStruct,
} from "./go-format.js";
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
import { labelSelectorAsMatcher, validateLabelSelector } from "./labels.js";
import {
  validateImmutableField,
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from "./meta.js";
import { isValidLabelValue, isValidPercent, nameIsDNSSubdomain } from "./names.js";
import { validatePodTemplateSpec } from "./pod-spec.js";
import { semanticEqual } from "./semantic-equal.js";

/** apps/v1 carries the internal spec.templateGeneration in this annotation. */
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

const STRATEGY_TYPES = ["RollingUpdate", "OnDelete"];

const spec = (): FieldPath => FieldPath.root("spec");

/** A percent ("25%") or an int; invalid percents count by their integer reading, as upstream's IntValue. */
function intOrPercentValue(v: unknown): number {
  if (typeof v === "number") return Math.trunc(v);
  const s = asString(v);
  if (isValidPercent(s).length === 0) return Number.parseInt(s.slice(0, -1), 10);
  return /^[+-]?\d+$/.test(s) ? Number.parseInt(s, 10) : 0;
}

/** ValidatePositiveIntOrPercent: ints must be ≥ 0, strings must be percents. */
export function validatePositiveIntOrPercent(v: unknown, path: FieldPath): FieldError[] {
  if (typeof v === "string") return isValidPercent(v).map((msg) => invalid(path, goIntOrString(v), msg));
  if (typeof v === "number") return validateNonnegativeField(Math.trunc(v), path);
  return [invalid(path, goIntOrString(v), "must be an integer or percentage (e.g '5%')")];
}

/** IsNotMoreThan100Percent: only well-formed percents are checked. */
export function isNotMoreThan100Percent(v: unknown, path: FieldPath): FieldError[] {
  if (typeof v !== "string" || isValidPercent(v).length > 0) return [];
  return intOrPercentValue(v) > 100 ? [invalid(path, goIntOrString(v), "must not be greater than 100%")] : [];
}

function validateRollingUpdate(rollingUpdate: JsonRecord, path: FieldPath): FieldError[] {
  // apps/v1 pointers that are still unset read as int 0, like the internal non-pointer fields.
  const maxUnavailable = rollingUpdate.maxUnavailable ?? 0;
  const maxSurge = rollingUpdate.maxSurge ?? 0;
  const unavailablePath = path.child("maxUnavailable");
  const surgePath = path.child("maxSurge");
  const errs = [
    ...validatePositiveIntOrPercent(maxUnavailable, unavailablePath),
    ...validatePositiveIntOrPercent(maxSurge, surgePath),
    ...isNotMoreThan100Percent(maxUnavailable, unavailablePath),
    ...isNotMoreThan100Percent(maxSurge, surgePath),
  ];
  const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errs.push(invalid(surgePath, goIntOrString(maxSurge), "may not be set when maxUnavailable is non-zero"));
  } else if (!hasUnavailable && !hasSurge) {
    errs.push(required(unavailablePath, "cannot be 0 when maxSurge is 0"));
  }
  return errs;
}

export function validateDaemonSetUpdateStrategy(strategy: unknown, path: FieldPath): FieldError[] {
  const s = asRecord(strategy);
  const type = asString(s.type);
  if (type === "OnDelete") return [];
  if (type === "RollingUpdate") {
    if (!isRecord(s.rollingUpdate)) return [required(path.child("rollingUpdate"))];
    return validateRollingUpdate(s.rollingUpdate, path.child("rollingUpdate"));
  }
  const shown = goStruct("apps.DaemonSetUpdateStrategy", [
    ["Type", goQuote(type)],
    ["RollingUpdate", goPointer("apps.RollingUpdateDaemonSet", isSet(s.rollingUpdate))],
  ]);
  return [notSupported(path, shown, STRATEGY_TYPES)];
}

/** The internal spec.templateGeneration, read from its apps/v1 annotation (0 when absent). */
export function templateGenerationOf(ds: unknown): number {
  const text = asString(
    asRecord(asRecord(asRecord(ds).metadata).annotations)[TEMPLATE_GENERATION_ANNOTATION],
  );
  return /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : 0;
}

const hasTemplateGeneration = (ds: unknown): boolean =>
  Object.hasOwn(asRecord(asRecord(asRecord(ds).metadata).annotations), TEMPLATE_GENERATION_ANNOTATION);

export interface DaemonSetSpecOptions {
  /** Tolerate invalid values in selector expressions (set on update when the stored object had them). */
  allowInvalidLabelValueInSelector?: boolean;
}

function validateDaemonSetSpec(ds: JsonRecord, opts: DaemonSetSpecOptions): FieldError[] {
  const s = asRecord(ds.spec);
  const template = asRecord(s.template);
  const templateLabels = asRecord(template.metadata).labels;
  const podSpec = asRecord(template.spec);
  const errs = validateLabelSelector(s.selector, spec().child("selector"), {
    allowInvalidLabelValue: opts.allowInvalidLabelValueInSelector,
  });
  const matcher = labelSelectorAsMatcher(s.selector);
  if (
    matcher !== null &&
    !matcher(isRecord(templateLabels) ? (templateLabels as Record<string, string>) : undefined)
  ) {
    errs.push(
      invalid(
        spec().child("template", "metadata", "labels"),
        goStringMap(isRecord(templateLabels) ? templateLabels : null),
        "`selector` does not match template `labels`",
      ),
    );
  }
  if (isRecord(s.selector)) {
    const sel = s.selector;
    const count =
      Object.keys(asRecord(sel.matchLabels)).length +
      (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0);
    if (count === 0) {
      errs.push(
        invalid(spec().child("selector"), goLabelSelector(sel), "empty selector is invalid for daemonset"),
      );
    }
  }
  errs.push(...validatePodTemplateSpec(template, spec().child("template")));
  const restartPolicy = asString(podSpec.restartPolicy);
  if (restartPolicy !== "Always") {
    errs.push(notSupported(spec().child("template", "spec", "restartPolicy"), restartPolicy, ["Always"]));
  }
  if (isSet(podSpec.activeDeadlineSeconds)) {
    errs.push(
      forbidden(
        spec().child("template", "spec", "activeDeadlineSeconds"),
        "activeDeadlineSeconds in DaemonSet is not Supported",
      ),
    );
  }
  errs.push(...validateNonnegativeField(asNumber(s.minReadySeconds), spec().child("minReadySeconds")));
  errs.push(...validateNonnegativeField(templateGenerationOf(ds), spec().child("templateGeneration")));
  errs.push(...validateDaemonSetUpdateStrategy(s.updateStrategy, spec().child("updateStrategy")));
  if (isSet(s.revisionHistoryLimit)) {
    errs.push(
      ...validateNonnegativeField(asNumber(s.revisionHistoryLimit), spec().child("revisionHistoryLimit")),
    );
  }
  return errs;
}

export function validateDaemonSet(ds: unknown): FieldError[] {
  const d = asRecord(ds);
  return [
    ...validateObjectMeta(d.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validateDaemonSetSpec(d, {}),
  ];
}

function selectorHasInvalidLabelValue(selector: unknown): boolean {
  return asRecords(asRecord(selector).matchExpressions).some((e) =>
    asArray(e.values).some((v) => isValidLabelValue(asString(v)).length > 0),
  );
}

/**
 * The templateGeneration rules hold when the registry mirrors upstream's PrepareForUpdate (keep the stored
 * generation, +1 when the template changed); they are checked only when both objects carry the annotation.
 */
function validateTemplateGenerationUpdate(next: JsonRecord, old: JsonRecord): FieldError[] {
  if (!hasTemplateGeneration(next) || !hasTemplateGeneration(old)) return [];
  const newGen = templateGenerationOf(next);
  const oldGen = templateGenerationOf(old);
  const path = spec().child("templateGeneration");
  const errs: FieldError[] = [];
  if (newGen < oldGen) errs.push(invalid(path, newGen, "must not be decremented"));
  const templateUpdated = !semanticEqual(asRecord(next.spec).template, asRecord(old.spec).template);
  if (newGen === oldGen && templateUpdated)
    errs.push(invalid(path, newGen, "must be incremented upon template update"));
  else if (newGen > oldGen && !templateUpdated)
    errs.push(invalid(path, newGen, "must not be incremented without template update"));
  return errs;
}

export function validateDaemonSetUpdate(ds: unknown, oldDs: unknown): FieldError[] {
  const next = asRecord(ds);
  const old = asRecord(oldDs);
  const newSelector = asRecord(next.spec).selector;
  const oldSelector = asRecord(old.spec).selector;
  return [
    ...validateObjectMetaUpdate(next.metadata, old.metadata),
    ...validateTemplateGenerationUpdate(next, old),
    ...validateDaemonSetSpec(next, {
      allowInvalidLabelValueInSelector: selectorHasInvalidLabelValue(oldSelector),
    }),
    // apps/v1 forbids changing the selector (the DaemonSet strategy adds this after ValidateDaemonSetUpdate).
    ...validateImmutableField(
      newSelector,
      oldSelector,
      spec().child("selector"),
      goLabelSelector(newSelector),
    ),
  ];
}

const STATUS_COUNTS = [
  "currentNumberScheduled",
  "numberMisscheduled",
  "desiredNumberScheduled",
  "numberReady",
  "observedGeneration",
  "updatedNumberScheduled",
  "numberAvailable",
  "numberUnavailable",
];

/** Status updates: metadata rules, non-negative counts, and a collisionCount that never goes down. */
export function validateDaemonSetStatusUpdate(ds: unknown, oldDs: unknown): FieldError[] {
  const next = asRecord(ds);
  const status = asRecord(next.status);
  const oldStatus = asRecord(asRecord(oldDs).status);
  const statusPath = FieldPath.root("status");
  const errs = validateObjectMetaUpdate(next.metadata, asRecord(oldDs).metadata);
  for (const field of STATUS_COUNTS)
    errs.push(...validateNonnegativeField(asNumber(status[field]), statusPath.child(field)));
  if (isSet(status.collisionCount)) {
    errs.push(
      ...validateNonnegativeField(asNumber(status.collisionCount), statusPath.child("collisionCount")),
    );
  }
  const decremented = isSet(oldStatus.collisionCount)
    ? !isSet(status.collisionCount) || asNumber(status.collisionCount) < asNumber(oldStatus.collisionCount)
    : false;
  if (decremented)
    errs.push(
      invalid(statusPath.child("collisionCount"), asNumber(status.collisionCount), "cannot be decremented"),
    );
  return errs;
}

function goRawExtension(data: unknown): GoValue {
  const bytes = [...Buffer.from(JSON.stringify(data ?? null))].map((b) => `0x${b.toString(16)}`);
  return new GoValue(`runtime.RawExtension{Raw:[]uint8{${bytes.join(", ")}}, Object:runtime.Object(nil)}`);
}

export function validateControllerRevision(cr: unknown): FieldError[] {
  const r = asRecord(cr);
  const errs = validateObjectMeta(r.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  if (!isSet(r.data)) errs.push(required(FieldPath.root("data"), "data is mandatory"));
  errs.push(...validateNonnegativeField(asNumber(r.revision), FieldPath.root("revision")));
  return errs;
}

export function validateControllerRevisionUpdate(cr: unknown, oldCr: unknown): FieldError[] {
  const next = asRecord(cr);
  const old = asRecord(oldCr);
  return [
    ...validateObjectMetaUpdate(next.metadata, old.metadata),
    ...validateControllerRevision(next),
    ...validateImmutableField(next.data, old.data, FieldPath.root("data"), goRawExtension(next.data)),
  ];
}
