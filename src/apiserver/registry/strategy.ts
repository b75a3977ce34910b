// What each kind contributes to the generic registry store (upstream's RESTCreateStrategy /
// RESTUpdateStrategy / RESTDeleteStrategy): preparing, defaulting, validating, and kind-specific deletion.

import type { StatusCause } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";

export interface Strategy {
  /** Whether the kind has a status subresource (main writes keep status; /status writes keep the rest). */
  hasStatus: boolean;
  /** PUT of a missing object creates it (upstream: Events). */
  allowCreateOnUpdate: boolean;
  /** Fills in defaults (mutates). Runs on create, update and patch results. */
  applyDefaults(obj: KubeObject): void;
  /** Resets fields a client may not set on create (status, generation). */
  prepareForCreate(obj: KubeObject): void;
  /** Carries over what a main-resource update may not change (status), bumps generation on spec change. */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** For /status writes: the object to store, everything but status (and labels, annotations) from `old`. */
  prepareForStatusUpdate(obj: KubeObject, old: KubeObject): KubeObject;
  validate(obj: KubeObject): StatusCause[];
  validateUpdate(obj: KubeObject, old: KubeObject): StatusCause[];
  validateStatusUpdate(obj: KubeObject, old: KubeObject): StatusCause[];
  /**
   * Seconds of graceful deletion for this object, or 0 to delete now (upstream CheckGracefulDelete; only pods
   * bound to a node that is still running them wait).
   */
  gracePeriod(obj: KubeObject, requested: number | undefined): number;
  /** Return the deleted object (rather than a Status) from DELETE. */
  returnDeletedObject: boolean;
  /** A kind-specific reason to keep a deleted object around (a namespace's spec.finalizers). */
  holdsDeletion?(obj: KubeObject): boolean;
  /** Extra work when an object is marked for deletion (namespaces turn Terminating). */
  onDeletionMarked?(obj: KubeObject): void;
}
