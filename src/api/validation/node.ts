// Node validation (core ValidateNode / ValidateNodeUpdate): taints, resource quantities and pod CIDRs.
// Node status writes use the update rules too, as upstream's node status strategy does.
import { duplicate, type FieldError, forbidden, invalid } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { goPointer, goQuote, goStruct } from "./go-format.js";
import { asArray, asRecord, asRecords, asString, isSet, type JsonRecord } from "./json-access.js";
import { validateLabelName } from "./labels.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { isValidCIDR, isValidLabelValue, nameIsDNSSubdomain } from "./names.js";
import { parseResourceList, validateResourceQuantityValue } from "./pod-resources.js";
import { validateTaintEffect } from "./pod-scheduling.js";

const UNIQUE_TAINT_DETAIL = "taints must be unique by key and effect pair";

function goTaint(taint: JsonRecord) {
  return goStruct("core.Taint", [
    ["Key", goQuote(asString(taint.key))],
    ["Value", goQuote(asString(taint.value))],
    ["Effect", goQuote(asString(taint.effect))],
    ["TimeAdded", goPointer("v1.Time", isSet(taint.timeAdded))],
  ]);
}

/** Taint keys are label names, values label values, effects known, and key+effect pairs unique. */
export function validateNodeTaints(taints: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asRecords(taints).forEach((taint, i) => {
    const idxPath = path.index(i);
    const key = asString(taint.key);
    const value = asString(taint.value);
    const effect = asString(taint.effect);
    errs.push(...validateLabelName(key, idxPath.child("key")));
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length > 0) errs.push(invalid(idxPath.child("value"), value, valueErrs.join(";")));
    errs.push(...validateTaintEffect(effect, false, idxPath.child("effect")));
    const pair = JSON.stringify([effect, key]);
    if (seen.has(pair)) {
      const err = duplicate(idxPath, goTaint(taint));
      err.detail = UNIQUE_TAINT_DETAIL;
      errs.push(err);
      return;
    }
    seen.add(pair);
  });
  return errs;
}

/** ValidateNodeResources: capacity and allocatable quantities (paths use `.name`, as upstream's Child). */
function validateNodeResources(node: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const status = asRecord(node.status);
  for (const field of ["capacity", "allocatable"] as const) {
    const path = FieldPath.root("status", field);
    for (const [name, q] of parseResourceList(status[field], path, errs)) {
      errs.push(...validateResourceQuantityValue(name, q, path.child(name)));
    }
  }
  return errs;
}

function validatePodCIDRs(node: JsonRecord): FieldError[] {
  const cidrs = asArray(asRecord(node.spec).podCIDRs).map(asString);
  const path = FieldPath.root("spec", "podCIDRs");
  const errs: FieldError[] = [];
  cidrs.forEach((cidr, i) => {
    if (!isValidCIDR(cidr)) {
      errs.push(
        invalid(path.index(i), cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"),
      );
    }
  });
  if (cidrs.length > 1) {
    const families = new Set(cidrs.map((c) => (c.includes(":") ? 6 : 4)));
    if (families.size !== cidrs.length || cidrs.length > 2) {
      errs.push(invalid(path, cidrs, "may specify no more than one CIDR for each IP family"));
    }
    cidrs.forEach((cidr, i) => {
      if (cidrs.indexOf(cidr) < i) errs.push(duplicate(path.index(i), cidr));
    });
  }
  return errs;
}

export function validateNode(node: unknown): FieldError[] {
  const n = asRecord(node);
  const metaPath = FieldPath.root("metadata");
  return [
    ...validateObjectMeta(n.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain }),
    // Upstream reports spec.taints under "metadata.taints"; kept so messages match.
    ...validateNodeTaints(asRecord(n.spec).taints, metaPath.child("taints")),
    ...validateNodeResources(n),
    ...validatePodCIDRs(n),
  ];
}

export function validateNodeUpdate(node: unknown, oldNode: unknown): FieldError[] {
  const next = asRecord(node);
  const old = asRecord(oldNode);
  const newSpec = asRecord(next.spec);
  const oldSpec = asRecord(old.spec);
  const errs = validateObjectMetaUpdate(next.metadata, old.metadata);
  errs.push(...validateNodeResources(next));
  const addresses = new Set<string>();
  asRecords(asRecord(next.status).addresses).forEach((address, i) => {
    const key = JSON.stringify([asString(address.type), asString(address.address)]);
    if (addresses.has(key)) {
      const shown = goStruct("core.NodeAddress", [
        ["Type", goQuote(asString(address.type))],
        ["Address", goQuote(asString(address.address))],
      ]);
      errs.push(duplicate(FieldPath.root("status", "addresses").index(i), shown));
    }
    addresses.add(key);
  });
  const oldCIDRs = asArray(oldSpec.podCIDRs).map(asString);
  const newCIDRs = asArray(newSpec.podCIDRs).map(asString);
  if (oldCIDRs.length > 0) {
    const message = 'node updates may not change podCIDR except from "" to valid';
    const changes =
      oldCIDRs.length !== newCIDRs.length ? 1 : oldCIDRs.filter((c, i) => c !== newCIDRs[i]).length;
    for (let i = 0; i < changes; i++) errs.push(forbidden(FieldPath.root("spec", "podCIDRs"), message));
  }
  const oldProvider = asString(oldSpec.providerID);
  if (oldProvider.length > 0 && oldProvider !== asString(newSpec.providerID)) {
    errs.push(
      forbidden(
        FieldPath.root("spec", "providerID"),
        'node updates may not change providerID except from "" to valid',
      ),
    );
  }
  errs.push(...validateNodeTaints(newSpec.taints, FieldPath.root("metadata", "taints")));
  if (asString(newSpec.externalID) !== asString(oldSpec.externalID)) {
    errs.push(forbidden(FieldPath.root("spec", "externalID"), "may not be updated"));
  }
  return errs;
}
