// The node cache: nodes come and go, bound pods are counted once, assumed pods are confirmed by the informer or
// forgotten when their binding fails, and a deleted node keeps counting its pods until they are gone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accountFromInfo, podInfo } from "./pod-info.js";
import { SchedulerCache } from "./scheduler-cache.js";
import { boundTo, testNode, testPod } from "./testing.js";

const names = (cache: SchedulerCache) =>
  cache
    .nodes()
    .map((n) => n.name)
    .sort();

describe("SchedulerCache", () => {
  it("keeps the list of existing nodes through adds, updates and removals", () => {
    const cache = new SchedulerCache();
    for (const n of ["a", "b", "c", "d"]) cache.setNode(testNode(n));
    cache.setNode(testNode("b", { labels: { x: "y" } }));
    cache.removeNode("a");
    cache.removeNode("missing");
    assert.deepEqual(names(cache), ["b", "c", "d"]);
    assert.equal(cache.numNodes, 3);
    assert.equal(cache.node("b")?.node?.metadata.labels?.x, "y");
    assert.equal(cache.node("a"), undefined);
  });

  it("counts a bound pod once however often it is reported, and frees it on removal", () => {
    const cache = new SchedulerCache();
    cache.setNode(testNode("n"));
    const pod = boundTo(testPod("p", {}, { cpu: "500m" }), "n");
    assert.equal(cache.upsertBoundPod(pod), undefined);
    assert.equal(cache.upsertBoundPod({ ...pod, status: { phase: "Running" } }), undefined);
    assert.equal(cache.node("n")?.requested.milliCPU, 500);
    assert.equal(cache.node("n")?.podCount, 1);
    assert.equal(cache.removePod(pod.metadata.uid!), "n");
    assert.equal(cache.node("n")?.requested.milliCPU, 0);
  });

  it("reports the node whose room grew when a bound pod's requests shrink", () => {
    const cache = new SchedulerCache();
    cache.setNode(testNode("n"));
    const pod = boundTo(testPod("p", {}, { cpu: "500m" }), "n");
    cache.upsertBoundPod(pod);
    const smaller = {
      ...pod,
      spec: { ...pod.spec, containers: [{ name: "c", resources: { requests: { cpu: "100m" } } }] },
    };
    assert.equal(cache.upsertBoundPod(smaller), "n");
    assert.equal(cache.node("n")?.requested.milliCPU, 100);
  });

  it("confirms an assumed pod when the informer reports it bound, or forgets it", () => {
    const cache = new SchedulerCache();
    cache.setNode(testNode("n"));
    const confirmed = testPod("confirmed", {}, { cpu: "1" });
    const failed = testPod("failed", {}, { cpu: "1" });
    cache.assume(accountFromInfo(podInfo(confirmed), "n"));
    cache.assume(accountFromInfo(podInfo(failed), "n"));
    assert.equal(cache.node("n")?.requested.milliCPU, 2000);
    assert.equal(cache.isAssumed(confirmed.metadata.uid!), true);
    cache.upsertBoundPod(boundTo(confirmed, "n"));
    assert.equal(cache.isAssumed(confirmed.metadata.uid!), false);
    assert.equal(cache.forget(confirmed.metadata.uid!), undefined, "a confirmed pod is not forgotten");
    assert.equal(cache.forget(failed.metadata.uid!), "n");
    assert.equal(cache.node("n")?.requested.milliCPU, 1000);
  });

  it("keeps counting the pods of a deleted node until they go, and again when it returns", () => {
    const cache = new SchedulerCache();
    cache.setNode(testNode("n"));
    const pod = boundTo(testPod("p", {}, { cpu: "1" }), "n");
    cache.upsertBoundPod(pod);
    cache.removeNode("n");
    assert.equal(cache.numNodes, 0);
    cache.setNode(testNode("n"));
    assert.equal(cache.node("n")?.requested.milliCPU, 1000);
    cache.removeNode("n");
    cache.removePod(pod.metadata.uid!);
    cache.setNode(testNode("n"));
    assert.equal(cache.node("n")?.requested.milliCPU, 0);
  });
});
