// Pod priority facts shared by the API server and the scheduler (pkg/apis/scheduling): the reserved value
// range, the two system PriorityClasses every cluster has, and the preemption policies a pod may carry.
import type { KubeObject } from "../object.js";

/** Values above this are reserved for system classes (scheduling.HighestUserDefinablePriority). */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** The base of the system classes (scheduling.SystemCriticalPriority). */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
/** Names starting with this are reserved for the system classes. */
export const SYSTEM_PRIORITY_CLASS_PREFIX = "system-";

export const SYSTEM_NODE_CRITICAL = "system-node-critical";
export const SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical";

/** Pods without a class get this priority when no class is the global default. */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0;

export const PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";
export const PREEMPT_NEVER = "Never";

export interface SystemPriorityClass {
  name: string;
  value: number;
  description: string;
}

/** The classes the API server creates at start-up and never lets anyone delete (upstream's descriptions). */
export const SYSTEM_PRIORITY_CLASSES: readonly SystemPriorityClass[] = Object.freeze([
  {
    name: SYSTEM_NODE_CRITICAL,
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: "Used for system critical pods that must not be moved from their current node.",
  },
  {
    name: SYSTEM_CLUSTER_CRITICAL,
    value: SYSTEM_CRITICAL_PRIORITY,
    description:
      "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
  },
]);

export function systemPriorityClass(name: string): SystemPriorityClass | undefined {
  return SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
}

/** The PriorityClass object of a system class, as it is created at start-up. */
export function systemPriorityClassObject(c: SystemPriorityClass): KubeObject {
  return {
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name: c.name },
    value: c.value,
    description: c.description,
  };
}

/**
 * IsKnownSystemPriorityClass: undefined when `name` is a system class with exactly its value and (no) global
 * default, otherwise why not, in upstream's words.
 */
export function systemPriorityClassMismatch(
  name: string,
  value: number,
  globalDefault: boolean,
): string | undefined {
  const known = systemPriorityClass(name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}
