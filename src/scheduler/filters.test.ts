// Table tests for the filter plugins: each case is a pod, a node (with the pods already on it) and the expected
// outcome, undefined for "fits" or the plugin's code and reasons as upstream reports them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import {
  DEFAULT_FILTERS,
  type FilterPlugin,
  nodeAffinity,
  nodeName,
  nodePorts,
  nodeResourcesFit,
  nodeUnschedulable,
  type RejectionCode,
  runFilters,
  taintToleration,
} from "./filters.js";
import { podInfo } from "./pod-info.js";
import { pinnedTo, testNode, testNodeInfo, testPod } from "./testing.js";

interface Case {
  name: string;
  pod: KubeObject;
  node: KubeObject;
  existing?: KubeObject[];
  want?: { code: RejectionCode; reasons: string[] };
}

function runTable(plugin: FilterPlugin, cases: Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const got = plugin.filter(podInfo(c.pod), testNodeInfo(c.node, c.existing));
      if (!c.want) return assert.equal(got, undefined);
      assert.ok(got, "expected a rejection");
      assert.deepEqual(
        { plugin: got.plugin, code: got.code, reasons: [...got.reasons] },
        { plugin: plugin.name, ...c.want },
      );
    });
  }
}

const unresolvable = (...reasons: string[]) => ({ code: "UnschedulableAndUnresolvable" as const, reasons });
const unschedulable = (...reasons: string[]) => ({ code: "Unschedulable" as const, reasons });

describe("NodeUnschedulable", () => {
  runTable(nodeUnschedulable, [
    { name: "a schedulable node fits", pod: testPod("p"), node: testNode("n") },
    {
      name: "an unschedulable node rejects a pod without the toleration",
      pod: testPod("p"),
      node: testNode("n", { unschedulable: true }),
      want: unresolvable("node(s) were unschedulable"),
    },
    {
      name: "the unschedulable:NoSchedule toleration lets the pod through",
      pod: testPod("p", {
        tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }],
      }),
      node: testNode("n", { unschedulable: true }),
    },
    {
      name: "a toleration of every taint (Exists, no key, no effect) lets it through",
      pod: testPod("p", { tolerations: [{ operator: "Exists" }] }),
      node: testNode("n", { unschedulable: true }),
    },
    {
      name: "a NoExecute-only toleration does not",
      pod: testPod("p", {
        tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoExecute" }],
      }),
      node: testNode("n", { unschedulable: true }),
      want: unresolvable("node(s) were unschedulable"),
    },
  ]);
});

describe("NodeName", () => {
  runTable(nodeName, [
    { name: "a pod without spec.nodeName fits any node", pod: testPod("p"), node: testNode("n1") },
    { name: "the named node fits", pod: testPod("p", { nodeName: "n1" }), node: testNode("n1") },
    {
      name: "another node does not",
      pod: testPod("p", { nodeName: "n1" }),
      node: testNode("n2"),
      want: unresolvable("node(s) didn't match the requested node name"),
    },
  ]);
});

describe("TaintToleration", () => {
  const controlPlane = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };
  runTable(taintToleration, [
    { name: "an untainted node fits", pod: testPod("p"), node: testNode("n") },
    {
      name: "an untolerated NoSchedule taint is named with an empty value",
      pod: testPod("p"),
      node: testNode("n", { taints: [controlPlane] }),
      want: unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
    },
    {
      name: "an untolerated NoExecute taint is named with its value",
      pod: testPod("p"),
      node: testNode("n", { taints: [{ key: "dedicated", value: "gpu", effect: "NoExecute" }] }),
      want: unresolvable("node(s) had untolerated taint {dedicated: gpu}"),
    },
    {
      name: "PreferNoSchedule taints never reject",
      pod: testPod("p"),
      node: testNode("n", { taints: [{ key: "soft", effect: "PreferNoSchedule" }] }),
    },
    {
      name: "an Exists toleration for the key tolerates it",
      pod: testPod("p", {
        tolerations: [{ key: controlPlane.key, operator: "Exists", effect: "NoSchedule" }],
      }),
      node: testNode("n", { taints: [controlPlane] }),
    },
    {
      name: "an Equal toleration needs the same value",
      pod: testPod("p", { tolerations: [{ key: "dedicated", operator: "Equal", value: "cpu" }] }),
      node: testNode("n", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] }),
      want: unresolvable("node(s) had untolerated taint {dedicated: gpu}"),
    },
    {
      name: "the first untolerated taint is the one reported",
      pod: testPod("p", { tolerations: [{ key: "a", operator: "Exists" }] }),
      node: testNode("n", {
        taints: [
          { key: "a", effect: "NoSchedule" },
          { key: "b", value: "1", effect: "NoSchedule" },
          { key: "c", value: "2", effect: "NoExecute" },
        ],
      }),
      want: unresolvable("node(s) had untolerated taint {b: 1}"),
    },
  ]);
});

describe("NodeAffinity", () => {
  const required = (...nodeSelectorTerms: unknown[]) => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
  });
  const mismatch = unresolvable("node(s) didn't match Pod's node affinity/selector");
  const ssd = testNode("n1", { labels: { disk: "ssd", cores: "8" } });
  runTable(nodeAffinity, [
    { name: "a pod without selector or affinity fits", pod: testPod("p"), node: ssd },
    { name: "a matching nodeSelector fits", pod: testPod("p", { nodeSelector: { disk: "ssd" } }), node: ssd },
    {
      name: "a nodeSelector label the node lacks rejects",
      pod: testPod("p", { nodeSelector: { disk: "ssd", zone: "a" } }),
      node: ssd,
      want: mismatch,
    },
    {
      name: "matchExpressions In",
      pod: testPod(
        "p",
        required({ matchExpressions: [{ key: "disk", operator: "In", values: ["hdd", "ssd"] }] }),
      ),
      node: ssd,
    },
    {
      name: "matchExpressions NotIn",
      pod: testPod(
        "p",
        required({ matchExpressions: [{ key: "disk", operator: "NotIn", values: ["ssd"] }] }),
      ),
      node: ssd,
      want: mismatch,
    },
    {
      name: "matchExpressions DoesNotExist",
      pod: testPod("p", required({ matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] })),
      node: ssd,
    },
    {
      name: "matchExpressions Gt compares integers",
      pod: testPod("p", required({ matchExpressions: [{ key: "cores", operator: "Gt", values: ["16"] }] })),
      node: ssd,
      want: mismatch,
    },
    { name: "matchFields metadata.name In the node's name", pod: testPod("p", pinnedTo("n1")), node: ssd },
    { name: "matchFields naming another node", pod: testPod("p", pinnedTo("n2")), node: ssd, want: mismatch },
    {
      name: "terms are ORed",
      pod: testPod(
        "p",
        required(
          { matchExpressions: [{ key: "disk", operator: "In", values: ["hdd"] }] },
          { matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] },
        ),
      ),
      node: ssd,
    },
    {
      name: "nodeSelector and affinity must both match",
      pod: testPod("p", { nodeSelector: { disk: "hdd" }, ...pinnedTo("n1") }),
      node: ssd,
      want: mismatch,
    },
  ]);
});

describe("NodePorts", () => {
  const withPort = (name: string, port: Record<string, unknown>) =>
    testPod(name, { containers: [{ name: "c", image: "nginx", ports: [{ containerPort: 80, ...port }] }] });
  const taken = unschedulable("node(s) didn't have free ports for the requested pod ports");
  runTable(nodePorts, [
    {
      name: "a pod without host ports fits",
      pod: testPod("p"),
      node: testNode("n"),
      existing: [withPort("o", { hostPort: 80 })],
    },
    {
      name: "a free host port fits",
      pod: withPort("p", { hostPort: 8080 }),
      node: testNode("n"),
      existing: [withPort("o", { hostPort: 80 })],
    },
    {
      name: "the same host port conflicts",
      pod: withPort("p", { hostPort: 80 }),
      node: testNode("n"),
      existing: [withPort("o", { hostPort: 80 })],
      want: taken,
    },
    {
      name: "another protocol does not conflict",
      pod: withPort("p", { hostPort: 53, protocol: "UDP" }),
      node: testNode("n"),
      existing: [withPort("o", { hostPort: 53 })],
    },
    {
      name: "a specific IP conflicts with 0.0.0.0",
      pod: withPort("p", { hostPort: 80, hostIP: "10.0.0.1" }),
      node: testNode("n"),
      existing: [withPort("o", { hostPort: 80 })],
      want: taken,
    },
    {
      name: "0.0.0.0 conflicts with any IP",
      pod: withPort("p", { hostPort: 80 }),
      node: testNode("n"),
      existing: [withPort("o", { hostPort: 80, hostIP: "10.0.0.2" })],
      want: taken,
    },
    {
      name: "two different IPs do not conflict",
      pod: withPort("p", { hostPort: 80, hostIP: "10.0.0.1" }),
      node: testNode("n"),
      existing: [withPort("o", { hostPort: 80, hostIP: "10.0.0.2" })],
    },
  ]);
});

describe("NodeResourcesFit", () => {
  const small = { cpu: "1", memory: "1Gi", pods: "2", "ephemeral-storage": "10Gi", "example.com/gpu": "1" };
  const node = testNode("n", { allocatable: small });
  runTable(nodeResourcesFit, [
    { name: "a pod within allocatable fits", pod: testPod("p", {}, { cpu: "500m", memory: "512Mi" }), node },
    {
      name: "requests of pods already on the node count",
      pod: testPod("p", {}, { cpu: "600m" }),
      node,
      existing: [testPod("o", {}, { cpu: "500m" })],
      want: unschedulable("Insufficient cpu"),
    },
    {
      name: "every short resource is a reason of its own",
      pod: testPod("p", {}, { cpu: "2", memory: "2Gi" }),
      node,
      want: unschedulable("Insufficient cpu", "Insufficient memory"),
    },
    {
      name: "the pod count is checked first, even for a pod that requests nothing",
      pod: testPod("p"),
      node,
      existing: [testPod("o1"), testPod("o2")],
      want: unschedulable("Too many pods"),
    },
    {
      name: "ephemeral storage",
      pod: testPod("p", {}, { "ephemeral-storage": "20Gi" }),
      node,
      want: unschedulable("Insufficient ephemeral-storage"),
    },
    {
      name: "extended resources are counted by name",
      pod: testPod("p", {}, { "example.com/gpu": "2" }),
      node,
      want: unschedulable("Insufficient example.com/gpu"),
    },
    {
      name: "an extended resource the node lacks",
      pod: testPod("p", {}, { "example.com/fpga": "1" }),
      node,
      want: unschedulable("Insufficient example.com/fpga"),
    },
    {
      name: "init containers count by their peak, not their sum",
      pod: testPod("p", {
        initContainers: [
          { name: "i1", image: "x", resources: { requests: { cpu: "900m" } } },
          { name: "i2", image: "x", resources: { requests: { cpu: "900m" } } },
        ],
      }),
      node,
    },
    {
      name: "sidecars add to the regular containers",
      pod: testPod(
        "p",
        {
          initContainers: [
            { name: "s", image: "x", restartPolicy: "Always", resources: { requests: { cpu: "600m" } } },
          ],
        },
        { cpu: "500m" },
      ),
      node,
      want: unschedulable("Insufficient cpu"),
    },
    {
      name: "pod overhead is added",
      pod: testPod("p", { overhead: { memory: "600Mi" } }, { memory: "500Mi" }),
      node,
      want: unschedulable("Insufficient memory"),
    },
  ]);
});

describe("runFilters", () => {
  it("reports the first plugin in the default order that rejects", () => {
    const node = testNode("n", {
      unschedulable: true,
      taints: [{ key: "t", effect: "NoSchedule" }],
      allocatable: { cpu: "1", memory: "1Gi", pods: "10" },
    });
    const pod = podInfo(testPod("p", { nodeSelector: { x: "y" } }, { cpu: "2" }));
    assert.equal(runFilters(pod, testNodeInfo(node))?.plugin, "NodeUnschedulable");
    assert.deepEqual(
      DEFAULT_FILTERS.map((f) => f.name),
      ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit"],
    );
  });
});
