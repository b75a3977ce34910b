// core/v1 ResourceQuota validation (ValidateResourceQuota, ValidateResourceQuotaUpdate and
// ValidateResourceQuotaStatusUpdate of Kubernetes 1.32): quota resource names, non-negative (and for counts,
// whole) amounts, scopes valid for the limited resources and never conflicting, well-formed scope selectors,
// and scopes that never change after creation.

import { type FieldError, invalid, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { GoValue, goQuote, goStringSlice, goStruct } from "./go-format.js";
import { asArray, asRecord, asString, isSet, type JsonRecord } from "./json-access.js";
import { FIELD_IMMUTABLE_ERROR_MSG, validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { isQualifiedName, nameIsDNSSubdomain } from "./names.js";
import { validateResourceName, validateResourceQuantityValue } from "./pod-resources.js";
import { parseQuantityOrNull, QUANTITY_FORMAT_ERROR } from "./quantity-check.js";
import { isQuotaHugePages, STANDARD_RESOURCES } from "./standard-resources.js";

const META_RULES = { namespaced: true, nameFn: nameIsDNSSubdomain };

/** helper.standardQuotaResources: the unprefixed names a quota may limit (`storage` is not one of them). */
const STANDARD_QUOTA_RESOURCES = new Set([...STANDARD_RESOURCES].filter((n) => n !== "storage"));

/** The scopes of 1.32 with default feature gates (VolumeAttributesClass is behind a disabled gate). */
const STANDARD_SCOPES = new Set([
  "Terminating",
  "NotTerminating",
  "BestEffort",
  "NotBestEffort",
  "PriorityClass",
  "CrossNamespacePodAffinity",
]);

const POD_COMPUTE_NAMES = new Set([
  "cpu",
  "memory",
  "limits.cpu",
  "limits.memory",
  "requests.cpu",
  "requests.memory",
]);

const CONFLICTING_SCOPES = [
  ["BestEffort", "NotBestEffort"],
  ["Terminating", "NotTerminating"],
];

/** helper.IsStandardQuotaResourceName. */
export const isStandardQuotaResourceName = (name: string): boolean =>
  STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePages(name);

/** helper.IsResourceQuotaScopeValidForResource: pod scopes limit only pods and their cpu/memory. */
function scopeValidForResource(scope: string, name: string): boolean {
  switch (scope) {
    case "Terminating":
    case "NotTerminating":
    case "NotBestEffort":
    case "PriorityClass":
    case "CrossNamespacePodAffinity":
      return name === "pods" || POD_COMPUTE_NAMES.has(name);
    case "BestEffort":
      return name === "pods";
    default:
      return true;
  }
}

/** ValidateResourceQuotaResourceName: a qualified name, and an unprefixed one must be a standard quota name. */
function validateQuotaResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (name.includes("/") || isQualifiedName(name).length > 0) return errs;
  if (!isStandardQuotaResourceName(name))
    errs.push(invalid(path, name, "must be a standard resource for quota"));
  return errs;
}

/** Names and amounts of a quota resource list (spec.hard, status.hard, status.used), in name order. */
function validateQuotaResourceList(list: unknown, path: FieldPath): FieldError[] {
  const entries = asRecord(list);
  const errs: FieldError[] = [];
  for (const name of Object.keys(entries).sort()) {
    const at = path.key(name);
    errs.push(...validateQuotaResourceName(name, at));
    const q = parseQuantityOrNull(entries[name]);
    if (q === null) errs.push(invalid(at, String(entries[name]), QUANTITY_FORMAT_ERROR));
    else errs.push(...validateResourceQuantityValue(name, q, at));
  }
  return errs;
}

const goScopes = (scopes: unknown): GoValue =>
  goStringSlice(Array.isArray(scopes) ? scopes : undefined, "[]core.ResourceQuotaScope");

/** The scope selector as Go's %#v prints the *core.ScopeSelector upstream reports. */
function goScopeSelector(selector: JsonRecord): GoValue {
  const exprs = asArray(selector.matchExpressions).map((e) => {
    const r = asRecord(e);
    return goStruct("core.ScopedResourceSelectorRequirement", [
      ["ScopeName", goQuote(asString(r.scopeName))],
      ["Operator", goQuote(asString(r.operator))],
      ["Values", goStringSlice(Array.isArray(r.values) ? r.values : undefined)],
    ]).repr;
  });
  const list = Array.isArray(selector.matchExpressions)
    ? `[]core.ScopedResourceSelectorRequirement{${exprs.join(", ")}}`
    : "[]core.ScopedResourceSelectorRequirement(nil)";
  return new GoValue(`&core.ScopeSelector{MatchExpressions:${list}}`);
}

const hardNames = (spec: JsonRecord): string[] => Object.keys(asRecord(spec.hard)).sort();

function conflicting(scopes: Set<string>): boolean {
  return CONFLICTING_SCOPES.some((pair) => pair.every((s) => scopes.has(s)));
}

/** validateResourceQuotaScopes: known scopes, valid for every limited standard resource, never conflicting. */
function validateScopes(spec: JsonRecord, path: FieldPath): FieldError[] {
  const scopes = asArray(spec.scopes).map(asString);
  if (scopes.length === 0) return [];
  const at = path.child("scopes");
  const errs: FieldError[] = [];
  for (const scope of scopes) {
    if (!STANDARD_SCOPES.has(scope)) errs.push(invalid(at, goScopes(spec.scopes), "unsupported scope"));
    for (const name of hardNames(spec)) {
      if (isStandardQuotaResourceName(name) && !scopeValidForResource(scope, name)) {
        errs.push(invalid(at, goScopes(spec.scopes), "unsupported scope applied to resource"));
      }
    }
  }
  if (conflicting(new Set(scopes))) errs.push(invalid(at, goScopes(spec.scopes), "conflicting scopes"));
  return errs;
}

const EXISTS_ONLY_SCOPES = new Set([
  "BestEffort",
  "NotBestEffort",
  "Terminating",
  "NotTerminating",
  "CrossNamespacePodAffinity",
]);

/** validateScopedResourceSelectorRequirement: every expression of spec.scopeSelector. */
function validateScopeSelector(spec: JsonRecord, path: FieldPath): FieldError[] {
  if (!isSet(spec.scopeSelector)) return [];
  const selector = asRecord(spec.scopeSelector);
  const at = path.child("scopeSelector", "matchExpressions");
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const raw of asArray(selector.matchExpressions)) {
    const req = asRecord(raw);
    const scope = asString(req.scopeName);
    const operator = asString(req.operator);
    const values = asArray(req.values);
    if (!STANDARD_SCOPES.has(scope)) errs.push(invalid(at.child("scopeName"), scope, "unsupported scope"));
    for (const name of hardNames(spec)) {
      if (isStandardQuotaResourceName(name) && !scopeValidForResource(scope, name)) {
        errs.push(invalid(at, goScopeSelector(selector), "unsupported scope applied to resource"));
      }
    }
    if (EXISTS_ONLY_SCOPES.has(scope) && operator !== "Exists") {
      errs.push(
        invalid(
          at.child("operator"),
          operator,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    if (operator === "In" || operator === "NotIn") {
      if (values.length === 0) {
        errs.push(
          required(
            at.child("values"),
            "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
          ),
        );
      }
    } else if (operator === "Exists" || operator === "DoesNotExist") {
      if (values.length !== 0) {
        errs.push(
          invalid(
            at.child("values"),
            goStringSlice(values),
            "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
          ),
        );
      }
    } else {
      errs.push(invalid(at.child("operator"), operator, "not a valid selector operator"));
    }
    seen.add(scope);
  }
  if (conflicting(seen)) errs.push(invalid(at, goScopes(spec.scopes), "conflicting scopes"));
  return errs;
}

/** ValidateResourceQuotaSpec. */
function validateSpec(spec: JsonRecord): FieldError[] {
  const path = FieldPath.root("spec");
  return [
    ...validateQuotaResourceList(spec.hard, path.child("hard")),
    ...validateScopes(spec, path),
    ...validateScopeSelector(spec, path),
  ];
}

function validateStatus(status: unknown): FieldError[] {
  const s = asRecord(status);
  const path = FieldPath.root("status");
  return [
    ...validateQuotaResourceList(s.hard, path.child("hard")),
    ...validateQuotaResourceList(s.used, path.child("used")),
  ];
}

export function validateResourceQuota(obj: unknown): FieldError[] {
  const quota = asRecord(obj);
  return [
    ...validateObjectMeta(quota.metadata, META_RULES),
    ...validateSpec(asRecord(quota.spec)),
    ...validateStatus(quota.status),
  ];
}

/** ValidateResourceQuotaUpdate: the spec rules again, and the set of scopes may not change. */
export function validateResourceQuotaUpdate(obj: unknown, old: unknown): FieldError[] {
  const quota = asRecord(obj);
  const previous = asRecord(old);
  const errs = [
    ...validateObjectMetaUpdate(quota.metadata, previous.metadata),
    ...validateSpec(asRecord(quota.spec)),
  ];
  const scopes = new Set(asArray(asRecord(quota.spec).scopes).map(asString));
  const oldScopes = new Set(asArray(asRecord(previous.spec).scopes).map(asString));
  const same = scopes.size === oldScopes.size && [...scopes].every((s) => oldScopes.has(s));
  if (!same) {
    errs.push(
      invalid(
        FieldPath.root("spec", "scopes"),
        goScopes(asRecord(quota.spec).scopes),
        FIELD_IMMUTABLE_ERROR_MSG,
      ),
    );
  }
  return errs;
}

/** ValidateResourceQuotaStatusUpdate: metadata, and the names and amounts of status.hard and status.used. */
export function validateResourceQuotaStatusUpdate(obj: unknown, old: unknown): FieldError[] {
  const quota = asRecord(obj);
  return [
    ...validateObjectMetaUpdate(quota.metadata, asRecord(old).metadata),
    ...validateStatus(quota.status),
  ];
}
