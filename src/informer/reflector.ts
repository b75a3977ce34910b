// The reflector keeps a target (the informer's store) in step with one resource on the server: list, then
// watch from the list's resourceVersion, following bookmarks; when the watch ends it resumes from the last
// resourceVersion seen, and only a 410 Expired, an ERROR event or a failure makes it list again, after a
// backoff. Semantics follow client-go's Reflector.ListAndWatch; the explicit state machine follows kube-rs's
// watcher.
import { ApiError, isGone, type Status } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import type { Client, ResourceType } from "../client/client.js";
import { systemTimer, type Timer } from "../client/timing.js";
import { Backoff, type BackoffOptions } from "./backoff.js";

/** Where the reflector writes what it learns. */
export interface ReflectorTarget {
  /** A complete list (the first list or a relist) replaces everything the target holds. */
  replace(objects: KubeObject[], resourceVersion: string): void;
  /** One change from the watch, in order. */
  apply(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject, resourceVersion: string): void;
  /** A BOOKMARK: nothing changed up to `resourceVersion`. */
  bookmark?(resourceVersion: string): void;
}

/**
 * Empty: must list. Listed: holds a complete view at `resourceVersion` and must (re)start the watch there.
 * Watching: a watch stream is open. BackingOff: waiting after a failure, then going to `then`.
 */
export type ReflectorState =
  | { phase: "Empty" }
  | { phase: "Listed"; resourceVersion: string }
  | { phase: "Watching"; resourceVersion: string }
  | { phase: "BackingOff"; then: "Empty" | "Listed"; delayMs: number; error: unknown }
  | { phase: "Stopped" };

export interface ReflectorOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Objects per list page (client-go's pager default: 500). */
  pageSize?: number;
  /** Watches ask the server to end them after this many seconds times 1–2 (client-go: 5 minutes). */
  minWatchTimeoutSeconds?: number;
  backoff?: BackoffOptions;
  timer?: Timer;
  random?: () => number;
  /** Called on every transition (for logs, metrics and tests). */
  onStateChange?(state: ReflectorState): void;
}

/** A watch the server closed within this time without sending anything counts as a failure (client-go). */
const VERY_SHORT_WATCH_MS = 1000;

/** client-go retries the watch itself (no relist) when the server refused the connection or asked to slow down. */
function retryWatchWithoutRelist(err: unknown): boolean {
  if (err instanceof ApiError && err.code === 429) return true;
  const cause = (err as { cause?: NodeJS.ErrnoException })?.cause;
  return cause?.code === "ECONNREFUSED";
}

export class Reflector {
  private current: ReflectorState = { phase: "Empty" };
  private lastSyncRv = "";
  /** Set when a list answered 410: the next list asks for the latest state ("") rather than lastSyncRv. */
  private lastSyncRvUnavailable = false;
  private readonly backoff: Backoff;
  private readonly timer: Timer;
  private readonly random: () => number;

  constructor(
    private readonly client: Client,
    readonly type: ResourceType,
    private readonly target: ReflectorTarget,
    private readonly options: ReflectorOptions = {},
  ) {
    this.timer = options.timer ?? systemTimer;
    this.random = options.random ?? Math.random;
    this.backoff = new Backoff(options.backoff, () => this.timer.now(), this.random);
  }

  get state(): ReflectorState {
    return this.current;
  }

  /** The resourceVersion of the last list, event or bookmark applied ("" before the first list). */
  get lastSyncResourceVersion(): string {
    return this.lastSyncRv;
  }

  /** Runs until `signal` aborts; resolves once stopped. */
  async run(signal: AbortSignal): Promise<void> {
    let state: ReflectorState = { phase: "Empty" };
    while (!signal.aborted && state.phase !== "Stopped") {
      this.enter(state);
      state = await this.step(state, signal);
    }
    this.enter({ phase: "Stopped" });
  }

  private enter(state: ReflectorState): void {
    this.current = state;
    this.options.onStateChange?.(state);
  }

  private async step(state: ReflectorState, signal: AbortSignal): Promise<ReflectorState> {
    switch (state.phase) {
      case "Empty":
        return this.list(signal);
      case "Listed":
      case "Watching":
        return this.watch(state.resourceVersion, signal);
      case "BackingOff":
        await this.timer.sleep(state.delayMs, signal);
        return state.then === "Empty"
          ? { phase: "Empty" }
          : { phase: "Listed", resourceVersion: this.lastSyncRv };
      case "Stopped":
        return state;
    }
  }

  private backOff(error: unknown, then: "Empty" | "Listed"): ReflectorState {
    return { phase: "BackingOff", then, delayMs: this.backoff.next(), error };
  }

  /**
   * client-go's relistResourceVersion: "0" (any cached state) at first, then the last resourceVersion seen
   * (state at least that new), or "" (the latest, read from storage) once the server said that is expired.
   */
  private relistResourceVersion(): string {
    if (this.lastSyncRvUnavailable) return "";
    return this.lastSyncRv || "0";
  }

  private async list(signal: AbortSignal): Promise<ReflectorState> {
    const { namespace, labelSelector, fieldSelector } = this.options;
    const items: KubeObject[] = [];
    let resourceVersion = "";
    let token: string | undefined;
    try {
      const from = this.relistResourceVersion();
      do {
        // Later pages carry only the continue token: it pins the snapshot the first page was read at.
        const page = await this.client.list(this.type, namespace, {
          labelSelector,
          fieldSelector,
          limit: this.options.pageSize ?? 500,
          continue: token,
          resourceVersion: token ? undefined : from,
        });
        if (signal.aborted) return { phase: "Stopped" };
        for (const item of page.items) items.push(item);
        resourceVersion = page.resourceVersion;
        token = page.continue;
      } while (token);
    } catch (e) {
      if (signal.aborted) return { phase: "Stopped" };
      // An expired resourceVersion or continue token: the next list reads the latest state from scratch.
      if (isGone(e)) this.lastSyncRvUnavailable = true;
      return this.backOff(e, "Empty");
    }
    this.target.replace(items, resourceVersion);
    this.lastSyncRv = resourceVersion;
    this.lastSyncRvUnavailable = false;
    return { phase: "Listed", resourceVersion };
  }

  private async watch(resourceVersion: string, signal: AbortSignal): Promise<ReflectorState> {
    const stream = new AbortController();
    const stop = () => stream.abort();
    signal.addEventListener("abort", stop, { once: true });
    const started = this.timer.now();
    let received = 0;
    this.enter({ phase: "Watching", resourceVersion });
    try {
      const events = this.client.watch(
        this.type,
        this.options.namespace,
        {
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: Math.floor((this.options.minWatchTimeoutSeconds ?? 300) * (1 + this.random())),
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
        },
        stream.signal,
      );
      for await (const event of events) {
        if (signal.aborted) break;
        const rv = event.object?.metadata?.resourceVersion;
        switch (event.type) {
          case "ADDED":
          case "MODIFIED":
          case "DELETED":
            this.target.apply(event.type, event.object, rv ?? this.lastSyncRv);
            break;
          case "BOOKMARK":
            if (rv) this.target.bookmark?.(rv);
            break;
          case "ERROR": {
            // Typically 410 Expired: the resourceVersion fell out of the server's window. As in client-go, the
            // relist asks for state at least as new as lastSyncRv; only a list that also answers 410 drops it.
            const err = ApiError.fromStatus(event.object as unknown as Partial<Status>);
            return this.backOff(err, "Empty");
          }
        }
        if (rv) this.lastSyncRv = rv;
        received++;
      }
    } catch (e) {
      if (signal.aborted) return { phase: "Stopped" };
      if (received === 0 && !isGone(e) && retryWatchWithoutRelist(e)) return this.backOff(e, "Listed");
      return this.backOff(e, "Empty");
    } finally {
      stream.abort();
      signal.removeEventListener("abort", stop);
    }
    if (signal.aborted) return { phase: "Stopped" };
    if (received === 0 && this.timer.now() - started < VERY_SHORT_WATCH_MS) {
      return this.backOff(
        new Error("very short watch: the server ended it at once without any event"),
        "Empty",
      );
    }
    // The server ended the watch (its timeout): resume where we are, no relist.
    return { phase: "Listed", resourceVersion: this.lastSyncRv };
  }
}
