// Parts that cached objects repeat word for word, swapped for one shared frozen copy as they enter the cache: a
// DaemonSet's pods differ in name, node and status, not in their labels, owner, tolerations or service-account
// volume; and a new version of an object mostly repeats the version it replaces.
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

/**
 * Swaps the parts of `next` (a new version of an object, not yet frozen) that equal the same parts of `prev` (the
 * cached version it replaces) for prev's, in place, and returns whether all of `next` equals `prev`. A kubelet's
 * status write leaves a pod's spec and most of its metadata as they were, yet arrives as a fresh copy: sharing
 * lets that copy die young instead of being kept (and, in V8, promoted and marked) for the life of the version.
 * Equal means equal JSON with keys in the same order, so that the shared part also reads the same.
 */
export function shareUnchanged(next: Record<string, unknown>, prev: Record<string, unknown>): boolean {
  return sameShared(next, prev);
}

function sameShared(next: unknown, prev: unknown): boolean {
  if (next === prev) return true;
  if (typeof next !== "object" || typeof prev !== "object" || next === null || prev === null) return false;
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return false;
    const frozen = Object.isFrozen(next);
    let same = next.length === prev.length;
    const n = Math.min(next.length, prev.length);
    for (let i = 0; i < n; i++) {
      if (sameShared(next[i], prev[i])) {
        if (!frozen) next[i] = prev[i];
      } else same = false;
    }
    return same;
  }
  if (Array.isArray(prev)) return false;
  const a = next as Record<string, unknown>;
  const b = prev as Record<string, unknown>;
  const frozen = Object.isFrozen(a);
  const prevKeys = Object.keys(b);
  let same = true;
  let i = 0;
  for (const k in a) {
    if (prevKeys[i++] !== k) same = false;
    const p = b[k];
    if (p === undefined) {
      same = false;
      continue;
    }
    // Equal strings are shared too: a timestamp or name kept by both versions is then one string, not two.
    if (sameShared(a[k], p)) {
      if (!frozen) a[k] = p;
    } else same = false;
  }
  return same && i === prevKeys.length;
}
