// The write operations and their validation rules, shared by every backend: given the key's current value
// (or none), decide whether the operation applies and which event it produces at the next revision.
import type { BackendEvent, KeyValue } from "./backend.js";
import type { StorageError } from "./errors.js";
import { conflictError, keyExistsError, notFoundError } from "./storage-errors.js";

export type WriteOp =
  | { kind: "create"; key: string; value: string }
  | { kind: "update"; key: string; value: string; expectedRevision: number }
  | { kind: "delete"; key: string; expectedRevision?: number };

/**
 * Applies `op` to the key's `current` value at `revision`. Returns the resulting event (whose `kv` is what
 * the write call resolves with) or the StorageError that rejects just this operation.
 */
export function applyWrite(
  op: WriteOp,
  current: KeyValue | undefined,
  revision: number,
): BackendEvent | StorageError {
  const { key } = op;
  if (op.kind === "create") {
    if (current) return keyExistsError(key, current.modRevision);
    return { type: "put", kv: freezeKv(key, op.value, revision, revision) };
  }
  if (!current) return notFoundError(key);
  if (op.expectedRevision !== undefined && op.expectedRevision !== current.modRevision) {
    return conflictError(key, current.modRevision, op.expectedRevision);
  }
  if (op.kind === "update") {
    return { type: "put", kv: freezeKv(key, op.value, current.createRevision, revision), prevKv: current };
  }
  return { type: "delete", kv: deletedKv(current, revision), prevKv: current };
}

/** What a deletion reports: the key's last value, stamped with the deletion's own revision. */
export const deletedKv = (last: KeyValue, revision: number): KeyValue =>
  freezeKv(last.key, last.value, last.createRevision, revision);

/** KeyValues are shared between the store, results and events, so they are frozen against accidental edits. */
export const freezeKv = (key: string, value: string, createRevision: number, modRevision: number): KeyValue =>
  Object.freeze({ key, value, createRevision, modRevision });

/** The revision an event was written at. */
export const eventRevision = (event: BackendEvent): number => event.kv.modRevision;
