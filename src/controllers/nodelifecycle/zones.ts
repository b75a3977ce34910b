// Zones and their health (upstream node lifecycle controller + component-helpers node/topology): a zone is a
// region/zone label pair; its state decides how fast NoExecute taints may be added to its unhealthy nodes.
import type { KubeObject } from "../../api/object.js";
import type { NodeCondition } from "./node-conditions.js";

export type ZoneState = "Initial" | "Normal" | "PartialDisruption" | "FullDisruption";

/** Nodes with this label are left out of zone health (upstream labelNodeDisruptionExclusion). */
export const DISRUPTION_EXCLUSION_LABEL = "node.kubernetes.io/exclude-disruption";

/** Upstream GetZoneKey: region and zone labels (GA first, then the deprecated beta ones); "" when both are empty. */
export function zoneKey(node: KubeObject): string {
  const labels = node.metadata.labels ?? {};
  const region =
    labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? "";
  const zone =
    labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? "";
  if (region === "" && zone === "") return "";
  // The separator cannot occur in a label value, so distinct pairs never collide.
  return `${region}:\x00:${zone}`;
}

export function isExcludedFromDisruptionChecks(node: KubeObject): boolean {
  return DISRUPTION_EXCLUSION_LABEL in (node.metadata.labels ?? {});
}

/**
 * A zone is fully disrupted when none of its nodes is ready, partially disrupted when more than two nodes and
 * at least `unhealthyThreshold` of them are not ready, normal otherwise (upstream ComputeZoneState).
 */
export function computeZoneState(
  readyConditions: readonly (NodeCondition | undefined)[],
  unhealthyThreshold: number,
): { notReady: number; state: ZoneState } {
  const ready = readyConditions.filter((c) => c?.status === "True").length;
  const notReady = readyConditions.length - ready;
  if (ready === 0 && notReady > 0) return { notReady, state: "FullDisruption" };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyThreshold)
    return { notReady, state: "PartialDisruption" };
  return { notReady, state: "Normal" };
}
