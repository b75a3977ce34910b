// The simulation controls of ../shared/DESIGN.md, read from Node and Pod annotations. Values that cannot be
// understood are ignored (reported through `onInvalid`), so a typo never breaks a node or a pod.
import { parseGoDuration } from "../api/duration.js";
import type { KubeObject } from "../api/object.js";

export const HEARTBEAT_ANNOTATION = "sim.everynode.dev/heartbeat";
export const CONDITIONS_ANNOTATION = "sim.everynode.dev/conditions";
export const PULL_ANNOTATION = "sim.everynode.dev/pull";
export const CRASH_ANNOTATION = "sim.everynode.dev/crash";
export const START_DELAY_ANNOTATION = "sim.everynode.dev/start-delay";
export const READY_DELAY_ANNOTATION = "sim.everynode.dev/ready-delay";
export const READY_ANNOTATION = "sim.everynode.dev/ready";
export const EXIT_CODE_ANNOTATION = "sim.everynode.dev/exit-code";

/** Node conditions the `conditions` annotation can turn True. */
export const SIMULATED_NODE_CONDITIONS = [
  "MemoryPressure",
  "DiskPressure",
  "PIDPressure",
  "NetworkUnavailable",
] as const;
export type SimulatedNodeCondition = (typeof SIMULATED_NODE_CONDITIONS)[number];

export interface NodeSimulation {
  /** `heartbeat: "stopped"`: no Lease renewals, no status writes. */
  heartbeatStopped: boolean;
  /** Conditions reported True. */
  trueConditions: ReadonlySet<string>;
}

export interface PodSimulation {
  pullFails: boolean;
  crash: boolean;
  /** Overrides the fleet's container creation delay. */
  startDelayMs?: number;
  /** Overrides the fleet's delay between running and ready. */
  readyDelayMs?: number;
  neverReady: boolean;
  /** The containers exit with this code (restartPolicy decides what follows). */
  exitCode?: number;
}

export type InvalidAnnotation = (annotation: string, value: string, why: string) => void;

const annotationsOf = (obj: KubeObject): Record<string, string> => obj.metadata.annotations ?? {};

export function nodeSimulation(node: KubeObject, onInvalid?: InvalidAnnotation): NodeSimulation {
  const a = annotationsOf(node);
  const trueConditions = new Set<SimulatedNodeCondition>();
  const listed = a[CONDITIONS_ANNOTATION];
  if (listed !== undefined) {
    for (const raw of listed.split(",")) {
      const name = raw.trim();
      if (name === "") continue;
      if ((SIMULATED_NODE_CONDITIONS as readonly string[]).includes(name)) {
        trueConditions.add(name as SimulatedNodeCondition);
      } else {
        onInvalid?.(CONDITIONS_ANNOTATION, listed, `unknown condition ${JSON.stringify(name)}`);
      }
    }
  }
  return { heartbeatStopped: a[HEARTBEAT_ANNOTATION]?.trim() === "stopped", trueConditions };
}

function duration(a: Record<string, string>, key: string, onInvalid?: InvalidAnnotation): number | undefined {
  const value = a[key];
  if (value === undefined) return undefined;
  try {
    const ms = parseGoDuration(value.trim());
    if (ms >= 0) return ms;
    onInvalid?.(key, value, "a duration may not be negative");
  } catch (err) {
    onInvalid?.(key, value, (err as Error).message);
  }
  return undefined;
}

export function podSimulation(pod: KubeObject, onInvalid?: InvalidAnnotation): PodSimulation {
  const a = annotationsOf(pod);
  const sim: PodSimulation = {
    pullFails: a[PULL_ANNOTATION]?.trim() === "fail",
    crash: a[CRASH_ANNOTATION]?.trim() === "true",
    neverReady: a[READY_ANNOTATION]?.trim() === "false",
    startDelayMs: duration(a, START_DELAY_ANNOTATION, onInvalid),
    readyDelayMs: duration(a, READY_DELAY_ANNOTATION, onInvalid),
  };
  const exit = a[EXIT_CODE_ANNOTATION];
  if (exit !== undefined) {
    const code = Number(exit.trim());
    if (Number.isInteger(code) && code >= 0 && code <= 255) sim.exitCode = code;
    else onInvalid?.(EXIT_CODE_ANNOTATION, exit, "an exit code is an integer from 0 to 255");
  }
  return sim;
}
