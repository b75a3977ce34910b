// Scheduling fields of a pod spec: tolerations, taint effects, node and pod (anti-)affinity and topology
// spread constraints, with core validation's messages.
import { duplicate, type FieldError, invalid, notSupported, required } from "./field-errors.js";
import type { FieldPath } from "./field-path.js";
import { asArray, asNumber, asRecords, asString, isRecord, isSet, type JsonRecord } from "./json-access.js";
import {
  type OperatorValuesCheck,
  validateLabelName,
  validateLabelSelector,
  validateSelectorRequirement,
} from "./labels.js";
import { isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain } from "./names.js";

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** An empty effect is allowed only where it means "all effects" (tolerations). */
export function validateTaintEffect(effect: string, allowEmpty: boolean, path: FieldPath): FieldError[] {
  if (!allowEmpty && effect.length === 0) return [required(path)];
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(path, effect, TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asRecords(tolerations).forEach((t, i) => {
    const idxPath = path.index(i);
    const key = asString(t.key);
    const operator = asString(t.operator);
    const value = asString(t.value);
    const effect = asString(t.effect);
    if (key.length > 0) errs.push(...validateLabelName(key, idxPath.child("key")));
    if (key.length === 0 && operator !== "Exists") {
      errs.push(
        invalid(
          idxPath.child("operator"),
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (isSet(t.tolerationSeconds) && effect !== "NoExecute") {
      errs.push(
        invalid(
          idxPath.child("effect"),
          effect,
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    switch (operator) {
      case "Equal":
      case "": {
        const msgs = isValidLabelValue(value);
        if (msgs.length > 0) errs.push(invalid(idxPath.child("operator"), value, msgs.join(";")));
        break;
      }
      case "Exists":
        if (value.length > 0) {
          errs.push(
            invalid(idxPath.child("operator"), value, "value must be empty when `operator` is 'Exists'"),
          );
        }
        break;
      default:
        errs.push(notSupported(idxPath.child("operator"), operator, ["Equal", "Exists"]));
    }
    if (effect.length > 0) errs.push(...validateTaintEffect(effect, true, idxPath.child("effect")));
  });
  return errs;
}

const singleValueRequired: OperatorValuesCheck = (values, valuesPath) =>
  values.length === 1
    ? []
    : [required(valuesPath, "must be specified single value when `operator` is 'Lt' or 'Gt'")];

/** Node selectors accept the label selector operators plus numeric Gt and Lt, which take exactly one value. */
const NODE_SELECTOR_NUMERIC_OPERATORS: Readonly<Record<string, OperatorValuesCheck>> = {
  Gt: singleValueRequired,
  Lt: singleValueRequired,
};

function validateNodeFieldSelectorRequirement(req: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray(req.values).map(asString);
  const operator = asString(req.operator);
  if (operator === "In" || operator === "NotIn") {
    if (values.length !== 1) {
      errs.push(
        required(
          path.child("values"),
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
    }
  } else {
    errs.push(invalid(path.child("operator"), operator, "not a valid selector operator"));
  }
  const key = asString(req.key);
  if (key !== "metadata.name") {
    errs.push(invalid(path.child("key"), key, "not a valid field selector key"));
  } else {
    values.forEach((v, i) => {
      errs.push(...nameIsDNSSubdomain(v, false).map((m) => invalid(path.child("values").index(i), v, m)));
    });
  }
  return errs;
}

function validateNodeSelectorTerm(
  term: JsonRecord,
  allowInvalidValues: boolean,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const requirementOptions = {
    allowInvalidLabelValue: allowInvalidValues,
    extraOperators: NODE_SELECTOR_NUMERIC_OPERATORS,
  };
  asRecords(term.matchExpressions).forEach((r, j) => {
    errs.push(...validateSelectorRequirement(r, path.child("matchExpressions").index(j), requirementOptions));
  });
  asRecords(term.matchFields).forEach((r, j) => {
    errs.push(...validateNodeFieldSelectorRequirement(r, path.child("matchFields").index(j)));
  });
  return errs;
}

function validateNodeAffinity(na: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (isRecord(na.requiredDuringSchedulingIgnoredDuringExecution)) {
    const termsPath = path.child("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
    const terms = asRecords(na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms);
    if (terms.length === 0) errs.push(required(termsPath, "must have at least one node selector term"));
    terms.forEach((term, i) => {
      errs.push(...validateNodeSelectorTerm(term, false, termsPath.index(i)));
    });
  }
  asRecords(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
    const termPath = path.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
    const weight = asNumber(term.weight);
    if (weight <= 0 || weight > 100)
      errs.push(invalid(termPath.child("weight"), weight, "must be in the range 1-100"));
    // Preferred terms tolerate invalid label values: they can still match on a one-node cluster.
    errs.push(
      ...validateNodeSelectorTerm(
        isRecord(term.preference) ? term.preference : {},
        true,
        termPath.child("preference"),
      ),
    );
  });
  return errs;
}

function validatePodAffinityTerm(term: JsonRecord, path: FieldPath): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, path.child("labelSelector"));
  errs.push(...validateLabelSelector(term.namespaceSelector, path.child("namespaceSelector")));
  for (const ns of asArray(term.namespaces).map(asString)) {
    errs.push(...nameIsDNSLabel(ns, false).map((m) => invalid(path.child("namespace"), ns, m)));
  }
  const topologyKey = asString(term.topologyKey);
  if (topologyKey.length === 0) errs.push(required(path.child("topologyKey"), "can not be empty"));
  errs.push(...validateLabelName(topologyKey, path.child("topologyKey")));
  return errs;
}

function validatePodAffinityKind(affinity: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asRecords(affinity.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
    errs.push(
      ...validatePodAffinityTerm(term, path.child("requiredDuringSchedulingIgnoredDuringExecution").index(i)),
    );
  });
  asRecords(affinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((weighted, i) => {
    const termPath = path.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
    const weight = asNumber(weighted.weight);
    if (weight <= 0 || weight > 100)
      errs.push(invalid(termPath.child("weight"), weight, "must be in the range 1-100"));
    const term = isRecord(weighted.podAffinityTerm) ? weighted.podAffinityTerm : {};
    errs.push(...validatePodAffinityTerm(term, termPath.child("podAffinityTerm")));
  });
  return errs;
}

export function validateAffinity(affinity: unknown, path: FieldPath): FieldError[] {
  if (!isRecord(affinity)) return [];
  const errs: FieldError[] = [];
  if (isRecord(affinity.nodeAffinity))
    errs.push(...validateNodeAffinity(affinity.nodeAffinity, path.child("nodeAffinity")));
  if (isRecord(affinity.podAffinity))
    errs.push(...validatePodAffinityKind(affinity.podAffinity, path.child("podAffinity")));
  if (isRecord(affinity.podAntiAffinity)) {
    errs.push(...validatePodAffinityKind(affinity.podAntiAffinity, path.child("podAntiAffinity")));
  }
  return errs;
}

const SCHEDULE_ACTIONS = ["DoNotSchedule", "ScheduleAnyway"];

export function validateTopologySpreadConstraints(constraints: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = asRecords(constraints);
  list.forEach((c, i) => {
    const idxPath = path.index(i);
    const maxSkew = asNumber(c.maxSkew);
    if (maxSkew <= 0) errs.push(invalid(idxPath.child("maxSkew"), maxSkew, "must be greater than zero"));
    const topologyKey = asString(c.topologyKey);
    if (topologyKey.length === 0) errs.push(required(idxPath.child("topologyKey"), "can not be empty"));
    else errs.push(...validateLabelName(topologyKey, idxPath.child("topologyKey")));
    const action = asString(c.whenUnsatisfiable);
    if (!SCHEDULE_ACTIONS.includes(action))
      errs.push(notSupported(idxPath.child("whenUnsatisfiable"), action, SCHEDULE_ACTIONS));
    const repeated = list
      .slice(i + 1)
      .some(
        (other) =>
          asString(other.topologyKey) === topologyKey && asString(other.whenUnsatisfiable) === action,
      );
    if (repeated)
      errs.push(duplicate(idxPath.child("{topologyKey, whenUnsatisfiable}"), `{${topologyKey}, ${action}}`));
    if (isSet(c.minDomains)) {
      const minDomains = asNumber(c.minDomains);
      if (minDomains <= 0)
        errs.push(invalid(idxPath.child("minDomains"), minDomains, "must be greater than zero"));
      else if (action !== "DoNotSchedule") {
        errs.push(
          invalid(
            idxPath.child("minDomains"),
            minDomains,
            `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`,
          ),
        );
      }
    }
    errs.push(...validateLabelSelector(c.labelSelector, idxPath.child("labelSelector")));
  });
  return errs;
}
