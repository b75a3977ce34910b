// The node IPAM controller with everything else `everynode up` runs: a Node created without spec.podCIDR (as
// `kubectl apply -f node.yaml` does) gets the lowest free /24 of 10.244.0.0/16, its pods get addresses in it,
// and a deleted node's range is given out again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/object.js";
import { NODES, PODS } from "../../src/api/resources.js";
import { DaemonSetCluster } from "../support/daemonset-cluster.js";
import { eventually } from "../support/test-cluster.js";

const bareNode = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Node", metadata: { name } });

describe("node IPAM: pod ranges for nodes that join without one", () => {
  let c: DaemonSetCluster;
  before(async () => {
    c = await DaemonSetCluster.start();
    await c.createNamespace("ipam");
  });
  after(() => c?.stop());

  const podCIDROf = (name: string) =>
    eventually(
      async () => (await c.client.get(NODES, undefined, name)).spec?.podCIDR as string | undefined,
      5000,
      `${name} to get a pod CIDR`,
    );

  it("gives each joining node the lowest free /24, in podCIDR and podCIDRs", async () => {
    await c.client.create(NODES, undefined, bareNode("joined-a"));
    await c.client.create(NODES, undefined, bareNode("joined-b"));
    const cidrs = [await podCIDROf("joined-a"), await podCIDROf("joined-b")].sort();
    assert.deepEqual(cidrs, ["10.244.0.0/24", "10.244.1.0/24"]);
    const node = await c.client.get(NODES, undefined, "joined-b");
    assert.deepEqual(node.spec.podCIDRs, [node.spec.podCIDR]);
    // The simulated kubelet fills in a Linux node's capacity, huge pages included.
    const capacity = await eventually(
      async () => (await c.client.get(NODES, undefined, "joined-b")).status?.capacity,
      5000,
      "the kubelet to report capacity",
    );
    assert.equal(capacity["hugepages-2Mi"], "0");
    assert.equal(capacity["hugepages-1Gi"], "0");
  });

  it("runs the node's pods with addresses from its range", async () => {
    const cidr = await podCIDROf("joined-b");
    await c.client.create(PODS, "ipam", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web" },
      spec: { nodeName: "joined-b", containers: [{ name: "web", image: "nginx:1.27" }] },
    });
    const ip = await eventually(
      async () => (await c.client.get(PODS, "ipam", "web")).status?.podIP as string | undefined,
      5000,
      "the pod to get an IP",
    );
    assert.equal(
      ip.split(".").slice(0, 3).join("."),
      cidr.split(".").slice(0, 3).join("."),
      `${ip} in ${cidr}`,
    );
  });

  it("gives a deleted node's range to the next node that joins", async () => {
    const freed = await podCIDROf("joined-a");
    await c.client.delete(NODES, undefined, "joined-a");
    await eventually(
      async () => !(await c.client.list(NODES, undefined)).items.some((n) => n.metadata.name === "joined-a"),
      5000,
      "joined-a to be gone",
    );
    await c.client.create(NODES, undefined, bareNode("joined-c"));
    assert.equal(await podCIDROf("joined-c"), freed);
  });
});
