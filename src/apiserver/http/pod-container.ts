// What the API server checks of a pods/log, exec or attach request before it reaches the kubelet, in upstream's
// order (LogLocation, streamLocation): the container the request names (defaulted when the pod has one), then
// the node whose kubelet serves it, found through its Node object as upstream's connection lookup does.
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import type { RegistryStore } from "../registry/store.js";

function containerNames(list: unknown): string[] {
  return Array.isArray(list)
    ? list.map((c) => c?.name).filter((n): n is string => typeof n === "string")
    : [];
}

/** The container a request names, defaulted and checked with upstream's messages (its validateContainer). */
export function requestedContainer(pod: KubeObject, requested: string | null | undefined): string {
  const name = pod.metadata.name;
  const regular = containerNames(pod.spec?.containers);
  if (!requested) {
    if (regular.length === 1) return regular[0];
    if (regular.length === 0) throw ApiError.badRequest(`a container name must be specified for pod ${name}`);
  }
  // Every container, in upstream's VisitContainers order: init, regular, ephemeral.
  const all = [
    ...containerNames(pod.spec?.initContainers),
    ...regular,
    ...containerNames(pod.spec?.ephemeralContainers),
  ];
  if (!requested) {
    throw ApiError.badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${all.join(" ")}]`,
    );
  }
  if (!all.includes(requested))
    throw ApiError.badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** The bound pod's node, which must still exist: a pod whose node is gone answers the node's 404. */
export function checkKubeletNode(nodes: RegistryStore, nodeName: string): void {
  nodes.get("", nodeName);
}
