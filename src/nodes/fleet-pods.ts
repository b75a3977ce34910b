// The pod side of the fleet: one SimPod per pod bound to a node the fleet runs, its step timer on the fleet's
// TimerWheel, and the write that reports it. A status is written when the SimPod's version moved and the stored
// status differs from it; a pod whose containers stopped after a deletion is then deleted for good.
import { isConflict, isNotFound } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import type { Client, ResourceType } from "../client/client.js";
import type { StoreReader } from "../informer/store.js";
import type { Clock } from "../util/clock.js";
import type { ProcessPlan } from "./main-process.js";
import type { NodeAgent } from "./node-agent.js";
import { podStatusDiffers, podStatusPatch } from "./pod-status-diff.js";
import { SimPod } from "./sim-pod.js";
import type { ScheduledTask, TimerWheel } from "./timer-wheel.js";

export const PODS: ResourceType = {
  group: "",
  version: "v1",
  resource: "pods",
  namespaced: true,
  kind: "Pod",
};

/** Per-pod bookkeeping around a SimPod. */
interface PodEntry {
  sim: SimPod;
  agent: NodeAgent;
  timer?: ScheduledTask;
  /** SimPod.version last handed to the writer. */
  queuedVersion: number;
  /** The SimPod.version whose status was written last, and the resourceVersion that write produced. */
  lastWritten?: { version: number; resourceVersion: string };
  deleteSent?: boolean;
}

export interface FleetPodsDeps {
  client: Client;
  clock: Clock;
  wheel: TimerWheel;
  /** The pod informer's cache (the stored status to compare with). */
  store: StoreReader;
  /** Hands `namespace/name` to the writer, which calls sync() for it. */
  enqueue(key: string): void;
}

/** a is newer than b (resourceVersions compare as integers when they are, as everynode's and etcd's are). */
export function newerThan(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return a !== b;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) > BigInt(b);
  return a !== b;
}

const keyOf = (pod: KubeObject) => `${pod.metadata.namespace}/${pod.metadata.name}`;

export class FleetPods {
  private readonly entries = new Map<string, PodEntry>();

  constructor(private readonly deps: FleetPodsDeps) {}

  get size(): number {
    return this.entries.size;
  }

  /** The SimPod of `namespace/name`, if the fleet runs it. */
  get(key: string): SimPod | undefined {
    return this.entries.get(key)?.sim;
  }

  /**
   * A pod was added or changed; `agent` runs its node (undefined: not a node of the fleet). With `resync`
   * (a node back from `heartbeat: stopped`) the status is written again if the stored one differs.
   */
  changed(pod: KubeObject, agent: NodeAgent | undefined, resync = false): void {
    const key = keyOf(pod);
    let entry = this.entries.get(key);
    if (entry && (entry.sim.uid !== pod.metadata.uid || entry.agent !== agent)) {
      this.drop(key);
      entry = undefined;
    }
    if (!agent) return;
    const now = this.deps.clock.now();
    if (!entry) {
      entry = { sim: new SimPod(pod, agent, now), agent, queuedVersion: 0 };
      this.entries.set(key, entry);
      agent.pods.add(key);
    } else {
      entry.sim.update(pod, now);
      // Someone else rewrote the status (e.g. pods marked not ready while the node was away): report again.
      const foreign =
        entry.lastWritten && newerThan(pod.metadata.resourceVersion, entry.lastWritten.resourceVersion);
      if ((resync || foreign) && podStatusDiffers(pod.status, entry.sim.status())) entry.queuedVersion = -1;
    }
    // An unreachable kubelet does not see deletions; it acts on them once its heartbeat resumes.
    if (pod.metadata.deletionTimestamp && !agent.sim.heartbeatStopped) entry.sim.startTermination(now);
    this.settle(key, entry, now);
  }

  deleted(pod: KubeObject): void {
    const key = keyOf(pod);
    if (this.entries.get(key)?.sim.uid === pod.metadata.uid) this.drop(key);
  }

  /** Stops running the pod (deleted, or its node left): no timer, no writes, its IP free again. */
  drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.timer?.cancel();
    this.entries.delete(key);
    entry.agent.pods.delete(key);
    if (!entry.sim.pod.spec?.hostNetwork) entry.agent.releasePodIP(entry.sim.podIP);
    entry.sim.close(this.deps.clock.now());
    entry.agent.forgetEvents(entry.sim.pod);
  }

  /** The own process of a container instance ended (an attached shell exited): it terminates now. */
  processExited(key: string, container: string, containerID: string | undefined, exitCode: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    const now = this.deps.clock.now();
    if (entry.sim.processExited(container, containerID, exitCode, now)) this.settle(key, entry, now);
  }

  /** What following a container's process found (main-process.ts): when and how it ends, if it does. */
  processPlanned(key: string, container: string, containerID: string | undefined, plan: ProcessPlan): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    const now = this.deps.clock.now();
    if (entry.sim.applyProcessPlan(container, containerID, plan, now)) this.settle(key, entry, now);
  }

  /** Patches the pod's status if it differs from the stored one, then deletes a pod whose containers stopped. */
  async sync(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry || entry.agent.sim.heartbeatStopped || entry.deleteSent) return;
    const { sim } = entry;
    const { client, store } = this.deps;
    const pod = store.get(key);
    if (!pod || pod.metadata.uid !== sim.uid) return;
    const version = sim.version;
    const written = entry.lastWritten;
    // Until the informer shows something newer than our last write, that write is the truth (the informer may
    // lag behind it); after that, the stored status is.
    const upToDate =
      written?.version === version && !newerThan(pod.metadata.resourceVersion, written.resourceVersion);
    const desired = upToDate ? undefined : sim.status();
    try {
      if (desired && podStatusDiffers(pod.status, desired)) {
        const updated = await client.patch(
          PODS,
          sim.namespace,
          sim.name,
          "strategic",
          podStatusPatch(desired),
          {
            subresource: "status",
          },
        );
        entry.lastWritten = { version, resourceVersion: updated.metadata.resourceVersion ?? "" };
      }
      if (sim.finished) {
        // As the kubelet's status manager: delete for good, and only this incarnation of the pod.
        await client.delete(PODS, sim.namespace, sim.name, {
          gracePeriodSeconds: 0,
          preconditions: { uid: sim.uid },
        });
        entry.deleteSent = true;
      }
    } catch (err) {
      // Gone, or replaced by a pod of the same name: the informer will tell what to do next.
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /**
   * Re-arms the pod's timer and hands a changed status to the writer. A status whose next step is already due
   * (a zero start delay) waits for that step: like the kubelet's status manager, which writes only the latest
   * status, a state that lasts no time is never reported — at scale that is one pod write in four.
   */
  private settle(key: string, entry: PodEntry, now?: number): void {
    const next = entry.sim.nextDueAt();
    if (entry.timer?.at !== next) {
      entry.timer?.cancel();
      entry.timer = next === undefined ? undefined : this.deps.wheel.schedule(next, () => this.tick(key));
    }
    if (now !== undefined && next !== undefined && next <= now && !entry.sim.finished) return;
    if (entry.sim.version !== entry.queuedVersion || entry.sim.finished) {
      entry.queuedVersion = entry.sim.version;
      this.deps.enqueue(key);
    }
  }

  private tick(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.timer = undefined;
    entry.sim.advance(this.deps.clock.now());
    this.settle(key, entry);
  }
}
