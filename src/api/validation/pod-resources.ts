// Container resource requirements (core validateResourceRequirements): resource names, non-negative and
// integral quantities, and requests ≤ limits (equal for resources that cannot be overcommitted).

import { type FieldError, forbidden, invalid, required } from "./field-errors.js";
import type { FieldPath } from "./field-path.js";
import { asRecord } from "./json-access.js";
import { IS_NEGATIVE_ERROR_MSG } from "./meta.js";
import { isQualifiedName } from "./names.js";
import { type CheckedQuantity, parseQuantityOrNull, QUANTITY_FORMAT_ERROR } from "./quantity-check.js";
import { isStandardResourceName } from "./standard-resources.js";

const COMPUTE_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);

const INTEGER_RESOURCES = new Set([
  "pods",
  "services",
  "replicationcontrollers",
  "resourcequotas",
  "secrets",
  "configmaps",
  "persistentvolumeclaims",
  "services.nodeports",
  "services.loadbalancers",
]);

const isHugePages = (name: string): boolean => name.startsWith("hugepages-");
const isNative = (name: string): boolean => !name.includes("/") || name.includes("kubernetes.io/");

/** Extended resources (`example.com/gpu`) are counted in whole units and never overcommitted. */
export function isExtendedResourceName(name: string): boolean {
  if (isNative(name) || name.startsWith("requests.")) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** helper.IsOvercommitAllowed: native resources other than huge pages may be requested below their limit. */
export const isOvercommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);
const isIntegerResource = (name: string): boolean =>
  INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);

/** validateResourceName: a qualified name, and an unprefixed one must be a standard resource name. */
export function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (errs.length > 0) return errs;
  if (!name.includes("/") && !isStandardResourceName(name)) {
    errs.push(invalid(path, name, "must be a standard resource type or fully qualified"));
  }
  return errs;
}

/** validateContainerResourceName: a resource name, and one a container may request or limit. */
export function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes("/")) {
    if (!COMPUTE_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, "must be a standard resource for containers"));
    }
  } else if (!isNative(name) && !isExtendedResourceName(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateResourceQuantityValue: not negative, and whole for integer resources. */
export function validateResourceQuantityValue(
  name: string,
  q: CheckedQuantity,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (q.negative) errs.push(invalid(path, q.text, IS_NEGATIVE_ERROR_MSG));
  if (isIntegerResource(name) && !q.integral) errs.push(invalid(path, q.text, "must be an integer"));
  return errs;
}

/** Parses every quantity of a resource list, reporting the unparseable ones. */
export function parseResourceList(
  list: unknown,
  path: FieldPath,
  errs: FieldError[],
): Map<string, CheckedQuantity> {
  const parsed = new Map<string, CheckedQuantity>();
  for (const name of Object.keys(asRecord(list)).sort()) {
    const raw = asRecord(list)[name];
    const q = parseQuantityOrNull(raw);
    if (q === null) errs.push(invalid(path.key(name), String(raw), QUANTITY_FORMAT_ERROR));
    else parsed.set(name, q);
  }
  return parsed;
}

export function validateResourceRequirements(resources: unknown, path: FieldPath): FieldError[] {
  const req = asRecord(resources);
  const errs: FieldError[] = [];
  const limPath = path.child("limits");
  const reqPath = path.child("requests");
  const limits = parseResourceList(req.limits, limPath, errs);
  const requests = parseResourceList(req.requests, reqPath, errs);
  let hasCompute = false;
  let hasHugePages = false;
  for (const [name, q] of limits) {
    errs.push(...validateContainerResourceName(name, limPath.key(name)));
    errs.push(...validateResourceQuantityValue(name, q, limPath.key(name)));
    hasCompute ||= name === "cpu" || name === "memory";
    hasHugePages ||= isHugePages(name);
  }
  for (const [name, q] of requests) {
    errs.push(...validateContainerResourceName(name, reqPath.key(name)));
    errs.push(...validateResourceQuantityValue(name, q, reqPath.key(name)));
    const limit = limits.get(name);
    if (limit !== undefined) {
      const order = q.quantity.cmp(limit.quantity);
      if (order !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, q.text, `must be equal to ${name} limit of ${limit.text}`));
      } else if (order > 0) {
        errs.push(invalid(reqPath, q.text, `must be less than or equal to ${name} limit of ${limit.text}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, "Limit must be set for non overcommitable resources"));
    }
    hasCompute ||= name === "cpu" || name === "memory";
    hasHugePages ||= isHugePages(name);
  }
  if (!hasCompute && hasHugePages) errs.push(forbidden(path, "HugePages require cpu or memory"));
  return errs;
}
