// The one client interface every component uses to reach a cluster (controllers, scheduler, node fleet, CLI).
// Two transports implement it: HTTP to any Kubernetes API server (kubeconfig), and in-process straight into
// everynode's registry (same admission and validation, no sockets, no serialisation).
import type { KubeObject } from "../api/object.js";

/** Which resource a call addresses; `ResourceInfo` from src/api/resources.ts satisfies it. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural path segment, e.g. "daemonsets". */
  resource: string;
  namespaced: boolean;
  kind: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Resume after this revision ("" or "0": current objects first, as ADDED). */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface ObjectList {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** One watch event; for ERROR, `object` is a Status (410 Expired means: list again). */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type PatchType = "json" | "merge" | "strategic";

/**
 * A cluster client. Failures are `ApiError`s (src/api/errors.ts) carrying the server's Status, whichever
 * transport is used, so callers test `isNotFound(e)`, `isConflict(e)` the same way everywhere.
 */
export interface Client {
  get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject>;
  list(type: ResourceType, namespace: string | undefined, options?: ListOptions): Promise<ObjectList>;
  /** Streams events until `signal` aborts or the server ends the watch (then the iterator completes). */
  watch(
    type: ResourceType,
    namespace: string | undefined,
    options: WatchOptions,
    signal?: AbortSignal,
  ): AsyncIterable<WatchEvent>;
  create(
    type: ResourceType,
    namespace: string | undefined,
    obj: KubeObject,
    options?: WriteOptions,
  ): Promise<KubeObject>;
  update(
    type: ResourceType,
    namespace: string | undefined,
    obj: KubeObject,
    options?: WriteOptions & { subresource?: "status" },
  ): Promise<KubeObject>;
  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options?: WriteOptions & { subresource?: "status" },
  ): Promise<KubeObject>;
  /** Resolves with the object as the server returned it (deleted, or marked for deletion). */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): Promise<void>;
  /** POST to a subresource: pods/binding, pods/eviction. */
  createSubresource(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: unknown,
  ): Promise<unknown>;
}
