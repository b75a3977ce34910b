// The invariants upstream's e2e test "should surge pods onto nodes when spec was updated and update strategy is
// RollingUpdate" checks while a surge rollout runs, as an observer fed with every pod snapshot: it keeps the
// violations it sees (rather than stopping at the first) and knows which pods the test deleted on purpose.
import type { KubeObject } from "../../src/api/object.js";
import { describePods, isControlledBy, isDeleting, isPodAvailable } from "./daemon-pods.js";

export interface SurgeInvariantOptions {
  ds: KubeObject;
  /** The version of a pod (upstream: the VERSION env var of its first container). */
  versionOf: (pod: KubeObject) => string;
  oldVersion: string;
  newVersion: string;
  /** maxSurge resolved against the desired number of nodes. */
  maxSurge: number;
  /** How long an old pod may run beside a new one on its node (upstream 60 s: twice its preStop delay). */
  maxOverlapMs: number;
}

/** What one snapshot says about the rollout, for the test's completion check. */
export interface SurgeSnapshot {
  /** node → version → pods not being deleted. */
  nodesToVersions: Map<string, Map<string, number>>;
  /** node → version → pods being deleted that the test did not delete. */
  nodesToDeletedVersions: Map<string, Map<string, number>>;
  newUnavailable: number;
}

const bump = (m: Map<string, Map<string, number>>, node: string, version: string) => {
  const inner = m.get(node) ?? new Map<string, number>();
  inner.set(version, (inner.get(version) ?? 0) + 1);
  m.set(node, inner);
};

export class SurgeInvariants {
  readonly violations: string[] = [];
  /** Pods the test deleted itself (uid): they may overlap and be unavailable. */
  readonly deliberatelyDeleted = new Set<string>();
  private readonly oldPodOverlapSince = new Map<string, number>();
  private readonly versionsSeen = new Set<string>();

  constructor(private readonly o: SurgeInvariantOptions) {}

  observe(all: readonly KubeObject[], now = Date.now()): SurgeSnapshot {
    const { ds, versionOf, newVersion, oldVersion } = this.o;
    const pods = all.filter((p) => isControlledBy(p, ds));
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const nodesToVersions = new Map<string, Map<string, number>>();
    const nodesToDeletedVersions = new Map<string, Map<string, number>>();
    const deletedPerNode = new Map<string, number>();
    let newUnavailable = 0;
    let newDeliberatelyDeleted = 0;
    let oldUnavailable = 0;
    for (const pod of pods) {
      const node = pod.spec?.nodeName ?? "";
      const version = versionOf(pod);
      const uid = pod.metadata.uid ?? "";
      const deliberate = this.deliberatelyDeleted.has(uid);
      this.versionsSeen.add(version);
      if (isDeleting(pod)) {
        if (!deliberate) {
          bump(nodesToDeletedVersions, node, version);
          deletedPerNode.set(node, (deletedPerNode.get(node) ?? 0) + 1);
        }
      } else bump(nodesToVersions, node, version);
      const unavailable = !isPodAvailable(pod, minReady, now) || isDeleting(pod);
      if (version === newVersion && unavailable) {
        newUnavailable++;
        if (deliberate) newDeliberatelyDeleted++;
      } else if (version !== newVersion && unavailable) oldUnavailable++;
    }

    // An old pod next to a new one on its node: remember since when.
    const live = new Set<string>();
    for (const pod of pods) {
      if (isDeleting(pod) || versionOf(pod) === newVersion) continue;
      const uid = pod.metadata.uid ?? "";
      live.add(uid);
      const node = pod.spec?.nodeName ?? "";
      if ((nodesToVersions.get(node)?.get(newVersion) ?? 0) > 0) {
        if (!this.oldPodOverlapSince.has(uid)) this.oldPodOverlapSince.set(uid, now);
      } else this.oldPodOverlapSince.delete(uid);
    }
    for (const uid of this.oldPodOverlapSince.keys()) if (!live.has(uid)) this.oldPodOverlapSince.delete(uid);

    let nodesWithoutOldVersion = 0;
    for (const versions of nodesToVersions.values()) if (!versions.get(oldVersion)) nodesWithoutOldVersion++;

    const errs: string[] = [];
    for (const [node, count] of deletedPerNode) {
      if (count > 1) errs.push(`node ${node} has ${count} deleted pods`);
    }
    for (const [uid, since] of this.oldPodOverlapSince) {
      if (now - since > this.o.maxOverlapMs) {
        errs.push(`old pod ${uid} has run beside a new one for more than ${this.o.maxOverlapMs} ms`);
      }
    }
    const allowed = this.o.maxSurge + oldUnavailable + newDeliberatelyDeleted + nodesWithoutOldVersion;
    if (newUnavailable > allowed) {
      errs.push(
        `${newUnavailable} new pods unavailable > maxSurge ${this.o.maxSurge} + old unavailable ${oldUnavailable}` +
          ` + deliberately deleted new ${newDeliberatelyDeleted} + nodes without old ${nodesWithoutOldVersion}`,
      );
    }
    if (this.versionsSeen.size > 2) errs.push(`${this.versionsSeen.size} versions seen, at most 2 allowed`);
    for (const node of new Set([...nodesToVersions.keys(), ...nodesToDeletedVersions.keys()])) {
      if (node === "") continue;
      const total = new Map<string, number>();
      for (const [version, count] of nodesToVersions.get(node) ?? []) {
        if (count > 1) errs.push(`node ${node} runs ${count} pods of version ${version}`);
        total.set(version, (total.get(version) ?? 0) + count);
      }
      for (const [version, count] of nodesToDeletedVersions.get(node) ?? []) {
        if (count > 2) errs.push(`node ${node} has ${count} deleted pods of version ${version}`);
        total.set(version, (total.get(version) ?? 0) + count);
      }
      for (const [version, count] of total) {
        if (count > 2) errs.push(`node ${node} has ${count} pods of version ${version} in all`);
      }
    }
    if (errs.length > 0) this.violations.push(`${errs.join("; ")}\n${describePods(pods)}`);
    return { nodesToVersions, nodesToDeletedVersions, newUnavailable };
  }
}
