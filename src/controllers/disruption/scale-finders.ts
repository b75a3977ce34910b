// The scale finders of the disruption controller (upstream finders()). Upstream first reads
// ReplicationControllers, Deployments, ReplicaSets and StatefulSets from listers; everynode serves none of
// those kinds, so only the generic finder remains: the owner's scale subresource, looked up through the
// resource table. A DaemonSet has no scale, so a percentage budget over DaemonSet pods fails to sync, as
// upstream's does.
import { isNotFound } from "../../api/errors.js";
import { findKind } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import type { ControllerRef, ScaleFinder } from "./expected-pods.js";

/** schema.ParseGroupVersion. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split("/");
  if (parts.length === 1) return { group: "", version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new Error(`unexpected GroupVersion string: ${apiVersion}`);
}

/**
 * getScaleController: fails with upstream's messages when the owner's kind is not served ("no matches for
 * kind") or has no scale subresource; otherwise reads the owner's desired replicas (what its Scale reports).
 */
export function scaleSubresourceFinder(client: Client): ScaleFinder {
  return async (ref: ControllerRef, namespace: string) => {
    const { group, version } = parseGroupVersion(ref.apiVersion);
    const info = findKind(group, version, ref.kind);
    if (!info) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
    if (!info.subresources.some((s) => s.name === "scale")) {
      const groupResource = info.group ? `${info.resource}.${info.group}` : info.resource;
      throw new Error(`${groupResource} does not implement the scale subresource`);
    }
    try {
      const owner = await client.get(info, namespace, ref.name);
      if (owner.metadata.uid !== ref.uid) return undefined;
      return { uid: owner.metadata.uid, scale: owner.spec?.replicas ?? 0 };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
}
