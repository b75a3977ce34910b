// Table tests for rollingUpdate: the maxSurge = 0 algorithm (delete within maxUnavailable) and the maxSurge > 0
// algorithm (create beside old pods within maxSurge), with explicit node order.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { findUpdatedPodsOnNode, planRollingUpdate } from "./rolling-update.js";
import { byNode, type DaemonSetOptions, daemonSet, NOW, node, pod } from "./testing.js";

const HASH = "new-hash";
const NO_SCHEDULE = [{ key: "dedicated", value: "db", effect: "NoSchedule" }];
const ORDER = ["n1", "n2", "n3", "n4", "n5", "a1", "a2"];

// Pod shorthands: old/new, available or not, on a node.
const oldUp = (n: string) => pod(`old-${n}`, { node: n, hash: "old-hash", readyFor: 600 });
const oldDown = (n: string) => pod(`old-${n}`, { node: n, hash: "old-hash", notReady: true });
const newUp = (n: string) => pod(`new-${n}`, { node: n, hash: HASH, readyFor: 600, age: 700 });
const newDown = (n: string) => pod(`new-${n}`, { node: n, hash: HASH, notReady: true, age: 10 });

interface Case {
  name: string;
  ds: DaemonSetOptions;
  /** Nodes n1..n5 by default; names starting with "a" carry an untolerated NoSchedule taint. */
  nodes?: string[];
  pods: Record<string, KubeObject[]>;
  order?: string[];
  podsToDelete: string[];
  nodesNeedingPods?: string[];
  limits?: { maxSurge: number; maxUnavailable: number; desiredNumberScheduled: number };
}

const MU = (maxUnavailable: number | string): DaemonSetOptions => ({
  strategy: { maxUnavailable, maxSurge: 0 },
});
const MS = (maxSurge: number | string): DaemonSetOptions => ({ strategy: { maxUnavailable: 0, maxSurge } });

const withoutSurge: Case[] = [
  {
    name: "all old and available: delete maxUnavailable of them, in visit order",
    ds: MU(1),
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2")], n3: [oldUp("n3")] },
    nodes: ["n1", "n2", "n3"],
    podsToDelete: ["old-n1"],
    limits: { maxSurge: 0, maxUnavailable: 1, desiredNumberScheduled: 3 },
  },
  {
    name: "visit order decides the candidate",
    ds: MU(1),
    nodes: ["n1", "n2", "n3"],
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2")], n3: [oldUp("n3")] },
    order: ["n3", "n1"],
    podsToDelete: ["old-n3"],
  },
  {
    name: "maxUnavailable 2",
    ds: MU(2),
    nodes: ["n1", "n2", "n3"],
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2")], n3: [oldUp("n3")] },
    podsToDelete: ["old-n1", "old-n2"],
  },
  {
    name: "percent rounds up: 30% of 4 desired → 2",
    ds: MU("30%"),
    nodes: ["n1", "n2", "n3", "n4"],
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2")], n3: [oldUp("n3")], n4: [oldUp("n4")] },
    podsToDelete: ["old-n1", "old-n2"],
    limits: { maxSurge: 0, maxUnavailable: 2, desiredNumberScheduled: 4 },
  },
  {
    name: "both resolve to 0: one unavailable allowed",
    ds: { strategy: { maxUnavailable: "0%", maxSurge: "0%" } },
    nodes: ["n1", "n2"],
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2")] },
    podsToDelete: ["old-n1"],
    limits: { maxSurge: 0, maxUnavailable: 1, desiredNumberScheduled: 2 },
  },
  {
    name: "unavailable old pods are always replaced, and use up the budget",
    ds: MU(1),
    nodes: ["n1", "n2", "n3"],
    pods: { n1: [oldUp("n1")], n2: [oldDown("n2")], n3: [oldDown("n3")] },
    podsToDelete: ["old-n2", "old-n3"],
  },
  {
    name: "a desired node without pods counts as unavailable",
    ds: MU(1),
    nodes: ["n1", "n2"],
    pods: { n1: [oldUp("n1")] },
    order: ["n2", "n1"],
    podsToDelete: [],
  },
  {
    name: "an unavailable new pod counts against the budget",
    ds: MU(1),
    nodes: ["n1", "n2", "n3"],
    pods: { n1: [newDown("n1")], n2: [oldUp("n2")], n3: [oldUp("n3")] },
    podsToDelete: [],
  },
  {
    name: "an unavailable node visited after the candidates still consumes the budget",
    ds: MU(1),
    nodes: ["n1", "n2", "n3"],
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2")], n3: [newDown("n3")] },
    podsToDelete: [],
  },
  {
    name: "available new pods cost nothing",
    ds: MU(1),
    nodes: ["n1", "n2"],
    pods: { n1: [newUp("n1")], n2: [oldUp("n2")] },
    podsToDelete: ["old-n2"],
  },
  {
    name: "old and new on one node: manage's business, counted unavailable",
    ds: MU(1),
    nodes: ["n1", "n2"],
    pods: { n1: [oldUp("n1"), newUp("n1")], n2: [oldUp("n2")] },
    podsToDelete: [],
  },
  {
    name: "duplicates on a node: skipped and counted unavailable",
    ds: MU(2),
    nodes: ["n1", "n2", "n3"],
    pods: {
      n1: [oldUp("n1"), pod("old-n1-b", { node: "n1", hash: "old-hash", readyFor: 600 })],
      n2: [oldUp("n2")],
      n3: [oldUp("n3")],
    },
    podsToDelete: ["old-n2"],
  },
  {
    name: "deleting pods are ignored",
    ds: MU(1),
    nodes: ["n1", "n2"],
    pods: {
      n1: [pod("gone", { node: "n1", hash: "old-hash", deleting: true, readyFor: 600 }), newUp("n1")],
      n2: [oldUp("n2")],
    },
    podsToDelete: ["old-n2"],
  },
  {
    name: "the current template generation marks a pod new",
    ds: MU(1),
    nodes: ["n1", "n2"],
    pods: {
      n1: [pod("gen", { node: "n1", hash: "other", templateGeneration: "1", notReady: true })],
      n2: [oldUp("n2")],
    },
    podsToDelete: [],
  },
  {
    name: "old pods on nodes that should not run are candidates too",
    ds: MU(1),
    nodes: ["n1", "a1"],
    pods: { a1: [oldUp("a1")], n1: [newUp("n1")] },
    podsToDelete: ["old-a1"],
    limits: { maxSurge: 0, maxUnavailable: 1, desiredNumberScheduled: 1 },
  },
];

const withSurge: Case[] = [
  {
    name: "all old and available: surge onto maxSurge nodes",
    ds: MS(1),
    nodes: ["n1", "n2", "n3"],
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2")], n3: [oldUp("n3")] },
    podsToDelete: [],
    nodesNeedingPods: ["n1"],
    limits: { maxSurge: 1, maxUnavailable: 0, desiredNumberScheduled: 3 },
  },
  {
    name: "percent surge rounds up: 30% of 5 → 2",
    ds: MS("30%"),
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2")], n3: [oldUp("n3")], n4: [oldUp("n4")], n5: [oldUp("n5")] },
    order: ["n5", "n4"],
    podsToDelete: [],
    nodesNeedingPods: ["n5", "n4"],
    limits: { maxSurge: 2, maxUnavailable: 0, desiredNumberScheduled: 5 },
  },
  {
    name: "unavailable old pods get a new pod regardless of the limit",
    ds: MS(1),
    nodes: ["n1", "n2", "n3"],
    pods: { n1: [oldDown("n1")], n2: [oldDown("n2")], n3: [oldUp("n3")] },
    podsToDelete: [],
    nodesNeedingPods: ["n1", "n2", "n3"],
  },
  {
    name: "a new pod still starting uses up the surge",
    ds: MS(1),
    nodes: ["n1", "n2"],
    pods: { n1: [oldUp("n1"), newDown("n1")], n2: [oldUp("n2")] },
    podsToDelete: [],
    nodesNeedingPods: [],
  },
  {
    name: "candidates seen before the surging node are still clamped",
    ds: MS(1),
    nodes: ["n1", "n2"],
    pods: { n1: [oldUp("n1")], n2: [oldUp("n2"), newDown("n2")] },
    podsToDelete: [],
    nodesNeedingPods: [],
  },
  {
    name: "an available new pod retires the old one",
    ds: MS(1),
    nodes: ["n1", "n2"],
    pods: { n1: [oldUp("n1"), newUp("n1")], n2: [oldUp("n2")] },
    podsToDelete: ["old-n1"],
    nodesNeedingPods: ["n2"],
  },
  {
    name: "duplicates count as surge",
    ds: MS(1),
    nodes: ["n1", "n2"],
    pods: { n1: [newUp("n1"), pod("new-n1-b", { node: "n1", hash: HASH })], n2: [oldUp("n2")] },
    podsToDelete: [],
    nodesNeedingPods: [],
  },
  {
    name: "nodes with only a new pod or nothing are manage's",
    ds: MS(1),
    nodes: ["n1", "n2"],
    pods: { n1: [newDown("n1")] },
    podsToDelete: [],
    nodesNeedingPods: [],
  },
  {
    name: "an unavailable old pod on a node that should not run is deleted",
    ds: MS(1),
    nodes: ["n1", "a1"],
    pods: { a1: [oldDown("a1")], n1: [newUp("n1")] },
    podsToDelete: ["old-a1"],
    nodesNeedingPods: [],
  },
  {
    name: "moving nodes: sunset pods go only as replacements are available",
    ds: MS(1),
    nodes: ["n1", "n2", "a1", "a2"],
    pods: { a1: [oldUp("a1")], a2: [oldUp("a2")], n1: [newUp("n1")], n2: [newDown("n2")] },
    order: ["a1", "a2", "n1", "n2"],
    // 3 available (a1, a2, n1) against 2 desired: one sunset pod may go.
    podsToDelete: ["old-a1"],
    nodesNeedingPods: [],
  },
  {
    name: "moving nodes: all replacements available",
    ds: MS(1),
    nodes: ["n1", "n2", "a1", "a2"],
    pods: { a1: [oldUp("a1")], a2: [oldUp("a2")], n1: [newUp("n1")], n2: [newUp("n2")] },
    podsToDelete: ["old-a1", "old-a2"],
    nodesNeedingPods: [],
  },
  {
    name: "moving nodes: nothing available on the new nodes yet",
    ds: MS(1),
    nodes: ["n1", "a1"],
    pods: { a1: [oldUp("a1")] },
    podsToDelete: [],
    nodesNeedingPods: [],
  },
];

function run(c: Case) {
  const names = c.nodes ?? ["n1", "n2", "n3", "n4", "n5"];
  const nodes = names.map((n) => node(n, n.startsWith("a") ? { taints: NO_SCHEDULE } : {}));
  return planRollingUpdate(daemonSet(c.ds), nodes, byNode(c.pods), HASH, NOW, {
    nodeOrder: c.order ?? ORDER,
  });
}

for (const [title, cases] of [
  ["planRollingUpdate, maxSurge = 0", withoutSurge],
  ["planRollingUpdate, maxSurge > 0", withSurge],
] as const) {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const plan = run(c);
        assert.deepEqual(plan.podsToDelete, c.podsToDelete);
        assert.deepEqual(plan.nodesNeedingPods, c.nodesNeedingPods ?? []);
        if (c.limits) {
          const { maxSurge, maxUnavailable, desiredNumberScheduled } = plan;
          assert.deepEqual({ maxSurge, maxUnavailable, desiredNumberScheduled }, c.limits);
        }
      });
    }
  });
}

describe("planRollingUpdate errors and defaults", () => {
  it("fails like upstream when surge planning needs a node that is gone", () => {
    const pods = byNode({ gone: [oldUp("gone")] });
    assert.throws(() => planRollingUpdate(daemonSet(MS(1)), [node("n1")], pods, HASH, NOW), {
      message: `couldn't get node for nodeName "gone": node "gone" not found`,
    });
  });
  it("reports invalid limits", () => {
    assert.throws(
      () => planRollingUpdate(daemonSet(MU("lots")), [node("n1")], new Map(), HASH, NOW),
      /^Error: couldn't get unavailable numbers: invalid value for MaxUnavailable/,
    );
  });
  it("without an order visits pod entries first, then empty desired nodes", () => {
    const pods = byNode({ n2: [oldUp("n2")], n1: [oldUp("n1")] });
    const plan = planRollingUpdate(daemonSet(MU(1)), [node("n1"), node("n2")], pods, HASH, NOW);
    assert.deepEqual(plan.podsToDelete, ["old-n2"]);
  });
});

describe("findUpdatedPodsOnNode", () => {
  const ds = daemonSet();
  it("splits one new and one old pod", () => {
    const found = findUpdatedPodsOnNode(ds, [oldUp("n"), newUp("n")], HASH);
    assert.equal(found?.oldPod?.metadata?.name, "old-n");
    assert.equal(found?.newPod?.metadata?.name, "new-n");
  });
  it("gives up on duplicates", () => {
    assert.equal(findUpdatedPodsOnNode(ds, [oldUp("n"), oldDown("n")], HASH), undefined);
  });
});
