// The FailedScheduling message, character for character: FitError.Error's histogram and sorting, PreFilter and
// PostFilter parts, and whole scheduling cycles over a node cache, including preemption's verdict.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import type { Rejection } from "./filters.js";
import { fitErrorMessage, preFilterNarrowedStatus, truncateMessage } from "./fit-error.js";
import { podInfo } from "./pod-info.js";
import { numFeasibleNodesToFind, PodScheduler } from "./schedule-pod.js";
import { SchedulerCache } from "./scheduler-cache.js";
import { boundTo, pinnedTo, testNode, testPod } from "./testing.js";

const reject = (...reasons: string[]): Rejection => ({
  plugin: "X",
  code: "UnschedulableAndUnresolvable",
  reasons,
});

describe("fitErrorMessage", () => {
  const cases: {
    name: string;
    numAllNodes: number;
    statuses: Rejection[];
    absent?: Rejection;
    pre?: string;
    post?: string;
    want: string;
  }[] = [
    {
      name: "counts nodes per reason, sorted as strings",
      numAllNodes: 3,
      statuses: [
        reject("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
        reject("node(s) didn't match Pod's node affinity/selector"),
        reject("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
      ],
      post: "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      want:
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint " +
        "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    },
    {
      name: "sorting is by text, so 10 comes before 2",
      numAllNodes: 12,
      statuses: [
        ...Array.from({ length: 10 }, () => reject("Insufficient cpu")),
        reject("Too many pods"),
        reject("Too many pods"),
      ],
      want: "0/12 nodes are available: 10 Insufficient cpu, 2 Too many pods.",
    },
    {
      name: "a node with several reasons counts once under each",
      numAllNodes: 1,
      statuses: [reject("Insufficient cpu", "Insufficient memory")],
      want: "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.",
    },
    {
      name: "nodes absent from the statuses take the absent status",
      numAllNodes: 5,
      statuses: [reject("node(s) had untolerated taint {dedicated: gpu}")],
      absent: preFilterNarrowedStatus(["NodeAffinity"]),
      want:
        "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, " +
        "4 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    },
    {
      name: "a PreFilter message replaces the per-node reasons",
      numAllNodes: 2,
      statuses: [],
      absent: reject("pod affinity terms conflict"),
      pre: "pod affinity terms conflict",
      post: "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
      want:
        "0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: " +
        "2 Preemption is not helpful for scheduling.",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const nodeStatuses = new Map(c.statuses.map((s, i) => [`n${i}`, s]));
      const message = fitErrorMessage(c.numAllNodes, {
        nodeStatuses,
        absentNodesStatus: c.absent,
        preFilterMsg: c.pre,
        postFilterMsg: c.post,
      });
      assert.equal(message, c.want);
    });
  }

  it("truncates long messages to 1024 characters with a ' ...' suffix", () => {
    assert.equal(truncateMessage("short"), "short");
    const long = "x".repeat(2000);
    const cut = truncateMessage(long);
    assert.equal(cut.length, 1024);
    assert.ok(cut.endsWith("x ..."));
  });
});

/** A scheduling cycle over `nodes` (with `bound` pods on them) for `pod`: the chosen node or the message. */
function scheduleOn(nodes: KubeObject[], pod: KubeObject, bound: KubeObject[] = []): string {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of bound) cache.upsertBoundPod(p);
  const outcome = new PodScheduler(cache, { random: () => 0 }).schedule(podInfo(pod));
  return outcome.node ? `node:${outcome.node.name}` : outcome.message;
}

describe("scheduling cycle messages", () => {
  const controlPlane = testNode("control-plane", {
    labels: { "node-role.kubernetes.io/control-plane": "" },
    taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
  });
  const workers = [testNode("w1"), testNode("w2")];
  const small = { cpu: "1", memory: "1Gi", pods: "110" };

  const cases: { name: string; nodes: KubeObject[]; pod: KubeObject; bound?: KubeObject[]; want: string }[] =
    [
      {
        name: "no nodes at all",
        nodes: [],
        pod: testPod("p"),
        want: "no nodes available to schedule pods",
      },
      {
        name: "selector and taints: every rejection is unresolvable, so preemption cannot help",
        nodes: [
          controlPlane,
          testNode("w1", {
            taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
          }),
          workers[1],
        ],
        pod: testPod("p", { nodeSelector: { disk: "ssd" } }),
        want:
          "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint " +
          "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      },
      {
        name: "insufficient resources with nothing of lower priority to evict",
        nodes: [controlPlane, testNode("w1", { allocatable: small }), testNode("w2", { allocatable: small })],
        pod: testPod("p", {}, { cpu: "2" }),
        want:
          "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. " +
          "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
      },
      {
        name: "lower-priority pods that would not free enough leave the filter's reason",
        nodes: [testNode("w1", { allocatable: small })],
        pod: testPod("p", { priority: 100 }, { cpu: "2" }),
        bound: [boundTo(testPod("low", { priority: 0 }, { cpu: "500m" }), "w1")],
        want: "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.",
      },
      {
        name: "when evicting lower-priority pods would help, the preemption part is left out",
        nodes: [testNode("w1", { allocatable: small })],
        pod: testPod("p", { priority: 100 }, { cpu: "800m" }),
        bound: [boundTo(testPod("low", { priority: 0 }, { cpu: "500m" }), "w1")],
        want: "0/1 nodes are available: 1 Insufficient cpu.",
      },
      {
        name: "preemptionPolicy Never",
        nodes: [testNode("w1", { allocatable: small })],
        pod: testPod("p", { preemptionPolicy: "Never" }, { cpu: "2" }),
        want: "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
      },
      {
        name: "a pod pinned to a tainted node: only that node is checked",
        nodes: [controlPlane, ...workers],
        pod: testPod("ds-pod", pinnedTo("control-plane")),
        want:
          "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, " +
          "2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      },
      {
        name: "a pod pinned to a node that does not exist",
        nodes: workers,
        pod: testPod("ds-pod", pinnedTo("gone")),
        want:
          "0/2 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
          "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
      },
      {
        name: "contradicting node-name terms fail in PreFilter",
        nodes: workers,
        pod: testPod("p", {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchFields: [
                      { key: "metadata.name", operator: "In", values: ["w1"] },
                      { key: "metadata.name", operator: "In", values: ["w2"] },
                    ],
                  },
                ],
              },
            },
          },
        }),
        want:
          "0/2 nodes are available: pod affinity terms conflict. " +
          "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
      },
      {
        name: "a pinned pod lands on its node",
        nodes: [controlPlane, ...workers],
        pod: testPod("ds", pinnedTo("w2")),
        want: "node:w2",
      },
      {
        name: "the node with the most room wins",
        nodes: workers,
        pod: testPod("p", {}, { cpu: "100m" }),
        bound: [boundTo(testPod("busy", {}, { cpu: "3" }), "w1")],
        want: "node:w2",
      },
      {
        name: "a preferred node affinity term outweighs free room",
        nodes: [testNode("w1", { labels: { zone: "a" } }), testNode("w2")],
        pod: testPod("p", {
          affinity: {
            nodeAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 10,
                  preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
                },
              ],
            },
          },
        }),
        bound: [boundTo(testPod("busy", {}, { cpu: "2" }), "w1")],
        want: "node:w1",
      },
    ];
  for (const c of cases) it(c.name, () => assert.equal(scheduleOn(c.nodes, c.pod, c.bound), c.want));
});

describe("numFeasibleNodesToFind", () => {
  const cases: [number, number][] = [
    [0, 0],
    [50, 50],
    [99, 99],
    [100, 100],
    [1000, 420],
    [5000, 500],
    [10000, 500],
    [1500, 570],
  ];
  for (const [nodes, want] of cases)
    it(`${nodes} nodes → ${want}`, () => assert.equal(numFeasibleNodesToFind(nodes), want));
});
