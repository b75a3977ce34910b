// Table tests for manage: per-node creates and deletes, failed/succeeded pods with backoff, duplicates, surge.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { type ManagePlan, planManage, podsShouldBeOnNode } from "./manage.js";
import type { PlacementDecision } from "./placement.js";
import { byNode, type DaemonSetOptions, daemonSet, NOW, node, pod } from "./testing.js";

const RUN: PlacementDecision = { shouldRun: true, shouldContinueRunning: true };
const STAY: PlacementDecision = { shouldRun: false, shouldContinueRunning: true };
const NEVER: PlacementDecision = { shouldRun: false, shouldContinueRunning: false };
const SURGE: DaemonSetOptions = { strategy: { maxUnavailable: 0, maxSurge: 1 } };
const SURGE_MRS: DaemonSetOptions = { ...SURGE, minReadySeconds: 30 };
const HASH = "new-hash";

interface Case {
  name: string;
  placement: PlacementDecision;
  pods: KubeObject[];
  ds?: DaemonSetOptions;
  inBackoff?: string[];
  want: Partial<ManagePlan>;
}

const cases: Case[] = [
  {
    name: "should run, no pod: create",
    placement: RUN,
    pods: [],
    want: { nodesNeedingDaemonPods: ["node-1"] },
  },
  { name: "should run, one pod: nothing", placement: RUN, pods: [pod("a", { node: "node-1" })], want: {} },
  { name: "may stay, no pod: nothing (no create on a NoSchedule node)", placement: STAY, pods: [], want: {} },
  {
    name: "may stay, one pod: kept (misscheduled)",
    placement: STAY,
    pods: [pod("a", { node: "node-1" })],
    want: {},
  },
  {
    name: "may not stay: delete all but those already deleting",
    placement: NEVER,
    pods: [
      pod("a", { node: "node-1" }),
      pod("b", { node: "node-1", deleting: true }),
      pod("c", { node: "node-1", phase: "Failed" }),
    ],
    want: { podsToDelete: ["a", "c"] },
  },
  { name: "may not stay, no pod: nothing", placement: NEVER, pods: [], want: {} },
  {
    name: "failed pod: delete with a warning and advance its backoff",
    placement: RUN,
    pods: [pod("f", { node: "node-1", phase: "Failed" })],
    want: {
      podsToDelete: ["f"],
      events: [
        {
          type: "Warning",
          reason: "FailedDaemonPod",
          message: "Found failed daemon pod kube-system/f on node node-1, will try to kill it",
        },
      ],
      backoffKeysToAdvance: ["uid-ds-fluentd/1/node-1"],
    },
  },
  {
    name: "failed pod in backoff: kept, requeue",
    placement: RUN,
    pods: [pod("f", { node: "node-1", phase: "Failed" })],
    inBackoff: ["uid-ds-fluentd/1/node-1"],
    want: { backoffRequeueKeys: ["uid-ds-fluentd/1/node-1"] },
  },
  {
    name: "two failed pods: one delete per backoff window",
    placement: RUN,
    pods: [pod("f1", { node: "node-1", phase: "Failed" }), pod("f2", { node: "node-1", phase: "Failed" })],
    want: {
      podsToDelete: ["f1"],
      events: [
        {
          type: "Warning",
          reason: "FailedDaemonPod",
          message: "Found failed daemon pod kube-system/f1 on node node-1, will try to kill it",
        },
      ],
      backoffKeysToAdvance: ["uid-ds-fluentd/1/node-1"],
      backoffRequeueKeys: ["uid-ds-fluentd/1/node-1"],
    },
  },
  {
    name: "succeeded pod: delete with a normal event",
    placement: STAY,
    pods: [pod("s", { node: "node-1", phase: "Succeeded" })],
    want: {
      podsToDelete: ["s"],
      events: [
        {
          type: "Normal",
          reason: "SucceededDaemonPod",
          message: "Found succeeded daemon pod kube-system/s on node node-1, will try to delete it",
        },
      ],
    },
  },
  {
    name: "failed pod next to a running one: only the failed one goes",
    placement: RUN,
    pods: [pod("r", { node: "node-1" }), pod("f", { node: "node-1", phase: "Failed" })],
    want: {
      podsToDelete: ["f"],
      events: [
        {
          type: "Warning",
          reason: "FailedDaemonPod",
          message: "Found failed daemon pod kube-system/f on node node-1, will try to kill it",
        },
      ],
      backoffKeysToAdvance: ["uid-ds-fluentd/1/node-1"],
    },
  },
  {
    name: "no surge, only a deleting pod: wait, no create",
    placement: RUN,
    pods: [pod("d", { node: "node-1", deleting: true })],
    want: {},
  },
  {
    name: "no surge, duplicates: keep bound before unbound, then oldest",
    placement: RUN,
    pods: [
      pod("unbound-oldest", { node: "node-1", unbound: true, age: 9000 }),
      pod("young", { node: "node-1", age: 10 }),
      pod("old", { node: "node-1", age: 5000 }),
      pod("pending", { node: "node-1", phase: "Pending", age: 6000 }),
    ],
    want: { podsToDelete: ["old", "young", "unbound-oldest"] },
  },
  {
    name: "no surge with OnDelete: same duplicate rule",
    placement: RUN,
    ds: { strategy: "OnDelete" },
    pods: [pod("b", { node: "node-1", age: 100 }), pod("a", { node: "node-1", age: 100 })],
    want: { podsToDelete: ["b"] },
  },
  {
    name: "surge, no running pod: create now",
    placement: RUN,
    ds: SURGE,
    pods: [pod("d", { node: "node-1", deleting: true })],
    want: { nodesNeedingDaemonPods: ["node-1"] },
  },
  {
    name: "surge, no running pod on a node that may only keep pods: nothing",
    placement: STAY,
    ds: SURGE,
    pods: [pod("s", { node: "node-1", phase: "Succeeded" })],
    want: {
      podsToDelete: ["s"],
      events: [
        {
          type: "Normal",
          reason: "SucceededDaemonPod",
          message: "Found succeeded daemon pod kube-system/s on node node-1, will try to delete it",
        },
      ],
    },
  },
  {
    name: "surge, one running pod: nothing",
    placement: RUN,
    ds: SURGE,
    pods: [pod("a", { node: "node-1", hash: "old" })],
    want: {},
  },
  {
    name: "surge pair: old Ready, new not yet available → keep both",
    placement: RUN,
    ds: SURGE_MRS,
    pods: [
      pod("old", { node: "node-1", hash: "old", readyFor: 600 }),
      pod("new", { node: "node-1", hash: HASH, readyFor: 5, age: 6 }),
    ],
    want: {},
  },
  {
    name: "surge pair: old not Ready → delete old",
    placement: RUN,
    ds: SURGE_MRS,
    pods: [
      pod("old", { node: "node-1", hash: "old", notReady: true }),
      pod("new", { node: "node-1", hash: HASH, age: 6 }),
    ],
    want: { podsToDelete: ["old"] },
  },
  {
    name: "surge pair: new available → delete old",
    placement: RUN,
    ds: SURGE_MRS,
    pods: [
      pod("old", { node: "node-1", hash: "old", readyFor: 600 }),
      pod("new", { node: "node-1", hash: HASH, readyFor: 31, age: 40 }),
    ],
    want: { podsToDelete: ["old"] },
  },
  {
    name: "surge: extra pods of each kind go, oldest of each kept",
    placement: RUN,
    ds: SURGE,
    pods: [
      pod("old-2", { node: "node-1", hash: "older", readyFor: 60, age: 100 }),
      pod("old-1", { node: "node-1", hash: "old", readyFor: 60, age: 900 }),
      pod("new-2", { node: "node-1", hash: HASH, age: 5 }),
      pod("new-1", { node: "node-1", hash: HASH, age: 50 }),
    ],
    want: { podsToDelete: ["old-2", "new-2"] },
  },
  {
    name: "surge: two new pods only → keep the oldest",
    placement: RUN,
    ds: SURGE,
    pods: [
      pod("new-b", { node: "node-1", hash: HASH, age: 5 }),
      pod("new-a", { node: "node-1", hash: HASH, age: 50 }),
    ],
    want: { podsToDelete: ["new-b"] },
  },
];

const EMPTY: ManagePlan = {
  nodesNeedingDaemonPods: [],
  podsToDelete: [],
  events: [],
  backoffKeysToAdvance: [],
  backoffRequeueKeys: [],
};

describe("podsShouldBeOnNode", () => {
  for (const c of cases) {
    it(c.name, () => {
      const inBackoff = new Set(c.inBackoff ?? []);
      const plan = podsShouldBeOnNode("node-1", c.placement, c.pods, daemonSet(c.ds), HASH, NOW, {
        failedPodInBackoff: (key) => inBackoff.has(key),
      });
      assert.deepEqual(plan, { ...EMPTY, ...c.want });
    });
  }
});

describe("planManage", () => {
  const nodes = [
    node("node-1"),
    node("node-2"),
    node("tainted", { taints: [{ key: "dedicated", value: "db", effect: "NoExecute" }] }),
    node("blue", { labels: { color: "blue" } }),
  ];

  it("visits nodes in order and removes unbound pods aimed at vanished nodes", () => {
    const pods = byNode({
      "node-2": [pod("p2", { node: "node-2" })],
      tainted: [pod("pt", { node: "tainted" })],
      gone: [pod("gone-unbound", { node: "gone", unbound: true }), pod("gone-bound", { node: "gone" })],
    });
    const plan = planManage(daemonSet(), nodes, pods, HASH, NOW);
    assert.deepEqual(plan.nodesNeedingDaemonPods, ["node-1", "blue"]);
    // Bound pods of a vanished node are pod GC's job.
    assert.deepEqual(plan.podsToDelete, ["pt", "gone-unbound"]);
  });

  it("honours the DaemonSet's node selector", () => {
    const plan = planManage(daemonSet({ nodeSelector: { color: "blue" } }), nodes, new Map(), HASH, NOW);
    assert.deepEqual(plan.nodesNeedingDaemonPods, ["blue"]);
  });

  it("accepts an injected placement and backoff", () => {
    const ds = daemonSet();
    const pods = byNode({ "node-1": [pod("f", { node: "node-1", phase: "Failed" })] });
    const plan = planManage(ds, [node("node-1")], pods, HASH, NOW, {
      placement: () => RUN,
      failedPodInBackoff: () => true,
    });
    assert.deepEqual(plan.podsToDelete, []);
    assert.deepEqual(plan.backoffRequeueKeys, ["uid-ds-fluentd/1/node-1"]);
  });
});
