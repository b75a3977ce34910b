// ConfigMap and Secret validation: keys, the 1 MiB size limit, type-specific Secret keys, and the rules of
// `immutable: true` and of the immutable Secret type on update.
import { type FieldError, forbidden, invalid, required, tooLong } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { asRecord, asString, type JsonRecord } from "./json-access.js";
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { isConfigMapKey, nameIsDNSSubdomain } from "./names.js";
import { semanticEqual } from "./semantic-equal.js";

/** core.MaxSecretSize, also the ConfigMap limit. */
export const MAX_SECRET_SIZE = 1024 * 1024;

const IMMUTABLE_DETAIL = "field is immutable when `immutable` is set";

const base64Size = (value: unknown): number => Buffer.from(asString(value), "base64").length;

const sortedKeys = (v: unknown): string[] => Object.keys(asRecord(v)).sort();

const metaRules = { namespaced: true, nameFn: nameIsDNSSubdomain };

export function validateConfigMap(cm: unknown): FieldError[] {
  const c = asRecord(cm);
  const data = asRecord(c.data);
  const binaryData = asRecord(c.binaryData);
  const errs = validateObjectMeta(c.metadata, metaRules);
  let total = 0;
  for (const key of sortedKeys(data)) {
    const path = FieldPath.root("data").key(key);
    errs.push(...isConfigMapKey(key).map((m) => invalid(path, key, m)));
    if (Object.hasOwn(binaryData, key))
      errs.push(invalid(path, key, "duplicate of key present in binaryData"));
    total += Buffer.byteLength(asString(data[key]));
  }
  for (const key of sortedKeys(binaryData)) {
    errs.push(...isConfigMapKey(key).map((m) => invalid(FieldPath.root("binaryData").key(key), key, m)));
    total += base64Size(binaryData[key]);
  }
  // The whole object is meant: upstream passes an empty root path, printed "[]".
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(FieldPath.root(""), MAX_SECRET_SIZE));
  return errs;
}

function validateImmutableData(next: JsonRecord, old: JsonRecord, fields: readonly string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (next.immutable !== true) errs.push(forbidden(FieldPath.root("immutable"), IMMUTABLE_DETAIL));
  for (const field of fields) {
    if (!semanticEqual(next[field], old[field]))
      errs.push(forbidden(FieldPath.root(field), IMMUTABLE_DETAIL));
  }
  return errs;
}

export function validateConfigMapUpdate(cm: unknown, oldCm: unknown): FieldError[] {
  const next = asRecord(cm);
  const old = asRecord(oldCm);
  return [
    ...validateObjectMetaUpdate(next.metadata, old.metadata),
    ...validateImmutableData(next, old, ["data", "binaryData"]),
    ...validateConfigMap(next),
  ];
}

function hasValidJSON(value: unknown): string | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(asString(value), "base64").toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? null
      : "json: cannot unmarshal into Go value of type map[string]interface {}";
  } catch (e) {
    return (e as Error).message;
  }
}

/** Keys each well-known Secret type must carry. */
function validateSecretType(secret: JsonRecord, data: JsonRecord): FieldError[] {
  const dataPath = FieldPath.root("data");
  const has = (key: string): boolean => Object.hasOwn(data, key);
  switch (asString(secret.type)) {
    case "kubernetes.io/service-account-token": {
      const annotations = asRecord(asRecord(secret.metadata).annotations);
      const key = "kubernetes.io/service-account.name";
      return asString(annotations[key]).length === 0
        ? [required(FieldPath.root("metadata", "annotations").key(key))]
        : [];
    }
    case "kubernetes.io/dockercfg":
    case "kubernetes.io/dockerconfigjson": {
      const key = asString(secret.type) === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
      if (!has(key)) return [required(dataPath.key(key))];
      const problem = hasValidJSON(data[key]);
      return problem === null ? [] : [invalid(dataPath.key(key), "<secret contents redacted>", problem)];
    }
    case "kubernetes.io/basic-auth":
      return has("username") || has("password")
        ? []
        : [required(dataPath.key("username")), required(dataPath.key("password"))];
    case "kubernetes.io/ssh-auth":
      return base64Size(data["ssh-privatekey"]) === 0 ? [required(dataPath.key("ssh-privatekey"))] : [];
    case "kubernetes.io/tls":
      return ["tls.crt", "tls.key"].filter((k) => !has(k)).map((k) => required(dataPath.key(k)));
    default:
      return [];
  }
}

export function validateSecret(secret: unknown): FieldError[] {
  const s = asRecord(secret);
  const data = asRecord(s.data);
  const errs = validateObjectMeta(s.metadata, metaRules);
  let total = 0;
  for (const key of sortedKeys(data)) {
    errs.push(...isConfigMapKey(key).map((m) => invalid(FieldPath.root("data").key(key), key, m)));
    total += base64Size(data[key]);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(FieldPath.root("data"), MAX_SECRET_SIZE));
  errs.push(...validateSecretType(s, data));
  return errs;
}

export function validateSecretUpdate(secret: unknown, oldSecret: unknown): FieldError[] {
  const next = asRecord(secret);
  const old = asRecord(oldSecret);
  const errs = validateObjectMetaUpdate(next.metadata, old.metadata);
  errs.push(...validateImmutableField(asString(next.type), asString(old.type), FieldPath.root("type")));
  errs.push(...validateImmutableData(next, old, ["data"]));
  errs.push(...validateSecret(next));
  return errs;
}
