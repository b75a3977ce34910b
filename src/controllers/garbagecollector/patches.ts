// The patch bodies the garbage collector sends (upstream garbagecollector/patch.go). Owner references merge by
// uid in a strategic merge patch, so one entry can be deleted or changed without resending the others; the
// object's own uid rides along so an API server that checks it refuses a same-name successor.
import type { OwnerReference } from "kubernetes-types/meta/v1.js";

/** Strategic merge patch deleting the owner references with these UIDs from the object `dependentUid`. */
export function deleteOwnerRefsPatch(dependentUid: string, ownerUids: readonly string[]): unknown {
  return {
    metadata: {
      ownerReferences: ownerUids.map((uid) => ({ $patch: "delete", uid })),
      uid: dependentUid,
    },
  };
}

/** Strategic merge patch setting blockOwnerDeletion to false on every blocking reference of the object. */
export function unblockOwnerRefsPatch(dependentUid: string, owners: readonly OwnerReference[]): unknown {
  const blocking = owners.filter((ref) => ref.blockOwnerDeletion === true);
  return {
    metadata: {
      ownerReferences: blocking.map((ref) => ({ ...ref, blockOwnerDeletion: false })),
      uid: dependentUid,
    },
  };
}

/**
 * JSON merge patch replacing the finalizer list (finalizers merge as a set under a strategic patch, so that
 * could not remove one); the resourceVersion makes it fail with a conflict if the object changed meanwhile.
 */
export function setFinalizersPatch(
  resourceVersion: string | undefined,
  finalizers: readonly string[],
): unknown {
  return { metadata: { resourceVersion, finalizers } };
}
