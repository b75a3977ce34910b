// The revisioned key-value contract every storage backend implements (kine-shaped): one global, monotonically
// increasing revision; create-if-absent, update/delete-if-revision, list at the head, watch from any retained
// revision, compaction. The apiserver's resourceVersion is exactly this revision.

/** One stored key at one revision. `value` is the object's JSON text as the apiserver wrote it. */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision at which the key was (last) created. */
  createRevision: number;
  /** Revision of the write that produced this value. */
  modRevision: number;
}

export type WatchEventType = "put" | "delete";

/**
 * One change. For "put", `kv` is the new value and `prevKv` the value it replaced (absent on create).
 * For "delete", `kv` is the deleted value with `modRevision` set to the deletion's revision.
 */
export interface BackendEvent {
  type: WatchEventType;
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface ListOptions {
  /** Return at most this many keys (0 or undefined: all). */
  limit?: number;
  /** Start strictly after this key (for paging; keys sort bytewise ascending). */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The store's current revision when the list was taken. */
  revision: number;
  /** True when `limit` cut the result short. */
  more: boolean;
}

export interface Watch {
  /** Stops delivery; no callback runs after it returns. */
  close(): void;
}

export interface WatchOptions {
  /** Deliver every event with revision > fromRevision. 0 means "from now". */
  fromRevision: number;
  onEvents(events: BackendEvent[]): void;
  /** The watch ended from the backend's side (closed store, overflow); the consumer should re-list. */
  onError?(err: Error): void;
}

export interface Backend {
  /** The highest revision written so far (0 for an empty store). */
  currentRevision(): number;
  /** The oldest revision still answerable by watch; older ones are compacted. */
  compactedRevision(): number;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys beginning with `prefix`, ascending. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Fails with StorageError "KeyExists" if the key is present. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Fails with "NotFound" if absent, "Conflict" if the key's modRevision is not `expectedRevision`. */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /** Fails with "NotFound" if absent, "Conflict" if `expectedRevision` is given and differs. */
  delete(key: string, expectedRevision?: number): Promise<KeyValue>;
  /** Fails with "Compacted" if `fromRevision` is older than `compactedRevision()`. */
  watch(prefix: string, options: WatchOptions): Watch;
  /** Drops history at or below `revision`; later watches from there fail with "Compacted". */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
