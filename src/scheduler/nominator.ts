// The nominator (upstream internal/queue nominator): pending pods that preemption made room for, by the node
// they wait for. Filters count nominated pods of equal or higher priority as already there, so the room
// preemption freed is not taken by someone else while the victims terminate.
import type { KubeObject } from "../api/object.js";
import { accountFromInfo, type PodAccount, type PodInfo, podInfo } from "./pod-info.js";

/** status.nominatedNodeName, or "" when unset. */
export const nominatedNodeName = (pod: KubeObject): string => pod.status?.nominatedNodeName ?? "";

const NONE: readonly PodAccount[] = Object.freeze([]);

export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodAccount>>();
  private readonly nodeOf = new Map<string, string>();

  /** The node `uid` is nominated to, if any. */
  nodeFor(uid: string): string | undefined {
    return this.nodeOf.get(uid);
  }

  /** Nominates the pod (`info`) to `nodeName`, replacing any earlier nomination. */
  nominate(info: PodInfo, nodeName: string): void {
    this.remove(info.uid);
    if (!nodeName) return;
    let pods = this.byNode.get(nodeName);
    if (!pods) {
      pods = new Map();
      this.byNode.set(nodeName, pods);
    }
    pods.set(info.uid, accountFromInfo(info, nodeName));
    this.nodeOf.set(info.uid, nodeName);
  }

  remove(uid: string): void {
    const nodeName = this.nodeOf.get(uid);
    if (nodeName === undefined) return;
    this.nodeOf.delete(uid);
    const pods = this.byNode.get(nodeName);
    pods?.delete(uid);
    if (pods?.size === 0) this.byNode.delete(nodeName);
  }

  /**
   * A pending pod appeared or changed (informer event). Its status.nominatedNodeName rules, except that an
   * update where neither version names a node keeps an in-memory nomination the status write has not caught
   * up with yet (updateNominatedPodUnlocked).
   */
  podSeen(pod: KubeObject, oldPod?: KubeObject): void {
    const uid = pod.metadata.uid ?? "";
    let nodeName = nominatedNodeName(pod);
    if (!nodeName && oldPod && !nominatedNodeName(oldPod)) nodeName = this.nodeOf.get(uid) ?? "";
    if (nodeName) this.nominate(podInfo(pod), nodeName);
    else this.remove(uid);
  }

  /** Pods nominated to `nodeName` (any priority). */
  nominatedPods(nodeName: string): PodAccount[] {
    const pods = this.byNode.get(nodeName);
    return pods ? [...pods.values()] : [];
  }

  /** addGENominatedPods' selection: nominated pods of at least `pod`'s priority, other than `pod` itself. */
  nominatedPodsAbove(pod: PodInfo, nodeName: string): readonly PodAccount[] {
    // Checked for every node a pod is filtered against: nodes without nominations cost one lookup.
    if (!this.byNode.has(nodeName)) return NONE;
    return this.nominatedPods(nodeName).filter((p) => p.priority >= pod.priority && p.uid !== pod.uid);
  }
}
