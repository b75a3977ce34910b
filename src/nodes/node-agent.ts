// One simulated kubelet's node-side work: the node Lease it renews (kube-node-lease/<node>, like the kubelet's
// lease controller) and the NodeStatus it reports (standard labels patched in, complete status, conditions per
// the simulation annotations) only on change or every report interval, with the node-level events a kubelet
// records (start-up, condition transitions, cordon). It is also the PodHost of its pods: pod IPs from the node's
// pod CIDR, container IDs, events as "kubelet" from this host.
import { randomBytes } from "node:crypto";
import { isConflict, isNotFound } from "../api/errors.js";
import { microTime } from "../api/kube-time.js";
import type { KubeObject } from "../api/object.js";
import type { Client, ResourceType } from "../client/client.js";
import type { EventRecorder } from "../client/event-recorder.js";
import {
  conditionTransitionEvents,
  isUnschedulable,
  kubeletStartEvents,
  type NodeEvent,
  schedulableEvent,
} from "./node-events.js";
import {
  desiredNodeStatus,
  lastNodeReport,
  missingNodeLabels,
  nodeInternalIP,
  nodeStatusChanged,
} from "./node-status.js";
import { PodIpPool } from "./pod-ip-pool.js";
import { type InvalidAnnotation, type NodeSimulation, nodeSimulation } from "./sim-annotations.js";
import type { SimContainer } from "./sim-container.js";
import type { PodHost, PodTimings, SimPod } from "./sim-pod.js";

export const NODES: ResourceType = {
  group: "",
  version: "v1",
  resource: "nodes",
  namespaced: false,
  kind: "Node",
};
export const LEASES: ResourceType = {
  group: "coordination.k8s.io",
  version: "v1",
  resource: "leases",
  namespaced: true,
  kind: "Lease",
};
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

/** What every agent of a fleet shares. */
export interface AgentContext {
  client: Client;
  timings: PodTimings & { leaseDurationSeconds: number; statusReportIntervalMs: number };
  maxLogLines: number;
  /** The event recorder of `nodeName`'s kubelet, or undefined when events are off. */
  recorder(nodeName: string): EventRecorder | undefined;
  /** Records a node-level event of `nodeName`'s kubelet (through the fleet's budget; a no-op when events are off). */
  recordNodeEvent(nodeName: string, event: NodeEvent): void;
  onInvalidAnnotation?: InvalidAnnotation;
  /** Follows a container's own process (main-process.ts). */
  followProcess?(pod: SimPod, c: SimContainer, argv: string[]): void;
}

export class NodeAgent implements PodHost {
  readonly nodeName: string;
  readonly uid: string;
  node: KubeObject;
  sim: NodeSimulation;
  hostIP: string;
  /** Keys (namespace/name) of the pods this node runs. */
  readonly pods = new Set<string>();
  private pool: PodIpPool;
  /** The images this node holds, made on the first pull: nodes that never pull keep none. */
  private images: Set<string> | undefined;
  private lease: KubeObject | undefined;
  /** Whether this kubelet has started, i.e. recorded its start-up events (at its first status sync). */
  private started = false;
  /** spec.unschedulable as this kubelet last saw it; upstream's starts from false too. */
  private lastUnschedulable = false;

  constructor(
    node: KubeObject,
    private readonly ctx: AgentContext,
  ) {
    this.nodeName = node.metadata.name ?? "";
    this.uid = node.metadata.uid ?? "";
    this.node = node;
    this.sim = nodeSimulation(node, ctx.onInvalidAnnotation);
    this.hostIP = nodeInternalIP(node);
    this.pool = new PodIpPool(node.spec?.podCIDR, this.nodeName);
  }

  get timings(): PodTimings {
    return this.ctx.timings;
  }

  get maxLogLines(): number {
    return this.ctx.maxLogLines;
  }

  /** A newer Node object; returns whether the node just came back from `heartbeat: stopped`. */
  setNode(node: KubeObject): { resumed: boolean } {
    const wasStopped = this.sim.heartbeatStopped;
    this.node = node;
    this.sim = nodeSimulation(node, this.ctx.onInvalidAnnotation);
    this.hostIP = nodeInternalIP(node);
    // A pod CIDR assigned after registration applies to pods started from now on.
    if (node.spec?.podCIDR && node.spec.podCIDR !== this.pool.cidr)
      this.pool = new PodIpPool(node.spec.podCIDR, this.nodeName);
    // A cordon is no status change, so it is noticed here; a kubelet that does not heartbeat notices nothing.
    if (this.started && !this.sim.heartbeatStopped) this.noteSchedulable(node);
    return { resumed: wasStopped && !this.sim.heartbeatStopped };
  }

  // ------------------------------------------------------------------ node status

  /** Whether the stored Node lacks a label or differs from what this kubelet would report. */
  needsStatusWrite(now: number): boolean {
    if (missingNodeLabels(this.node)) return true;
    return nodeStatusChanged(this.node.status, desiredNodeStatus(this.node, this.sim, now).status);
  }

  /**
   * Patches missing standard labels, then the status when it changed or the report interval passed.
   * Returns when the next periodic report is due.
   */
  async syncStatus(now: number): Promise<number> {
    const { client } = this.ctx;
    let node = this.node;
    const labels = missingNodeLabels(node);
    if (labels)
      node = await client.patch(NODES, undefined, this.nodeName, "strategic", { metadata: { labels } });
    const desired = desiredNodeStatus(node, this.sim, now);
    // The start-up events stand for the first report's transitions: a kubelet starts from a fresh Node.
    const starting = !this.started;
    if (starting) {
      this.started = true;
      this.recordNodeEvents(kubeletStartEvents(this.nodeName, desired.status.conditions));
    }
    this.noteSchedulable(node);
    const interval = this.ctx.timings.statusReportIntervalMs;
    const lastReport = lastNodeReport(node);
    if (
      lastReport !== undefined &&
      lastReport + interval > now &&
      !nodeStatusChanged(node.status, desired.status)
    ) {
      return lastReport + interval;
    }
    await client.patch(
      NODES,
      undefined,
      this.nodeName,
      "strategic",
      { status: desired.status },
      { subresource: "status" },
    );
    if (!starting) this.recordNodeEvents(conditionTransitionEvents(this.nodeName, desired.transitions));
    return now + interval;
  }

  /** NodeNotSchedulable / NodeSchedulable when spec.unschedulable changed since this kubelet last looked. */
  private noteSchedulable(node: KubeObject): void {
    const unschedulable = isUnschedulable(node);
    const event = schedulableEvent(this.nodeName, this.lastUnschedulable, unschedulable);
    this.lastUnschedulable = unschedulable;
    if (event) this.recordNodeEvents([event]);
  }

  private recordNodeEvents(events: NodeEvent[]): void {
    for (const event of events) this.ctx.recordNodeEvent(this.nodeName, event);
  }

  // ------------------------------------------------------------------ lease

  /** Renews kube-node-lease/<node> (creating it when missing), as the kubelet's lease controller does. */
  async renewLease(now: number): Promise<void> {
    const { client } = this.ctx;
    if (this.lease) {
      try {
        this.lease = await client.update(LEASES, NODE_LEASE_NAMESPACE, this.renewed(this.lease, now));
        return;
      } catch (err) {
        if (!isConflict(err) && !isNotFound(err)) throw err;
        this.lease = undefined;
      }
    }
    try {
      const current = await client.get(LEASES, NODE_LEASE_NAMESPACE, this.nodeName);
      this.lease = await client.update(LEASES, NODE_LEASE_NAMESPACE, this.renewed(current, now));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const lease: KubeObject = {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: this.nodeName, namespace: NODE_LEASE_NAMESPACE },
      };
      this.lease = await client.create(LEASES, NODE_LEASE_NAMESPACE, this.renewed(lease, now));
    }
  }

  private renewed(lease: KubeObject, now: number): KubeObject {
    const metadata = { ...lease.metadata };
    // The kubelet makes its Node the Lease's owner, so the lease goes when the node does. A lease left by an
    // earlier Node of the same name gets the new owner, so the garbage collector does not take it away.
    const owned = metadata.ownerReferences?.some((ref) => ref.kind === "Node" && ref.uid === this.uid);
    if (!owned && this.uid) {
      metadata.ownerReferences = [{ apiVersion: "v1", kind: "Node", name: this.nodeName, uid: this.uid }];
    }
    return {
      ...lease,
      metadata,
      spec: {
        ...lease.spec,
        holderIdentity: this.nodeName,
        leaseDurationSeconds: this.ctx.timings.leaseDurationSeconds,
        renewTime: microTime(now),
      },
    };
  }

  // ------------------------------------------------------------------ PodHost

  allocatePodIP(): string {
    return this.pool.allocate();
  }

  reservePodIP(ip: string): void {
    this.pool.reserve(ip);
  }

  releasePodIP(ip: string): void {
    this.pool.release(ip);
  }

  hasImage(image: string): boolean {
    return this.images?.has(image) === true;
  }

  addImage(image: string): void {
    this.images ??= new Set();
    this.images.add(image);
  }

  newContainerID(): string {
    return randomBytes(32).toString("hex");
  }

  record(
    pod: KubeObject,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    fieldPath?: string,
  ): void {
    this.ctx.recorder(this.nodeName)?.event(pod, type, reason, message, fieldPath);
  }

  /** The pod left this node for good: its kubelet forgets its events, which can no longer repeat. */
  forgetEvents(pod: KubeObject): void {
    this.ctx.recorder(this.nodeName)?.forget(pod);
  }

  get onInvalidAnnotation(): InvalidAnnotation | undefined {
    return this.ctx.onInvalidAnnotation;
  }

  followProcess(pod: SimPod, c: SimContainer, argv: string[]): void {
    this.ctx.followProcess?.(pod, c, argv);
  }
}
