// Table tests for pod readiness, availability, freshness, duplicate order and the node→pods map.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  compareDaemonPods,
  failedPodsBackoffKey,
  isPodReady,
  isPodUpdated,
  podAvailable,
  podsByNode,
  sortDaemonPods,
  timestampMillis,
} from "./pods.js";
import { daemonSet, NOW, pod } from "./testing.js";

describe("isPodReady and podAvailable", () => {
  const cases: {
    name: string;
    p: ReturnType<typeof pod>;
    mrs: number;
    ready: boolean;
    available: boolean;
  }[] = [
    { name: "no conditions", p: pod("a"), mrs: 0, ready: false, available: false },
    { name: "Ready False", p: pod("a", { notReady: true }), mrs: 0, ready: false, available: false },
    { name: "Ready, minReadySeconds 0", p: pod("a", { readyFor: 0 }), mrs: 0, ready: true, available: true },
    {
      name: "Ready for less than minReadySeconds",
      p: pod("a", { readyFor: 9 }),
      mrs: 10,
      ready: true,
      available: false,
    },
    {
      name: "Ready for exactly minReadySeconds",
      p: pod("a", { readyFor: 10 }),
      mrs: 10,
      ready: true,
      available: true,
    },
    { name: "Ready for longer", p: pod("a", { readyFor: 60 }), mrs: 10, ready: true, available: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(isPodReady(c.p), c.ready);
      assert.equal(podAvailable(c.p, c.mrs, NOW), c.available);
    });
  }
  it("a Ready condition without transition time is only available without minReadySeconds", () => {
    const p = pod("a", { readyFor: 0 });
    delete p.status.conditions[0].lastTransitionTime;
    assert.equal(podAvailable(p, 0, NOW), true);
    assert.equal(podAvailable(p, 5, NOW), false);
  });
  it("the first Ready condition decides", () => {
    const p = pod("a", { readyFor: 100 });
    p.status.conditions.unshift({ type: "Ready", status: "False" });
    assert.equal(isPodReady(p), false);
  });
});

describe("isPodUpdated", () => {
  const cases: {
    name: string;
    labels: { hash?: string; templateGeneration?: string };
    hash: string;
    gen?: string;
    want: boolean;
  }[] = [
    { name: "current hash", labels: { hash: "abc" }, hash: "abc", gen: "2", want: true },
    {
      name: "old hash, old generation",
      labels: { hash: "old", templateGeneration: "1" },
      hash: "abc",
      gen: "2",
      want: false,
    },
    {
      name: "old hash but current template generation",
      labels: { hash: "old", templateGeneration: "2" },
      hash: "abc",
      gen: "2",
      want: true,
    },
    {
      name: "generation unknown",
      labels: { templateGeneration: "2" },
      hash: "abc",
      gen: undefined,
      want: false,
    },
    { name: "empty hash never matches", labels: { hash: "" }, hash: "", gen: undefined, want: false },
    { name: "no labels", labels: {}, hash: "abc", gen: "1", want: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(isPodUpdated(pod("p", c.labels), c.hash, c.gen), c.want));
  }
});

describe("duplicate order", () => {
  it("puts bound pods first, then the oldest, then by name", () => {
    const pods = [
      pod("unbound-old", { node: "n", unbound: true, age: 9000 }),
      pod("young", { node: "n", age: 10 }),
      pod("b-same-age", { node: "n", age: 500 }),
      pod("a-same-age", { node: "n", age: 500 }),
      pod("old", { node: "n", age: 5000 }),
    ];
    assert.deepEqual(
      sortDaemonPods(pods).map((p) => p.metadata.name),
      ["old", "a-same-age", "b-same-age", "young", "unbound-old"],
    );
  });
  it("treats a missing creationTimestamp as the oldest possible", () => {
    const a = pod("a", { node: "n" });
    const b = pod("b", { node: "n" });
    delete b.metadata.creationTimestamp;
    assert.ok(compareDaemonPods(b, a) < 0);
    assert.equal(timestampMillis(undefined), timestampMillis("garbage"));
  });
});

describe("podsByNode", () => {
  const pods = [
    pod("on-1", { node: "node-1" }),
    pod("pending-2", { node: "node-2", unbound: true, phase: "Pending" }),
    pod("on-1-dup", { node: "node-1" }),
    pod("no-target"),
    pod("failed-deleting", { node: "node-3", phase: "Failed", deleting: true }),
    pod("succeeded", { node: "node-3", phase: "Succeeded" }),
    pod("running-deleting", { node: "node-4", deleting: true }),
  ];
  const names = (m: Map<string, { metadata: { name?: string } }[]>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, v.map((p) => p.metadata.name)]));

  it("groups by target node, dropping untargeted and deleted terminal pods", () => {
    assert.deepEqual(names(podsByNode(pods)), {
      "node-1": ["on-1", "on-1-dup"],
      "node-2": ["pending-2"],
      "node-3": ["succeeded"],
      "node-4": ["running-deleting"],
    });
  });
  it("keeps deleted terminal pods for cleanupHistory", () => {
    assert.deepEqual(names(podsByNode(pods, { includeDeletedTerminal: true }))["node-3"], [
      "failed-deleting",
      "succeeded",
    ]);
  });
});

describe("failedPodsBackoffKey", () => {
  it("is uid/observedGeneration/node", () => {
    assert.equal(
      failedPodsBackoffKey(daemonSet({ uid: "u-1", observedGeneration: 4 }), "node-9"),
      "u-1/4/node-9",
    );
    const ds = daemonSet({ uid: "u-2" });
    delete ds.status;
    assert.equal(failedPodsBackoffKey(ds, "n"), "u-2/0/n");
  });
});
