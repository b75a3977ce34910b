// Records core/v1 Events the way client-go's tools/record does: named <object>.<unique hex>, deduplicated
// (an identical event bumps count and lastTimestamp), aggregated (from the 10th distinct message of similar
// events, each less than 10 minutes after the previous one, they go to one "(combined from similar events): …"
// event) and spam-filtered (a burst of 25 per object, then one per 5 minutes). Writes are fire-and-forget: a
// failed event never fails the caller.
import type { KubeObject } from "../api/object.js";
import type { Client, ResourceType } from "./client.js";

export type EventType = "Normal" | "Warning";

/**
 * Performs one event write when the caller's budget allows: recorders whose events may wait (the fleet's
 * kubelets) share one, so that a burst of events trails the writes a rollout waits on. A gate may drop a
 * write it cannot take in time (events are best-effort): it then rejects, and the recorder reports it to onError.
 */
export type EventWriteGate = <T>(write: () => Promise<T>) => Promise<T>;

export interface EventSource {
  component: string;
  host?: string;
}

const EVENTS: ResourceType = {
  group: "",
  version: "v1",
  resource: "events",
  namespaced: true,
  kind: "Event",
};

/** client-go's defaults (tools/record/events_cache.go). */
const AGGREGATE_WINDOW_MS = 10 * 60 * 1000;
const AGGREGATE_MAX_SIMILAR = 10;
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 5 * 60 * 1000;
const CACHE_LIMIT = 4096;

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  /** Write in flight for this event: later updates chain onto it so counts stay in order. Cleared once done. */
  pending: Promise<void> | undefined;
  /** With the group's type and reason, the part and first message identify the event (client-go's eventCache key). */
  part: string;
  message: string;
}

/**
 * The events of one object with one type and reason. client-go keeps them in three caches keyed by long strings
 * (eventCache, aggregate records, and the combined events); here they are one small object per type and reason,
 * because a fleet's kubelets hold tens of thousands of them.
 */
class EventGroup {
  /**
   * Distinct messages within the aggregation window (client-go's localKeys); aggregation starts when they reach
   * the threshold. Most groups only ever see one message, kept as a string until a second one comes.
   */
  messages: string | Set<string>;
  /** When the last similar event came: a group idle for the window starts counting messages afresh. */
  last: number;
  /** The distinct events recorded: one kept as is, a list once there are more (oldest forgotten past the cache limit). */
  seen: Recorded | Recorded[] | undefined;
  /** The combined event; like client-go's, it outlives the window. */
  combined: Recorded | undefined;

  constructor(message: string, now: number) {
    this.messages = message;
    this.last = now;
  }

  find(part: string, message: string): Recorded | undefined {
    const seen = this.seen;
    if (seen === undefined) return undefined;
    if (!Array.isArray(seen)) return seen.part === part && seen.message === message ? seen : undefined;
    return seen.find((e) => e.part === part && e.message === message);
  }

  add(event: Recorded): void {
    if (this.seen === undefined) this.seen = event;
    else if (!Array.isArray(this.seen)) this.seen = [this.seen, event];
    else {
      // Bounded as client-go's cache is: new messages that come more than a window apart add up otherwise.
      if (this.seen.length >= CACHE_LIMIT) this.seen.shift();
      this.seen.push(event);
    }
  }

  *records(): Generator<Recorded> {
    if (Array.isArray(this.seen)) yield* this.seen;
    else if (this.seen) yield this.seen;
    if (this.combined) yield this.combined;
  }
}

function objectReference(obj: KubeObject, fieldPath: string | undefined) {
  const ref: Record<string, string> = {
    kind: obj.kind ?? "",
    name: obj.metadata.name ?? "",
    uid: obj.metadata.uid ?? "",
    apiVersion: obj.apiVersion ?? "",
    resourceVersion: obj.metadata.resourceVersion ?? "",
  };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}

const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/** Bounded map that forgets its oldest entries, like client-go's LRU caches. */
class Lru<V> extends Map<string, V> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: string, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    if (this.size > this.limit) this.delete(this.keys().next().value as string);
    return this;
  }
}

/**
 * What the recorder remembers of one object's events. client-go keeps its caches keyed by strings that all begin
 * with the object; grouping them by object keeps the keys short and lets an object be forgotten when it is gone
 * (a kubelet's pod that left its node).
 */
class ObjectEvents {
  /** The spam filter's token bucket (EventSourceObjectSpamFilter). */
  tokens = SPAM_BURST;
  refilled: number;
  /** By type and reason (`groupKey`). */
  readonly groups = new Lru<EventGroup>(CACHE_LIMIT);

  constructor(now: number) {
    this.refilled = now;
  }
}

export class EventRecorder {
  /** By object: kind, namespace, name and uid. */
  private readonly objects = new Lru<ObjectEvents>(CACHE_LIMIT);
  private counter = 0;

  constructor(
    private readonly client: Client,
    private readonly source: EventSource,
    private readonly now: () => number = Date.now,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly gate?: EventWriteGate,
  ) {}

  /** Performs an event write, through the gate when there is one. Timestamps are already set: they stay true. */
  private write<T>(request: () => Promise<T>): Promise<T> {
    return this.gate ? this.gate(request) : request();
  }

  /**
   * Records an event about `obj`; `fieldPath` names a part of it, as the kubelet names a container
   * (`spec.containers{main}`), and keeps otherwise identical events about different parts apart.
   */
  event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const now = this.now();
    const objKey = objectKey(obj);
    // Set again even when known: the LRU keeps the objects recorded about most recently.
    const state = this.objects.get(objKey) ?? new ObjectEvents(now);
    this.objects.set(objKey, state);
    if (!allow(state, now)) return;

    // Aggregation: events that differ only in message (and part) are "similar". A repeated message counts once;
    // from the threshold-th distinct message on, new messages go to one combined event.
    const key = groupKey(type, reason);
    let group = state.groups.get(key);
    if (!group) group = new EventGroup(message, now);
    else if (now - group.last > AGGREGATE_WINDOW_MS) group.messages = message;
    group.last = now;
    if (group.messages !== message) {
      if (typeof group.messages === "string") group.messages = new Set([group.messages]);
      group.messages.add(message);
    }
    state.groups.set(key, group);
    if (typeof group.messages !== "string" && group.messages.size >= AGGREGATE_MAX_SIMILAR) {
      // client-go then forgets an arbitrary message to stay under the threshold; forgetting this one keeps the
      // earlier messages on their own events when they repeat.
      group.messages.delete(message);
      const combined = `(combined from similar events): ${message}`;
      if (group.combined) this.bump(group.combined, combined, now);
      else group.combined = this.create(obj, type, reason, combined, now, fieldPath);
      return;
    }

    const part = fieldPath ?? "";
    const existing = group.find(part, message);
    if (existing) {
      this.bump(existing, message, now);
      return;
    }
    group.add(this.create(obj, type, reason, message, now, fieldPath));
  }

  /**
   * Forgets what was recorded about `obj`: for an object that is gone, whose events can no longer repeat (a
   * kubelet's pod that left its node). Without it a fleet of kubelets would remember every pod it ever ran.
   */
  forget(obj: KubeObject): void {
    this.objects.delete(objectKey(obj));
  }

  private create(
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    now: number,
    fieldPath: string | undefined,
  ): Recorded {
    const namespace = obj.metadata.namespace || "default";
    // Upstream names events <object>.<UnixNano in hex>; the counter stands in for the nanoseconds a millisecond
    // clock lacks, so events within one millisecond get distinct names (bigint: the value exceeds 2^53).
    const nanos = BigInt(now) * 1_000_000n + BigInt(this.counter++ % 1_000_000);
    const name = [obj.metadata.name, nanos.toString(16)].join(".");
    const time = rfc3339(now);
    const event: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: objectReference(obj, fieldPath),
      reason,
      message,
      type,
      source: this.source.host
        ? { component: this.source.component, host: this.source.host }
        : { component: this.source.component },
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? "",
    };
    const recorded: Recorded = {
      name,
      namespace,
      count: 1,
      pending: undefined,
      part: fieldPath ?? "",
      message,
    };
    this.track(
      recorded,
      this.write(() => this.client.create(EVENTS, namespace, event)),
    );
    return recorded;
  }

  /** Keeps `write` as the record's pending write until it is done (a failure goes to onError). */
  private track(r: Recorded, write: Promise<unknown>): void {
    const pending: Promise<void> = write.then(
      () => {
        if (r.pending === pending) r.pending = undefined;
      },
      (err) => {
        if (r.pending === pending) r.pending = undefined;
        this.onError(err);
      },
    );
    r.pending = pending;
  }

  private bump(r: Recorded, message: string, now: number): void {
    r.count++;
    const patch = { count: r.count, lastTimestamp: rfc3339(now), message };
    const update = () => this.write(() => this.client.patch(EVENTS, r.namespace, r.name, "merge", patch));
    this.track(r, r.pending ? r.pending.then(update) : update());
  }

  /** Resolves once every event written so far has reached the server (for tests and clean shutdown). */
  async flush(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const state of this.objects.values()) {
      for (const group of state.groups.values())
        for (const r of group.records()) if (r.pending) pending.push(r.pending);
    }
    await Promise.all(pending);
  }
}

// Keys are joined rather than concatenated: a concatenation keeps its parts as a tree of string objects, and a
// fleet keeps tens of thousands of these keys.
const objectKey = (obj: KubeObject) =>
  [obj.kind, obj.metadata.namespace ?? "", obj.metadata.name, obj.metadata.uid ?? ""].join("/");

/** Normal events, most of them, are keyed by their reason alone: no string is built for them. */
const groupKey = (type: EventType, reason: string) => (type === "Normal" ? reason : `${type}/${reason}`);

/** The object's token bucket: a burst of 25, then one more every 5 minutes. */
function allow(state: ObjectEvents, now: number): boolean {
  const refill = Math.floor((now - state.refilled) / SPAM_REFILL_MS);
  if (refill > 0) {
    state.tokens = Math.min(SPAM_BURST, state.tokens + refill);
    state.refilled += refill * SPAM_REFILL_MS;
  }
  if (state.tokens <= 0) return false;
  state.tokens--;
  return true;
}
