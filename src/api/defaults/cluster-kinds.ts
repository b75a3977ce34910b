// Defaults of the other built-in kinds: Namespace (name label, Active phase), Node (allocatable from
// capacity), Secret (Opaque, stringData folded into data) and RBAC (roleRef and subject API groups).
import { isRecord, isSet, type JsonRecord, recordItems } from "../validation/json-access.js";

export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
export const RBAC_GROUP = "rbac.authorization.k8s.io";

function ensureRecord(obj: JsonRecord, key: string): JsonRecord {
  if (!isRecord(obj[key])) obj[key] = {};
  return obj[key] as JsonRecord;
}

/** SetDefaults_Namespace (the immutable name label) and SetDefaults_NamespaceStatus. */
export function setNamespaceDefaults(ns: JsonRecord): void {
  const meta = ensureRecord(ns, "metadata");
  // Nameless namespaces (generateName) get the label once the name exists.
  if (typeof meta.name === "string" && meta.name.length > 0)
    ensureRecord(meta, "labels")[NAMESPACE_NAME_LABEL] = meta.name;
  const status = ensureRecord(ns, "status");
  if (!isSet(status.phase) || status.phase === "") status.phase = "Active";
}

/**
 * Create-only (upstream's namespace strategy, not a defaulter): every new namespace carries the
 * "kubernetes" finalizer. Not part of applyDefaults, which runs on every write and would re-add it.
 */
export function addNamespaceCreateFinalizer(ns: JsonRecord): void {
  const spec = ensureRecord(ns, "spec");
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
  if (!finalizers.includes("kubernetes")) finalizers.push("kubernetes");
  spec.finalizers = finalizers;
}

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
export function setNodeDefaults(node: JsonRecord): void {
  const status = node.status;
  if (!isRecord(status) || !isRecord(status.capacity) || isSet(status.allocatable)) return;
  status.allocatable = { ...status.capacity };
}

/**
 * SetDefaults_Secret (type Opaque) plus what v1→internal conversion does with stringData: its values
 * are written into data (base64, winning over data) and the field itself is never stored.
 */
export function setSecretDefaults(secret: JsonRecord): void {
  if (!isSet(secret.type) || secret.type === "") secret.type = "Opaque";
  if (!isRecord(secret.stringData)) return;
  const data = ensureRecord(secret, "data");
  for (const [k, v] of Object.entries(secret.stringData))
    data[k] = Buffer.from(String(v), "utf8").toString("base64");
  delete secret.stringData;
}

/** SetDefaults_RoleBinding / _ClusterRoleBinding and SetDefaults_Subject. */
export function setBindingDefaults(binding: JsonRecord): void {
  const roleRef = ensureRecord(binding, "roleRef");
  if (!isSet(roleRef.apiGroup) || roleRef.apiGroup === "") roleRef.apiGroup = RBAC_GROUP;
  for (const subject of recordItems(binding.subjects)) {
    if (
      (subject.kind === "User" || subject.kind === "Group") &&
      (!isSet(subject.apiGroup) || subject.apiGroup === "")
    ) {
      subject.apiGroup = RBAC_GROUP;
    }
  }
}
