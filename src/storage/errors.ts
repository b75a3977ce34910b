// Storage failures as coded errors; the apiserver maps them to Kubernetes Status in one place.

export type StorageErrorCode = "KeyExists" | "NotFound" | "Conflict" | "Compacted" | "Closed";

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string;
  /** For Conflict: the revision actually stored. For Compacted: the compacted revision. */
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
