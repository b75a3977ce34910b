// Node rows for `kubectl get nodes`: STATUS from the Ready condition (+SchedulingDisabled), ROLES from
// role labels, VERSION, and the wide addresses and system info.
import type { Node } from "kubernetes-types/core/v1.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { orPlaceholder, since } from "./format.js";
import type { TablePrinter } from "./types.js";

const ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
const LEGACY_ROLE_LABEL = "kubernetes.io/role";

/** "Ready", "NotReady" or "Unknown" (no Ready condition), then ",SchedulingDisabled" when cordoned. */
export function nodeStatus(node: Node): string {
  // Upstream keys conditions by type, so the last Ready condition wins.
  const ready = node.status?.conditions?.findLast((c) => c.type === "Ready");
  const parts = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (node.spec?.unschedulable) parts.push("SchedulingDisabled");
  return parts.join(",");
}

/** Sorted distinct roles from node-role.kubernetes.io/<role> and kubernetes.io/role=<role> labels. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

const firstAddress = (node: Node, type: string): string =>
  node.status?.addresses?.find((a) => a.type === type)?.address ?? "<none>";

export const nodePrinter: TablePrinter<Node> = {
  columns: [
    nameColumn,
    column("Status", "string", "Readiness of the node, and whether new pods may be scheduled on it."),
    column("Roles", "string", "Roles of the node, from its node-role labels."),
    ageColumn,
    column("Version", "string", "Kubelet version reported by the node."),
    column("Internal-IP", "string", "First InternalIP address of the node.", { wide: true }),
    column("External-IP", "string", "First ExternalIP address of the node.", { wide: true }),
    column("OS-Image", "string", "Operating system image reported by the node.", { wide: true }),
    column("Kernel-Version", "string", "Kernel version reported by the node.", { wide: true }),
    column("Container-Runtime", "string", "Container runtime name and version reported by the node.", {
      wide: true,
    }),
  ],
  cells(node, now) {
    const info = node.status?.nodeInfo;
    const roles = nodeRoles(node);
    return [
      node.metadata?.name ?? "",
      nodeStatus(node),
      roles.length ? roles.join(",") : "<none>",
      since(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? "",
      firstAddress(node, "InternalIP"),
      firstAddress(node, "ExternalIP"),
      orPlaceholder(info?.osImage, "<unknown>"),
      orPlaceholder(info?.kernelVersion, "<unknown>"),
      orPlaceholder(info?.containerRuntimeVersion, "<unknown>"),
    ];
  },
};
