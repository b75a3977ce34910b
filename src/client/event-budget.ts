// Budgets for event writes: a token bucket in front of a bounded queue, shared by many recorders — the fleet's
// kubelets, the control plane's controllers. Events are best-effort in Kubernetes and every component here shares
// one thread, so event writes must not compete with the writes a rollout waits on: while the event loop is
// saturated a budget slows to a trickle, and what it cannot take in time is dropped.
import type { Clock, Timer } from "../util/clock.js";
import { type LoopLoad, NEVER_BUSY } from "../util/loop-load.js";
import type { EventWriteGate } from "./event-recorder.js";

export interface EventBudgetOptions {
  clock: Clock;
  /** Events sent at once before the bucket runs dry. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
  /** Tokens added per second while `load` says the event loop is saturated (default: `perSecond`). */
  busyPerSecond?: number;
  /** The event loop's load (default: never busy, so the rates are fixed). */
  load?: LoopLoad;
  /** Events waiting for a token; beyond this the oldest waiting one is dropped. */
  maxQueued: number;
  /** Called when the queue starts dropping (once per backlog, not once per dropped event). */
  onOverflow?: () => void;
  /** A send that throws (the recorder never should) is reported here and does not stop the others. */
  onError?: (err: unknown) => void;
}

/**
 * Why these numbers. The kubelet's own event client allows 50 events/s with a burst of 100 (KubeletConfiguration
 * eventRecordQPS / eventBurst), but that is per node: ten thousand nodes in one process need one budget for all.
 * - burst 200: a cluster of up to ~30 nodes starting together (six events each) writes all of them at once, so
 *   every hand-sized cluster sees its node events within milliseconds.
 * - 200 per second: a DaemonSet rollout on 5,000 nodes needs several writes per pod (create, bind, status
 *   patches), thousands of writes per second for its 5 s target; 200 node events a second stay a few percent
 *   of that, while a cordon or a pressure change on a busy fleet is still written within seconds.
 * - 1,000 queued: client-go's event broadcaster queues at most 1,000 events (tools/record maxQueuedEvents); at
 *   200/s that is five seconds of backlog, so an event is at most that late or not written at all.
 */
export const DEFAULT_NODE_EVENTS_BUDGET = { burst: 200, perSecond: 200, maxQueued: 1000 } as const;

/**
 * The budget of the kubelets' pod events (Scheduled is the scheduler's; Pulling, Pulled, Created, Started,
 * Killing… are theirs), which the fleet writes through the same kind of bucket:
 * - burst 1,000: a rollout of a few hundred pods writes every event at once;
 * - 100 per second while the event loop is saturated: a 5,000-node rollout makes 15,000 of them in seconds, as
 *   many writes as all its pod writes together. Written as they come they took a fifth of the rollout's time;
 *   at a hundred a second they cost about 1 % of the loop and wait for the rollout instead;
 * - 2,000 per second otherwise: the backlog is written right after the rollout, at about a sixth of the loop;
 * - 100,000 queued: two rollouts of 10,000 nodes; only beyond that are events dropped (oldest first).
 */
export const DEFAULT_POD_EVENTS_BUDGET = {
  burst: 1000,
  perSecond: 2000,
  busyPerSecond: 100,
  maxQueued: 100_000,
} as const;

/**
 * The budget of the control plane's events (the scheduler's Scheduled, the controllers' SuccessfulCreate,
 * RegisteredNode…), one for all its recorders. Upstream each component writes them from its own process and
 * its own broadcaster; here they share the thread with the work they report on, so they get the pod events'
 * rates: at once in a quiet cluster, after the rollout in a busy one.
 */
export const DEFAULT_CONTROL_PLANE_EVENTS_BUDGET = DEFAULT_POD_EVENTS_BUDGET;

/** A backlog drains in ticks at least this far apart, so a long one costs tens of timers a second, not hundreds. */
const MIN_TICK_MS = 25;

interface Waiting {
  send: () => void;
  /** Told when the send is dropped (queue full, or the budget stopped), so that nobody waits for it forever. */
  dropped?: () => void;
}

export class EventBudget {
  private tokens: number;
  private refilledAt: number;
  /** Ring buffer of waiting sends: `head` is the oldest, `size` how many there are. */
  private readonly ring: (Waiting | undefined)[];
  private head = 0;
  private size = 0;
  private timer: Timer | undefined;
  private overflowing = false;
  private droppedCount = 0;

  private readonly load: LoopLoad;

  constructor(private readonly o: EventBudgetOptions) {
    this.load = o.load ?? NEVER_BUSY;
    this.tokens = o.burst;
    this.refilledAt = o.clock.now();
    this.ring = new Array(Math.max(1, o.maxQueued));
  }

  /** Events waiting for a token. */
  get queued(): number {
    return this.size;
  }

  /**
   * The budget as a recorder's write gate: a write runs when a token is free; a dropped one rejects (events are
   * best-effort, and the recorder reports it).
   */
  readonly gate: EventWriteGate = (write) =>
    new Promise((resolve, reject) =>
      this.submit(
        () => void write().then(resolve, reject),
        () => reject(new Error("event dropped: too many events at once, or the budget stopped")),
      ),
    );

  /** Events dropped so far because the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Runs `send` now when a token is free and nothing waits before it; otherwise queues it. `dropped` is called
   * instead if it never runs.
   */
  submit(send: () => void, dropped?: () => void): void {
    this.refill();
    if (this.size === 0 && this.tokens >= 1) {
      this.tokens--;
      this.run(send);
      return;
    }
    if (this.size === this.ring.length) {
      // client-go drops the incoming event when its queue is full; dropping the oldest instead keeps the latest
      // change (a cordon after a thousand start-up events) rather than the stale ones before it.
      this.droppedCount++;
      this.notifyDropped(this.shift());
      if (!this.overflowing) {
        this.overflowing = true;
        this.o.onOverflow?.();
      }
    }
    this.ring[(this.head + this.size) % this.ring.length] = { send, dropped };
    this.size++;
    this.arm();
  }

  /** Forgets what waits and cancels the drain (the fleet stopping). */
  stop(): void {
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const waiting: (Waiting | undefined)[] = [];
    for (let i = 0; i < this.size; i++) waiting.push(this.ring[(this.head + i) % this.ring.length]);
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    for (const w of waiting) this.notifyDropped(w);
  }

  /** Takes the oldest waiting send off the ring (the caller knows the ring is not empty). */
  private shift(): Waiting | undefined {
    const oldest = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return oldest;
  }

  private notifyDropped(waiting: Waiting | undefined): void {
    if (waiting?.dropped) this.run(waiting.dropped);
  }

  /** Tokens per second now: the busy rate while the event loop is saturated. */
  private rate(): number {
    return this.load.busy() ? (this.o.busyPerSecond ?? this.o.perSecond) : this.o.perSecond;
  }

  private refill(): void {
    const now = this.o.clock.now();
    const elapsed = now - this.refilledAt;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.o.burst, this.tokens + (elapsed * this.rate()) / 1000);
    this.refilledAt = now;
  }

  private arm(): void {
    if (this.timer || this.size === 0) return;
    const untilToken = Math.ceil(((1 - this.tokens) * 1000) / this.rate());
    this.timer = this.o.clock.setTimeout(() => this.drain(), Math.max(MIN_TICK_MS, untilToken));
  }

  private drain(): void {
    this.timer = undefined;
    this.refill();
    while (this.size > 0 && this.tokens >= 1) {
      const waiting = this.shift();
      this.tokens--;
      if (waiting) this.run(waiting.send);
    }
    if (this.size === 0) this.overflowing = false;
    this.arm();
  }

  private run(send: () => void): void {
    try {
      send();
    } catch (err) {
      this.o.onError?.(err);
    }
  }
}
