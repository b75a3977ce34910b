// Parts that many cached pods repeat word for word, swapped for one shared frozen copy as the pods enter the
// cache: a DaemonSet's pods differ in name, node and status, not in their labels, owner, tolerations or
// service-account volume.
import { Interner } from "../../api/interner.js";
import type { KubeObject } from "../../api/object.js";
import { isRecord } from "../../api/validation/json-access.js";

const parts = new Interner();

/**
 * Shares the repeated parts of a pod's spec, in place, before the object is frozen. Parts already frozen are
 * shared already (a status update or binding keeps the stored spec's parts).
 */
export function shareCommonParts(obj: KubeObject): void {
  if (obj.kind !== "Pod") return;
  // The labels and owner of a DaemonSet's pods are the same for all of them (metadata is copied on every write).
  const meta = obj.metadata;
  if (!Object.isFrozen(meta)) {
    if (isRecord(meta.labels) && !Object.isFrozen(meta.labels)) meta.labels = parts.intern(meta.labels);
    if (Array.isArray(meta.ownerReferences) && !Object.isFrozen(meta.ownerReferences)) {
      meta.ownerReferences = parts.intern(meta.ownerReferences);
    }
  }
  const spec = obj.spec;
  if (!isRecord(spec) || Object.isFrozen(spec)) return;
  if (Array.isArray(spec.tolerations) && !Object.isFrozen(spec.tolerations)) {
    spec.tolerations = parts.intern(spec.tolerations);
  }
  if (Array.isArray(spec.volumes) && !Object.isFrozen(spec.volumes)) {
    // Volume names differ per pod (kube-api-access-xxxxx); what they project does not.
    for (const volume of spec.volumes) {
      if (isRecord(volume) && isRecord(volume.projected)) volume.projected = parts.intern(volume.projected);
    }
  }
  for (const list of [spec.containers, spec.initContainers]) {
    if (!Array.isArray(list) || Object.isFrozen(list)) continue;
    for (const container of list) {
      if (isRecord(container) && isRecord(container.resources)) {
        container.resources = parts.intern(container.resources);
      }
    }
  }
}
