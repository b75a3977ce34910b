// The node IPAM controller's range allocator (upstream pkg/controller/nodeipam), as kube-controller-manager runs
// it with --allocate-node-cidrs: a node that joins without spec.podCIDR (`kubectl apply -f node.yaml`) gets the
// first free /24 of the cluster's pod range, the same ranges `everynode up` gives its own nodes; the ranges nodes
// already hold are marked taken, and a deleted node's range is free again.
import type { Logger } from "pino";
import type { KubeObject } from "../../api/object.js";
import { NODES } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import type { InformerFactory } from "../../informer/factory.js";
import { Controller } from "../../runtime/controller.js";
import type { Clock } from "../../util/clock.js";

export interface RangeAllocatorOptions {
  client: Client;
  informers: InformerFactory;
  logger: Logger;
  /** The pod range of the `index`-th /24 (nodes/node-template's podCIDRFor); undefined past the last one. */
  cidrAt: (index: number) => string | undefined;
  clock?: Clock;
}

const podCIDRsOf = (node: KubeObject): string[] => {
  const spec = node.spec ?? {};
  if (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length) return spec.podCIDRs;
  return spec.podCIDR ? [spec.podCIDR] : [];
};

/** The cluster's /24s, each taken by at most one node; hands out the lowest free one. */
export class CidrSet {
  private readonly taken = new Map<string, string>();
  private lowestFree = 0;

  constructor(private readonly cidrAt: (index: number) => string | undefined) {}

  /** Records that `node` holds `cidr`; false when another node already does. */
  occupy(cidr: string, node: string): boolean {
    const holder = this.taken.get(cidr);
    if (holder !== undefined && holder !== node) return false;
    this.taken.set(cidr, node);
    return true;
  }

  release(cidr: string, node: string): void {
    if (this.taken.get(cidr) !== node) return;
    this.taken.delete(cidr);
    // A freed range may sit below the cursor; the next allocation starts over from the bottom.
    this.lowestFree = 0;
  }

  /** The lowest free range, now taken by `node`; undefined when the cluster range is used up. */
  allocate(node: string): string | undefined {
    for (let i = this.lowestFree; ; i++) {
      const cidr = this.cidrAt(i);
      if (cidr === undefined) return undefined;
      if (this.taken.has(cidr)) continue;
      this.taken.set(cidr, node);
      this.lowestFree = i + 1;
      return cidr;
    }
  }
}

export class NodeIpamController {
  readonly name = "node-ipam-controller";
  private readonly controller: Controller;
  private readonly cidrs: CidrSet;
  /** Nodes given a range whose informer copy does not show it yet (upstream's nodesInProcessing). */
  private readonly given = new Set<string>();

  constructor(o: RangeAllocatorOptions) {
    const nodes = o.informers.informerFor(NODES);
    this.cidrs = new CidrSet(o.cidrAt);
    const log = o.logger;
    this.controller = new Controller({
      name: "node-ipam",
      workers: 1,
      logger: log,
      clock: o.clock,
      waitForSync: (signal) => o.informers.waitForCacheSync(signal),
      reconcile: async (name) => {
        const node = nodes.lister().get(undefined, name);
        if (!node || node.metadata.deletionTimestamp || podCIDRsOf(node).length || this.given.has(name))
          return;
        const cidr = this.cidrs.allocate(name);
        if (!cidr) {
          log.error({ node: name }, "no pod CIDR left to give the node: the cluster range is used up");
          return;
        }
        try {
          await o.client.patch(NODES, undefined, name, "strategic", {
            spec: { podCIDR: cidr, podCIDRs: [cidr] },
          });
          this.given.add(name);
          log.info({ node: name, podCIDR: cidr }, "gave the node its pod CIDR");
        } catch (err) {
          this.cidrs.release(cidr, name);
          throw err;
        }
      },
    });
    const track = (node: KubeObject): void => {
      const name = node.metadata.name!;
      const held = podCIDRsOf(node);
      if (!held.length) {
        this.controller.enqueue(name);
        return;
      }
      this.given.delete(name);
      for (const cidr of held) {
        if (!this.cidrs.occupy(cidr, name))
          log.warn({ node: name, podCIDR: cidr }, "two nodes hold one pod CIDR");
      }
    };
    nodes.addEventHandler({
      onAdd: track,
      onUpdate: (_old, node) => track(node),
      onDelete: (node) => {
        this.given.delete(node.metadata.name!);
        for (const cidr of podCIDRsOf(node)) this.cidrs.release(cidr, node.metadata.name!);
      },
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.controller.start(signal);
  }
}
