// What the DaemonSet's own metadata contributes to the objects it creates: its controller reference and the
// deprecated template generation.
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { type DaemonSetLike, TEMPLATE_GENERATION_ANNOTATION } from "./types.js";

/** metav1.NewControllerRef(ds, apps/v1 DaemonSet): what pods and ControllerRevisions point back with. */
export function controllerRefFor(ds: DaemonSetLike): OwnerReference {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    name: ds.metadata?.name ?? "",
    uid: ds.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_LIMIT = 2n ** 63n;

/**
 * util.GetTemplateGeneration: the `deprecated.daemonset.template.generation` annotation as a decimal string, or
 * undefined when it is missing or does not parse as an int64 (upstream then ignores the generation too). A string
 * keeps int64 values beyond 2^53 exact.
 */
export function templateGeneration(ds: DaemonSetLike): string | undefined {
  const raw = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (raw === undefined || !INT64_RE.test(raw)) return undefined;
  const n = BigInt(raw);
  return n >= -INT64_LIMIT && n < INT64_LIMIT ? n.toString() : undefined;
}

export const SELECTING_ALL_MESSAGE =
  "This daemon set is selecting all pods. A non-empty selector is required.";

/**
 * The sync-time guard against a selector equal to an empty LabelSelector (`{}`), which would claim every pod of the
 * namespace: the controller records SelectingAll and does nothing. As upstream compares structs, a selector that
 * spells out empty lists or maps is not caught here (validation rejects both anyway).
 */
export function isSelectingAll(ds: DaemonSetLike): boolean {
  const selector = ds.spec?.selector;
  return selector != null && selector.matchLabels == null && selector.matchExpressions == null;
}
