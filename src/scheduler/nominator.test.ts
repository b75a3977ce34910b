// Tests of the nominator: nominations follow status.nominatedNodeName, except that an in-memory nomination
// survives updates that never carried one; only pods of at least the asking pod's priority count.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import { Nominator } from "./nominator.js";
import { podInfo } from "./pod-info.js";
import { testPod } from "./testing.js";

const withNomination = (pod: KubeObject, node?: string): KubeObject => ({
  ...pod,
  status: node ? { nominatedNodeName: node } : {},
});

describe("Nominator", () => {
  it("follows status.nominatedNodeName on add, change and removal", () => {
    const n = new Nominator();
    const pod = testPod("p", { priority: 10 });
    n.podSeen(withNomination(pod, "w1"));
    assert.equal(n.nodeFor(pod.metadata.uid!), "w1");
    n.podSeen(withNomination(pod, "w2"), withNomination(pod, "w1"));
    assert.deepEqual([n.nodeFor(pod.metadata.uid!), n.nominatedPods("w1").length], ["w2", 0]);
    n.podSeen(withNomination(pod), withNomination(pod, "w2"));
    assert.equal(n.nodeFor(pod.metadata.uid!), undefined);
  });

  it("keeps an in-memory nomination through updates that never named a node", () => {
    const n = new Nominator();
    const pod = testPod("p", { priority: 10 });
    n.nominate(podInfo(pod), "w1");
    n.podSeen(withNomination(pod), withNomination(pod));
    assert.equal(n.nodeFor(pod.metadata.uid!), "w1");
  });

  it("counts only other pods of equal or higher priority", () => {
    const n = new Nominator();
    const [low, same, high, self] = [1, 10, 20, 10].map((priority, i) => testPod(`p${i}`, { priority }));
    for (const p of [low, same, high, self]) n.nominate(podInfo(p), "w1");
    const names = n.nominatedPodsAbove(podInfo(self), "w1").map((a) => a.pod.metadata.name);
    assert.deepEqual(names, ["p1", "p2"]);
    assert.deepEqual(n.nominatedPodsAbove(podInfo(self), "w2"), []);
  });
});
