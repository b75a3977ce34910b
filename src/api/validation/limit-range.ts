// core/v1 LimitRange validation (ValidateLimitRange of Kubernetes 1.32): item types standard or fully qualified
// and each used once, resource names fit for the type, no defaults on Pod items, a storage bound on claim items,
// and per resource min <= defaultRequest <= default <= max with a limit-to-request ratio of at least 1 that
// min and max leave room for.

import { quantityFromValue } from "../quantity.js";
import { duplicate, type FieldError, forbidden, invalid, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { type GoValue, goQuantity } from "./go-format.js";
import { asRecord, asRecords, asString } from "./json-access.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { isQualifiedName, nameIsDNSSubdomain } from "./names.js";
import { isOvercommitAllowed, validateContainerResourceName, validateResourceName } from "./pod-resources.js";
import { type CheckedQuantity, parseQuantityOrNull } from "./quantity-check.js";

const META_RULES = { namespaced: true, nameFn: nameIsDNSSubdomain };
const ONE = quantityFromValue(1);

/** helper.IsStandardLimitRangeType. */
const STANDARD_LIMIT_TYPES = new Set(["Pod", "Container", "PersistentVolumeClaim"]);

/** The five resource lists of an item, in the order upstream validates their names. */
type ListName = "max" | "min" | "default" | "defaultRequest" | "maxLimitRequestRatio";

/** A quantity as reported in these errors: the value %#v prints, and the text %s prints. */
interface Bound {
  checked: CheckedQuantity;
  raw: string;
}

const show = (b: Bound): string => b.checked.text;
const badValue = (b: Bound): GoValue => goQuantity(b.raw);

/** validateLimitRangeTypeName: a qualified name, and an unprefixed one must be a standard type. */
function validateTypeName(type: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(type).map((msg) => invalid(path, type, msg));
  if (errs.length > 0) return errs;
  if (!type.includes("/") && !STANDARD_LIMIT_TYPES.has(type)) {
    errs.push(invalid(path, type, "must be a standard limit type or fully qualified"));
  }
  return errs;
}

/** Names are checked as container resources for Pod and Container items, as any resource otherwise. */
const nameRule = (type: string) =>
  type === "Pod" || type === "Container" ? validateContainerResourceName : validateResourceName;

/** Checks the names of one list and collects its quantities (decoding has already refused malformed ones). */
function collect(
  item: Record<string, unknown>,
  list: ListName,
  path: FieldPath,
  errs: FieldError[],
): Map<string, Bound> {
  const out = new Map<string, Bound>();
  const entries = asRecord(item[list]);
  const checkName = nameRule(asString(item.type));
  for (const name of Object.keys(entries).sort()) {
    errs.push(...checkName(name, path.child(list).key(name)));
    const raw = entries[name];
    const checked = parseQuantityOrNull(raw);
    if (checked) out.set(name, { checked, raw: String(raw) });
  }
  return out;
}

const greater = (a: Bound, b: Bound): boolean => a.checked.quantity.cmp(b.checked.quantity) > 0;

/** Go's %f: six decimals, infinities signed. */
function goFloat(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return "+Inf";
  if (x === Number.NEGATIVE_INFINITY) return "-Inf";
  if (Number.isNaN(x)) return "NaN";
  return x.toFixed(6);
}

/** The largest quantity whose milli-value still fits in an int64 (resource.MaxMilliValue). */
const MAX_MILLI_VALUE = (2n ** 63n - 1n) / 1000n;

/** The ratio check against max/min: in milli-units when all three fit, as upstream compares floats. */
function ratioExceedsRange(ratio: Bound, min: Bound, max: Bound): [boolean, number] {
  const [r, lo, hi] = [ratio, min, max].map((b) => b.checked.quantity);
  let ratioValue = Number(r.value());
  let minValue = lo.value();
  let maxValue = hi.value();
  if (r.value() < MAX_MILLI_VALUE && minValue < MAX_MILLI_VALUE && maxValue < MAX_MILLI_VALUE) {
    ratioValue = Number(r.milliValue()) / 1000;
    minValue = lo.milliValue();
    maxValue = hi.milliValue();
  }
  const limit = Number(maxValue) / Number(minValue);
  return [ratioValue > limit, limit];
}

/** The cross checks of one resource named in any list of the item. */
function validateResource(
  name: string,
  lists: Record<ListName, Map<string, Bound>>,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const min = lists.min.get(name);
  const max = lists.max.get(name);
  const def = lists.default.get(name);
  const defReq = lists.defaultRequest.get(name);
  const ratio = lists.maxLimitRequestRatio.get(name);
  const at = (list: ListName) => path.child(list).key(name);
  if (min && max && greater(min, max)) {
    errs.push(
      invalid(at("min"), badValue(min), `min value ${show(min)} is greater than max value ${show(max)}`),
    );
  }
  if (defReq && min && greater(min, defReq)) {
    errs.push(
      invalid(
        at("defaultRequest"),
        badValue(defReq),
        `min value ${show(min)} is greater than default request value ${show(defReq)}`,
      ),
    );
  }
  if (defReq && max && greater(defReq, max)) {
    errs.push(
      invalid(
        at("defaultRequest"),
        badValue(defReq),
        `default request value ${show(defReq)} is greater than max value ${show(max)}`,
      ),
    );
  }
  if (defReq && def && greater(defReq, def)) {
    errs.push(
      invalid(
        at("defaultRequest"),
        badValue(defReq),
        `default request value ${show(defReq)} is greater than default limit value ${show(def)}`,
      ),
    );
  }
  if (def && min && greater(min, def)) {
    errs.push(
      invalid(
        at("default"),
        badValue(min),
        `min value ${show(min)} is greater than default value ${show(def)}`,
      ),
    );
  }
  if (def && max && greater(def, max)) {
    errs.push(
      invalid(
        at("default"),
        badValue(max),
        `default value ${show(def)} is greater than max value ${show(max)}`,
      ),
    );
  }
  if (ratio && ratio.checked.quantity.cmp(ONE) < 0) {
    errs.push(invalid(at("maxLimitRequestRatio"), badValue(ratio), `ratio ${show(ratio)} is less than 1`));
  }
  if (ratio && min && max) {
    const [exceeds, limit] = ratioExceedsRange(ratio, min, max);
    if (exceeds) {
      errs.push(
        invalid(
          at("maxLimitRequestRatio"),
          badValue(ratio),
          `ratio ${show(ratio)} is greater than max/min = ${goFloat(limit)}`,
        ),
      );
    }
  }
  // Resources that cannot be overcommitted (huge pages, extended resources) need default == defaultRequest.
  if (
    !isOvercommitAllowed(name) &&
    def &&
    defReq &&
    def.checked.quantity.cmp(defReq.checked.quantity) !== 0
  ) {
    errs.push(
      invalid(
        at("defaultRequest"),
        badValue(defReq),
        `default value ${show(def)} must equal to defaultRequest value ${show(defReq)} in ${name}`,
      ),
    );
  }
  return errs;
}

function validateItem(item: Record<string, unknown>, path: FieldPath, seenTypes: Set<string>): FieldError[] {
  const type = asString(item.type);
  const errs = validateTypeName(type, path.child("type"));
  if (seenTypes.has(type)) errs.push(duplicate(path.child("type"), type));
  seenTypes.add(type);

  const none = new Map<string, Bound>();
  const max = collect(item, "max", path, errs);
  const min = collect(item, "min", path, errs);
  let def = none;
  let defReq = none;
  if (type === "Pod") {
    if (Object.keys(asRecord(item.default)).length > 0) {
      errs.push(forbidden(path.child("default"), "may not be specified when `type` is 'Pod'"));
    }
    if (Object.keys(asRecord(item.defaultRequest)).length > 0) {
      errs.push(forbidden(path.child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
    }
  } else {
    def = collect(item, "default", path, errs);
    defReq = collect(item, "defaultRequest", path, errs);
  }
  if (type === "PersistentVolumeClaim" && !min.has("storage") && !max.has("storage")) {
    errs.push(
      required(
        path.child("limits"),
        "either minimum or maximum storage value is required, but neither was provided",
      ),
    );
  }
  const ratio = collect(item, "maxLimitRequestRatio", path, errs);
  const lists = { max, min, default: def, defaultRequest: defReq, maxLimitRequestRatio: ratio };
  const names = new Set([...max.keys(), ...min.keys(), ...def.keys(), ...defReq.keys(), ...ratio.keys()]);
  for (const name of [...names].sort()) errs.push(...validateResource(name, lists, path));
  return errs;
}

function validateSpec(spec: unknown): FieldError[] {
  const path = FieldPath.root("spec", "limits");
  const seenTypes = new Set<string>();
  return asRecords(asRecord(spec).limits).flatMap((item, i) => validateItem(item, path.index(i), seenTypes));
}

export function validateLimitRange(obj: unknown): FieldError[] {
  const limitRange = asRecord(obj);
  return [...validateObjectMeta(limitRange.metadata, META_RULES), ...validateSpec(limitRange.spec)];
}

/** The strategy's update check: the object rules again, plus the metadata update rules. */
export function validateLimitRangeUpdate(obj: unknown, old: unknown): FieldError[] {
  return [
    ...validateObjectMetaUpdate(asRecord(obj).metadata, asRecord(old).metadata),
    ...validateLimitRange(obj),
  ];
}
