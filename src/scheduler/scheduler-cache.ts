// The scheduler's view of nodes and what is placed on them (upstream internal/cache), kept up to date from
// informer events one change at a time: nodes, pods bound to them, and pods assumed on a node while their
// binding is in flight, so the next pod already sees the room they take.
import type { KubeObject } from "../api/object.js";
import { NodeInfo } from "./node-info.js";
import { type PodAccount, podAccount } from "./pod-info.js";

interface CachedPod {
  account: PodAccount;
  /** Placed by this scheduler and not yet seen bound through the informer. */
  assumed: boolean;
}

function sameAccounting(a: PodAccount, b: PodAccount): boolean {
  if (a.nodeName !== b.nodeName || a.priority !== b.priority) return false;
  const ra = a.requests;
  const rb = b.requests;
  if (ra.milliCPU !== rb.milliCPU || ra.memory !== rb.memory || ra.ephemeralStorage !== rb.ephemeralStorage) {
    return false;
  }
  if (ra.scalar.size !== rb.scalar.size || [...ra.scalar].some(([k, v]) => rb.scalar.get(k) !== v))
    return false;
  if (a.nonZero.milliCPU !== b.nonZero.milliCPU || a.nonZero.memory !== b.nonZero.memory) return false;
  return (
    a.ports.length === b.ports.length &&
    a.ports.every(
      (p, i) => p.ip === b.ports[i].ip && p.protocol === b.ports[i].protocol && p.port === b.ports[i].port,
    )
  );
}

export class SchedulerCache {
  /** Every node with a Node object or with pods still counted against it. */
  private readonly infos = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, CachedPod>();
  /** The nodes that exist, kept in place (swap-remove) so node churn never costs a walk over all nodes. */
  private readonly live: NodeInfo[] = [];
  private readonly liveIndex = new Map<string, number>();

  /** Nodes that exist (the snapshot the filters walk); the order changes only when a node is removed. */
  nodes(): readonly NodeInfo[] {
    return this.live;
  }

  get numNodes(): number {
    return this.live.length;
  }

  /** The node, if it exists. */
  node(name: string): NodeInfo | undefined {
    const info = this.infos.get(name);
    return info?.node ? info : undefined;
  }

  setNode(node: KubeObject): NodeInfo {
    const name = node.metadata.name ?? "";
    const info = this.infoFor(name);
    if (!this.liveIndex.has(name)) {
      this.liveIndex.set(name, this.live.length);
      this.live.push(info);
    }
    info.setNode(node);
    return info;
  }

  removeNode(name: string): void {
    const info = this.infos.get(name);
    if (!info) return;
    info.setNode(undefined);
    if (info.podCount === 0) this.infos.delete(name);
    const index = this.liveIndex.get(name);
    if (index === undefined) return;
    const last = this.live.pop()!;
    if (last !== info) {
      this.live[index] = last;
      this.liveIndex.set(last.name, index);
    }
    this.liveIndex.delete(name);
  }

  isAssumed(uid: string): boolean {
    return this.pods.get(uid)?.assumed === true;
  }

  /** Counts `account` on its node before the binding is confirmed (Cache.AssumePod). */
  assume(account: PodAccount): void {
    this.place({ account, assumed: true });
  }

  /** Drops an assumed pod whose binding failed; returns the node it was assumed on. */
  forget(uid: string): string | undefined {
    return this.isAssumed(uid) ? this.removePod(uid) : undefined;
  }

  /**
   * A pod bound to a node, as the informer reports it: confirms an assumed pod, or adds or updates a bound one.
   * Returns the node where room may have grown (the pod moved or its requests changed), if any.
   */
  upsertBoundPod(pod: KubeObject): string | undefined {
    const account = podAccount(pod);
    const cached = this.pods.get(account.uid);
    if (cached && sameAccounting(cached.account, account)) {
      // Nothing moved, but preemption reads the latest pod (labels, deletion, conditions).
      cached.assumed = false;
      cached.account = account;
      this.infos.get(account.nodeName)?.addPod(account);
      return undefined;
    }
    const previous = cached ? this.removePod(account.uid) : undefined;
    this.place({ account, assumed: false });
    return previous;
  }

  /** Stops counting a pod (deleted, or finished); returns the node it was on. */
  removePod(uid: string): string | undefined {
    const cached = this.pods.get(uid);
    if (!cached) return undefined;
    this.pods.delete(uid);
    const name = cached.account.nodeName;
    const info = this.infos.get(name);
    info?.removePod(uid);
    if (info && !info.node && info.podCount === 0) this.infos.delete(name);
    return name;
  }

  private place(cached: CachedPod): void {
    this.pods.set(cached.account.uid, cached);
    this.infoFor(cached.account.nodeName).addPod(cached.account);
  }

  private infoFor(name: string): NodeInfo {
    let info = this.infos.get(name);
    if (!info) {
      info = new NodeInfo(name);
      this.infos.set(name, info);
    }
    return info;
  }
}
