// DaemonSet history as plans (constructHistory, cleanupHistory): the template hash, ControllerRevision data and
// objects, which revision is current, and which revisions to relabel, renumber, create or delete.
import type { PodTemplateSpec } from "kubernetes-types/core/v1.js";
import { safeEncodeString } from "../../api/names.js";
import type { KubeObject } from "../../api/object.js";
import { controllerRefFor } from "./daemonset-meta.js";
import {
  CONTROLLER_REVISION_HASH_LABEL,
  type ControllerRevisionLike,
  type DaemonSetLike,
  type PodLike,
} from "./types.js";

/** The default spec.revisionHistoryLimit. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) {
    if (source[key] !== undefined) sorted[key] = sortKeysDeep(source[key]);
  }
  return sorted;
}

/** JSON with the keys of every object sorted, as Go's encoder writes a map: the byte form revisions compare by. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value)) ?? "null";
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bits (hash/fnv New32a); `seed` continues an earlier sum. */
export function fnv1a32(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, FNV32_PRIME) >>> 0;
  return h;
}

/**
 * controller.ComputeHash: FNV-32a over the template (here its canonical JSON; upstream dumps the Go struct, which
 * cannot be reproduced outside Go) and, when set, the collision count as a little-endian uint32 in 8 bytes; the
 * decimal digits are then spelled in the label-safe alphabet.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number | null): string {
  let h = fnv1a32(Buffer.from(canonicalJson(template ?? {}), "utf8"));
  if (collisionCount != null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(bytes, h);
  }
  return safeEncodeString(String(h));
}

export interface RevisionData {
  /** `{"spec":{"template":{…,"$patch":"replace"}}}` with sorted keys: the ControllerRevision's data. */
  data: Record<string, unknown>;
  /** Its canonical JSON text, what "current" is decided by. */
  raw: string;
}

/** getPatch: the strategic merge patch that restores the DaemonSet's template, stored as revision data. */
export function controllerRevisionData(ds: DaemonSetLike): RevisionData {
  const template = { ...(ds.spec?.template ?? {}), $patch: "replace" };
  const data = sortKeysDeep({ spec: { template } }) as Record<string, unknown>;
  return { data, raw: JSON.stringify(data) };
}

/** Match: the revision's data is byte-for-byte the DaemonSet's current template patch. */
export function revisionMatchesDaemonSet(ds: DaemonSetLike, revision: ControllerRevisionLike): boolean {
  return canonicalJson(revision.data) === controllerRevisionData(ds).raw;
}

/**
 * snapshot's object: name `<ds>-<hash>`, the template's labels plus the hash label, a copy of the DaemonSet's
 * annotations (so kubernetes.io/change-cause travels with it), a controller ownerRef, the data and revision.
 */
export function newControllerRevision(ds: DaemonSetLike, hash: string, revision: number): KubeObject {
  const metadata: KubeObject["metadata"] = {
    name: `${ds.metadata?.name ?? ""}-${hash}`,
    namespace: ds.metadata?.namespace,
    labels: { ...ds.spec?.template?.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
    ownerReferences: [controllerRefFor(ds)],
  };
  if (ds.metadata?.annotations) metadata.annotations = { ...ds.metadata.annotations };
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata,
    data: controllerRevisionData(ds).data,
    revision,
  };
}

/** maxRevision: the highest revision number, 0 for none. */
export function maxRevision(revisions: readonly ControllerRevisionLike[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision ?? 0), 0);
}

const revisionHash = (r: ControllerRevisionLike): string | undefined =>
  r.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];

export interface HistoryPlan {
  /** Revisions without the hash label: update each to carry its own name as the label, before anything else. */
  labelsToAdd: { name: string; hash: string }[];
  /** The current revision (labels already fixed) when one exists. */
  current?: ControllerRevisionLike;
  /** The revision to create when none is current (a collision is the caller's to handle). */
  toCreate?: KubeObject;
  /** The current revision's hash: new pods get it and the rollout compares against it. */
  hash: string;
  /** Every other revision (labels already fixed), for cleanupHistory. */
  old: ControllerRevisionLike[];
  /** Several revisions are current: merge-patch every pod's hash label to this first (old pods included)... */
  relabelPodsTo?: string;
  /** ...then delete these duplicates. */
  duplicatesToDelete: string[];
  /** The kept current revision is numbered below the old ones (a rollback): update its revision to this. */
  renumberTo?: number;
}

function withHashLabel(r: ControllerRevisionLike, hash: string): ControllerRevisionLike {
  return {
    ...r,
    metadata: { ...r.metadata, labels: { ...r.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } },
  };
}

/**
 * constructHistory over the revisions the DaemonSet controls (already claimed). A rollback to an earlier template
 * renumbers its revision above the others: 1(A), 2(B), back to A → 2(B), 3(A).
 */
export function planHistory(ds: DaemonSetLike, revisions: readonly ControllerRevisionLike[]): HistoryPlan {
  const { raw } = controllerRevisionData(ds);
  const labelsToAdd: HistoryPlan["labelsToAdd"] = [];
  const currents: ControllerRevisionLike[] = [];
  const old: ControllerRevisionLike[] = [];
  for (let revision of revisions) {
    if (revisionHash(revision) === undefined) {
      // The name stands in for the hash so that no hash (and no collision) has to be computed.
      const name = revision.metadata?.name ?? "";
      labelsToAdd.push({ name, hash: name });
      revision = withHashLabel(revision, name);
    }
    (canonicalJson(revision.data) === raw ? currents : old).push(revision);
  }
  const nextRevision = maxRevision(old) + 1;
  if (currents.length === 0) {
    const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
    return {
      labelsToAdd,
      toCreate: newControllerRevision(ds, hash, nextRevision),
      hash,
      old,
      duplicatesToDelete: [],
    };
  }
  // dedupCurHistories keeps the highest revision; on a tie the later one in the list.
  let kept = currents[0];
  for (const r of currents) if ((r.revision ?? 0) >= (kept.revision ?? 0)) kept = r;
  const hash = revisionHash(kept) ?? "";
  const plan: HistoryPlan = {
    labelsToAdd,
    current: kept,
    hash,
    old,
    duplicatesToDelete: currents.filter((r) => r !== kept).map((r) => r.metadata?.name ?? ""),
  };
  if (currents.length > 1) plan.relabelPodsTo = hash;
  if ((kept.revision ?? 0) < nextRevision) plan.renumberTo = nextRevision;
  return plan;
}

/** The pods (by name) whose hash label must be patched to `hash` while deduplicating current revisions. */
export function podsNeedingRelabel(pods: Iterable<PodLike>, hash: string): string[] {
  const names: string[] = [];
  for (const pod of pods) {
    if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== hash) names.push(pod.metadata?.name ?? "");
  }
  return names;
}

/** The non-empty revision hashes that pods still carry; cleanupHistory includes terminal pods being deleted. */
export function liveRevisionHashes(pods: Iterable<PodLike>): Set<string> {
  const hashes = new Set<string>();
  for (const pod of pods) {
    const hash = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    if (hash) hashes.add(hash);
  }
  return hashes;
}

/**
 * cleanupHistory: the names of old revisions to delete so that at most revisionHistoryLimit remain, lowest
 * revision first, never one whose hash a pod still carries (then fewer are deleted).
 */
export function planCleanupHistory(
  ds: DaemonSetLike,
  oldRevisions: readonly ControllerRevisionLike[],
  livePodHashes: ReadonlySet<string>,
): string[] {
  let toKill = oldRevisions.length - (ds.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT);
  const names: string[] = [];
  const byRevision = [...oldRevisions].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  for (const revision of byRevision) {
    if (toKill <= 0) break;
    const hash = revisionHash(revision);
    if (hash && livePodHashes.has(hash)) continue;
    names.push(revision.metadata?.name ?? "");
    toKill--;
  }
  return names;
}
