// One node as the scheduler sees it (framework.NodeInfo): the Node object, its allocatable resources and the
// running total of what the pods on it (bound or assumed) request and the host ports they hold.
import type { KubeObject } from "../api/object.js";
import { HostPortInfo } from "./host-ports.js";
import type { PodAccount } from "./pod-info.js";
import { emptyResource, type NonZeroRequest, nodeAllocatable, type Resource } from "./pod-resources.js";

export class NodeInfo {
  /** Undefined once the Node is deleted while pods still count against it. */
  node: KubeObject | undefined;
  allocatable: Resource = emptyResource();
  readonly requested: Resource = emptyResource();
  readonly nonZeroRequested: NonZeroRequest = { milliCPU: 0, memory: 0 };
  readonly usedPorts = new HostPortInfo();
  readonly pods = new Map<string, PodAccount>();

  constructor(readonly name: string) {}

  setNode(node: KubeObject | undefined): void {
    this.node = node;
    this.allocatable = node ? nodeAllocatable(node) : emptyResource();
  }

  get podCount(): number {
    return this.pods.size;
  }

  addPod(pod: PodAccount): void {
    if (this.pods.has(pod.uid)) this.removePod(pod.uid);
    this.pods.set(pod.uid, pod);
    this.apply(pod, 1);
  }

  removePod(uid: string): PodAccount | undefined {
    const pod = this.pods.get(uid);
    if (!pod) return undefined;
    this.pods.delete(uid);
    this.apply(pod, -1);
    return pod;
  }

  /** A copy that the caller may change (preemption's "what if these pods were gone"). */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.name);
    copy.node = this.node;
    copy.allocatable = this.allocatable;
    for (const pod of this.pods.values()) copy.addPod(pod);
    return copy;
  }

  private apply(pod: PodAccount, sign: 1 | -1): void {
    const r = this.requested;
    r.milliCPU += sign * pod.requests.milliCPU;
    r.memory += sign * pod.requests.memory;
    r.ephemeralStorage += sign * pod.requests.ephemeralStorage;
    for (const [name, amount] of pod.requests.scalar) {
      const next = (r.scalar.get(name) ?? 0) + sign * amount;
      if (next === 0) r.scalar.delete(name);
      else r.scalar.set(name, next);
    }
    this.nonZeroRequested.milliCPU += sign * pod.nonZero.milliCPU;
    this.nonZeroRequested.memory += sign * pod.nonZero.memory;
    for (const port of pod.ports) {
      if (sign > 0) this.usedPorts.add(port);
      else this.usedPorts.remove(port);
    }
  }
}
