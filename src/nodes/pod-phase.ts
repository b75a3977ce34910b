// The pod phase and the kubelet-owned pod conditions, computed from container states as upstream does
// (pkg/kubelet/kubelet_pods.go getPhase, pkg/kubelet/status/generate.go). Pure functions over SimContainers.
import type { SimContainer } from "./sim-container.js";

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

/** Succeeded or Failed: the pod's containers never run again, and the phase never changes back. */
export const isTerminalPhase = (phase: unknown): phase is "Succeeded" | "Failed" =>
  phase === "Succeeded" || phase === "Failed";

/**
 * upstream getPhase: Pending while init containers or any container has not started; Running while one runs
 * (or all are restarting); Succeeded/Failed once every container stopped for good.
 */
export function podPhase(
  init: readonly SimContainer[],
  containers: readonly SimContainer[],
  restartPolicy: string,
  podIsTerminal: boolean,
): PodPhase {
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of init) {
    if (c.kind === "sidecar") continue;
    if (c.running) pendingInitialization++;
    else if (c.terminated) {
      if (c.terminated.exitCode !== 0) failedInitialization++;
    } else if (c.lastTerminated) {
      if (c.lastTerminated.exitCode !== 0) failedInitialization++;
    } else pendingInitialization++;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of containers) {
    if (c.running) running++;
    else if (c.terminated) {
      stopped++;
      if (c.terminated.exitCode === 0) succeeded++;
    } else if (c.lastTerminated) stopped++;
    else waiting++;
  }
  if (failedInitialization > 0 && restartPolicy === "Never") return "Failed";
  const anyRegularStarted = containers.some((c) => c.running || c.terminated || c.lastTerminated);
  if ((pendingInitialization > 0 && !anyRegularStarted) || waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (podIsTerminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

export interface PodConditionState {
  type: string;
  status: "True" | "False";
  reason?: string;
  message?: string;
}

const list = (names: string[]) => `[${names.join(" ")}]`;

/** Initialized: every run-to-completion init container succeeded and every sidecar started. */
export function initializedCondition(
  init: readonly SimContainer[],
  containers: readonly SimContainer[],
): PodConditionState {
  const anyRegularStarted = containers.some((c) => c.running || c.terminated || c.lastTerminated);
  const incomplete = init.filter((c) =>
    c.kind === "sidecar" ? !(c.running && c.startupPassed) && !c.lastTerminated : !c.completed,
  );
  if (anyRegularStarted || incomplete.length === 0) return { type: "Initialized", status: "True" };
  return {
    type: "Initialized",
    status: "False",
    reason: "ContainersNotInitialized",
    message: `containers with incomplete status: ${list(incomplete.map((c) => c.name))}`,
  };
}

/** ContainersReady: every regular container and sidecar is ready (False with PodCompleted/PodFailed when done). */
export function containersReadyCondition(
  init: readonly SimContainer[],
  containers: readonly SimContainer[],
  phase: PodPhase,
): PodConditionState {
  if (phase === "Succeeded") return { type: "ContainersReady", status: "False", reason: "PodCompleted" };
  if (phase === "Failed") return { type: "ContainersReady", status: "False", reason: "PodFailed" };
  const unready = [...init.filter((c) => c.kind === "sidecar"), ...containers].filter((c) => !c.ready);
  if (unready.length === 0) return { type: "ContainersReady", status: "True" };
  return {
    type: "ContainersReady",
    status: "False",
    reason: "ContainersNotReady",
    message: `containers with unready status: ${list(unready.map((c) => c.name))}`,
  };
}

/** Ready: ContainersReady plus every readiness gate's condition True. */
export function readyCondition(
  containersReady: PodConditionState,
  readinessGates: readonly { conditionType?: string }[],
  podConditions: readonly { type?: string; status?: string }[],
): PodConditionState {
  if (containersReady.status !== "True") return { ...containersReady, type: "Ready" };
  const problems: string[] = [];
  for (const gate of readinessGates) {
    const type = gate.conditionType ?? "";
    const condition = podConditions.find((c) => c.type === type);
    if (!condition) problems.push(`corresponding condition of pod readiness gate "${type}" does not exist.`);
    else if (condition.status !== "True") {
      problems.push(`the status of pod readiness gate "${type}" is not "True", but ${condition.status}`);
    }
  }
  if (problems.length === 0) return { type: "Ready", status: "True" };
  return { type: "Ready", status: "False", reason: "ReadinessGatesNotReady", message: problems.join(", ") };
}
