// The read side of a RegistryStore as one seam: where its objects, lists and watches come from (the watch cache,
// or storage itself for resources the cache leaves out, as upstream does for events), and what a write owes it.

import type { ApiError } from "../../api/errors.js";
import type { FieldSelector } from "../../api/fields.js";
import type { Selector } from "../../api/labels.js";
import type { KubeObject } from "../../api/object.js";
import type { CacheEvent } from "../watchcache/resource-cache.js";

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchSink {
  /** Receives events in order; `initial` events are synthetic ADDEDs for a watch without resourceVersion. */
  send(events: WatchEvent[]): void;
  /**
   * The watch ended from the server's side (storage closed, or compaction overtook a watch replaying storage
   * history: `error` is then 410 Expired and the client must re-list). Watches on the cache never end this way.
   */
  close?(error: ApiError): void;
}

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: KubeObject;
  /** Shared JSON text for the object when it is the source's own (not a filtered prevObject). */
  shared?: CacheEvent;
}

export interface WatchHandle {
  stop(): void;
}

/** What a list or watch asks for, with the selectors already parsed (and checked) by the store. */
export interface ReadQuery {
  /** Undefined: every namespace (and cluster-scoped resources). */
  namespace?: string;
  labels?: Selector;
  fields?: FieldSelector;
  /** Labels and fields together, over an object. */
  match: (obj: KubeObject) => boolean;
  /** 0: no limit. */
  limit: number;
  continue?: string;
  /** A watch's starting point: "" or "0" sends the current objects first, a revision replays after it. */
  resourceVersion: string;
}

export interface ObjectSource {
  /** The object as last written, or undefined. */
  get(key: string): Promise<KubeObject | undefined>;
  /** The same, synchronously: only a source held in memory can answer (others throw). */
  peek(key: string): KubeObject | undefined;
  list(query: ReadQuery): Promise<ListResult>;
  watch(query: ReadQuery, sink: WatchSink): Promise<WatchHandle>;
  /** A write of `obj` as the JSON text `value` is on its way to storage (the source may adopt `obj`). */
  announce(key: string, value: string, obj: KubeObject): void;
  /** The announced write failed. */
  retract(key: string, value: string): void;
  /** Resolves once a write at revision `rv` is visible to reads (read-your-writes). */
  settle(rv: number): Promise<void>;
  /** Before retrying a write that lost a race (`lost`): resolves once reads see the write that won. */
  catchUp(lost: unknown): Promise<void>;
}
