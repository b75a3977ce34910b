// One pod on a simulated node: a kubelet's pod worker without containers. Time moves only through advance(now):
// containers are created, pull their image (or fail to), start, become ready, exit and restart with the
// kubelet's back-off, init containers run first, and a pod marked for deletion stops its containers within its
// grace period. The fleet schedules advance() at nextDueAt() and writes status() when `version` moves.
import { formatGoDuration } from "../api/duration.js";
import { jsonEqual } from "../api/equal.js";
import { parseTime, rfc3339 } from "../api/kube-time.js";
import type { KubeObject } from "../api/object.js";
import { ContainerLog } from "./container-log.js";
import { podFieldValue } from "./exec/container-env.js";
import { imageSize, imageTag, MISSING_IMAGE_TAG, pullFailureMessage } from "./images.js";
import { KUBELET_BACKOFF_INITIAL_MS, KUBELET_BACKOFF_MAX_MS, KubeletBackoff } from "./kubelet-backoff.js";
import { logScriptFor } from "./log-profiles.js";
import { followedArgv, type ProcessPlan } from "./main-process.js";
import {
  containersReadyCondition,
  initializedCondition,
  isTerminalPhase,
  type PodConditionState,
  type PodPhase,
  podPhase,
  readyCondition,
} from "./pod-phase.js";
import { failureOutput, pastInitialDelay, tickAfter } from "./probes.js";
import { type InvalidAnnotation, type PodSimulation, podSimulation } from "./sim-annotations.js";
import { type ContainerStep, exitReason, SimContainer, type Termination } from "./sim-container.js";

/** How long simulated work takes. */
export interface PodTimings {
  /** Creating a container (sandbox, image present, create + start), unless `start-delay` says otherwise. */
  startDelayMs: number;
  /** From running to ready, unless `ready-delay` says otherwise. */
  readyDelayMs: number;
  /** How long an init container runs before it completes. */
  initContainerRunMs: number;
  /** How long a container that the simulation makes exit (crash, exit-code) runs first. */
  exitAfterMs: number;
  /**
   * Multiplies the kubelet's own delays: crash-loop and image-pull back-off (10 s doubling to 5 min) and the
   * 1 s between a container's death and the kubelet noticing. Tests use e.g. 0.001.
   */
  backOffScale: number;
}

export const DEFAULT_POD_TIMINGS: PodTimings = {
  startDelayMs: 50,
  readyDelayMs: 0,
  initContainerRunMs: 10,
  exitAfterMs: 1000,
  backOffScale: 1,
};

/** What a pod needs from the node that runs it. */
export interface PodHost {
  readonly nodeName: string;
  readonly hostIP: string;
  allocatePodIP(): string;
  reservePodIP(ip: string): void;
  readonly timings: PodTimings;
  readonly maxLogLines: number;
  /** A fresh container runtime ID (64 hex digits). */
  newContainerID(): string;
  record(
    pod: KubeObject,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    fieldPath?: string,
  ): void;
  onInvalidAnnotation?: InvalidAnnotation;
  /** Whether the node holds this image (pulled by an earlier container, or found running at start). */
  hasImage(image: string): boolean;
  /** Records that the node now holds this image. */
  addImage(image: string): void;
  /** Follows the container's own process (main-process.ts); its plan comes back through applyProcessPlan. */
  followProcess?(pod: SimPod, c: SimContainer, argv: string[]): void;
}

/** The pod spec list a kind of container belongs to, for events' fieldPath. */
const SPEC_LIST = {
  regular: "containers",
  init: "initContainers",
  sidecar: "initContainers",
  ephemeral: "ephemeralContainers",
} as const;

const CONDITION_ORDER = [
  "PodReadyToStartContainers",
  "Initialized",
  "Ready",
  "ContainersReady",
  "PodScheduled",
];
/** PLEG's relist period: how long a dead container shows as terminated before the kubelet acts. */
const SYNC_DELAY_MS = 1000;
const DEFAULT_GRACE_SECONDS = 30;

/**
 * A condition as last computed, with when its status last changed. A class, not an object literal: with 5 per pod
 * there are 150,000 at 30,000 pods, and V8 had made the literals slow dictionary objects of ~470 bytes each once
 * the unique keys of parsed managedFields filled its table of shape transitions.
 */
class TrackedCondition {
  constructor(
    readonly status: string,
    readonly reason: string | undefined,
    readonly message: string | undefined,
    readonly since: number,
  ) {}
}

function tracked(c: { status?: string; reason?: string; message?: string }, since: number): TrackedCondition {
  return new TrackedCondition(c.status ?? "", c.reason || undefined, c.message || undefined, since);
}

/** The preStop hook's wait in seconds: sleep action, or `sleep N` in an exec command. */
function preStopSeconds(spec: Record<string, any>): number {
  const preStop = spec.lifecycle?.preStop;
  if (!preStop) return 0;
  if (typeof preStop.sleep?.seconds === "number") return preStop.sleep.seconds;
  const command: unknown[] = preStop.exec?.command ?? [];
  const match = /\bsleep\s+(\d+(?:\.\d+)?)/.exec(command.map(String).join(" "));
  return match ? Number(match[1]) : 0;
}

function resolveEnv(
  spec: Record<string, any>,
  pod: KubeObject,
  podIP: string,
  hostIP: string,
): Record<string, string> {
  const env: Record<string, string> = { HOSTNAME: pod.metadata.name ?? "" };
  for (const e of spec.env ?? []) {
    const fieldPath = e.valueFrom?.fieldRef?.fieldPath;
    const value = e.value ?? (fieldPath ? podFieldValue(pod, fieldPath, podIP, hostIP) : undefined);
    if (typeof e.name === "string" && value !== undefined) env[e.name] = value;
  }
  return env;
}

export class SimPod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly hostIP: string;
  readonly podIP: string;
  readonly startTime: number;
  readonly init: SimContainer[];
  readonly containers: SimContainer[];
  /** Ephemeral containers, in the order they were added to the pod. */
  readonly ephemeral: SimContainer[] = [];
  pod: KubeObject;
  phase: PodPhase = "Pending";
  /** Bumped whenever status() may have changed. */
  version = 0;
  private sim: PodSimulation;
  /** The kubelet-owned conditions, in CONDITION_ORDER. */
  private readonly conditions: (TrackedCondition | undefined)[] = [];
  private terminating: { at: number; graceMs: number } | undefined;
  private crashBackoff: KubeletBackoff | undefined;
  private imageBackoff: KubeletBackoff | undefined;

  constructor(
    pod: KubeObject,
    private readonly host: PodHost,
    now: number,
  ) {
    this.pod = pod;
    this.namespace = pod.metadata.namespace ?? "";
    this.name = pod.metadata.name ?? "";
    this.uid = pod.metadata.uid ?? "";
    this.sim = podSimulation(pod, host.onInvalidAnnotation);
    const status = pod.status ?? {};
    const reported = parseTime(status.startTime) !== undefined;
    this.hostIP = host.hostIP;
    if (pod.spec?.hostNetwork) this.podIP = host.hostIP;
    else if (reported && status.podIP) {
      this.podIP = status.podIP;
      host.reservePodIP(status.podIP);
    } else this.podIP = host.allocatePodIP();
    this.startTime = parseTime(status.startTime) ?? now;
    const initSpecs: Record<string, any>[] = pod.spec?.initContainers ?? [];
    const hasInit = initSpecs.length > 0;
    this.init = initSpecs.map(
      (spec) =>
        new SimContainer(spec, spec.restartPolicy === "Always" ? "sidecar" : "init", "PodInitializing"),
    );
    this.containers = (pod.spec?.containers ?? []).map(
      (spec: Record<string, any>) =>
        new SimContainer(spec, "regular", hasInit ? "PodInitializing" : "ContainerCreating"),
    );
    this.addEphemeral(pod);
    for (const c of status.conditions ?? []) {
      const since = parseTime(c.lastTransitionTime);
      const slot = CONDITION_ORDER.indexOf(c.type);
      if (slot >= 0 && since !== undefined) this.conditions[slot] = tracked(c, since);
    }
    if (reported) this.adopt(status, now);
    if (isTerminalPhase(status.phase)) this.phase = status.phase;
    this.orchestrate(now);
    this.refresh(now);
  }

  /** Containers stopped after a deletion: the pod may be deleted for good. */
  get finished(): boolean {
    return this.terminating !== undefined && this.all().every((c) => !c.running && c.due.stop === undefined);
  }

  container(name: string): SimContainer | undefined {
    return this.all().find((c) => c.name === name);
  }

  /** When the next step falls due (undefined: nothing will happen on its own). */
  nextDueAt(): number | undefined {
    let at: number | undefined;
    for (const c of this.all()) {
      const next = c.nextStep();
      if (next && (at === undefined || next.at < at)) at = next.at;
    }
    return at;
  }

  /** Runs every step due by `now`, in time order. */
  advance(now: number): void {
    for (;;) {
      let due: { c: SimContainer; step: ContainerStep; at: number } | undefined;
      for (const c of this.all()) {
        const next = c.nextStep();
        if (next && next.at <= now && (!due || next.at < due.at)) due = { c, ...next };
      }
      if (!due) return;
      due.c.due[due.step] = undefined;
      if (!this.runStep(due.c, due.step, due.at)) continue;
      this.orchestrate(due.at);
      this.refresh(due.at);
    }
  }

  /** A newer version of the pod object: simulation annotations may have changed, or readiness gates. */
  update(pod: KubeObject, now: number): void {
    const before = this.sim;
    this.pod = pod;
    this.sim = podSimulation(pod, this.host.onInvalidAnnotation);
    const simChanged = !jsonEqual(before, this.sim);
    if (simChanged && !this.terminating && !isTerminalPhase(this.phase)) {
      this.applySimulationChange(before, now);
    }
    // As the kubelet ("API phase was terminal, updating phase to match", generateAPIPodStatus): a terminal phase
    // someone else wrote is kept, never reported back as running.
    const endedElsewhere = isTerminalPhase(pod.status?.phase) && !isTerminalPhase(this.phase);
    if (endedElsewhere) this.phase = pod.status.phase;
    const graceShortened = this.shortenGrace(now);
    const debugged = this.addEphemeral(pod);
    if (debugged) this.orchestrate(now);
    // Readiness gates are conditions other controllers set: any pod update may change Ready.
    const gated = (pod.spec?.readinessGates ?? []).length > 0;
    if (simChanged || endedElsewhere || graceShortened || debugged || gated) this.refresh(now);
  }

  /** Takes on ephemeral containers added to the pod since (`kubectl debug`); true if any was new. */
  private addEphemeral(pod: KubeObject): boolean {
    const specs: Record<string, any>[] = pod.spec?.ephemeralContainers ?? [];
    if (specs.length === this.ephemeral.length) return false;
    for (const spec of specs.slice(this.ephemeral.length)) {
      this.ephemeral.push(new SimContainer(spec, "ephemeral", "ContainerCreating"));
    }
    return true;
  }

  /** The pod was marked for deletion: run preStop (its sleep) and stop the containers within the grace period. */
  startTermination(now: number): void {
    if (this.terminating) return;
    const graceMs = this.graceSeconds() * 1000;
    this.terminating = { at: now, graceMs };
    for (const c of this.all()) {
      c.clearStepsBut("stop");
      if (!c.running) continue;
      const preStopMs = preStopSeconds(c.spec) * 1000;
      const killed = preStopMs > 0 && preStopMs >= graceMs;
      c.plannedExitCode = killed ? 137 : 0;
      c.due.stop = now + Math.min(preStopMs, graceMs);
      this.record("Normal", "Killing", `Stopping container ${c.name}`, c);
    }
    this.refresh(now);
    // Containers without a preStop hook stop at once.
    this.advance(now);
  }

  /**
   * The own process of instance `containerID` of container `name` ended by itself (an attached shell exited):
   * the container terminates, and restarts as its policy says. False if that instance no longer runs.
   */
  processExited(name: string, containerID: string | undefined, exitCode: number, now: number): boolean {
    const c = this.container(name);
    if (!c?.running || c.containerID !== containerID || this.terminating) return false;
    this.exit(c, now, exitCode, "process");
    this.orchestrate(now);
    this.refresh(now);
    return true;
  }

  /** The pod is no longer run (deleted, or its node left): log followers end. */
  close(now: number): void {
    for (const c of this.all()) c.currentLog?.close(now);
  }

  /** The pod's status as its kubelet reports it. */
  status(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      phase: this.phase,
      conditions: CONDITION_ORDER.flatMap((type, slot) => {
        const c = this.conditions[slot];
        if (!c) return [];
        const out: Record<string, unknown> = { type, status: c.status, lastTransitionTime: rfc3339(c.since) };
        if (c.reason) out.reason = c.reason;
        if (c.message) out.message = c.message;
        return [out];
      }),
      hostIP: this.hostIP,
      hostIPs: [{ ip: this.hostIP }],
      podIP: this.podIP,
      podIPs: [{ ip: this.podIP }],
      startTime: rfc3339(this.startTime),
      containerStatuses: this.containers.map((c) => c.status()),
    };
    if (this.init.length > 0) status.initContainerStatuses = this.init.map((c) => c.status());
    if (this.ephemeral.length > 0) status.ephemeralContainerStatuses = this.ephemeral.map((c) => c.status());
    return status;
  }

  // ------------------------------------------------------------------ steps

  /** Runs one step; false when it changed nothing the status shows (a probe run that only rescheduled). */
  private runStep(c: SimContainer, step: ContainerStep, at: number): boolean {
    switch (step) {
      case "start":
        this.attemptStart(c, at);
        break;
      case "showPullBackOff":
        c.waiting = { reason: "ImagePullBackOff", message: `Back-off pulling image "${c.image}"` };
        this.record("Normal", "BackOff", `Back-off pulling image "${c.image}"`, c);
        this.record("Warning", "Failed", "Error: ImagePullBackOff", c);
        break;
      case "startupProbe":
        return this.runStartupProbe(c, at);
      case "readinessProbe":
        return this.runReadinessProbe(c, at);
      case "ready":
        c.ready = true;
        break;
      case "exit":
        this.exit(c, at, c.plannedExitCode, c.plannedExitCause);
        break;
      case "restartCheck":
        this.restartCheck(c, at);
        break;
      case "stop":
        this.exit(c, at, c.plannedExitCode, "kubelet");
        break;
    }
    return true;
  }

  private attemptStart(c: SimContainer, at: number): void {
    if (this.terminating) return;
    if (this.sim.pullFails || imageTag(c.image) === MISSING_IMAGE_TAG) {
      this.imageBackoff ??= this.newBackoff();
      const backoff = this.imageBackoff;
      backoff.next(c.image, at);
      const delay = backoff.get(c.image);
      const message = pullFailureMessage(c.image);
      this.record("Normal", "Pulling", `Pulling image "${c.image}"`, c);
      this.record("Warning", "Failed", message, c);
      this.record("Warning", "Failed", "Error: ErrImagePull", c);
      c.waiting = { reason: "ErrImagePull", message };
      c.due.showPullBackOff = at + Math.min(this.syncDelayMs(), delay / 2);
      c.due.start = at + delay;
      return;
    }
    this.run(c, at);
  }

  /** Creates and starts a new instance of `c` at `at`. */
  private run(c: SimContainer, at: number): void {
    const policy = c.spec.imagePullPolicy ?? (imageTag(c.image) === "latest" ? "Always" : "IfNotPresent");
    // Never is taken to mean the image was loaded onto the node beforehand (`kind load`), so it is present.
    if (policy === "Always" || (policy === "IfNotPresent" && !this.host.hasImage(c.image))) {
      this.host.addImage(c.image);
      const took = formatGoDuration(this.host.timings.startDelayMs);
      this.record("Normal", "Pulling", `Pulling image "${c.image}"`, c);
      this.record(
        "Normal",
        "Pulled",
        `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${imageSize(c.image)} bytes.`,
        c,
      );
    } else {
      this.record("Normal", "Pulled", `Container image "${c.image}" already present on machine`, c);
    }
    c.containerID = `everynode://${this.host.newContainerID()}`;
    c.running = { startedAt: at };
    c.waiting = undefined;
    c.terminated = undefined;
    c.pulled = true;
    c.ready = false;
    c.startupPassed = c.startupProbe === undefined;
    c.readySuccesses = 0;
    c.readyFailures = 0;
    c.addInstanceLog(this.newLog(c, c.containerID, at));
    this.record("Normal", "Created", `Created container: ${c.name}`, c);
    this.record("Normal", "Started", `Started container ${c.name}`, c);
    this.planRunning(c, at);
  }

  /** Schedules what a freshly running container does next: complete (init), become ready, exit. */
  private planRunning(c: SimContainer, at: number): void {
    // An ephemeral container is never ready, and exits only when its process does (an attached shell).
    if (c.kind === "ephemeral") return;
    c.plannedExitCause = "simulation";
    const argv = this.host.followProcess ? followedArgv(c) : undefined;
    const followed = argv !== undefined;
    if (argv) this.host.followProcess?.(this, c, argv);
    if (c.kind === "init") {
      // A followed init container completes when its process does (applyProcessPlan).
      if (!followed) this.planInitExit(c, at);
      return;
    }
    const startedAt = c.running?.startedAt ?? at;
    if (c.startupProbe && !c.startupPassed)
      c.due.startupProbe = tickAfter(c.startupProbe, this.startTime, at);
    else this.planReadiness(c, at);
    if (c.kind === "regular" && this.exitsBySimulation()) {
      c.plannedExitCode = this.sim.exitCode ?? 1;
      c.due.exit = Math.max(at, startedAt + this.host.timings.exitAfterMs);
    }
  }

  private planInitExit(c: SimContainer, at: number): void {
    c.plannedExitCode = 0;
    c.plannedExitCause = "simulation";
    c.due.exit = at + this.host.timings.initContainerRunMs;
  }

  /**
   * What following the process of instance `containerID` of container `name` found (main-process.ts): it ends at
   * a known time with a known code (the log becomes its output), or it runs on. The simulation annotations, when
   * they make the container exit, take precedence. True if something was planned.
   */
  applyProcessPlan(name: string, containerID: string | undefined, plan: ProcessPlan, now: number): boolean {
    const c = this.container(name);
    if (!c?.running || c.containerID !== containerID || this.terminating) return false;
    if (c.kind === "regular" && this.exitsBySimulation()) return false;
    if (plan.kind === "exits") {
      c.currentLog?.useOutput(plan.output);
      c.plannedExitCode = plan.exitCode;
      c.plannedExitCause = "process";
      c.due.exit = Math.max(now, c.running.startedAt + plan.afterMs);
      return true;
    }
    // An init container the simulation cannot follow completes as any other; one that runs on holds the pod.
    if (c.kind === "init" && plan.kind === "unknown") {
      this.planInitExit(c, now);
      return true;
    }
    return false;
  }

  /**
   * A started container (its startup probe passed, or it has none) becomes ready: when the application is, or, with
   * a readiness probe, when a run of the probe finds it so. The status manager asks for a run at once.
   */
  private planReadiness(c: SimContainer, at: number): void {
    if (c.readinessProbe) {
      c.due.readinessProbe = at;
      return;
    }
    if (this.sim.neverReady) return;
    const readyAt = this.appReadyAt(c, at);
    if (readyAt <= at) c.ready = true;
    else c.due.ready = readyAt;
  }

  /** When the application in `c` is up: its `ready-delay` after the container started. */
  private appReadyAt(c: SimContainer, at: number): number {
    return (c.running?.startedAt ?? at) + (this.sim.readyDelayMs ?? this.host.timings.readyDelayMs);
  }

  /** A run of the startup probe: it passes once the initial delay is over (a simulated application starts). */
  private runStartupProbe(c: SimContainer, at: number): boolean {
    const probe = c.startupProbe;
    if (!probe || !c.running) return false;
    if (!pastInitialDelay(probe, c.running.startedAt, at)) {
      c.due.startupProbe = tickAfter(probe, this.startTime, at);
      return false;
    }
    c.startupPassed = true;
    this.planReadiness(c, at);
    return true;
  }

  /**
   * A run of the readiness probe. It passes when the application is up and the pod does not say `ready: "false"`;
   * the container turns ready after `successThreshold` passes in a row and unready after `failureThreshold`
   * failures, each failure an Unhealthy event as the kubelet records it.
   */
  private runReadinessProbe(c: SimContainer, at: number): boolean {
    const probe = c.readinessProbe;
    if (!probe || !c.running || !c.startupPassed) return false;
    if (!pastInitialDelay(probe, c.running.startedAt, at)) {
      c.due.readinessProbe = tickAfter(probe, this.startTime, at);
      return false;
    }
    const passes = !this.sim.neverReady && at >= this.appReadyAt(c, at);
    if (passes) {
      c.readySuccesses++;
      c.readyFailures = 0;
    } else {
      c.readyFailures++;
      c.readySuccesses = 0;
      const output = failureOutput(probe, this.podIP, c.spec.ports ?? []);
      this.record("Warning", "Unhealthy", `Readiness probe failed: ${output}`, c);
    }
    const before = c.ready;
    if (!c.ready && c.readySuccesses >= probe.successThreshold) c.ready = true;
    else if (c.ready && c.readyFailures >= probe.failureThreshold) c.ready = false;
    // A ready application stays so until the simulation says otherwise: further runs would all pass, and are
    // left out until then (applySimulationChange starts them again).
    if (!(c.ready && passes)) c.due.readinessProbe = tickAfter(probe, this.startTime, at);
    return c.ready !== before;
  }

  /**
   * The container's instance ends: by the simulation's plan (a crash, an exit code), stopped by the kubelet
   * (deletion), or because its process ended by itself (which wrote its own last words, if any).
   */
  private exit(
    c: SimContainer,
    at: number,
    exitCode: number,
    cause: "simulation" | "kubelet" | "process",
  ): void {
    if (!c.running || !c.containerID) return;
    const termination: Termination = {
      exitCode,
      reason: exitReason(exitCode),
      startedAt: c.running.startedAt,
      finishedAt: at,
      containerID: c.containerID,
    };
    c.terminated = termination;
    c.running = undefined;
    // The prober manager reports a completed init container as ready.
    c.ready = c.kind === "init" && exitCode === 0;
    c.clearSteps("startupProbe", "readinessProbe", "ready", "exit");
    const lastWords =
      exitCode !== 0 && cause === "simulation"
        ? [`${c.name}: exiting with status ${exitCode} (simulated)`]
        : [];
    c.currentLog?.end(at, exitCode, lastWords);
    if (cause === "kubelet" || c.kind === "init" || c.kind === "ephemeral") return;
    if (this.wouldRestart(exitCode)) c.due.restartCheck = at + this.syncDelayMs();
  }

  /** The kubelet's look at a dead container: restart it, or wait out the crash-loop back-off. */
  private restartCheck(c: SimContainer, at: number): void {
    if (this.terminating) return;
    const last = c.terminated ?? c.lastTerminated;
    if (!last) return;
    this.crashBackoff ??= this.newBackoff();
    const backoff = this.crashBackoff;
    if (backoff.isInBackOffSince(c.name, last.finishedAt, at)) {
      const delay = backoff.get(c.name);
      const pod = `${this.name}_${this.namespace}(${this.uid})`;
      if (c.terminated) {
        c.lastTerminated = c.terminated;
        c.terminated = undefined;
      }
      c.waiting = {
        reason: "CrashLoopBackOff",
        message: `back-off ${formatGoDuration(delay)} restarting failed container=${c.name} pod=${pod}`,
      };
      this.record("Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${pod}`, c);
      c.due.restartCheck = last.finishedAt + delay;
      return;
    }
    backoff.next(c.name, at);
    if (c.terminated) c.lastTerminated = c.terminated;
    c.restartCount++;
    this.run(c, at);
  }

  /** Starts whatever may start now: the next init container, or (once initialised) the regular containers. */
  private orchestrate(at: number): void {
    if (this.terminating || isTerminalPhase(this.phase)) return;
    const timings = this.host.timings;
    // The kubelet starts an ephemeral container as soon as it sees it, init containers or not.
    for (const c of this.ephemeral) {
      if (c.scheduled) continue;
      c.scheduled = true;
      c.due.start = at + (this.sim.startDelayMs ?? timings.startDelayMs);
    }
    for (const c of this.init) {
      if (c.kind === "init" && c.completed) continue;
      if (!c.scheduled) {
        c.scheduled = true;
        c.due.start = at + timings.startDelayMs;
      }
      // A sidecar lets the next init container start once it runs; an init container once it completed.
      // The kubelet waits for a sidecar's startup probe (computeInitContainerActions).
      if (c.kind === "sidecar" && ((c.running && c.startupPassed) || c.lastTerminated)) continue;
      return;
    }
    for (const c of this.containers) {
      if (c.scheduled) continue;
      c.scheduled = true;
      c.waiting = { reason: "ContainerCreating" };
      c.due.start = at + (this.sim.startDelayMs ?? timings.startDelayMs);
    }
  }

  /** Recomputes phase and conditions (transition times move only on a change) and bumps the version. */
  private refresh(at: number): void {
    this.version++;
    const terminal = this.terminating !== undefined && this.finished;
    if (!isTerminalPhase(this.phase)) {
      this.phase = podPhase(this.init, this.containers, this.restartPolicy(), terminal);
    }
    const done = isTerminalPhase(this.phase);
    const containersReady = containersReadyCondition(this.init, this.containers, this.phase);
    const states: PodConditionState[] = [
      { type: "PodReadyToStartContainers", status: done ? "False" : "True" },
      initializedCondition(this.init, this.containers),
      readyCondition(containersReady, this.pod.spec?.readinessGates ?? [], this.pod.status?.conditions ?? []),
      containersReady,
      { type: "PodScheduled", status: "True" },
    ];
    for (const state of states) {
      const slot = CONDITION_ORDER.indexOf(state.type);
      const before = this.conditions[slot];
      const since = before && before.status === state.status ? before.since : at;
      this.conditions[slot] = tracked(state, since);
    }
  }

  // ------------------------------------------------------------------ adoption and annotation changes

  /** Picks up containers a previous run of the fleet (or another kubelet) already reported. */
  private adopt(status: Record<string, any>, now: number): void {
    const entries = new Map<string, Record<string, any>>();
    const reported = [
      ...(status.initContainerStatuses ?? []),
      ...(status.containerStatuses ?? []),
      ...(status.ephemeralContainerStatuses ?? []),
    ];
    for (const s of reported) {
      if (typeof s?.name === "string") entries.set(s.name, s);
    }
    for (const c of this.all()) {
      const s = entries.get(c.name);
      if (!s) continue;
      const last = termination(s.lastState?.terminated);
      c.restartCount = typeof s.restartCount === "number" ? s.restartCount : 0;
      c.lastTerminated = last;
      if (last) c.addInstanceLog(this.endedLog(c, last));
      const running = s.state?.running;
      const terminated = termination(s.state?.terminated);
      if (s.containerID) this.host.addImage(c.image);
      if (running && s.containerID) {
        c.scheduled = true;
        c.pulled = true;
        c.containerID = s.containerID;
        c.waiting = undefined;
        c.running = { startedAt: parseTime(running.startedAt) ?? now };
        c.startupPassed = c.startupProbe === undefined || s.started === true;
        c.addInstanceLog(this.newLog(c, s.containerID, c.running.startedAt));
        this.planRunning(c, now);
        if (s.ready === true && !this.sim.neverReady && c.kind !== "init") {
          c.ready = true;
          c.clearSteps("ready", "readinessProbe");
        }
      } else if (terminated) {
        c.scheduled = true;
        c.pulled = true;
        c.containerID = terminated.containerID;
        c.waiting = undefined;
        c.terminated = terminated;
        c.ready = c.kind === "init" && terminated.exitCode === 0;
        c.addInstanceLog(this.endedLog(c, terminated));
        if (c.kind !== "init" && c.kind !== "ephemeral" && this.wouldRestart(terminated.exitCode))
          c.due.restartCheck = now;
      } else if (last && c.kind !== "init" && c.kind !== "ephemeral") {
        // Crash-looping when the fleet stopped: look again now.
        c.scheduled = true;
        c.pulled = true;
        c.containerID = s.containerID ?? last.containerID;
        c.waiting = s.state?.waiting?.reason ? { ...s.state.waiting } : { reason: "CrashLoopBackOff" };
        c.due.restartCheck = now;
      }
    }
  }

  private applySimulationChange(before: PodSimulation, now: number): void {
    const exitedBefore = before.crash || before.exitCode !== undefined;
    for (const c of this.all()) {
      if (!c.running || c.kind === "init" || c.kind === "ephemeral") continue;
      const probe = c.readinessProbe;
      if (probe && c.startupPassed) {
        // The prober finds out at its next run (and after failureThreshold of them, the container is unready).
        if (this.sim.neverReady !== before.neverReady) {
          c.due.readinessProbe ??= tickAfter(probe, this.startTime, now);
        }
      } else if (this.sim.neverReady && !before.neverReady) {
        c.ready = false;
        c.clearSteps("ready");
      } else if (!this.sim.neverReady && before.neverReady && !c.ready && c.startupPassed) {
        c.due.ready = now + (this.sim.readyDelayMs ?? this.host.timings.readyDelayMs);
      }
      if (c.kind !== "regular") continue;
      if (this.exitsBySimulation() && !exitedBefore) {
        c.plannedExitCode = this.sim.exitCode ?? 1;
        c.due.exit = now + this.host.timings.exitAfterMs;
      } else if (!this.exitsBySimulation() && exitedBefore) {
        c.clearSteps("exit");
      }
    }
    this.advance(now);
  }

  /** A second deletion with a shorter grace period moves the kill time forward. */
  private shortenGrace(now: number): boolean {
    const t = this.terminating;
    if (!t) return false;
    const graceMs = this.graceSeconds() * 1000;
    if (graceMs >= t.graceMs) return false;
    t.graceMs = graceMs;
    const deadline = Math.max(now, t.at + graceMs);
    for (const c of this.all()) {
      if (c.due.stop !== undefined && c.due.stop > deadline) {
        c.due.stop = deadline;
        c.plannedExitCode = 137;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ helpers

  private all(): SimContainer[] {
    if (this.init.length === 0 && this.ephemeral.length === 0) return this.containers;
    return [...this.init, ...this.containers, ...this.ephemeral];
  }

  private restartPolicy(): string {
    return this.pod.spec?.restartPolicy ?? "Always";
  }

  private wouldRestart(exitCode: number): boolean {
    const policy = this.restartPolicy();
    return policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
  }

  private exitsBySimulation(): boolean {
    return this.sim.crash || this.sim.exitCode !== undefined;
  }

  private graceSeconds(): number {
    const grace =
      this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds;
    return typeof grace === "number" && grace >= 0 ? grace : DEFAULT_GRACE_SECONDS;
  }

  private syncDelayMs(): number {
    return SYNC_DELAY_MS * this.host.timings.backOffScale;
  }

  private newBackoff(): KubeletBackoff {
    const scale = this.host.timings.backOffScale;
    return new KubeletBackoff(KUBELET_BACKOFF_INITIAL_MS * scale, KUBELET_BACKOFF_MAX_MS * scale);
  }

  private newLog(c: SimContainer, containerID: string, startedAt: number): ContainerLog {
    const script = () =>
      logScriptFor({
        image: c.image,
        command: c.spec.command ?? [],
        args: c.spec.args ?? [],
        env: resolveEnv(c.spec, this.pod, this.podIP, this.hostIP),
        podName: this.name,
        podNamespace: this.namespace,
        containerName: c.name,
        startedAt,
      });
    return new ContainerLog(containerID, startedAt, script, this.host.maxLogLines);
  }

  private endedLog(c: SimContainer, t: Termination): ContainerLog {
    const log = this.newLog(c, t.containerID, t.startedAt);
    log.end(t.finishedAt, t.exitCode);
    return log;
  }

  /** Records an event on the pod; container events name their container as the kubelet does (fieldPath). */
  private record(type: "Normal" | "Warning", reason: string, message: string, c?: SimContainer): void {
    const fieldPath = c ? `spec.${SPEC_LIST[c.kind]}{${c.name}}` : undefined;
    this.host.record(this.pod, type, reason, message, fieldPath);
  }
}

function termination(raw: Record<string, any> | undefined): Termination | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const finishedAt = parseTime(raw.finishedAt) ?? 0;
  return {
    exitCode: typeof raw.exitCode === "number" ? raw.exitCode : 0,
    reason: raw.reason ?? exitReason(raw.exitCode ?? 0),
    ...(raw.message ? { message: raw.message } : {}),
    startedAt: parseTime(raw.startedAt) ?? finishedAt,
    finishedAt,
    containerID: raw.containerID ?? "",
  };
}
