// Pod volumes (core ValidateVolumes): unique DNS-label names, exactly one source per volume, and the checks
// of the sources a DaemonSet typically uses (hostPath, configMap, secret, emptyDir, projected, downwardAPI).
import { HOST_PATH_TYPES } from "../schema/core-volume.js";
import { duplicate, type FieldError, forbidden, invalid, notSupported, required } from "./field-errors.js";
import type { FieldPath } from "./field-path.js";
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
import { isDNS1123Label } from "./names.js";
import { validateObjectFieldSelector, validateResourceFieldSelector } from "./pod-field-refs.js";
import { parseQuantityOrNull } from "./quantity-check.js";

const FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive";

/** `..` anywhere in the path is refused; the node would otherwise escape the volume. */
export function validatePathNoBacksteps(target: string, path: FieldPath): FieldError[] {
  return target.split("/").includes("..") ? [invalid(path, target, "must not contain '..'")] : [];
}

export function validateLocalDescendingPath(target: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith("/")) errs.push(invalid(path, target, "must be a relative path"));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

export function validateLocalNonReservedPath(target: string, path: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith("..") && !target.startsWith("../"))
    errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateFileMode(mode: unknown, path: FieldPath): FieldError[] {
  if (!isSet(mode)) return [];
  const m = asNumber(mode);
  return m > 0o777 || m < 0 ? [invalid(path, m, FILE_MODE_ERROR)] : [];
}

function validateKeyToPath(item: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const key = asString(item.key);
  const target = asString(item.path);
  if (key.length === 0) errs.push(required(path.child("key")));
  if (target.length === 0) errs.push(required(path.child("path")));
  errs.push(...validateLocalNonReservedPath(target, path.child("path")));
  errs.push(...validateFileMode(item.mode, path.child("mode")));
  return errs;
}

function validateItems(items: unknown, path: FieldPath): FieldError[] {
  return asRecords(items).flatMap((item, i) => validateKeyToPath(item, path.index(i)));
}

function validateHostPath(src: JsonRecord, path: FieldPath): FieldError[] {
  const target = asString(src.path);
  if (target.length === 0) return [required(path.child("path"))];
  const errs = validatePathNoBacksteps(target, path.child("path"));
  if (isSet(src.type) && !HOST_PATH_TYPES.includes(asString(src.type))) {
    errs.push(notSupported(path.child("type"), asString(src.type), HOST_PATH_TYPES));
  }
  return errs;
}

function validateEmptyDir(src: JsonRecord, path: FieldPath): FieldError[] {
  if (!isSet(src.sizeLimit)) return [];
  const q = parseQuantityOrNull(src.sizeLimit);
  return q?.negative
    ? [forbidden(path.child("sizeLimit"), "SizeLimit field must be a valid resource quantity")]
    : [];
}

function validateSecret(src: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (asString(src.secretName).length === 0) errs.push(required(path.child("secretName")));
  errs.push(...validateFileMode(src.defaultMode, path.child("defaultMode")));
  errs.push(...validateItems(src.items, path.child("items")));
  return errs;
}

function validateConfigMap(src: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (asString(src.name).length === 0) errs.push(required(path.child("name")));
  errs.push(...validateFileMode(src.defaultMode, path.child("defaultMode")));
  errs.push(...validateItems(src.items, path.child("items")));
  return errs;
}

const VOLUME_FIELD_PATHS = [
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
];

function validateDownwardAPIFile(file: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const target = asString(file.path);
  if (target.length === 0) errs.push(required(path.child("path")));
  errs.push(...validateLocalNonReservedPath(target, path.child("path")));
  if (isRecord(file.fieldRef)) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, VOLUME_FIELD_PATHS, path.child("fieldRef")));
    if (isSet(file.resourceFieldRef)) {
      errs.push(
        invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"),
      );
    }
  } else if (isRecord(file.resourceFieldRef)) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, path.child("resourceFieldRef"), true));
  } else {
    errs.push(required(path, "one of fieldRef and resourceFieldRef is required"));
  }
  errs.push(...validateFileMode(file.mode, path.child("mode")));
  return errs;
}

function validateDownwardAPI(src: JsonRecord, path: FieldPath): FieldError[] {
  const errs = validateFileMode(src.defaultMode, path.child("defaultMode"));
  for (const file of asRecords(src.items)) errs.push(...validateDownwardAPIFile(file, path));
  return errs;
}

function validateProjected(src: JsonRecord, path: FieldPath): FieldError[] {
  const errs = validateFileMode(src.defaultMode, path.child("defaultMode"));
  const seenPaths = new Set<string>();
  const claimPath = (p: string, shown: string): void => {
    if (p.length === 0) return;
    if (seenPaths.has(p)) errs.push(invalid(path, shown, "conflicting duplicate paths"));
    seenPaths.add(p);
  };
  asRecords(src.sources).forEach((source, i) => {
    const srcPath = path.child("sources").index(i);
    let count = 0;
    for (const kind of ["secret", "configMap"] as const) {
      if (!isRecord(source[kind])) continue;
      count++;
      const ref = source[kind];
      if (asString(ref.name).length === 0) errs.push(required(srcPath.child(kind, "name")));
      asRecords(ref.items).forEach((item, j) => {
        errs.push(...validateKeyToPath(item, srcPath.child(kind, "items").index(j)));
        claimPath(asString(item.path), asString(ref.name));
      });
    }
    if (isRecord(source.downwardAPI)) {
      count++;
      for (const file of asRecords(source.downwardAPI.items)) {
        errs.push(...validateDownwardAPIFile(file, srcPath.child("downwardAPI")));
        claimPath(asString(file.path), asString(file.path));
      }
    }
    if (isRecord(source.serviceAccountToken)) {
      count++;
      const token = source.serviceAccountToken;
      const seconds = asNumber(token.expirationSeconds);
      const secondsPath = srcPath.child("serviceAccountToken", "expirationSeconds");
      if (seconds < 600)
        errs.push(invalid(secondsPath, seconds, "may not specify a duration less than 10 minutes"));
      if (seconds > 2 ** 32)
        errs.push(invalid(secondsPath, seconds, "may not specify a duration larger than 2^32 seconds"));
      const tokenPath = asString(token.path);
      if (tokenPath.length === 0) errs.push(required(path.child("path")));
      else errs.push(...validateLocalNonReservedPath(tokenPath, path.child("path")));
    }
    if (isRecord(source.clusterTrustBundle)) count++;
    if (count > 1) errs.push(forbidden(srcPath, "may not specify more than 1 volume type per source"));
  });
  return errs;
}

function requireFields(...names: string[]): (src: JsonRecord, path: FieldPath) => FieldError[] {
  return (src, path) =>
    names.filter((n) => asString(src[n]).length === 0).map((n) => required(path.child(n)));
}

interface SourceKind {
  /** JSON field of the source. */
  field: string;
  /** Path used in "may not specify more than 1 volume type" (upstream has a few odd spellings). */
  forbiddenPath?: string;
  validate?: (src: JsonRecord, path: FieldPath) => FieldError[];
}

// Upstream's order matters: the second source found is the one reported as extra.
const SOURCE_KINDS: SourceKind[] = [
  { field: "emptyDir", validate: validateEmptyDir },
  { field: "hostPath", validate: validateHostPath },
  { field: "gitRepo", validate: requireFields("repository") },
  { field: "gcePersistentDisk", validate: requireFields("pdName") },
  { field: "awsElasticBlockStore", validate: requireFields("volumeID") },
  { field: "secret", validate: validateSecret },
  { field: "nfs", validate: requireFields("server", "path") },
  { field: "iscsi", validate: requireFields("targetPortal", "iqn") },
  { field: "glusterfs", validate: requireFields("endpoints", "path") },
  { field: "flocker" },
  { field: "persistentVolumeClaim", validate: requireFields("claimName") },
  { field: "rbd", validate: requireFields("image") },
  { field: "cinder", validate: requireFields("volumeID") },
  { field: "cephfs", forbiddenPath: "cephFS" },
  { field: "quobyte", validate: requireFields("volume") },
  { field: "downwardAPI", forbiddenPath: "downwarAPI", validate: validateDownwardAPI },
  { field: "fc" },
  { field: "flexVolume", validate: requireFields("driver") },
  { field: "configMap", validate: validateConfigMap },
  { field: "azureFile", validate: requireFields("secretName", "shareName") },
  { field: "vsphereVolume", validate: requireFields("volumePath") },
  { field: "photonPersistentDisk", validate: requireFields("pdID") },
  { field: "portworxVolume", validate: requireFields("volumeID") },
  { field: "azureDisk", validate: requireFields("diskName", "diskURI") },
  { field: "storageos", validate: requireFields("volumeName") },
  { field: "projected", validate: validateProjected },
  { field: "scaleIO", validate: requireFields("gateway", "system") },
  { field: "csi", validate: requireFields("driver") },
  {
    field: "ephemeral",
    validate: (src, path) =>
      isRecord(src.volumeClaimTemplate) ? [] : [required(path.child("volumeClaimTemplate"))],
  },
  { field: "image", validate: requireFields("reference") },
];

function validateVolumeSource(volume: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let found = 0;
  for (const kind of SOURCE_KINDS) {
    const src = volume[kind.field];
    if (!isSet(src)) continue;
    if (found > 0) {
      errs.push(
        forbidden(path.child(kind.forbiddenPath ?? kind.field), "may not specify more than 1 volume type"),
      );
      continue;
    }
    found++;
    errs.push(...(kind.validate?.(asRecord(src), path.child(kind.field)) ?? []));
  }
  if (found === 0) errs.push(required(path, "must specify a volume type"));
  return errs;
}

export interface VolumeValidation {
  /** Valid volumes by name, for volumeMounts to refer to. */
  volumes: Map<string, JsonRecord>;
  errors: FieldError[];
}

export function validateVolumes(volumes: unknown, path: FieldPath): VolumeValidation {
  const errors: FieldError[] = [];
  const valid = new Map<string, JsonRecord>();
  asArray(volumes).forEach((raw, i) => {
    const volume = asRecord(raw);
    const idxPath = path.index(i);
    const name = asString(volume.name);
    const namePath = idxPath.child("name");
    const errs = validateVolumeSource(volume, idxPath);
    if (name.length === 0) errs.push(required(namePath));
    else errs.push(...isDNS1123Label(name).map((msg) => invalid(namePath, name, msg)));
    if (valid.has(name)) errs.push(duplicate(namePath, name));
    if (errs.length === 0) valid.set(name, volume);
    else errors.push(...errs);
  });
  return { volumes: valid, errors };
}
