// Resource accounting as kube-scheduler does it (framework.Resource, component-helpers PodRequests): what a pod
// requests, what a node can hold, in the scheduler's integer units (milli-CPU, bytes, counts).
import type { KubeObject } from "../api/object.js";
import { parseQuantity } from "../api/quantity.js";

/** Amounts per resource: CPU in thousandths of a core, everything else in whole units (bytes, pods, devices). */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Only meaningful for a node's allocatable (status.allocatable.pods). */
  allowedPodNumber: number;
  /** Extended resources, hugepages and other scalar resources, by name. */
  scalar: Map<string, number>;
}

/** CPU and memory with the scheduler's defaults for containers that request none (used only for scoring). */
export interface NonZeroRequest {
  milliCPU: number;
  memory: number;
}

/** schedutil.DefaultMilliCPURequest and DefaultMemoryRequest: what an unset request counts as when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const emptyResource = (): Resource => ({
  milliCPU: 0,
  memory: 0,
  ephemeralStorage: 0,
  allowedPodNumber: 0,
  scalar: new Map(),
});

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

/**
 * schedutil.IsScalarResourceName: extended resources (a domain-prefixed name outside kubernetes.io), hugepages,
 * attachable volumes and kubernetes.io-prefixed native resources. Plain names such as "storage" are not counted.
 */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) return true;
  if (name.includes("kubernetes.io/")) return true;
  return name.includes("/") && !name.startsWith("requests.");
}

type ResourceList = Readonly<Record<string, unknown>> | undefined | null;
/** Exact amounts in nano-units (Quantity.nanos), so sums round only once, at the end, as upstream does. */
type NanoList = Map<string, bigint>;

const NANO_PER_MILLI = 1_000_000n;
const NANO_PER_UNIT = 1_000_000_000n;

/** A stored quantity; validation keeps them parseable, so anything else counts as nothing. */
function nanosOf(value: unknown): bigint | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  try {
    return parseQuantity(String(value)).nanos;
  } catch {
    return undefined;
  }
}

function toNanos(list: ResourceList): NanoList {
  const out: NanoList = new Map();
  for (const [name, value] of Object.entries(list ?? {})) {
    const n = nanosOf(value);
    if (n !== undefined) out.set(name, n);
  }
  return out;
}

function addInto(target: NanoList, list: NanoList): void {
  for (const [name, n] of list) target.set(name, (target.get(name) ?? 0n) + n);
}

function maxInto(target: NanoList, list: NanoList): void {
  for (const [name, n] of list) {
    const current = target.get(name);
    if (current === undefined || n > current) target.set(name, n);
  }
}

/** Rounds up, as Quantity.Value / MilliValue do (requests are never negative). */
const ceilDiv = (n: bigint, d: bigint): number => Number(n <= 0n ? n / d : (n + d - 1n) / d);

/** Requests of one container, with the scoring defaults filled in for CPU and memory when asked. */
function containerRequests(container: any, nonMissing: NanoList | undefined): NanoList {
  const reqs = toNanos(container?.resources?.requests);
  if (nonMissing) for (const [name, n] of nonMissing) if (!reqs.has(name)) reqs.set(name, n);
  return reqs;
}

/**
 * resourcehelper.PodRequests (1.32, pod-level resources off): the sum over regular containers and restartable
 * (sidecar) init containers, or the largest need while an init container runs if that is more, plus the pod
 * overhead. While init container i runs, the sidecars started before it run too, so they add to its need.
 */
function podRequestNanos(spec: any, nonMissing?: NanoList): NanoList {
  const reqs: NanoList = new Map();
  for (const c of spec?.containers ?? []) addInto(reqs, containerRequests(c, nonMissing));
  const sidecars: NanoList = new Map();
  const initPeak: NanoList = new Map();
  for (const c of spec?.initContainers ?? []) {
    const own = containerRequests(c, nonMissing);
    if (c?.restartPolicy === "Always") {
      addInto(reqs, own);
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      const during = new Map(own);
      addInto(during, sidecars);
      maxInto(initPeak, during);
    }
  }
  maxInto(reqs, initPeak);
  addInto(reqs, toNanos(spec?.overhead));
  return reqs;
}

/** framework.Resource.Add over a resource list: how the scheduler converts each kind of resource. */
function addNanosToResource(r: Resource, list: NanoList): void {
  for (const [name, n] of list) {
    switch (name) {
      case "cpu":
        r.milliCPU += ceilDiv(n, NANO_PER_MILLI);
        break;
      case "memory":
        r.memory += ceilDiv(n, NANO_PER_UNIT);
        break;
      case "ephemeral-storage":
        r.ephemeralStorage += ceilDiv(n, NANO_PER_UNIT);
        break;
      case "pods":
        r.allowedPodNumber += ceilDiv(n, NANO_PER_UNIT);
        break;
      default:
        if (isScalarResourceName(name))
          r.scalar.set(name, (r.scalar.get(name) ?? 0) + ceilDiv(n, NANO_PER_UNIT));
    }
  }
}

/** What the pod asks of a node (NodeResourcesFit's computePodResourceRequest; a "pods" request is ignored). */
export function podRequests(pod: KubeObject): Resource {
  const r = emptyResource();
  const reqs = podRequestNanos(pod.spec);
  reqs.delete("pods");
  addNanosToResource(r, reqs);
  return r;
}

const NON_MISSING: NanoList = new Map([
  ["cpu", BigInt(DEFAULT_MILLI_CPU_REQUEST) * NANO_PER_MILLI],
  ["memory", BigInt(DEFAULT_MEMORY_REQUEST) * NANO_PER_UNIT],
]);

/** The pod's CPU and memory with defaults for containers that set none (NodeInfo.NonZeroRequested). */
export function podNonZeroRequests(pod: KubeObject): NonZeroRequest {
  const reqs = podRequestNanos(pod.spec, NON_MISSING);
  return {
    milliCPU: ceilDiv(reqs.get("cpu") ?? 0n, NANO_PER_MILLI),
    memory: ceilDiv(reqs.get("memory") ?? 0n, NANO_PER_UNIT),
  };
}

/**
 * NodeInfo.Allocatable: status.allocatable. A node that reports no allocatable at all (a hand-written manifest
 * before its kubelet's first status update) falls back to its capacity rather than holding nothing.
 */
export function nodeAllocatable(node: KubeObject): Resource {
  const r = emptyResource();
  const list = node.status?.allocatable ?? node.status?.capacity;
  addNanosToResource(r, toNanos(list));
  return r;
}
