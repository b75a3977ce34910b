// The in-process transport of Client: calls go straight into the Registry's stores, through the same decoding,
// defaulting, validation and admission as HTTP, skipping only sockets and serialisation. It lives in apiserver/
// so that client/ never depends on the server.
//
// Identity: a client made by `withUser(user)` acts as that user, as a component with its own credentials does
// over HTTP: every call is authorized first (a 403 Status when RBAC or the node authorizer refuses) and runs
// with the user in the request context, so admission (RBAC escalation checks) sees who is writing. A client
// without a user is the server's own trusted loopback.
//
// Ownership: objects this client returns (get, list, writes, watch events) are the watch cache's own, deeply
// frozen: shared with every other reader at no cost, and a caller that tries to change one fails loudly (copy
// it first, as informer users already do). Objects handed in (create, update, patch bodies) are copied once
// before use, so the caller's copy is never changed.
import type { ServerResponse } from "node:http";
import { ApiError } from "../api/errors.js";
import { deepCopy, type KubeObject } from "../api/object.js";
import { findResource, groupVersion } from "../api/resources.js";
import type {
  Client,
  DeleteOptions,
  ListOptions,
  ObjectList,
  PatchType,
  ResourceType,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from "../client/client.js";
import {
  collectionNamespace,
  objectNamespace,
  requireName,
  writeNamespace,
} from "../client/request-scope.js";
import { type CallAuthorizer, type ResourceAddress, selectedName } from "./auth/authz/attributes.js";
import { runAsUser } from "./auth/request-user.js";
import type { UserInfo } from "./auth/user-info.js";
import { asApiError } from "./error-boundary.js";
import { checkFields } from "./http/field-validation.js";
import { bindPod } from "./registry/pod-binding.js";
import { evictPod } from "./registry/pod-eviction.js";
import type { Registry } from "./registry/registry.js";
import type { RegistryStore, WatchEvent as StoreWatchEvent } from "./registry/store.js";

export interface LocalClientOptions {
  /** How often a watch that allows bookmarks receives one (the HTTP server's interval: 60 s). */
  bookmarkIntervalMs?: number;
  /**
   * Events a watch may hold for a consumer that does not read before the watch is ended (the consumer then
   * resumes from its last resourceVersion, as after the HTTP server drops a slow watcher).
   */
  maxBufferedEvents?: number;
  /** Authorizes the calls of clients made by `withUser` (the cluster's ClusterAuth). */
  authorizer?: CallAuthorizer;
  /** The identity calls act as; set through `withUser`. */
  user?: UserInfo;
}

const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
const DEFAULT_MAX_BUFFERED_EVENTS = 100_000;
/** Upstream's default watch lifetime is randomised between 30 and 60 minutes. */
const DEFAULT_WATCH_TIMEOUT_S = 1800;

/**
 * The decode step of HTTP requests (fieldValidation): type errors fail with 400 and unknown fields are pruned,
 * so both transports store the same object. Under "Ignore" no Warning header is written, so no response is
 * needed; the in-process transport has no channel for warnings anyway.
 */
function decodeLikeHttp(obj: KubeObject, store: RegistryStore): KubeObject {
  return checkFields(obj, store.schema, "Ignore", undefined as unknown as ServerResponse);
}

async function guarded<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asApiError(e);
  }
}

/** A store event as a client event: the cache's frozen object itself, shared with every other watcher. */
function copyEvent(e: StoreWatchEvent): WatchEvent {
  return { type: e.type, object: e.object };
}

/** Events from the registry's synchronous watch callback, waiting for an asynchronous consumer. */
class EventBuffer {
  private events: (StoreWatchEvent | WatchEvent)[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  ended = false;

  constructor(private readonly limit: number) {}

  push(events: readonly (StoreWatchEvent | WatchEvent)[]): void {
    if (this.ended) return;
    for (const e of events) this.events.push(e);
    if (this.events.length - this.head > this.limit) this.ended = true;
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  /** The next event; undefined once ended and drained. */
  async take(): Promise<StoreWatchEvent | WatchEvent | undefined> {
    while (this.head >= this.events.length) {
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const e = this.events[this.head++];
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return e;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

export class LocalClient implements Client {
  constructor(
    private readonly registry: Registry,
    private readonly options: LocalClientOptions = {},
  ) {}

  /** A client on the same registry acting as `user`, authorized on every call. */
  withUser(user: UserInfo): LocalClient {
    if (!this.options.authorizer) throw new Error("LocalClient.withUser needs the authorizer option");
    return new LocalClient(this.registry, { ...this.options, user });
  }

  /** Runs a call: authorized as the client's user first (when it has one), then with that user in context. */
  private authorized<T>(address: () => ResourceAddress, fn: () => T | Promise<T>): Promise<T> {
    const { user, authorizer } = this.options;
    if (!user || !authorizer) return guarded(fn);
    return guarded(() => {
      authorizer.authorizeCall(user, address());
      return runAsUser(user, fn);
    });
  }

  private store(type: ResourceType): RegistryStore {
    return this.registry.storeFor(type.group, type.version, type.resource);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const address = () => ({ ...type, verb: "get", name, namespace: objectNamespace(type, namespace) });
    return this.authorized(address, () => {
      const ns = objectNamespace(type, namespace) ?? "";
      return this.store(type).read(ns, requireName(name));
    });
  }

  list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): Promise<ObjectList> {
    const address = () => ({
      ...type,
      verb: "list",
      name: selectedName(options.fieldSelector),
      namespace: collectionNamespace(type, namespace),
    });
    return this.authorized(address, async () => {
      const result = await this.store(type).list(collectionNamespace(type, namespace), {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
      });
      const list: ObjectList = { items: result.items, resourceVersion: result.resourceVersion };
      if (result.continue) list.continue = result.continue;
      return list;
    });
  }

  async *watch(
    type: ResourceType,
    namespace: string | undefined,
    options: WatchOptions,
    signal?: AbortSignal,
  ): AsyncGenerator<WatchEvent> {
    if (signal?.aborted) return;
    const address = () => ({
      ...type,
      verb: "watch",
      name: selectedName(options.fieldSelector),
      namespace: collectionNamespace(type, namespace),
    });
    const store = await this.authorized(address, () => this.store(type));
    const buffer = new EventBuffer(this.options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS);
    let handle: { stop(): void };
    try {
      handle = await store.watch(
        collectionNamespace(type, namespace),
        {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          resourceVersion: options.resourceVersion,
        },
        {
          send: (events) => buffer.push(events),
          // The server ended the watch (storage closed, or compaction overtook a storage replay).
          close: (error) => {
            buffer.push([{ type: "ERROR", object: error.toStatus() as unknown as KubeObject }]);
            buffer.end();
          },
        },
      );
    } catch (e) {
      const err = asApiError(e);
      // As over HTTP, a resourceVersion older than the watch window is one ERROR event, not a failed request.
      if (err.code === 410) yield { type: "ERROR", object: err.toStatus() as unknown as KubeObject };
      else throw err;
      return;
    }
    const timers: NodeJS.Timeout[] = [];
    const stop = () => buffer.end();
    signal?.addEventListener("abort", stop, { once: true });
    timers.push(
      setTimeout(stop, (options.timeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_S * (1 + Math.random())) * 1000),
    );
    // Bookmarks carry the cache's revision, which only watches fed by the cache are known to have reached.
    if (options.allowWatchBookmarks && this.registry.cacher.isCached(store.info)) {
      const interval = this.options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS;
      // Every event up to the cacher's revision has already been pushed (delivery is synchronous), so a
      // bookmark at that revision never runs ahead of the events before it.
      const bookmark: WatchEvent = {
        type: "BOOKMARK",
        object: { kind: store.info.kind, apiVersion: groupVersion(store.info), metadata: {} },
      };
      timers.push(
        setInterval(() => {
          const rv = String(this.registry.cacher.revision);
          buffer.push([{ ...bookmark, object: { ...bookmark.object, metadata: { resourceVersion: rv } } }]);
        }, interval),
      );
    }
    try {
      for (;;) {
        const e = await buffer.take();
        if (e === undefined || signal?.aborted) return;
        yield e.type === "BOOKMARK" ? (e as WatchEvent) : copyEvent(e as StoreWatchEvent);
      }
    } finally {
      handle.stop();
      for (const t of timers) clearTimeout(t);
      signal?.removeEventListener("abort", stop);
    }
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    obj: KubeObject,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    const address = () => ({ ...type, verb: "create", namespace: writeNamespace(type, namespace, obj) });
    return this.authorized(address, async () => {
      const ns = writeNamespace(type, namespace, obj) ?? "";
      const store = this.store(type);
      const body = decodeLikeHttp(deepCopy(obj), store);
      return store.create(ns, body, {
        dryRun: options.dryRun,
        fieldManager: options.fieldManager,
        owned: true,
      });
    });
  }

  update(
    type: ResourceType,
    namespace: string | undefined,
    obj: KubeObject,
    options: WriteOptions & { subresource?: "status" } = {},
  ): Promise<KubeObject> {
    const address = () => ({
      ...type,
      verb: "update",
      subresource: options.subresource,
      name: obj?.metadata?.name,
      namespace: writeNamespace(type, namespace, obj),
    });
    return this.authorized(address, async () => {
      const name = requireName(obj?.metadata?.name);
      const ns = writeNamespace(type, namespace, obj) ?? "";
      const store = this.store(type);
      const body = decodeLikeHttp(deepCopy(obj), store);
      return store.update(ns, name, body, {
        subresource: options.subresource,
        dryRun: options.dryRun,
        owned: true,
      });
    });
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options: WriteOptions & { subresource?: "status" } = {},
  ): Promise<KubeObject> {
    const address = () => ({
      ...type,
      verb: "patch",
      subresource: options.subresource,
      name,
      namespace: objectNamespace(type, namespace),
    });
    return this.authorized(address, async () => {
      const ns = objectNamespace(type, namespace) ?? "";
      const store = this.store(type);
      const patched = await store.patch(ns, requireName(name), patchType, deepCopy(patch), {
        subresource: options.subresource,
        dryRun: options.dryRun,
        fieldManager: options.fieldManager,
        validate: (o) => decodeLikeHttp(o, store),
      });
      return patched;
    });
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<void> {
    const address = () => ({ ...type, verb: "delete", name, namespace: objectNamespace(type, namespace) });
    return this.authorized(address, async () => {
      const ns = objectNamespace(type, namespace) ?? "";
      await this.store(type).delete(ns, requireName(name), {
        gracePeriodSeconds: options.gracePeriodSeconds,
        propagationPolicy: options.propagationPolicy,
        preconditions: options.preconditions,
        dryRun: options.dryRun,
      });
    });
  }

  createSubresource(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: unknown,
  ): Promise<unknown> {
    const address = () => ({
      ...type,
      verb: "create",
      subresource,
      name,
      namespace: objectNamespace(type, namespace),
    });
    return this.authorized(address, async () => {
      const ns = objectNamespace(type, namespace) ?? "";
      requireName(name);
      const info = findResource(type.group, type.version, type.resource);
      if (!info?.subresources.some((s) => s.name === subresource)) throw ApiError.noSuchPath();
      if (info.group === "" && info.resource === "pods") {
        if (subresource === "binding") return bindPod(this.registry, ns, name, deepCopy(body));
        if (subresource === "eviction") {
          const status = await evictPod(this.registry, ns, name, deepCopy(body));
          // Over HTTP a Failure Status is an error response; the in-process transport throws it the same way.
          if (status.status === "Failure") throw ApiError.fromStatus(status);
          return status;
        }
      }
      throw ApiError.methodNotAllowed(`POST is not supported on a named ${info.resource} object`);
    });
  }
}
