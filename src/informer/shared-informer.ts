// One reflector and one cache per resource, shared by every handler that cares about it (client-go's
// SharedIndexInformer): the store is updated first, then each handler hears about the change. Handlers should
// only enqueue keys; they run synchronously on the informer's path, so slow work there delays every other
// handler. Objects handed to handlers are the store's own and must not be mutated (they are frozen).
import { isGone } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import type { Client, ResourceType } from "../client/client.js";
import { createLogger, type Logger } from "../util/log.js";
import type { Indexers } from "./indexers.js";
import { Lister } from "./lister.js";
import { Reflector, type ReflectorOptions, type ReflectorState } from "./reflector.js";
import { ObjectStore, type StoreChange, type StoreReader } from "./store.js";

export interface ResourceEventHandler<T extends KubeObject = KubeObject> {
  /** `isInInitialList`: the object came with the first list (or was replayed to a late handler). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** After a relist, an object that vanished meanwhile is reported with its last known state. */
  onDelete?(obj: T): void;
}

export interface HandlerRegistration {
  remove(): void;
}

export interface SharedInformerOptions
  extends Pick<
    ReflectorOptions,
    | "namespace"
    | "labelSelector"
    | "fieldSelector"
    | "pageSize"
    | "minWatchTimeoutSeconds"
    | "backoff"
    | "timer"
    | "random"
    | "onStateChange"
  > {
  indexers?: Indexers;
  /** Deep-freeze cached objects (default true); turn off only to measure its cost. */
  freeze?: boolean;
  /** Where handler exceptions and list/watch failures are reported (default: a pino logger "informer"). */
  logger?: Logger;
}

let sharedLogger: Logger | undefined;

/** One logger for every informer that is not given its own (pino loggers are not free). */
function defaultLogger(): Logger {
  sharedLogger ??= createLogger("informer");
  return sharedLogger;
}

export class SharedInformer<T extends KubeObject = KubeObject> {
  private readonly cache: ObjectStore<T>;
  private readonly reflector: Reflector;
  private readonly handlers = new Set<ResourceEventHandler<T>>();
  private readonly logger: Logger;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;

  constructor(
    client: Client,
    readonly type: ResourceType,
    options: SharedInformerOptions = {},
  ) {
    this.logger = options.logger ?? defaultLogger();
    this.cache = new ObjectStore<T>({ indexers: options.indexers, freeze: options.freeze });
    this.reflector = new Reflector(
      client,
      type,
      {
        replace: (objects, rv) => this.onReplace(objects, rv),
        apply: (eventType, obj, rv) => this.notify(this.cache.apply(eventType, obj, rv), false),
        bookmark: (rv) => this.cache.setResourceVersion(rv),
      },
      {
        ...options,
        onStateChange: (state) => {
          this.logTransition(state);
          options.onStateChange?.(state);
        },
      },
    );
  }

  /** The cache, read-only. */
  get store(): StoreReader<T> {
    return this.cache;
  }

  lister(): Lister<T> {
    return new Lister(this.cache);
  }

  get state(): ReflectorState {
    return this.reflector.state;
  }

  get lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion;
  }

  /** True once the first complete list is in the store. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, or false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(true);
      });
    });
  }

  /**
   * Adds a handler. One added after the first list first hears an onAdd for every cached object, so late
   * handlers see the same world as early ones.
   */
  addEventHandler(handler: ResourceEventHandler<T>): HandlerRegistration {
    this.handlers.add(handler);
    if (this.synced) for (const obj of this.cache.list()) this.call(() => handler.onAdd?.(obj, true));
    return { remove: () => this.handlers.delete(handler) };
  }

  addIndexers(indexers: Indexers): void {
    this.cache.addIndexers(indexers);
  }

  /** Lists and watches until `signal` aborts; resolves once stopped. A second call joins the first run. */
  start(signal: AbortSignal): Promise<void> {
    this.running ??= this.reflector.run(signal);
    return this.running;
  }

  private onReplace(objects: KubeObject[], rv: string): void {
    const initial = !this.synced;
    const changes = this.cache.replace(objects, rv);
    if (initial) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w();
    }
    for (const change of changes) this.notify(change, initial);
  }

  private notify(change: StoreChange<T>, initial: boolean): void {
    for (const h of this.handlers) {
      switch (change.type) {
        case "add":
          this.call(() => h.onAdd?.(change.object, initial));
          break;
        case "update":
          this.call(() => h.onUpdate?.(change.old, change.object));
          break;
        case "delete":
          this.call(() => h.onDelete?.(change.object));
          break;
      }
    }
  }

  /** A failing handler is reported and does not stop the others, nor the informer. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ err, resource: this.type.resource }, "informer event handler failed");
    }
  }

  private logTransition(state: ReflectorState): void {
    if (state.phase !== "BackingOff") return;
    const fields = { err: state.error, resource: this.type.resource, delayMs: Math.round(state.delayMs) };
    // 410 Expired is routine (the watch fell behind the server's window); anything else deserves attention.
    if (isGone(state.error)) this.logger.debug(fields, "watch expired; listing again");
    else
      this.logger.warn(fields, `list/watch failed; ${state.then === "Empty" ? "listing" : "watching"} again`);
  }
}
