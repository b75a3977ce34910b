// Table tests for NodeShouldRunDaemonPod, the created daemon pod and the target-node lookup.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Affinity, Taint, Toleration } from "kubernetes-types/core/v1.js";
import {
  createPodTemplate,
  daemonPodTolerations,
  getTargetNodeName,
  newPodForDaemonSet,
  nodeShouldRunDaemonPod,
  type PlacementDecision,
  replaceDaemonSetPodNodeNameNodeAffinity,
} from "./placement.js";
import { type DaemonSetOptions, daemonSet, type NodeOptions, node, pod } from "./testing.js";

const RUN: PlacementDecision = { shouldRun: true, shouldContinueRunning: true };
const STAY: PlacementDecision = { shouldRun: false, shouldContinueRunning: true };
const NEVER: PlacementDecision = { shouldRun: false, shouldContinueRunning: false };

const taint = (key: string, effect: string, value?: string): Taint => ({
  key,
  effect,
  ...(value ? { value } : {}),
});

describe("nodeShouldRunDaemonPod", () => {
  const zoneAffinity: Affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: "zone", operator: "In", values: ["test"] }] },
          { matchFields: [{ key: "metadata.name", operator: "In", values: ["node-1"] }] },
        ],
      },
    },
  };
  const cases: {
    name: string;
    node?: NodeOptions;
    nodeName?: string;
    ds?: DaemonSetOptions;
    want: PlacementDecision;
  }[] = [
    { name: "plain node", want: RUN },
    { name: "template nodeName is this node", ds: { nodeName: "node-0" }, want: RUN },
    { name: "template nodeName is another node", ds: { nodeName: "node-9" }, want: NEVER },
    {
      name: "nodeSelector matches",
      node: { labels: { color: "blue" } },
      ds: { nodeSelector: { color: "blue" } },
      want: RUN,
    },
    {
      name: "nodeSelector does not match",
      node: { labels: { color: "green" } },
      ds: { nodeSelector: { color: "blue" } },
      want: NEVER,
    },
    {
      name: "affinity: first term matches",
      node: { labels: { zone: "test" } },
      ds: { affinity: zoneAffinity },
      want: RUN,
    },
    {
      name: "affinity: second term (node name) matches",
      nodeName: "node-1",
      ds: { affinity: zoneAffinity },
      want: RUN,
    },
    {
      name: "affinity: no term matches",
      node: { labels: { zone: "prod" } },
      ds: { affinity: zoneAffinity },
      want: NEVER,
    },
    {
      name: "nodeSelector AND affinity",
      node: { labels: { zone: "test", color: "green" } },
      ds: { affinity: zoneAffinity, nodeSelector: { color: "blue" } },
      want: NEVER,
    },
    {
      name: "untolerated NoSchedule: keep but do not create",
      node: { taints: [taint("dedicated", "NoSchedule", "db")] },
      want: STAY,
    },
    {
      name: "control-plane taint",
      node: { taints: [taint("node-role.kubernetes.io/control-plane", "NoSchedule")] },
      want: STAY,
    },
    {
      name: "untolerated NoExecute: evict",
      node: { taints: [taint("dedicated", "NoExecute", "db")] },
      want: NEVER,
    },
    {
      name: "NoSchedule and NoExecute both untolerated",
      node: { taints: [taint("a", "NoSchedule"), taint("b", "NoExecute")] },
      want: NEVER,
    },
    {
      name: "NoSchedule untolerated, NoExecute tolerated",
      node: { taints: [taint("a", "NoSchedule"), taint("b", "NoExecute")] },
      ds: { tolerations: [{ key: "b", operator: "Exists" }] },
      want: STAY,
    },
    {
      name: "user toleration for NoSchedule",
      node: { taints: [taint("dedicated", "NoSchedule", "db")] },
      ds: { tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }] },
      want: RUN,
    },
    {
      name: "NoExecute toleration with tolerationSeconds still counts as tolerated",
      node: { taints: [taint("dedicated", "NoExecute")] },
      ds: {
        tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }],
      },
      want: RUN,
    },
    { name: "PreferNoSchedule is ignored", node: { taints: [taint("soft", "PreferNoSchedule")] }, want: RUN },
    {
      name: "cordoned (unschedulable taint) node",
      node: { unschedulable: true, taints: [taint("node.kubernetes.io/unschedulable", "NoSchedule")] },
      want: RUN,
    },
    { name: "spec.unschedulable alone is not checked", node: { unschedulable: true }, want: RUN },
    {
      name: "not-ready NoExecute",
      node: { taints: [taint("node.kubernetes.io/not-ready", "NoExecute")] },
      want: RUN,
    },
    {
      name: "unreachable NoExecute",
      node: { taints: [taint("node.kubernetes.io/unreachable", "NoExecute")] },
      want: RUN,
    },
    {
      name: "pressure taints",
      node: {
        taints: [
          taint("node.kubernetes.io/memory-pressure", "NoSchedule"),
          taint("node.kubernetes.io/disk-pressure", "NoSchedule"),
          taint("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ],
      },
      want: RUN,
    },
    {
      name: "network-unavailable without hostNetwork",
      node: { taints: [taint("node.kubernetes.io/network-unavailable", "NoSchedule")] },
      want: STAY,
    },
    {
      name: "network-unavailable with hostNetwork",
      node: { taints: [taint("node.kubernetes.io/network-unavailable", "NoSchedule")] },
      ds: { hostNetwork: true },
      want: RUN,
    },
    {
      name: "not-ready as NoSchedule is not a default toleration",
      node: { taints: [taint("node.kubernetes.io/not-ready", "NoSchedule")] },
      want: STAY,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = nodeShouldRunDaemonPod(node(c.nodeName ?? "node-0", c.node), daemonSet(c.ds));
      assert.deepEqual({ ...result }, c.want);
    });
  }
});

describe("daemon pod tolerations", () => {
  const defaults: Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  it("adds the defaults after the user's", () => {
    const user = { key: "dedicated", operator: "Exists" };
    assert.deepEqual(daemonPodTolerations({ tolerations: [user] }), [user, ...defaults]);
  });
  it("adds network-unavailable for host-network pods", () => {
    assert.deepEqual(daemonPodTolerations({ hostNetwork: true }), [
      ...defaults,
      { key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" },
    ]);
  });
  it("updates a matching toleration in place, dropping tolerationSeconds", () => {
    const mine = {
      key: "node.kubernetes.io/not-ready",
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: 300,
    };
    const result = daemonPodTolerations({ tolerations: [{ key: "a", operator: "Exists" }, mine] });
    assert.deepEqual(result.slice(0, 2), [{ key: "a", operator: "Exists" }, defaults[0]]);
    assert.equal(result.length, 1 + defaults.length);
  });
});

describe("newPodForDaemonSet", () => {
  const ds = daemonSet({
    generation: 3,
    nodeSelector: { "kubernetes.io/os": "linux" },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 5, preference: { matchExpressions: [{ key: "ssd", operator: "Exists" }] } },
        ],
      },
    },
  });
  ds.spec.template.metadata.annotations = { "prometheus.io/scrape": "true" };
  ds.spec.template.metadata.finalizers = ["example.com/keep"];
  const before = JSON.stringify(ds);
  const created = newPodForDaemonSet(ds, "node-7", "5d4b8c7f9");

  it("names, labels and owns the pod", () => {
    assert.deepEqual(created.metadata, {
      generateName: "fluentd-",
      namespace: "kube-system",
      labels: { app: "fluentd", "pod-template-generation": "3", "controller-revision-hash": "5d4b8c7f9" },
      annotations: { "prometheus.io/scrape": "true" },
      finalizers: ["example.com/keep"],
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "DaemonSet",
          name: "fluentd",
          uid: "uid-ds-fluentd",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    assert.equal(created.apiVersion, "v1");
    assert.equal(created.kind, "Pod");
  });
  it("leaves binding to the scheduler through a node-name affinity term", () => {
    assert.equal(created.spec.nodeName, undefined);
    assert.deepEqual(created.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
      nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["node-7"] }] }],
    });
    assert.equal(
      created.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.length,
      1,
    );
    assert.deepEqual(created.spec.nodeSelector, { "kubernetes.io/os": "linux" });
    assert.equal(getTargetNodeName(created), "node-7");
  });
  it("carries the daemon tolerations", () => {
    assert.equal(created.spec.tolerations.length, 6);
  });
  it("does not touch the DaemonSet", () => {
    assert.equal(JSON.stringify(ds), before);
  });
  it("omits pod-template-generation when the annotation is missing or invalid", () => {
    for (const templateGeneration of [null, "three", "99999999999999999999"]) {
      const p = newPodForDaemonSet(daemonSet({ templateGeneration }), "n", "h");
      assert.deepEqual(p.metadata.labels, { app: "fluentd", "controller-revision-hash": "h" });
    }
  });
  it("createPodTemplate omits the hash label for an empty hash", () => {
    const t = createPodTemplate(daemonSet().spec.template, undefined, "");
    assert.deepEqual(t.metadata?.labels, { app: "fluentd" });
  });
});

describe("replaceDaemonSetPodNodeNameNodeAffinity", () => {
  const pinned = {
    nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }],
  };
  const podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "zone" }] };
  const cases: { name: string; affinity: Affinity | undefined; want: Affinity }[] = [
    {
      name: "no affinity",
      affinity: undefined,
      want: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pinned } },
    },
    {
      name: "pod affinity only",
      affinity: { podAffinity },
      want: { podAffinity, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pinned } },
    },
    {
      name: "preferred only",
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
      want: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [],
          requiredDuringSchedulingIgnoredDuringExecution: pinned,
        },
      },
    },
    {
      name: "user terms are replaced",
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "a", operator: "Exists" }] }, {}],
          },
        },
      },
      want: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pinned } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(replaceDaemonSetPodNodeNameNodeAffinity(c.affinity, "n1"), c.want));
  }
});

describe("getTargetNodeName", () => {
  const unboundWith = (terms: unknown[]) => ({
    spec: {
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
      },
    },
  });
  const cases: { name: string; pod: any; want: string | undefined }[] = [
    { name: "bound pod", pod: pod("p", { node: "node-1" }), want: "node-1" },
    { name: "unbound pod", pod: pod("p", { node: "node-2", unbound: true }), want: "node-2" },
    { name: "no affinity", pod: pod("p"), want: undefined },
    { name: "no terms", pod: unboundWith([]), want: undefined },
    {
      name: "several names",
      pod: unboundWith([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["a", "b"] }] }]),
      want: undefined,
    },
    {
      name: "NotIn does not name a node",
      pod: unboundWith([{ matchFields: [{ key: "metadata.name", operator: "NotIn", values: ["a"] }] }]),
      want: undefined,
    },
    {
      name: "found in a later term",
      pod: unboundWith([
        { matchExpressions: [{ key: "zone", operator: "Exists" }] },
        { matchFields: [{ key: "metadata.name", operator: "In", values: ["c"] }] },
      ]),
      want: "c",
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(getTargetNodeName(c.pod), c.want));
});
