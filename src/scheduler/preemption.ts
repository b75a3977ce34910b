// The DefaultPreemption PostFilter (Evaluator.Preempt, 1.32) as a pure decision: whether the pod may preempt at
// all, which nodes a dry run finds where evicting strictly lower-priority pods lets it fit, and the best of them
// with its victims. Carrying the decision out (the victims' deletion, the nomination) is the scheduler's job.
// When preemption cannot help, the outcome carries upstream's "preemption: 0/N nodes are available: ..." text.
import type { KubeObject } from "../api/object.js";
import { DISRUPTION_TARGET } from "../api/pod-conditions.js";
import { PREEMPT_NEVER } from "../api/scheduling/priority-classes.js";
import { type Candidate, pickOneNodeForPreemption } from "./candidate-selection.js";
import type { Rejection } from "./filters.js";
import { fitErrorMessage } from "./fit-error.js";
import type { NodeInfo } from "./node-info.js";
import { type Nominator, nominatedNodeName } from "./nominator.js";
import type { PodAccount, PodInfo } from "./pod-info.js";
import { selectVictimsOnNode } from "./victims.js";

export const PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NOT_ELIGIBLE_PREEMPTION_POLICY_NEVER = "not eligible due to preemptionPolicy=Never.";
export const NOT_ELIGIBLE_TERMINATING_ON_NOMINATED =
  "not eligible due to a terminating pod on the nominated node.";
/** v1.PodReasonPreemptionByScheduler: the DisruptionTarget reason on pods the scheduler preempts. */
export const PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";

/** DefaultPreemptionArgs defaults: minCandidateNodesPercentage and minCandidateNodesAbsolute. */
const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

const notHelpful: Rejection = Object.freeze({
  plugin: "DefaultPreemption",
  code: "UnschedulableAndUnresolvable",
  reasons: Object.freeze([PREEMPTION_NOT_HELPFUL]),
});

export interface PreemptionInput {
  numAllNodes: number;
  /** This cycle's filter verdict per checked node (the Diagnosis' NodeToStatus). */
  nodeStatuses: ReadonlyMap<string, Rejection>;
  nodeInfo: (name: string) => NodeInfo | undefined;
  nominator: Nominator;
  /** Every PodDisruptionBudget (empty when the cluster serves none). */
  pdbs: readonly KubeObject[];
  now: number;
  random: () => number;
}

export type PreemptionOutcome =
  /** Evicting `victims` lets the pod fit on `nodeName`: nominate it there. */
  | { preempt: true; nodeName: string; victims: PodAccount[] }
  /**
   * Preemption cannot help now; `message` is the PostFilter message ("preemption: ..."). `clearNomination` is
   * set when the pod's nominatedNodeName must go (no candidate at all), unset when it stays as it is.
   */
  | { preempt: false; message: string; clearNomination: boolean };

/** Whether `pod` is being deleted because the scheduler preempted it (podTerminatingByPreemption). */
export function terminatingByPreemption(pod: KubeObject): boolean {
  if (!pod.metadata.deletionTimestamp) return false;
  const condition = (pod.status?.conditions ?? []).find(
    (c: { type: string }) => c.type === DISRUPTION_TARGET,
  );
  return condition?.status === "True" && condition.reason === PREEMPTION_BY_SCHEDULER;
}

/**
 * PodEligibleToPreemptOthers: never with preemptionPolicy Never; not while victims of an earlier preemption
 * still terminate on the node the pod is nominated to (unless that node cannot take it anyway).
 */
function ineligibility(pod: PodInfo, input: PreemptionInput): string | undefined {
  if (pod.pod.spec?.preemptionPolicy === PREEMPT_NEVER) return NOT_ELIGIBLE_PREEMPTION_POLICY_NEVER;
  const nominated = input.nominator.nodeFor(pod.uid) ?? nominatedNodeName(pod.pod);
  if (!nominated) return undefined;
  const status = input.nodeStatuses.get(nominated);
  if (!status || status.code === "UnschedulableAndUnresolvable") return undefined;
  const node = input.nodeInfo(nominated);
  for (const p of node?.pods.values() ?? []) {
    if (p.priority < pod.priority && terminatingByPreemption(p.pod))
      return NOT_ELIGIBLE_TERMINATING_ON_NOMINATED;
  }
  return undefined;
}

/** calculateNumCandidates: 10% of the nodes, at least 100, at most all of them. */
export function numCandidates(numNodes: number): number {
  const n = Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
  return Math.min(numNodes, Math.max(n, MIN_CANDIDATE_NODES_ABSOLUTE));
}

/**
 * findCandidates + DryRunPreemption: only nodes rejected as Unschedulable (resources, ports, pod count) are tried,
 * from a random offset, until enough candidates are found; nodes with no PDB violation come first.
 */
function findCandidates(
  pod: PodInfo,
  input: PreemptionInput,
): { candidates: Candidate[]; statuses: Map<string, Rejection> } {
  const statuses = new Map<string, Rejection>();
  const potential = [...input.nodeStatuses]
    .filter(([, status]) => status.code === "Unschedulable")
    .map(([name]) => name);
  if (potential.length === 0) return { candidates: [], statuses };
  const wanted = numCandidates(potential.length);
  const offset = Math.min(potential.length - 1, Math.floor(input.random() * potential.length));
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  for (let i = 0; i < potential.length; i++) {
    const name = potential[(offset + i) % potential.length];
    const node = input.nodeInfo(name);
    if (!node) continue;
    const nominated = input.nominator.nominatedPodsAbove(pod, name);
    const selection = selectVictimsOnNode(pod, node, input.pdbs, nominated, input.now);
    if ("rejection" in selection) {
      statuses.set(name, selection.rejection);
      continue;
    }
    if (selection.victims.pods.length === 0) continue;
    const candidate = { nodeName: name, victims: selection.victims };
    (selection.victims.numPDBViolations === 0 ? nonViolating : violating).push(candidate);
    if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break;
  }
  return { candidates: [...nonViolating, ...violating], statuses };
}

/** Evaluator.Preempt for `pod`, which fits on no node this cycle. */
export function preempt(pod: PodInfo, input: PreemptionInput): PreemptionOutcome {
  const notEligible = ineligibility(pod, input);
  if (notEligible) return { preempt: false, message: `preemption: ${notEligible}`, clearNomination: false };
  const { candidates, statuses } = findCandidates(pod, input);
  const best = pickOneNodeForPreemption(candidates, input.now);
  if (!best) {
    const message = fitErrorMessage(input.numAllNodes, {
      nodeStatuses: statuses,
      absentNodesStatus: notHelpful,
    });
    return { preempt: false, message: `preemption: ${message}`, clearNomination: true };
  }
  return { preempt: true, nodeName: best.nodeName, victims: best.victims.pods };
}
