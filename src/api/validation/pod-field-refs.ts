// The downward API references of env vars and downwardAPI volumes (fieldRef, resourceFieldRef), and the
// env / envFrom lists that use them, as core validation checks them.
import { type FieldError, invalid, notSupported, required } from "./field-errors.js";
import type { FieldPath } from "./field-path.js";
import { asArray, asRecord, asString, isRecord, type JsonRecord } from "./json-access.js";
import { isConfigMapKey, isQualifiedName, isRelaxedEnvVarName, nameIsDNSSubdomain } from "./names.js";
import { parseQuantityOrNull } from "./quantity-check.js";

/** Field paths the v1 downward API knows (ConvertDownwardAPIFieldLabel). */
const KNOWN_FIELD_LABELS = new Set([
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.restartPolicy",
  "spec.serviceAccountName",
  "spec.schedulerName",
  "status.phase",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
]);

const ENV_FIELD_PATHS = [
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
];

const RESOURCE_FIELD_PATHS = [
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.ephemeral-storage",
];
const HUGEPAGES_PREFIXES = ["requests.hugepages-", "limits.hugepages-"];

const BYTE_DIVISORS = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];
const BYTE_DIVISOR_TEXT = BYTE_DIVISORS.join(", ");

/** `metadata.labels['app']` → ["metadata.labels", "app"]; null when not subscripted. */
function splitSubscriptedPath(fieldPath: string): [string, string] | null {
  if (!fieldPath.endsWith("']")) return null;
  const inner = fieldPath.slice(0, -2);
  const at = inner.indexOf("['");
  if (at <= 0) return null;
  return [inner.slice(0, at), inner.slice(at + 2)];
}

function convertFieldLabel(apiVersion: string, label: string): { path: string } | { error: string } {
  if (apiVersion !== "v1") return { error: `unsupported pod version: ${apiVersion}` };
  const split = splitSubscriptedPath(label);
  if (split !== null) {
    if (split[0] === "metadata.annotations" || split[0] === "metadata.labels") return { path: label };
    return { error: `field label does not support subscript: ${label}` };
  }
  if (label === "spec.host") return { path: "spec.nodeName" };
  if (KNOWN_FIELD_LABELS.has(label)) return { path: label };
  return { error: `field label not supported: ${label}` };
}

export function validateObjectFieldSelector(
  ref: JsonRecord,
  allowed: readonly string[],
  path: FieldPath,
): FieldError[] {
  const apiVersion = asString(ref.apiVersion);
  const fieldPath = asString(ref.fieldPath);
  if (apiVersion.length === 0) return [required(path.child("apiVersion"))];
  if (fieldPath.length === 0) return [required(path.child("fieldPath"))];
  const converted = convertFieldLabel(apiVersion, fieldPath);
  if ("error" in converted) {
    return [invalid(path.child("fieldPath"), fieldPath, `error converting fieldPath: ${converted.error}`)];
  }
  const split = splitSubscriptedPath(converted.path);
  if (split !== null) {
    const [base, subscript] = split;
    if (base === "metadata.annotations")
      return isQualifiedName(subscript.toLowerCase()).map((m) => invalid(path, subscript.toLowerCase(), m));
    if (base === "metadata.labels") return isQualifiedName(subscript).map((m) => invalid(path, subscript, m));
    return [invalid(path, base, "does not support subscript")];
  }
  if (!allowed.includes(converted.path))
    return [notSupported(path.child("fieldPath"), converted.path, [...allowed].sort())];
  return [];
}

function validateDivisor(resource: string, divisor: unknown, path: FieldPath): FieldError[] {
  const q = parseQuantityOrNull(divisor);
  if (q === null || q.quantity.isZero()) return [];
  const divisorPath = path.child("divisor");
  if (resource === "limits.cpu" || resource === "requests.cpu") {
    return ["1m", "1"].includes(q.text)
      ? []
      : [
          invalid(
            divisorPath,
            resource,
            "only divisor's values 1m and 1 are supported with the cpu resource",
          ),
        ];
  }
  const kind = resource.endsWith(".memory")
    ? "the memory resource"
    : resource.endsWith(".ephemeral-storage")
      ? "the local ephemeral storage resource"
      : HUGEPAGES_PREFIXES.some((p) => resource.startsWith(p))
        ? "the hugepages resource"
        : "";
  if (kind === "" || BYTE_DIVISORS.includes(q.text)) return [];
  return [
    invalid(divisorPath, resource, `only divisor's values ${BYTE_DIVISOR_TEXT} are supported with ${kind}`),
  ];
}

export function validateResourceFieldSelector(
  ref: JsonRecord,
  path: FieldPath,
  inVolume: boolean,
): FieldError[] {
  const resource = asString(ref.resource);
  const errs: FieldError[] = [];
  if (inVolume && asString(ref.containerName).length === 0) errs.push(required(path.child("containerName")));
  else if (resource.length === 0) errs.push(required(path.child("resource")));
  else if (
    !RESOURCE_FIELD_PATHS.includes(resource) &&
    !HUGEPAGES_PREFIXES.some((p) => resource.startsWith(p))
  ) {
    errs.push(notSupported(path.child("resource"), resource, [...RESOURCE_FIELD_PATHS].sort()));
  }
  errs.push(...validateDivisor(resource, ref.divisor, path));
  return errs;
}

function validateKeySelector(ref: JsonRecord, path: FieldPath): FieldError[] {
  const name = asString(ref.name);
  const key = asString(ref.key);
  const errs = nameIsDNSSubdomain(name, false).map((m) => invalid(path.child("name"), name, m));
  if (key.length === 0) errs.push(required(path.child("key")));
  else errs.push(...isConfigMapKey(key).map((m) => invalid(path.child("key"), key, m)));
  return errs;
}

function validateEnvValueFrom(env: JsonRecord, path: FieldPath): FieldError[] {
  if (!isRecord(env.valueFrom)) return [];
  const from = env.valueFrom;
  const errs: FieldError[] = [];
  let sources = 0;
  if (isRecord(from.fieldRef)) {
    sources++;
    errs.push(...validateObjectFieldSelector(from.fieldRef, ENV_FIELD_PATHS, path.child("fieldRef")));
  }
  if (isRecord(from.resourceFieldRef)) {
    sources++;
    errs.push(...validateResourceFieldSelector(from.resourceFieldRef, path.child("resourceFieldRef"), false));
  }
  if (isRecord(from.configMapKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, path.child("configMapKeyRef")));
  }
  if (isRecord(from.secretKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, path.child("secretKeyRef")));
  }
  if (sources === 0) {
    errs.push(
      invalid(
        path,
        "",
        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
      ),
    );
  } else if (asString(env.value).length > 0) {
    errs.push(invalid(path, "", "may not be specified when `value` is not empty"));
  } else if (sources > 1) {
    errs.push(invalid(path, "", "may not have more than one field specified at a time"));
  }
  return errs;
}

export function validateEnv(env: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asArray(env).forEach((raw, i) => {
    const item = asRecord(raw);
    const idxPath = path.index(i);
    const name = asString(item.name);
    if (name.length === 0) errs.push(required(idxPath.child("name")));
    else errs.push(...isRelaxedEnvVarName(name).map((m) => invalid(idxPath.child("name"), name, m)));
    errs.push(...validateEnvValueFrom(item, idxPath.child("valueFrom")));
  });
  return errs;
}

export function validateEnvFrom(envFrom: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asArray(envFrom).forEach((raw, i) => {
    const item = asRecord(raw);
    const idxPath = path.index(i);
    const prefix = asString(item.prefix);
    if (prefix.length > 0)
      errs.push(...isRelaxedEnvVarName(prefix).map((m) => invalid(idxPath.child("prefix"), prefix, m)));
    let sources = 0;
    for (const kind of ["configMapRef", "secretRef"] as const) {
      if (!isRecord(item[kind])) continue;
      sources++;
      const name = asString(item[kind].name);
      const namePath = idxPath.child(kind, "name");
      if (name.length === 0) errs.push(required(namePath));
      else errs.push(...nameIsDNSSubdomain(name, true).map((m) => invalid(namePath, name, m)));
    }
    if (sources === 0) errs.push(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
    else if (sources > 1)
      errs.push(invalid(path, "", "may not have more than one field specified at a time"));
  });
  return errs;
}
