// How many pods a PodDisruptionBudget counts and how many of them must stay healthy (upstream
// getExpectedPodCount / getExpectedScale). An integer minAvailable counts the selected pods; a percentage, or
// any maxUnavailable, is taken of the summed scale of the pods' controllers, found by the scale finders.
import { scaledValueFromIntOrPercent } from "../../api/int-or-string.js";
import type { KubeObject } from "../../api/object.js";

/** A pod's controller and its desired replica count (upstream controllerAndScale). */
export interface ControllerScale {
  uid: string;
  scale: number;
}

/** A pod's controller reference, as metav1.GetControllerOf returns it. */
export interface ControllerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

/**
 * Finds the scale of the controller `ref` names in `namespace`: undefined when this finder does not handle
 * it (or the object is gone or was replaced), throws when the controller cannot have a scale at all.
 */
export type ScaleFinder = (ref: ControllerRef, namespace: string) => Promise<ControllerScale | undefined>;

export interface ExpectedPodCount {
  expectedCount: number;
  desiredHealthy: number;
  /** Names of selected pods without a controller: a percentage budget cannot account for them. */
  unmanagedPods: string[];
}

export { scaledValueFromIntOrPercent };

/** metav1.GetControllerOf: the owner reference marked controller, if any. */
export function controllerOf(obj: KubeObject): ControllerRef | undefined {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  return ref ? { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid } : undefined;
}

/**
 * getExpectedScale: the sum of the scales of the distinct controllers of `pods`. The first finder that knows
 * a controller decides; a pod whose controller no finder knows is an error.
 */
export async function expectedScale(
  pods: readonly KubeObject[],
  finders: readonly ScaleFinder[],
): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name!);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    let found: ControllerScale | undefined;
    for (const finder of finders) {
      found = await finder(ref, pod.metadata.namespace ?? "");
      if (found) break;
    }
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const scale of scales.values()) expectedCount += scale;
  return { expectedCount, unmanagedPods };
}

/** getExpectedPodCount: expected pods and desired healthy pods of `pdb` over its selected `pods`. */
export async function expectedPodCount(
  pdb: KubeObject,
  pods: readonly KubeObject[],
  finders: readonly ScaleFinder[],
): Promise<ExpectedPodCount> {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, finders);
    const unavailable = scaledValueFromIntOrPercent(maxUnavailable, expectedCount);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - unavailable), unmanagedPods };
  }
  if (typeof minAvailable === "number") {
    return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
  }
  if (typeof minAvailable === "string") {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, finders);
    return {
      expectedCount,
      desiredHealthy: scaledValueFromIntOrPercent(minAvailable, expectedCount),
      unmanagedPods,
    };
  }
  // Neither set: nothing is expected and nothing must stay healthy.
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}
