// The kubelet's prober for simulated containers: when a startup or readiness probe runs, and what a failed run
// reports. A simulated application answers its probes once it is up (its `ready-delay` over) and never when the
// pod says `ready: "false"`; only the timing and the messages need the kubelet's rules, which live here.

/** A container's startup or readiness probe, as the prober's worker uses it. */
export interface ProbeTiming {
  /** Runs before this long after the container started are skipped (`initialDelaySeconds`). */
  readonly initialDelayMs: number;
  /** The worker's ticker (`periodSeconds`). */
  readonly periodMs: number;
  /** Consecutive successes before a failing container counts as passing (`successThreshold`). */
  readonly successThreshold: number;
  /** Consecutive failures before a passing container counts as failing (`failureThreshold`). */
  readonly failureThreshold: number;
  /** How the probe checks the application: it decides what a failed run reports. */
  readonly action: "httpGet" | "tcpSocket" | "grpc" | "exec";
  /** The TCP check's host and port, for its failure message. */
  readonly tcpTarget?: { host?: string; port: unknown };
}

const positive = (v: unknown, fallback: number): number =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? v : fallback;

/** The probe's timing, or undefined when the container has none (the API's defaults fill what the user left out). */
export function probeTiming(probe: unknown): ProbeTiming | undefined {
  if (probe === null || typeof probe !== "object") return undefined;
  const p = probe as Record<string, any>;
  const initialDelay = typeof p.initialDelaySeconds === "number" ? Math.max(0, p.initialDelaySeconds) : 0;
  return {
    initialDelayMs: initialDelay * 1000,
    periodMs: positive(p.periodSeconds, 10) * 1000,
    successThreshold: positive(p.successThreshold, 1),
    failureThreshold: positive(p.failureThreshold, 3),
    action: p.httpGet ? "httpGet" : p.tcpSocket ? "tcpSocket" : p.grpc ? "grpc" : "exec",
    ...(p.tcpSocket ? { tcpTarget: { host: p.tcpSocket.host, port: p.tcpSocket.port } } : {}),
  };
}

/**
 * What the kubelet's probers say of an application that is up but not ready: an HTTP check gets 503, a TCP check
 * a refused connection, a gRPC health check NOT_SERVING; an exec probe's command printed nothing.
 */
export function failureOutput(
  probe: ProbeTiming,
  podIP: string,
  ports: readonly Record<string, any>[],
): string {
  switch (probe.action) {
    case "httpGet":
      return "HTTP probe failed with statuscode: 503";
    case "tcpSocket":
      return `dial tcp ${probe.tcpTarget?.host || podIP}:${portNumber(probe.tcpTarget?.port, ports)}: connect: connection refused`;
    case "grpc":
      return 'service unhealthy (responded with "NOT_SERVING")';
    case "exec":
      return "";
  }
}

/** A named port is the container's port of that name, as the kubelet resolves it before dialling. */
function portNumber(port: unknown, ports: readonly Record<string, any>[]): unknown {
  if (typeof port !== "string") return port;
  return ports.find((p) => p.name === port)?.containerPort ?? port;
}

/**
 * The worker's first run after `after`. Its ticker fires every period from when the pod was admitted
 * (`admittedAt`), not from when the container started.
 */
export function tickAfter(probe: ProbeTiming, admittedAt: number, after: number): number {
  const ticks = Math.floor((after - admittedAt) / probe.periodMs) + 1;
  return admittedAt + Math.max(ticks, 0) * probe.periodMs;
}

/**
 * Whether a run at `at` counts: the worker skips runs while the container is younger than the initial delay
 * (comparing whole seconds, as the kubelet's `int32(time.Since(startedAt).Seconds())` does).
 */
export function pastInitialDelay(probe: ProbeTiming, startedAt: number, at: number): boolean {
  return Math.floor((at - startedAt) / 1000) * 1000 >= probe.initialDelayMs;
}
