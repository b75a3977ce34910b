// Where a DaemonSet's pods belong (NodeShouldRunDaemonPod) and the pods it creates there (util.CreatePodTemplate,
// GetPodFromTemplate, ReplaceDaemonSetPodNodeNameNodeAffinity), as upstream's DaemonSet controller does.
import type { Affinity, PodSpec, PodTemplateSpec, Toleration } from "kubernetes-types/core/v1.js";
import { deepCopy, type KubeObject } from "../../api/object.js";
import { compileRequiredNodeAffinity, NODE_NAME_FIELD } from "../../api/scheduling/node-affinity.js";
import {
  addOrUpdateToleration,
  findMatchingUntoleratedTaint,
  isNoExecute,
  isNoScheduleOrNoExecute,
  TaintEffect,
  WellKnownTaint,
} from "../../api/scheduling/taints.js";
import { controllerRefFor, templateGeneration } from "./daemonset-meta.js";
import {
  CONTROLLER_REVISION_HASH_LABEL,
  type DaemonSetLike,
  type NodeLike,
  POD_TEMPLATE_GENERATION_LABEL,
  type PodLike,
} from "./types.js";

export interface PlacementDecision {
  /** A daemon pod should be created on the node when it has none. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay. */
  shouldContinueRunning: boolean;
}

const RUN: PlacementDecision = Object.freeze({ shouldRun: true, shouldContinueRunning: true });
const STAY: PlacementDecision = Object.freeze({ shouldRun: false, shouldContinueRunning: true });
const NEVER: PlacementDecision = Object.freeze({ shouldRun: false, shouldContinueRunning: false });

const exists = (key: string, effect: string): Toleration => ({ key, operator: "Exists", effect });

/**
 * The tolerations every daemon pod gets, so that node problems neither evict it nor keep it off a node: NoExecute
 * for not-ready and unreachable (forever, no tolerationSeconds), NoSchedule for the condition taints.
 */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  exists(WellKnownTaint.NotReady, TaintEffect.NoExecute),
  exists(WellKnownTaint.Unreachable, TaintEffect.NoExecute),
  exists(WellKnownTaint.DiskPressure, TaintEffect.NoSchedule),
  exists(WellKnownTaint.MemoryPressure, TaintEffect.NoSchedule),
  exists(WellKnownTaint.PIDPressure, TaintEffect.NoSchedule),
  exists(WellKnownTaint.Unschedulable, TaintEffect.NoSchedule),
];
/** Only host-network pods can run before the node's network is up. */
const HOST_NETWORK_TOLERATION = exists(WellKnownTaint.NetworkUnavailable, TaintEffect.NoSchedule);

/** util.AddOrUpdateDaemonPodTolerations: the spec's tolerations with the daemon defaults added or updated. */
export function daemonPodTolerations(
  spec: Pick<PodSpec, "tolerations" | "hostNetwork"> | undefined,
): Toleration[] {
  let tolerations: Toleration[] = [...(spec?.tolerations ?? [])];
  const wanted = spec?.hostNetwork ? [...DAEMON_TOLERATIONS, HOST_NETWORK_TOLERATION] : DAEMON_TOLERATIONS;
  for (const t of wanted) tolerations = addOrUpdateToleration(tolerations, t);
  return tolerations;
}

/** util.AddOrUpdateDaemonPodTolerations on a copy: the input spec is left alone. */
export function addOrUpdateDaemonPodTolerations<S extends Pick<PodSpec, "tolerations" | "hostNetwork">>(
  spec: S,
): S {
  return { ...spec, tolerations: daemonPodTolerations(spec) };
}

/**
 * util.ReplaceDaemonSetPodNodeNameNodeAffinity on a copy: the required node affinity becomes the single term
 * `metadata.name In [nodeName]`, dropping the user's required terms (the DaemonSet already checked them);
 * preferred terms and the rest of the affinity stay.
 */
export function replaceDaemonSetPodNodeNameNodeAffinity(
  affinity: Affinity | undefined,
  nodeName: string,
): Affinity {
  const required = {
    ...affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    nodeSelectorTerms: [{ matchFields: [{ key: NODE_NAME_FIELD, operator: "In", values: [nodeName] }] }],
  };
  return {
    ...affinity,
    nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required },
  };
}

/**
 * util.CreatePodTemplate: a deep copy of the template with the daemon tolerations, `pod-template-generation`
 * (when the DaemonSet has a parsable template generation) and `controller-revision-hash` (when hash is set).
 */
export function createPodTemplate(
  template: PodTemplateSpec | undefined,
  generation: string | undefined,
  hash: string,
): PodTemplateSpec {
  const copy: PodTemplateSpec = deepCopy(template) ?? {};
  const spec = (copy.spec ?? { containers: [] }) as PodSpec;
  copy.spec = addOrUpdateDaemonPodTolerations(spec);
  const labels: Record<string, string> = { ...copy.metadata?.labels };
  if (generation !== undefined) labels[POD_TEMPLATE_GENERATION_LABEL] = generation;
  if (hash.length > 0) labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  copy.metadata = { ...copy.metadata, labels };
  return copy;
}

/**
 * The pod the controller creates for `nodeName` (syncNodes + GetPodFromTemplate): generateName `<ds>-`, the
 * template's labels, annotations and finalizers, one controller ownerRef, no nodeName, and the node pinned through
 * required node affinity so that the scheduler binds it.
 */
export function newPodForDaemonSet(ds: DaemonSetLike, nodeName: string, hash: string): KubeObject {
  const template = createPodTemplate(ds.spec?.template, templateGeneration(ds), hash);
  const meta = template.metadata ?? {};
  const spec = template.spec as PodSpec;
  spec.affinity = replaceDaemonSetPodNodeNameNodeAffinity(spec.affinity, nodeName);
  const metadata: KubeObject["metadata"] = {
    generateName: `${ds.metadata?.name ?? ""}-`,
    namespace: ds.metadata?.namespace,
    labels: meta.labels,
    ownerReferences: [controllerRefFor(ds)],
  };
  if (meta.annotations) metadata.annotations = meta.annotations;
  if (meta.finalizers) metadata.finalizers = meta.finalizers;
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}

/**
 * NodeShouldRunDaemonPod compiled once per DaemonSet, for the many nodes of a sync. The pod judged is the template
 * with nodeName set to the node and the daemon tolerations added:
 * 1. a template nodeName naming another node → never;
 * 2. nodeSelector and required node affinity must match → otherwise never;
 * 3. an untolerated NoSchedule/NoExecute taint → not run, but an existing pod stays unless a NoExecute taint is
 *    untolerated;
 * 4. otherwise run. Unschedulable, resources and ports are never looked at.
 */
export function compileDaemonSetPlacement(ds: DaemonSetLike): (node: NodeLike) => PlacementDecision {
  const spec = ds.spec?.template?.spec;
  const pinnedNode = spec?.nodeName ?? "";
  const fitsAffinity = compileRequiredNodeAffinity(spec);
  const tolerations = daemonPodTolerations(spec);
  return (node) => {
    if (pinnedNode !== "" && pinnedNode !== (node.metadata?.name ?? "")) return NEVER;
    if (!fitsAffinity(node)) return NEVER;
    const taints = node.spec?.taints;
    if (findMatchingUntoleratedTaint(taints, tolerations, isNoScheduleOrNoExecute) === undefined) return RUN;
    return findMatchingUntoleratedTaint(taints, tolerations, isNoExecute) === undefined ? STAY : NEVER;
  };
}

/** NodeShouldRunDaemonPod for one node; compile with compileDaemonSetPlacement when judging many. */
export function nodeShouldRunDaemonPod(node: NodeLike, ds: DaemonSetLike): PlacementDecision {
  return compileDaemonSetPlacement(ds)(node);
}

/**
 * util.GetTargetNodeName: the node a daemon pod is for — spec.nodeName once bound, otherwise the value of the
 * first `matchFields metadata.name In [x]` requirement; undefined when there is none or it names several nodes.
 */
export function getTargetNodeName(pod: PodLike): string | undefined {
  const bound = pod.spec?.nodeName;
  if (bound) return bound;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const r of term.matchFields ?? []) {
      if (r.key !== NODE_NAME_FIELD || r.operator !== "In") continue;
      return r.values?.length === 1 ? r.values[0] : undefined;
    }
  }
  return undefined;
}
