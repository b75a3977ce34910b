// DefaultPreemption's SelectVictimsOnNode (1.32): the fewest pods of strictly lower priority whose eviction
// lets the preemptor fit on one node. Every lower-priority pod is removed; if the preemptor then fits, as many
// as possible are put back, most important first (those a PodDisruptionBudget protects before the others);
// the ones that cannot come back are the victims.
import { selectorFromLabelSelector } from "../api/labels.js";
import type { KubeObject } from "../api/object.js";
import { type Rejection, runFilters } from "./filters.js";
import type { NodeInfo } from "./node-info.js";
import type { PodAccount, PodInfo } from "./pod-info.js";

export const NO_PREEMPTION_VICTIMS = "No preemption victims found for incoming pod";

export const NO_VICTIMS: Rejection = Object.freeze({
  plugin: "DefaultPreemption",
  code: "UnschedulableAndUnresolvable",
  reasons: Object.freeze([NO_PREEMPTION_VICTIMS]),
});

export interface Victims {
  /** Most important first (highest priority, then earliest start). */
  pods: PodAccount[];
  /** Victims whose eviction would break a PodDisruptionBudget. */
  numPDBViolations: number;
}

export type VictimSelection = { victims: Victims } | { rejection: Rejection };

/** util.GetPodStartTime: status.startTime, or `now` for pods that have not started (they count as newest). */
export function podStartTime(pod: KubeObject, now: number): number {
  const started = Date.parse(pod.status?.startTime ?? "");
  return Number.isNaN(started) ? now : started;
}

/** util.MoreImportantPod: higher priority first, then the pod that started earlier. */
export function moreImportantPod(a: PodAccount, b: PodAccount, now: number): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return podStartTime(a.pod, now) < podStartTime(b.pod, now);
}

/** Sorts most important first (a stable sort, as the order of equals must not depend on chance). */
export function byImportance(pods: PodAccount[], now: number): PodAccount[] {
  return pods.sort((a, b) => (moreImportantPod(a, b, now) ? -1 : moreImportantPod(b, a, now) ? 1 : 0));
}

/**
 * filterPodsWithPDBViolation: splits `pods` (order kept) into those whose eviction, counted one after the other
 * against each matching budget's disruptionsAllowed, would exceed a budget, and the rest. Budgets with an empty
 * or unparsable selector match nothing here, and a pod the budget already lists as disrupted is not counted.
 */
export function filterPodsWithPDBViolation(
  pods: readonly PodAccount[],
  pdbs: readonly KubeObject[],
): { violating: PodAccount[]; nonViolating: PodAccount[] } {
  const allowed = pdbs.map((pdb) => Number(pdb.status?.disruptionsAllowed ?? 0));
  const selectors = pdbs.map((pdb) => {
    try {
      const compiled = selectorFromLabelSelector(pdb.spec?.selector);
      return compiled.empty() ? undefined : compiled;
    } catch {
      return undefined;
    }
  });
  const violating: PodAccount[] = [];
  const nonViolating: PodAccount[] = [];
  for (const account of pods) {
    const { metadata } = account.pod;
    let violated = false;
    if (metadata.labels && Object.keys(metadata.labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        const selector = selectors[i];
        if (pdb.metadata.namespace !== metadata.namespace || !selector?.matches(metadata.labels ?? {}))
          return;
        if (pdb.status?.disruptedPods?.[metadata.name ?? ""] !== undefined) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(account);
  }
  return { violating, nonViolating };
}

/**
 * SelectVictimsOnNode for `pod` on `node`, with `nominated` (pods already promised room on the node, of at
 * least the preemptor's priority) counted as present. The node itself is not changed.
 */
export function selectVictimsOnNode(
  pod: PodInfo,
  node: NodeInfo,
  pdbs: readonly KubeObject[],
  nominated: readonly PodAccount[],
  now: number,
): VictimSelection {
  const potential = [...node.pods.values()].filter((p) => p.priority < pod.priority);
  if (potential.length === 0) return { rejection: NO_VICTIMS };
  const trial = node.clone();
  for (const p of nominated) trial.addPod(p);
  for (const p of potential) trial.removePod(p.uid);
  const rejected = runFilters(pod, trial);
  if (rejected) return { rejection: rejected };
  const { violating, nonViolating } = filterPodsWithPDBViolation(byImportance(potential, now), pdbs);
  const victims: PodAccount[] = [];
  /** Puts `p` back; if the preemptor no longer fits, `p` goes again, as a victim. */
  const reprieve = (p: PodAccount): boolean => {
    trial.addPod(p);
    if (!runFilters(pod, trial)) return true;
    trial.removePod(p.uid);
    victims.push(p);
    return false;
  };
  let numPDBViolations = 0;
  for (const p of violating) if (!reprieve(p)) numPDBViolations++;
  for (const p of nonViolating) reprieve(p);
  if (violating.length > 0 && nonViolating.length > 0) byImportance(victims, now);
  return { victims: { pods: victims, numPDBViolations } };
}
