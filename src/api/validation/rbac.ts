// rbac.authorization.k8s.io/v1 validation: rules need verbs and resources (or non-resource URLs), bindings
// need a valid roleRef and subjects, and a binding's roleRef can never change.
import { type FieldError, invalid, notSupported, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { goQuote, goStruct } from "./go-format.js";
import { asArray, asRecord, asRecords, asString, isRecord, type JsonRecord } from "./json-access.js";
import { labelSelectorAsMatcher, validateLabelSelector } from "./labels.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { nameIsDNSSubdomain, nameIsPathSegment } from "./names.js";
import { semanticEqual } from "./semantic-equal.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

function validatePolicyRule(rule: JsonRecord, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (asArray(rule.verbs).length === 0)
    errs.push(required(path.child("verbs"), "verbs must contain at least one value"));
  const urls = asArray(rule.nonResourceURLs).map(asString);
  if (urls.length > 0) {
    if (namespaced)
      errs.push(
        invalid(path.child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"),
      );
    if (
      asArray(rule.apiGroups).length > 0 ||
      asArray(rule.resources).length > 0 ||
      asArray(rule.resourceNames).length > 0
    ) {
      errs.push(
        invalid(
          path.child("nonResourceURLs"),
          urls,
          "rules cannot apply to both regular resources and non-resource URLs",
        ),
      );
    }
    return errs;
  }
  if (asArray(rule.apiGroups).length === 0) {
    errs.push(required(path.child("apiGroups"), "resource rules must supply at least one api group"));
  }
  if (asArray(rule.resources).length === 0) {
    errs.push(required(path.child("resources"), "resource rules must supply at least one resource"));
  }
  return errs;
}

function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  return asRecords(rules).flatMap((r, i) =>
    validatePolicyRule(r, namespaced, FieldPath.root("rules").index(i)),
  );
}

export function validateRole(role: unknown): FieldError[] {
  const r = asRecord(role);
  return [
    ...validateObjectMeta(r.metadata, { namespaced: true, nameFn: nameIsPathSegment }),
    ...validateRules(r.rules, true),
  ];
}

export function validateClusterRole(role: unknown): FieldError[] {
  const r = asRecord(role);
  const errs = [
    ...validateObjectMeta(r.metadata, { namespaced: false, nameFn: nameIsPathSegment }),
    ...validateRules(r.rules, false),
  ];
  if (isRecord(r.aggregationRule)) {
    const selectorsPath = FieldPath.root("aggregationRule", "clusterRoleSelectors");
    const selectors = asArray(r.aggregationRule.clusterRoleSelectors);
    if (selectors.length === 0) {
      errs.push(
        required(selectorsPath, "at least one clusterRoleSelector required if aggregationRule is non-nil"),
      );
    }
    selectors.forEach((selector, i) => {
      errs.push(...validateLabelSelector(selector, selectorsPath.index(i)));
      if (labelSelectorAsMatcher(selector) === null)
        errs.push(invalid(selectorsPath.index(i), null, "invalid label selector."));
    });
  }
  return errs;
}

function validateSubject(subject: JsonRecord, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(subject.name);
  const apiGroup = asString(subject.apiGroup);
  if (name.length === 0) errs.push(required(path.child("name")));
  switch (asString(subject.kind)) {
    case "ServiceAccount":
      if (name.length > 0)
        errs.push(...nameIsDNSSubdomain(name, false).map((m) => invalid(path.child("name"), name, m)));
      if (apiGroup.length > 0) errs.push(notSupported(path.child("apiGroup"), apiGroup, [""]));
      if (!namespaced && asString(subject.namespace).length === 0)
        errs.push(required(path.child("namespace")));
      break;
    case "User":
    case "Group":
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(path.child("apiGroup"), apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(
        notSupported(path.child("kind"), asString(subject.kind), ["ServiceAccount", "User", "Group"]),
      );
  }
  return errs;
}

function validateBinding(binding: JsonRecord, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(binding.metadata, { namespaced, nameFn: nameIsPathSegment });
  const roleRef = asRecord(binding.roleRef);
  const apiGroup = asString(roleRef.apiGroup);
  const kind = asString(roleRef.kind);
  const name = asString(roleRef.name);
  if (apiGroup !== RBAC_GROUP)
    errs.push(notSupported(FieldPath.root("roleRef", "apiGroup"), apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (!kinds.includes(kind)) errs.push(notSupported(FieldPath.root("roleRef", "kind"), kind, kinds));
  if (name.length === 0) errs.push(required(FieldPath.root("roleRef", "name")));
  else
    errs.push(
      ...nameIsPathSegment(name, false).map((m) => invalid(FieldPath.root("roleRef", "name"), name, m)),
    );
  asRecords(binding.subjects).forEach((s, i) => {
    errs.push(...validateSubject(s, namespaced, FieldPath.root("subjects").index(i)));
  });
  return errs;
}

export const validateRoleBinding = (rb: unknown): FieldError[] => validateBinding(asRecord(rb), true);
export const validateClusterRoleBinding = (crb: unknown): FieldError[] =>
  validateBinding(asRecord(crb), false);

function validateRoleRefUnchanged(next: JsonRecord, old: JsonRecord): FieldError[] {
  if (semanticEqual(next.roleRef, old.roleRef)) return [];
  const ref = asRecord(next.roleRef);
  const shown = goStruct("rbac.RoleRef", [
    ["APIGroup", goQuote(asString(ref.apiGroup))],
    ["Kind", goQuote(asString(ref.kind))],
    ["Name", goQuote(asString(ref.name))],
  ]);
  return [invalid(FieldPath.root("roleRef"), shown, "cannot change roleRef")];
}

function bindingUpdate(validate: (b: unknown) => FieldError[]): (b: unknown, old: unknown) => FieldError[] {
  return (b, old) => [
    ...validate(b),
    ...validateObjectMetaUpdate(asRecord(b).metadata, asRecord(old).metadata),
    ...validateRoleRefUnchanged(asRecord(b), asRecord(old)),
  ];
}

export const validateRoleBindingUpdate = bindingUpdate(validateRoleBinding);
export const validateClusterRoleBindingUpdate = bindingUpdate(validateClusterRoleBinding);

export function validateRoleUpdate(role: unknown, oldRole: unknown): FieldError[] {
  return [
    ...validateRole(role),
    ...validateObjectMetaUpdate(asRecord(role).metadata, asRecord(oldRole).metadata),
  ];
}

export function validateClusterRoleUpdate(role: unknown, oldRole: unknown): FieldError[] {
  return [
    ...validateClusterRole(role),
    ...validateObjectMetaUpdate(asRecord(role).metadata, asRecord(oldRole).metadata),
  ];
}
