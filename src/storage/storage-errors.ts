// Constructors for the StorageError cases, so every backend words (and codes) its failures the same way.
import { StorageError } from "./errors.js";

export const keyExistsError = (key: string, storedRevision: number): StorageError =>
  new StorageError("KeyExists", key, `key "${key}" already exists`, storedRevision);

export const notFoundError = (key: string): StorageError =>
  new StorageError("NotFound", key, `key "${key}" not found`);

export const conflictError = (key: string, storedRevision: number, expectedRevision: number): StorageError =>
  new StorageError(
    "Conflict",
    key,
    `key "${key}" is at revision ${storedRevision}, not the expected ${expectedRevision}`,
    storedRevision,
  );

export const compactedError = (
  key: string,
  requestedRevision: number,
  compactedRevision: number,
): StorageError =>
  new StorageError(
    "Compacted",
    key,
    `required revision ${requestedRevision} has been compacted (compacted revision is ${compactedRevision})`,
    compactedRevision,
  );

export const closedError = (key = ""): StorageError =>
  new StorageError("Closed", key, "storage backend is closed");

export const unavailableError = (key: string, store: string, cause: Error): StorageError => {
  const err = new StorageError(
    "Unavailable",
    key,
    `storage unavailable: ${store} did not answer (${cause.message})`,
  );
  err.cause = cause;
  return err;
};
