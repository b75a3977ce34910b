// Pure checks over daemon pods as upstream's DaemonSet e2e framework makes them (test/e2e/framework/daemonset):
// ownership, readiness and availability, and "exactly one available pod on each of these nodes, none elsewhere".

/** An API object as a client returns it or as `kubectl get -o json` prints it. */
export type ApiObject = Record<string, any>;

/** The label every DaemonSet of these tests selects on, as upstream's e2e tests name it. */
export const DS_NAME_LABEL = "daemonset-name";
export const CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash";

export const isControlledBy = (obj: ApiObject, owner: ApiObject): boolean =>
  (obj.metadata.ownerReferences ?? []).some(
    (r: { controller?: boolean; uid: string }) => r.controller && r.uid === owner.metadata.uid,
  );

export const isDeleting = (pod: ApiObject): boolean => Boolean(pod.metadata.deletionTimestamp);

export const isTerminal = (pod: ApiObject): boolean =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

const readyCondition = (pod: ApiObject) =>
  (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");

export const isPodReady = (pod: ApiObject): boolean => readyCondition(pod)?.status === "True";

/** podutil.IsPodAvailable: Ready, and Ready for at least minReadySeconds (the condition's transition time). */
export function isPodAvailable(pod: ApiObject, minReadySeconds: number, now = Date.now()): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== "True") return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? "");
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

export const podImage = (pod: ApiObject): string => pod.spec?.containers?.[0]?.image ?? "";

export const podEnv = (pod: ApiObject, name: string): string | undefined =>
  (pod.spec?.containers?.[0]?.env ?? []).find((e: { name: string }) => e.name === name)?.value;

export const podHash = (pod: ApiObject): string | undefined =>
  pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];

/** One line per pod, for failure messages. */
export function describePods(pods: readonly ApiObject[]): string {
  return pods
    .map(
      (p) =>
        `${p.metadata.name} node=${p.spec?.nodeName ?? ""} phase=${p.status?.phase ?? ""} ready=${isPodReady(p)}` +
        ` deleting=${isDeleting(p)} image=${podImage(p)} hash=${podHash(p) ?? ""}`,
    )
    .join("\n");
}

/**
 * CheckDaemonPodOnNodes, made strict: each of `nodeNames` carries exactly one non-deleting pod of the DaemonSet and
 * it is available; no other node (nor an unbound pod) carries one. Returns why not, or undefined when it holds.
 */
export function daemonPodsOnNodesProblem(
  pods: readonly ApiObject[],
  ds: ApiObject,
  nodeNames: readonly string[],
  now = Date.now(),
): string | undefined {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const byNode = new Map<string, ApiObject[]>();
  for (const pod of pods) {
    if (!isControlledBy(pod, ds) || isDeleting(pod)) continue;
    const node = pod.spec?.nodeName ?? "";
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  const problems: string[] = [];
  for (const node of nodeNames) {
    const onNode = byNode.get(node) ?? [];
    if (onNode.length !== 1) problems.push(`node ${node} has ${onNode.length} daemon pods`);
    else if (!isPodAvailable(onNode[0], minReady, now)) problems.push(`the pod on ${node} is not available`);
  }
  for (const [node, onNode] of byNode) {
    if (!nodeNames.includes(node))
      problems.push(`node "${node}" has ${onNode.length} unexpected daemon pods`);
  }
  return problems.length === 0 ? undefined : `${problems.join("; ")}\n${describePods(pods)}`;
}

/** The nodes among `nodeNames` without an available, non-deleting pod of the DaemonSet (rollout unavailability). */
export function nodesWithoutAvailablePod(
  pods: readonly ApiObject[],
  ds: ApiObject,
  nodeNames: readonly string[],
  now = Date.now(),
): string[] {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = new Set(
    pods
      .filter((p) => isControlledBy(p, ds) && !isDeleting(p) && isPodAvailable(p, minReady, now))
      .map((p) => p.spec?.nodeName),
  );
  return nodeNames.filter((n) => !available.has(n));
}
