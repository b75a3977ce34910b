// One simulated container of a pod: its current state (waiting, running, terminated), the previous termination,
// restart count, readiness, the timed steps it waits for, and the logs of its last two instances. The pod
// (sim-pod.ts) decides what happens at each step; this file only holds the state and renders it.

import { rfc3339 } from "../api/kube-time.js";
import type { ContainerLog } from "./container-log.js";
import { imageID, qualifiedImage } from "./images.js";
import { type ProbeTiming, probeTiming } from "./probes.js";

/**
 * Regular containers, run-to-completion init containers, restartable init containers (sidecars), and ephemeral
 * containers (`kubectl debug`: added to a running pod, never restarted, never ready).
 */
export type ContainerKind = "regular" | "init" | "sidecar" | "ephemeral";

/** Timed steps a container can wait for, in the order they run when due at the same time. */
const STEPS = [
  "start",
  "showPullBackOff",
  "startupProbe",
  "readinessProbe",
  "ready",
  "exit",
  "restartCheck",
  "stop",
] as const;
export type ContainerStep = (typeof STEPS)[number];

export interface Termination {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export interface Waiting {
  reason: string;
  message?: string;
}

/** How many container instances' logs are kept: the current one and the one before (`logs -p`). */
const KEPT_INSTANCES = 2;

export class SimContainer {
  restartCount = 0;
  waiting: Waiting | undefined;
  running: { startedAt: number } | undefined;
  terminated: Termination | undefined;
  lastTerminated: Termination | undefined;
  ready = false;
  /** The image is on the node: status shows the resolved name and digest. */
  pulled = false;
  /** Runtime ID of the latest instance ("everynode://<hex>"). */
  containerID: string | undefined;
  /** A start was scheduled at least once (so the pod does not schedule it again). */
  scheduled = false;
  /** Exit code of a planned exit or stop. */
  plannedExitCode = 0;
  /** Who plans the exit: the simulation (annotations; it adds a last line to the log) or the followed process. */
  plannedExitCause: "simulation" | "process" = "simulation";
  /** The startup probe passed in this instance (always, for a container without one): status `started`. */
  startupPassed = false;
  /** The readiness probe's consecutive successes and failures in this instance. */
  readySuccesses = 0;
  readyFailures = 0;
  readonly startupProbe: ProbeTiming | undefined;
  readonly readinessProbe: ProbeTiming | undefined;
  /** When each step falls due; every key is always present (undefined: not scheduled), so the shape never changes. */
  readonly due: Record<ContainerStep, number | undefined> = {
    start: undefined,
    showPullBackOff: undefined,
    ready: undefined,
    exit: undefined,
    restartCheck: undefined,
    startupProbe: undefined,
    readinessProbe: undefined,
    stop: undefined,
  };
  private instances: ContainerLog[] = [];

  constructor(
    readonly spec: Record<string, any>,
    readonly kind: ContainerKind,
    initialWaiting: string,
  ) {
    this.waiting = { reason: initialWaiting };
    // The kubelet probes regular containers and sidecars; init and ephemeral containers have no probes.
    const probed = kind === "regular" || kind === "sidecar";
    this.startupProbe = probed ? probeTiming(spec.startupProbe) : undefined;
    this.readinessProbe = probed ? probeTiming(spec.readinessProbe) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  get image(): string {
    return this.spec.image ?? "";
  }

  /** The earliest pending step. */
  nextStep(): { step: ContainerStep; at: number } | undefined {
    let best: { step: ContainerStep; at: number } | undefined;
    for (const step of STEPS) {
      const at = this.due[step];
      if (at !== undefined && (!best || at < best.at)) best = { step, at };
    }
    return best;
  }

  clearSteps(...steps: ContainerStep[]): void {
    for (const step of steps) this.due[step] = undefined;
  }

  /** Cancels every pending step but `kept`. */
  clearStepsBut(kept: ContainerStep): void {
    for (const step of STEPS) if (step !== kept) this.due[step] = undefined;
  }

  /** A completed run-to-completion init container. */
  get completed(): boolean {
    return this.kind === "init" && this.terminated?.exitCode === 0;
  }

  addInstanceLog(log: ContainerLog): void {
    this.instances.push(log);
    if (this.instances.length > KEPT_INSTANCES) this.instances.shift();
  }

  /** The log of the instance `containerID`, if still kept. */
  instanceLog(containerID: string | undefined): ContainerLog | undefined {
    return containerID ? this.instances.find((l) => l.containerID === containerID) : undefined;
  }

  get currentLog(): ContainerLog | undefined {
    return this.instances[this.instances.length - 1];
  }

  /** containerStatuses[] entry, as the kubelet reports it. */
  status(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      name: this.name,
      state: this.stateJson(),
      lastState: this.lastTerminated ? { terminated: terminationJson(this.lastTerminated) } : {},
      ready: this.ready,
      restartCount: this.restartCount,
      image: this.pulled ? qualifiedImage(this.image) : this.image,
      imageID: this.pulled ? imageID(this.image) : "",
      started: this.running !== undefined && this.startupPassed,
    };
    if (this.containerID) status.containerID = this.containerID;
    return status;
  }

  private stateJson(): Record<string, unknown> {
    if (this.running) return { running: { startedAt: rfc3339(this.running.startedAt) } };
    if (this.terminated) return { terminated: terminationJson(this.terminated) };
    const waiting: Record<string, string> = { reason: this.waiting?.reason ?? "ContainerCreating" };
    if (this.waiting?.message) waiting.message = this.waiting.message;
    return { waiting };
  }
}

function terminationJson(t: Termination): Record<string, unknown> {
  const out: Record<string, unknown> = {
    exitCode: t.exitCode,
    reason: t.reason,
    startedAt: rfc3339(t.startedAt),
    finishedAt: rfc3339(t.finishedAt),
    containerID: t.containerID,
  };
  if (t.message) out.message = t.message;
  return out;
}

/** The kubelet's reason for a container that exited with `exitCode` on its own. */
export function exitReason(exitCode: number): string {
  return exitCode === 0 ? "Completed" : "Error";
}
