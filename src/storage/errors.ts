// Storage failures as coded errors; the apiserver maps them to Kubernetes Status in one place.

/** Unavailable: the store (a remote etcd) did not answer; a write may or may not have been applied. */
export type StorageErrorCode = "KeyExists" | "NotFound" | "Conflict" | "Compacted" | "Closed" | "Unavailable";

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string;
  /** For Conflict and KeyExists: the revision actually stored. For Compacted: the compacted revision. */
  readonly revision?: number;

  constructor(code: StorageErrorCode, key: string, message: string, revision?: number) {
    super(message);
    this.name = "StorageError";
    this.code = code;
    this.key = key;
    this.revision = revision;
  }
}

export const isStorageError = (e: unknown, code?: StorageErrorCode): e is StorageError =>
  e instanceof StorageError && (code === undefined || e.code === code);

/**
 * The revision of the write that beat a Conflict or KeyExists, found in `e` or its chain of causes. The winner
 * is committed, yet reads may show it only once it is durable: a retry waits for this revision first.
 */
export function winningRevision(e: unknown): number | undefined {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    if (c instanceof StorageError && (c.code === "Conflict" || c.code === "KeyExists")) return c.revision;
  }
  return undefined;
}
