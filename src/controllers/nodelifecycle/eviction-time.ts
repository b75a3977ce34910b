// When a pod on a node with NoExecute taints must go (the taint manager's decision, upstream
// GetMatchingTolerations + getMinTolerationTime): at once if some taint is not tolerated, never if every
// taint is tolerated without tolerationSeconds, otherwise tolerationSeconds after the taint was added.
import { type Taint, type Toleration, tolerationToleratesTaint } from "../../api/scheduling/taints.js";
import { parseTime } from "./node-conditions.js";

/** For each taint, the first toleration that tolerates it; undefined when some taint is not tolerated. */
export function matchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | undefined,
): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = (tolerations ?? []).find((t) => tolerationToleratesTaint(t, taint));
    if (!match) return undefined;
    used.push(match);
  }
  return used;
}

/**
 * The time (epoch ms) the pod must be evicted, or undefined for never. A tolerated taint with tolerationSeconds
 * expires that long after its timeAdded (deviation: upstream counts from when the taint manager first noticed
 * the taint, which restarts the countdown whenever the controller restarts); a taint without timeAdded counts
 * from `now`. Non-positive tolerationSeconds mean at once.
 */
export function evictionTime(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | undefined,
  now: number,
): number | undefined {
  if (taints.length === 0) return undefined;
  const used = matchingTolerations(taints, tolerations);
  if (!used) return now;
  let earliest: number | undefined;
  taints.forEach((taint, i) => {
    const seconds = used[i].tolerationSeconds;
    if (seconds === undefined || seconds === null) return;
    const expires = seconds <= 0 ? now : (parseTime(taint.timeAdded) ?? now) + seconds * 1000;
    earliest = earliest === undefined ? expires : Math.min(earliest, expires);
  });
  return earliest;
}
