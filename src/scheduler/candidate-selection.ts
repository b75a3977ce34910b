// pickOneNodeForPreemption (1.32): among the nodes where preemption would let the pod fit, the one that hurts
// least. Each criterion keeps only the best-scoring nodes and the next one breaks their tie: fewest
// PodDisruptionBudget violations, lowest highest-priority victim, smallest sum of victim priorities, fewest
// victims, latest start among the highest-priority victims; then the first node left.
import { podStartTime, type Victims } from "./victims.js";

export interface Candidate {
  nodeName: string;
  victims: Victims;
}

/** Go's math.MaxInt32 + 1: added to every priority so that sums of negative priorities still order right. */
const PRIORITY_OFFSET = 2 ** 31;

/** util.GetEarliestPodStartTime: the earliest start among the victims of the highest priority. */
function earliestStartOfHighestPriority(victims: Victims, now: number): number {
  const highest = victims.pods[0]?.priority;
  let earliest = Number.POSITIVE_INFINITY;
  for (const p of victims.pods) {
    if (p.priority === highest) earliest = Math.min(earliest, podStartTime(p.pod, now));
  }
  return earliest;
}

/** The ordered criteria; higher scores are better. */
function scoreFunctions(now: number): ((c: Candidate) => number)[] {
  return [
    (c) => -c.victims.numPDBViolations,
    (c) => -(c.victims.pods[0]?.priority ?? 0),
    (c) => -c.victims.pods.reduce((sum, p) => sum + p.priority + PRIORITY_OFFSET, 0),
    (c) => -c.victims.pods.length,
    (c) => earliestStartOfHighestPriority(c.victims, now),
  ];
}

/** The chosen candidate, or undefined when there is none. */
export function pickOneNodeForPreemption(
  candidates: readonly Candidate[],
  now: number,
): Candidate | undefined {
  let remaining = [...candidates];
  for (const score of scoreFunctions(now)) {
    if (remaining.length <= 1) break;
    let best = Number.NEGATIVE_INFINITY;
    let selected: Candidate[] = [];
    for (const c of remaining) {
      const s = score(c);
      if (s > best) {
        best = s;
        selected = [c];
      } else if (s === best) selected.push(c);
    }
    remaining = selected;
  }
  return remaining[0];
}
