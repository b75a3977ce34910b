// `kubectl logs` against the simulated containers: picks the container the way the API server does, picks the
// container instance the way the kubelet does (current, or the previous one with `previous`), with the same
// error messages, then applies sinceTime/sinceSeconds, tailLines, timestamps and limitBytes.
import { ApiError } from "../api/errors.js";
import { rfc3339Nano } from "../api/kube-time.js";
import type { Clock } from "../util/clock.js";
import { advance, type ContainerLog, LOG_START, type LogCursor } from "./container-log.js";
import type { LogLine } from "./log-profiles.js";
import type { SimContainer } from "./sim-container.js";
import type { SimPod } from "./sim-pod.js";

export interface PodLogOptions {
  previous?: boolean;
  /** Only the last N lines (of the snapshot; following continues with every new line). */
  tailLines?: number;
  /** RFC 3339 time, or epoch milliseconds. */
  sinceTime?: string | number;
  sinceSeconds?: number;
  /** Prefix each line with its RFC 3339 (nano) time, as the kubelet does. */
  timestamps?: boolean;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}

export interface FollowOptions extends PodLogOptions {
  follow: true;
  /** Ends the stream (the client went away). */
  signal?: AbortSignal;
}

/** The container a logs request names; upstream's validateContainer for an omitted or unknown name. */
export function selectContainer(pod: SimPod, name: string | undefined): SimContainer {
  if (name) {
    const c = pod.container(name);
    if (!c) throw ApiError.badRequest(`container ${name} is not valid for pod ${pod.name}`);
    return c;
  }
  if (pod.containers.length === 1) return pod.containers[0];
  if (pod.containers.length === 0)
    throw ApiError.badRequest(`a container name must be specified for pod ${pod.name}`);
  const names = [...pod.init, ...pod.containers].map((c) => c.name);
  throw ApiError.badRequest(
    `a container name must be specified for pod ${pod.name}, choose one of: [${names.join(" ")}]`,
  );
}

/** The instance whose log is read: the kubelet's validateContainerLogStatus. */
export function selectInstance(pod: SimPod, c: SimContainer, previous: boolean): string {
  const where = `container "${c.name}" in pod "${pod.name}"`;
  const last = c.lastTerminated;
  if (previous) {
    if (!last?.containerID) throw ApiError.badRequest(`previous terminated ${where} not found`);
    return last.containerID;
  }
  if (c.running && c.containerID) return c.containerID;
  if (c.terminated) {
    if (c.terminated.containerID) return c.terminated.containerID;
    if (last?.containerID) return last.containerID;
    throw ApiError.badRequest(`${where} is terminated`);
  }
  if (last) {
    if (!last.containerID) throw ApiError.badRequest(`${where} is terminated`);
    return last.containerID;
  }
  const reason = c.waiting?.reason;
  if (reason === "ErrImagePull")
    throw ApiError.badRequest(`${where} is waiting to start: image can't be pulled`);
  if (reason === "ImagePullBackOff") {
    throw ApiError.badRequest(`${where} is waiting to start: trying and failing to pull image`);
  }
  if (reason) throw ApiError.badRequest(`${where} is waiting to start: ${reason}`);
  throw ApiError.badRequest(`${where} is waiting to start - no logs yet`);
}

function sinceMs(options: PodLogOptions, now: number): number | undefined {
  if (options.sinceSeconds !== undefined) return now - options.sinceSeconds * 1000;
  if (typeof options.sinceTime === "number") return options.sinceTime;
  if (typeof options.sinceTime === "string") {
    const ms = Date.parse(options.sinceTime);
    if (Number.isNaN(ms)) throw ApiError.badRequest(`invalid sinceTime ${JSON.stringify(options.sinceTime)}`);
    return ms;
  }
  return undefined;
}

const render = (line: LogLine, timestamps: boolean | undefined) =>
  timestamps ? `${rfc3339Nano(line.t)} ${line.text}` : line.text;

/** Cuts output at `limitBytes` (counting a newline per line), as the kubelet's LimitedWriter does. */
class ByteBudget {
  private left: number;
  constructor(limit: number | undefined) {
    this.left = limit === undefined || limit <= 0 ? Number.POSITIVE_INFINITY : limit;
  }
  get exhausted(): boolean {
    return this.left <= 0;
  }
  take(text: string): string | undefined {
    if (this.left <= 0) return undefined;
    const bytes = Buffer.byteLength(text) + 1;
    if (bytes <= this.left) {
      this.left -= bytes;
      return text;
    }
    const cut = Buffer.from(text).subarray(0, this.left).toString();
    this.left = 0;
    return cut;
  }
}

/** The snapshot a logs request returns: filtered lines of `log` up to `now`. */
function snapshot(
  log: ContainerLog | undefined,
  options: PodLogOptions,
  now: number,
): { lines: LogLine[]; all: LogLine[] } {
  const all = log?.linesUntil(now) ?? [];
  const since = sinceMs(options, now);
  let lines = since === undefined ? all : all.filter((l) => l.t >= since);
  if (options.tailLines !== undefined && options.tailLines >= 0)
    lines = lines.slice(Math.max(0, lines.length - options.tailLines));
  return { lines, all };
}

/** Log lines of one container instance (without trailing newlines). */
export function readLog(log: ContainerLog | undefined, options: PodLogOptions, now: number): string[] {
  const budget = new ByteBudget(options.limitBytes);
  const out: string[] = [];
  for (const line of snapshot(log, options, now).lines) {
    const text = budget.take(render(line, options.timestamps));
    if (text === undefined) break;
    out.push(text);
  }
  return out;
}

/** The snapshot, then every new line until the instance stops or `signal` aborts. */
export async function* followLog(
  log: ContainerLog | undefined,
  options: FollowOptions,
  clock: Clock,
): AsyncGenerator<string> {
  const budget = new ByteBudget(options.limitBytes);
  const { lines, all } = snapshot(log, options, clock.now());
  for (const line of lines) {
    const text = budget.take(render(line, options.timestamps));
    if (text === undefined) return;
    yield text;
  }
  if (!log) return;
  const cursor: LogCursor = advance(LOG_START, all);
  for await (const line of log.follow(clock, options.signal, cursor)) {
    const text = budget.take(render(line, options.timestamps));
    if (text === undefined) return;
    yield text;
    if (budget.exhausted) return;
  }
}
