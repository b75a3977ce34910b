// The storage package's public surface: the backend contract, its errors, the backends and how to open one.

export {
  type AutoCompaction,
  type AutoCompactionOptions,
  DEFAULT_COMPACTION_INTERVAL_MS,
  DEFAULT_KEEP_REVISIONS,
  startAutoCompaction,
} from "./auto-compaction.js";
export type {
  Backend,
  BackendEvent,
  KeyValue,
  ListOptions,
  ListResult,
  Watch,
  WatchEventType,
  WatchOptions,
} from "./backend.js";
export { isStorageError, StorageError, type StorageErrorCode, winningRevision } from "./errors.js";
export { compareKeys, prefixEnd } from "./key-order.js";
export { MemoryBackend, type MemoryBackendOptions } from "./memory/memory-backend.js";
export { openBackend, sqlitePathFromUrl } from "./registry.js";
export { SqliteBackend, type SqliteBackendOptions } from "./sqlite/sqlite-backend.js";
