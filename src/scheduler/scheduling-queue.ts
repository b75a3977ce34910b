// The scheduling queue (upstream internal/queue PriorityQueue): pending pods wait in activeQ (highest priority,
// then oldest, first), in backoffQ after a failure until their backoff (1 s doubling to 10 s) expires, or among
// the unschedulable pods until a cluster change could let them fit, or 5 minutes pass. Unschedulable pods pinned
// to nodes (DaemonSet pods) are filed by node, so a change to one node only looks at the pods that want it.
import type { KubeObject } from "../api/object.js";
import { MinHeap } from "../runtime/workqueue/min-heap.js";
import { type Clock, realClock, type Timer } from "../util/clock.js";
import type { PodInfo } from "./pod-info.js";
import { podPriority } from "./pod-info.js";

export type QueueLocation = "active" | "backoff" | "unschedulable" | "popped";

export interface QueuedPod {
  readonly key: string;
  /** The latest version the informer delivered. */
  pod: KubeObject;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the pod entered the queue, or last failed: orders activeQ, and backoff counts from it. */
  timestamp: number;
  /** What the last attempt computed; dropped when the pod changes. */
  info: PodInfo | undefined;
  location: QueueLocation;
}

export interface SchedulingQueueOptions {
  clock?: Clock;
  /** podInitialBackoffDuration, default 1 s. */
  initialBackoffMs?: number;
  /** podMaxBackoffDuration, default 10 s. */
  maxBackoffMs?: number;
  /** podMaxInUnschedulablePodsDuration, default 5 min. */
  maxInUnschedulableMs?: number;
  /** How often unschedulable pods are checked against maxInUnschedulableMs (upstream: 30 s). */
  flushIntervalMs?: number;
}

interface Entry extends QueuedPod {
  seq: number;
  /** Bumped whenever the entry leaves a heap, so stale heap slots are skipped (lazy deletion). */
  generation: number;
  /** For unschedulable pods: the nodes it is filed under, or undefined when any node change concerns it. */
  pinnedTo: ReadonlySet<string> | undefined;
}

interface HeapSlot {
  entry: Entry;
  generation: number;
  /** backoffQ: when the backoff expires. */
  due: number;
}

const activeBefore = (a: HeapSlot, b: HeapSlot): boolean => {
  const pa = podPriority(a.entry.pod);
  const pb = podPriority(b.entry.pod);
  if (pa !== pb) return pa > pb;
  if (a.entry.timestamp !== b.entry.timestamp) return a.entry.timestamp < b.entry.timestamp;
  return a.entry.seq < b.entry.seq;
};

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly flushIntervalMs: number;

  private readonly entries = new Map<string, Entry>();
  private readonly active = new MinHeap<HeapSlot>(activeBefore);
  private readonly backoff = new MinHeap<HeapSlot>(
    (a, b) => a.due < b.due || (a.due === b.due && a.entry.seq < b.entry.seq),
  );
  private readonly unschedulable = new Set<string>();
  private readonly unpinned = new Set<string>();
  private readonly byNode = new Map<string, Set<string>>();
  private activeCount = 0;
  private backoffCount = 0;
  private seq = 0;
  private waiters: (() => void)[] = [];
  private backoffTimer: { timer: Timer; due: number } | undefined;
  private flushTimer: Timer | undefined;
  private closed = false;

  constructor(options: SchedulingQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = options.maxInUnschedulableMs ?? 5 * 60_000;
    this.flushIntervalMs = options.flushIntervalMs ?? 30_000;
  }

  get size(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeCount, backoff: this.backoffCount, unschedulable: this.unschedulable.size };
  }

  /** Where the pod is, if queued. */
  get(key: string): QueuedPod | undefined {
    return this.entries.get(key);
  }

  /**
   * A pending pod appeared, or changed. New pods go to activeQ. A changed unschedulable pod is retried (its
   * change may be what it needed), unless `meaningful` says only its status moved.
   */
  addOrUpdate(key: string, pod: KubeObject, meaningful = true): void {
    if (this.closed) return;
    const entry = this.entries.get(key);
    if (!entry) {
      const fresh: Entry = {
        key,
        pod,
        attempts: 0,
        timestamp: this.clock.now(),
        info: undefined,
        location: "active",
        seq: this.seq++,
        generation: 0,
        pinnedTo: undefined,
      };
      this.entries.set(key, fresh);
      this.pushActive(fresh);
      return;
    }
    entry.pod = pod;
    if (!meaningful) return;
    entry.info = undefined;
    if (entry.location === "unschedulable") this.requeue(entry);
  }

  /** The pod is gone, bound, or no longer this scheduler's business. */
  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.detach(entry);
    this.entries.delete(key);
  }

  /** The next pod to schedule, if activeQ has one; it stays known to the queue until settled. */
  pop(): QueuedPod | undefined {
    for (let slot = this.active.pop(); slot; slot = this.active.pop()) {
      if (slot.generation !== slot.entry.generation || slot.entry.location !== "active") continue;
      this.activeCount--;
      slot.entry.generation++;
      slot.entry.location = "popped";
      slot.entry.attempts++;
      return slot.entry;
    }
    return undefined;
  }

  /** Resolves true once activeQ may have a pod, false when `signal` aborts or the queue closes. */
  waitForPod(signal: AbortSignal): Promise<boolean> {
    if (this.closed || signal.aborted) return Promise.resolve(false);
    if (this.activeCount > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(!this.closed);
      });
    });
  }

  /** The popped pod was placed: the queue forgets it. */
  done(pod: QueuedPod): void {
    const entry = this.entries.get(pod.key);
    if (entry === pod && entry.location === "popped") this.entries.delete(pod.key);
  }

  /**
   * The popped pod fits nowhere. It waits among the unschedulable pods, filed under the nodes it is pinned to
   * (`pinnedTo`; an empty set: no node change can help), or under every node when undefined.
   */
  addUnschedulable(pod: QueuedPod, pinnedTo: ReadonlySet<string> | undefined): void {
    const entry = this.reattach(pod);
    if (!entry) return;
    entry.timestamp = this.clock.now();
    entry.location = "unschedulable";
    entry.pinnedTo = pinnedTo;
    this.unschedulable.add(entry.key);
    if (!pinnedTo) this.unpinned.add(entry.key);
    else for (const node of pinnedTo) this.fileUnder(node, entry.key);
  }

  /** The attempt failed for another reason (an error, a failed binding): retry after the backoff. */
  addBackoff(pod: QueuedPod): void {
    const entry = this.reattach(pod);
    if (!entry) return;
    entry.timestamp = this.clock.now();
    this.pushBackoff(entry);
  }

  /**
   * Something changed on `nodeName` (added, relabelled, retainted, resized, or a pod left it). Unschedulable
   * pods that care about the node and for which `fits` now holds go back to activeQ (or backoffQ).
   */
  moveOnNodeChange(nodeName: string, fits: (pod: QueuedPod) => boolean): number {
    let moved = 0;
    const consider = (key: string) => {
      const entry = this.entries.get(key);
      if (entry?.location === "unschedulable" && fits(entry)) {
        this.requeue(entry);
        moved++;
      }
    };
    for (const key of [...(this.byNode.get(nodeName) ?? [])]) consider(key);
    for (const key of [...this.unpinned]) consider(key);
    return moved;
  }

  /** Activate: an unschedulable pod is retried now (after its backoff), e.g. when its preemption failed. */
  activate(key: string): void {
    const entry = this.entries.get(key);
    if (entry?.location === "unschedulable") this.requeue(entry);
  }

  /** Starts the timers (backoff expiry, the unschedulable leftover flush); stops them when `signal` aborts. */
  run(signal: AbortSignal): void {
    const tick = () => {
      this.flushUnschedulableLeftover();
      this.flushTimer = this.clock.setTimeout(tick, this.flushIntervalMs);
    };
    this.flushTimer = this.clock.setTimeout(tick, this.flushIntervalMs);
    this.armBackoffTimer();
    signal.addEventListener("abort", () => this.close(), { once: true });
  }

  close(): void {
    this.closed = true;
    if (this.flushTimer) this.clock.clearTimeout(this.flushTimer);
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer.timer);
    this.backoffTimer = undefined;
    this.wake();
  }

  /** calculateBackoffDuration: the initial backoff doubled per attempt after the first, capped. */
  backoffDuration(attempts: number): number {
    let duration = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      if (duration > this.maxBackoffMs - duration) return this.maxBackoffMs;
      duration += duration;
    }
    return duration;
  }

  /** flushUnschedulablePodsLeftover: pods that waited longer than maxInUnschedulableMs are retried anyway. */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const key of [...this.unschedulable]) {
      const entry = this.entries.get(key)!;
      if (now - entry.timestamp > this.maxInUnschedulableMs) this.requeue(entry);
    }
  }

  /** Back to activeQ, or to backoffQ while the pod's backoff runs. */
  private requeue(entry: Entry): void {
    this.detach(entry);
    const due = entry.attempts > 0 ? entry.timestamp + this.backoffDuration(entry.attempts) : 0;
    if (due > this.clock.now()) this.pushBackoff(entry);
    else this.pushActive(entry);
  }

  /** The queue's entry for a popped pod, unless it was deleted or re-added meanwhile. */
  private reattach(pod: QueuedPod): Entry | undefined {
    if (this.closed) return undefined;
    const entry = this.entries.get(pod.key);
    if (entry) return entry === pod && entry.location === "popped" ? entry : undefined;
    // Settled earlier (assumed, then the binding failed): the pod comes back with its history.
    const back = pod as Entry;
    back.location = "popped";
    this.entries.set(back.key, back);
    return back;
  }

  private pushActive(entry: Entry): void {
    entry.location = "active";
    this.active.push({ entry, generation: entry.generation, due: 0 });
    this.activeCount++;
    this.wake();
  }

  private pushBackoff(entry: Entry): void {
    entry.location = "backoff";
    const due = entry.timestamp + this.backoffDuration(entry.attempts);
    this.backoff.push({ entry, generation: entry.generation, due });
    this.backoffCount++;
    this.armBackoffTimer();
  }

  /** Takes the entry out of wherever it waits (heaps lazily, by bumping its generation). */
  private detach(entry: Entry): void {
    switch (entry.location) {
      case "active":
        this.activeCount--;
        break;
      case "backoff":
        this.backoffCount--;
        break;
      case "unschedulable":
        this.unschedulable.delete(entry.key);
        this.unpinned.delete(entry.key);
        for (const node of entry.pinnedTo ?? []) this.unfile(node, entry.key);
        entry.pinnedTo = undefined;
        break;
    }
    entry.generation++;
    entry.location = "popped";
  }

  private fileUnder(node: string, key: string): void {
    let keys = this.byNode.get(node);
    if (!keys) {
      keys = new Set();
      this.byNode.set(node, keys);
    }
    keys.add(key);
  }

  private unfile(node: string, key: string): void {
    const keys = this.byNode.get(node);
    keys?.delete(key);
    if (keys?.size === 0) this.byNode.delete(node);
  }

  /** Moves every pod whose backoff has expired to activeQ, then waits for the next expiry. */
  private flushBackoff(): void {
    this.backoffTimer = undefined;
    const now = this.clock.now();
    for (let slot = this.backoff.peek(); slot && slot.due <= now; slot = this.backoff.peek()) {
      this.backoff.pop();
      if (slot.generation !== slot.entry.generation || slot.entry.location !== "backoff") continue;
      this.backoffCount--;
      slot.entry.generation++;
      this.pushActive(slot.entry);
    }
    this.armBackoffTimer();
  }

  private armBackoffTimer(): void {
    if (this.closed) return;
    // Drop stale slots first, so the timer is set for a pod that is really waiting.
    for (let slot = this.backoff.peek(); slot; slot = this.backoff.peek()) {
      if (slot.generation === slot.entry.generation && slot.entry.location === "backoff") break;
      this.backoff.pop();
    }
    const next = this.backoff.peek();
    if (!next) return;
    if (this.backoffTimer && this.backoffTimer.due <= next.due) return;
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer.timer);
    const delay = Math.max(0, next.due - this.clock.now());
    this.backoffTimer = { timer: this.clock.setTimeout(() => this.flushBackoff(), delay), due: next.due };
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
