// The garbage collector's API calls (upstream garbagecollector/operations.go): map an apiVersion/kind to a
// served resource, then get, delete, patch and finalize objects by identity, always live from the API server.
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { jsonEqual } from "../../api/equal.js";
import { isConflict, isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { findKind, type ResourceInfo } from "../../api/resources.js";
import type { Client, DeleteOptions } from "../../client/client.js";
import type { ObjectIdentity } from "./graph.js";
import { setFinalizersPatch } from "./patches.js";

type Propagation = NonNullable<DeleteOptions["propagationPolicy"]>;

/** Upstream retry.DefaultBackoff allows four attempts at a read-modify-write that keeps conflicting. */
const CONFLICT_ATTEMPTS = 4;

/** The reference names a kind this server does not serve (upstream restMappingError): retried later. */
export class RestMappingError extends Error {
  override readonly name = "RestMappingError";
  constructor(apiVersion: string, kind: string) {
    super(`unable to get REST mapping for ${kind}.${apiVersion}`);
  }
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export class GcOperations {
  constructor(private readonly client: Client) {}

  /** The served resource for an apiVersion and kind; throws RestMappingError for unknown ones. */
  resourceFor(apiVersion: string, kind: string): ResourceInfo {
    const { group, version } = parseApiVersion(apiVersion);
    const info = findKind(group, version, kind);
    if (!info) throw new RestMappingError(apiVersion, kind);
    return info;
  }

  /** The live object with the identity's name (whatever its UID), or undefined when there is none. */
  async getObject(identity: ObjectIdentity): Promise<KubeObject | undefined> {
    const info = this.resourceFor(identity.apiVersion, identity.kind);
    // A namespaced kind named without a namespace (by a cluster-scoped dependent) cannot exist.
    if (info.namespaced && !identity.namespace) return undefined;
    try {
      return await this.client.get(info, this.namespaceOf(info, identity), identity.name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async patch(identity: ObjectIdentity, body: unknown): Promise<KubeObject> {
    const info = this.resourceFor(identity.apiVersion, identity.kind);
    return this.client.patch(info, this.namespaceOf(info, identity), identity.name, "strategic", body);
  }

  /**
   * Deletes the object if it still has this UID and, when `resourceVersion` is given, has not changed since the
   * decision was made. A conflict caused by an unrelated change (owner references as they were) retries
   * without the resourceVersion, so busy objects are not starved. NotFound is thrown for the caller.
   */
  async deleteObject(
    identity: ObjectIdentity,
    resourceVersion: string | undefined,
    ownersAtResourceVersion: readonly OwnerReference[] | undefined,
    propagationPolicy: Propagation,
  ): Promise<void> {
    const info = this.resourceFor(identity.apiVersion, identity.kind);
    const namespace = this.namespaceOf(info, identity);
    const preconditions = resourceVersion ? { uid: identity.uid, resourceVersion } : { uid: identity.uid };
    try {
      await this.client.delete(info, namespace, identity.name, { preconditions, propagationPolicy });
    } catch (err) {
      if (!isConflict(err) || !resourceVersion) throw err;
      let live: KubeObject;
      try {
        live = await this.client.get(info, namespace, identity.name);
      } catch (getErr) {
        if (isNotFound(getErr)) return;
        throw err;
      }
      const unrelatedChange =
        live.metadata.uid === identity.uid &&
        live.metadata.resourceVersion !== resourceVersion &&
        jsonEqual(live.metadata.ownerReferences ?? [], ownersAtResourceVersion ?? []);
      if (!unrelatedChange) throw err;
      await this.deleteObject(identity, undefined, undefined, propagationPolicy);
    }
  }

  /** Removes one finalizer from the object, rereading and retrying on conflicts; a missing object is fine. */
  async removeFinalizer(identity: ObjectIdentity, finalizer: string): Promise<void> {
    const info = this.resourceFor(identity.apiVersion, identity.kind);
    const namespace = this.namespaceOf(info, identity);
    for (let attempt = 1; ; attempt++) {
      const current = await this.getObject(identity);
      if (!current || current.metadata.uid !== identity.uid) return;
      const finalizers = current.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return;
      const patch = setFinalizersPatch(
        current.metadata.resourceVersion,
        finalizers.filter((f) => f !== finalizer),
      );
      try {
        await this.client.patch(info, namespace, identity.name, "merge", patch);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= CONFLICT_ATTEMPTS) throw err;
      }
    }
  }

  private namespaceOf(info: ResourceInfo, identity: ObjectIdentity): string | undefined {
    return info.namespaced ? identity.namespace : undefined;
  }
}
