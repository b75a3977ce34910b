// Simulated resource usage behind the metrics API: deterministic, plausible numbers derived from what pods
// request, so `kubectl top` shows something sensible without containers. Pure functions of the objects and the
// time; docs/simulation.md ("Resource usage") describes the model.
import type { KubeObject } from "../../api/object.js";
import { parseQuantity } from "../../api/quantity.js";

/** metrics-server's default resolution: usage is sampled on these boundaries and `window` reports it. */
export const METRICS_WINDOW_MS = 15_000;

const MILLICORE = 1_000_000; // nanocores
const MI = 1024 * 1024;

/** What a container without a request is assumed to be sized for (a small agent). */
export const DEFAULT_CPU_NANOCORES = 10 * MILLICORE;
export const DEFAULT_MEMORY_BYTES = 20 * MI;

/** What a node uses besides its pods (kubelet, runtime, system daemons), before its ±40% variation. */
export const NODE_OVERHEAD = { cpuNanoCores: 100 * MILLICORE, memoryBytes: 500 * MI };

/** Working-set memory is counted in whole pages, as the kubelet reports it. */
const PAGE_BYTES = 4096;

/** CPU drifts over ten minutes, memory more slowly over half an hour. */
const CPU_PERIOD_MS = 10 * 60_000;
const MEMORY_PERIOD_MS = 30 * 60_000;

export interface ResourceUsage {
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface ContainerUsage extends ResourceUsage {
  name: string;
}

/** The start of the sample `now` falls in: every read within one window sees the same numbers. */
export function sampleTime(now: number): number {
  return Math.floor(now / METRICS_WINDOW_MS) * METRICS_WINDOW_MS;
}

/** FNV-1a with a murmur3 finaliser: a stable, well-spread 32-bit hash of a string. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable number in [0, 1) for a seed. */
const unit = (seed: string): number => hash32(seed) / 2 ** 32;

/**
 * The fraction of its request a workload uses at sample time `at`, always within [0.30, 0.70]: a level fixed by
 * the seed (0.35–0.65), a slow sine wave (±0.04, phase fixed by the seed) and a little per-sample noise (±0.01).
 */
export function utilisation(seed: string, at: number, periodMs: number): number {
  const level = 0.35 + 0.3 * unit(`${seed}|level`);
  const phase = 2 * Math.PI * unit(`${seed}|phase`);
  const wave = 0.04 * Math.sin((2 * Math.PI * at) / periodMs + phase);
  const noise = 0.01 * (2 * unit(`${seed}|${Math.floor(at / METRICS_WINDOW_MS)}`) - 1);
  return level + wave + noise;
}

/** A positive quantity from a resource list, in nanocores (cpu) or bytes (memory); undefined if absent. */
function amount(list: Record<string, unknown> | undefined, resource: "cpu" | "memory"): number | undefined {
  const text = list?.[resource];
  if (typeof text !== "string" && typeof text !== "number") return undefined;
  try {
    const q = parseQuantity(String(text));
    const value = resource === "cpu" ? Number(q.nanos) : Number(q.value());
    return value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

interface ContainerSpec {
  name: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

/** One container's usage: a share of its request (or of the defaults), never above its limit. */
export function containerUsage(seed: string, container: ContainerSpec, at: number): ContainerUsage {
  const { requests, limits } = container.resources ?? {};
  const key = `${seed}/${container.name}`;
  const cpuBase = amount(requests, "cpu") ?? DEFAULT_CPU_NANOCORES;
  const memoryBase = amount(requests, "memory") ?? DEFAULT_MEMORY_BYTES;
  let cpu = Math.max(1, Math.round(cpuBase * utilisation(`${key}/cpu`, at, CPU_PERIOD_MS)));
  let memory = memoryBase * utilisation(`${key}/memory`, at, MEMORY_PERIOD_MS);
  memory = Math.max(PAGE_BYTES, Math.floor(memory / PAGE_BYTES) * PAGE_BYTES);
  cpu = Math.min(cpu, amount(limits, "cpu") ?? cpu);
  memory = Math.min(memory, amount(limits, "memory") ?? memory);
  return { name: container.name, cpuNanoCores: cpu, memoryBytes: memory };
}

/** The seed of an object: its uid, so that a re-created pod of the same name behaves differently. */
const seedOf = (obj: KubeObject): string =>
  obj.metadata.uid ?? `${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;

/**
 * The containers that are running: regular containers and restartable init containers (sidecars). When the
 * pod reports container statuses, only those whose state is `running` count.
 */
function runningContainers(pod: KubeObject): ContainerSpec[] {
  const spec = pod.spec ?? {};
  const candidates: ContainerSpec[] = [
    ...((spec.initContainers ?? []) as ContainerSpec[]).filter((c) => c.restartPolicy === "Always"),
    ...((spec.containers ?? []) as ContainerSpec[]),
  ];
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  if (statuses.length === 0) return candidates;
  const running = new Set(statuses.filter((s: any) => s?.state?.running).map((s: any) => s.name));
  return candidates.filter((c) => running.has(c.name));
}

/**
 * Per-container usage of a pod at sample time `at`, or undefined when metrics-server would have none: pods that
 * are not Running, and Running pods with no running container (a crash loop between restarts).
 */
export function podUsage(pod: KubeObject, at: number): ContainerUsage[] | undefined {
  if (pod.status?.phase !== "Running") return undefined;
  const containers = runningContainers(pod);
  if (containers.length === 0) return undefined;
  const seed = seedOf(pod);
  return containers.map((c) => containerUsage(seed, c, at));
}

/** Whether metrics-server could scrape the node's kubelet: it has posted a Ready condition that is not Unknown. */
export function nodeReportsMetrics(node: KubeObject): boolean {
  const ready = (node.status?.conditions ?? []).find((c: any) => c?.type === "Ready");
  return ready !== undefined && ready.status !== "Unknown";
}

/** Sum of container usages. */
export function totalUsage(containers: readonly ResourceUsage[]): ResourceUsage {
  let cpuNanoCores = 0;
  let memoryBytes = 0;
  for (const c of containers) {
    cpuNanoCores += c.cpuNanoCores;
    memoryBytes += c.memoryBytes;
  }
  return { cpuNanoCores, memoryBytes };
}

/**
 * A node's usage: its pods' usage plus the system overhead (60–140% of NODE_OVERHEAD, drifting like a
 * workload), never above the node's capacity.
 */
export function nodeUsage(node: KubeObject, pods: readonly ResourceUsage[], at: number): ResourceUsage {
  const seed = seedOf(node);
  const fromPods = totalUsage(pods);
  const overheadCpu = NODE_OVERHEAD.cpuNanoCores * 2 * utilisation(`${seed}/cpu`, at, CPU_PERIOD_MS);
  const overheadMemory = NODE_OVERHEAD.memoryBytes * 2 * utilisation(`${seed}/memory`, at, MEMORY_PERIOD_MS);
  let cpu = Math.round(fromPods.cpuNanoCores + overheadCpu);
  let memory = fromPods.memoryBytes + Math.floor(overheadMemory / PAGE_BYTES) * PAGE_BYTES;
  const capacity = node.status?.capacity;
  cpu = Math.min(cpu, amount(capacity, "cpu") ?? cpu);
  memory = Math.min(memory, amount(capacity, "memory") ?? memory);
  return { cpuNanoCores: cpu, memoryBytes: memory };
}
