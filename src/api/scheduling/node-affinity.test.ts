// Table tests for nodeSelector and required node affinity matching.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from "kubernetes-types/core/v1.js";
import {
  compileNodeSelectorTerm,
  type NodeLike,
  nodeMatchesNodeSelector,
  podMatchesNodeSelectorAndAffinityTerms,
} from "./node-affinity.js";

const node: NodeLike = {
  metadata: {
    name: "worker-1",
    labels: { "kubernetes.io/hostname": "worker-1", zone: "eu-1", gpu: "true", cores: "16", tier: "" },
  },
};

const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({
  key,
  operator,
  ...(values ? { values } : {}),
});
const labelTerm = (...e: NodeSelectorRequirement[]): NodeSelectorTerm => ({ matchExpressions: e });
const fieldTerm = (...e: NodeSelectorRequirement[]): NodeSelectorTerm => ({ matchFields: e });

describe("node selector requirements", () => {
  const cases: { name: string; term: NodeSelectorTerm; want: boolean }[] = [
    { name: "In hit", term: labelTerm(expr("zone", "In", ["eu-1", "eu-2"])), want: true },
    { name: "In miss", term: labelTerm(expr("zone", "In", ["us-1"])), want: false },
    { name: "In on a missing label", term: labelTerm(expr("rack", "In", ["a"])), want: false },
    { name: "NotIn hit", term: labelTerm(expr("zone", "NotIn", ["us-1"])), want: true },
    { name: "NotIn miss", term: labelTerm(expr("zone", "NotIn", ["eu-1"])), want: false },
    { name: "NotIn on a missing label", term: labelTerm(expr("rack", "NotIn", ["a"])), want: true },
    { name: "Exists", term: labelTerm(expr("gpu", "Exists")), want: true },
    { name: "Exists with an empty value", term: labelTerm(expr("tier", "Exists")), want: true },
    { name: "Exists on a missing label", term: labelTerm(expr("rack", "Exists")), want: false },
    { name: "DoesNotExist", term: labelTerm(expr("rack", "DoesNotExist")), want: true },
    { name: "DoesNotExist on a present label", term: labelTerm(expr("gpu", "DoesNotExist")), want: false },
    { name: "Gt hit", term: labelTerm(expr("cores", "Gt", ["8"])), want: true },
    { name: "Gt equal", term: labelTerm(expr("cores", "Gt", ["16"])), want: false },
    { name: "Lt hit", term: labelTerm(expr("cores", "Lt", ["32"])), want: true },
    { name: "Gt on a non-numeric label", term: labelTerm(expr("zone", "Gt", ["1"])), want: false },
    { name: "Gt on a missing label", term: labelTerm(expr("rack", "Gt", ["1"])), want: false },
    {
      name: "expressions are ANDed",
      term: labelTerm(expr("zone", "In", ["eu-1"]), expr("gpu", "DoesNotExist")),
      want: false,
    },
    {
      name: "all expressions hold",
      term: labelTerm(expr("zone", "In", ["eu-1"]), expr("cores", "Gt", ["4"])),
      want: true,
    },
    {
      name: "matchFields In on the name",
      term: fieldTerm(expr("metadata.name", "In", ["worker-1"])),
      want: true,
    },
    {
      name: "matchFields In on another name",
      term: fieldTerm(expr("metadata.name", "In", ["worker-2"])),
      want: false,
    },
    { name: "matchFields NotIn", term: fieldTerm(expr("metadata.name", "NotIn", ["worker-2"])), want: true },
    {
      name: "labels and fields ANDed",
      term: {
        matchExpressions: [expr("zone", "In", ["eu-1"])],
        matchFields: [expr("metadata.name", "In", ["worker-2"])],
      },
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(nodeMatchesNodeSelector(node, { nodeSelectorTerms: [c.term] }), c.want));
  }
});

describe("invalid and empty terms never match", () => {
  const invalid: { name: string; term: NodeSelectorTerm }[] = [
    { name: "empty term", term: {} },
    { name: "empty lists", term: { matchExpressions: [], matchFields: [] } },
    { name: "unknown operator", term: labelTerm(expr("zone", "Like", ["eu-1"])) },
    { name: "In without values", term: labelTerm(expr("zone", "In")) },
    { name: "Exists with values", term: labelTerm(expr("gpu", "Exists", ["true"])) },
    { name: "Gt with two values", term: labelTerm(expr("cores", "Gt", ["1", "2"])) },
    { name: "Gt with a non-integer", term: labelTerm(expr("cores", "Gt", ["1.5"])) },
    { name: "Gt with a negative number (not a label value)", term: labelTerm(expr("cores", "Gt", ["-1"])) },
    { name: "invalid key", term: labelTerm(expr("bad key", "Exists")) },
    { name: "invalid value", term: labelTerm(expr("zone", "In", ["eu 1"])) },
    {
      name: "matchFields with two values",
      term: fieldTerm(expr("metadata.name", "In", ["worker-1", "worker-2"])),
    },
    { name: "matchFields with Exists", term: fieldTerm(expr("metadata.name", "Exists")) },
  ];
  for (const c of invalid) {
    it(c.name, () => {
      assert.equal(compileNodeSelectorTerm(c.term), undefined);
      assert.equal(nodeMatchesNodeSelector(node, { nodeSelectorTerms: [c.term] }), false);
    });
  }
  it("an invalid term does not stop a valid one from matching (terms are ORed)", () => {
    const terms = [labelTerm(expr("zone", "Like", ["x"])), labelTerm(expr("gpu", "Exists"))];
    assert.equal(nodeMatchesNodeSelector(node, { nodeSelectorTerms: terms }), true);
  });
  it("no terms at all match nothing", () => {
    assert.equal(nodeMatchesNodeSelector(node, { nodeSelectorTerms: [] }), false);
  });
  it("a node without a name skips the field check, as upstream does", () => {
    const term = fieldTerm(expr("metadata.name", "In", ["worker-1"]));
    assert.equal(nodeMatchesNodeSelector({ metadata: { labels: {} } }, { nodeSelectorTerms: [term] }), true);
  });
});

describe("podMatchesNodeSelectorAndAffinityTerms", () => {
  const required = (...terms: NodeSelectorTerm[]): PodSpec["affinity"] => ({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
  });
  const cases: { name: string; spec: Partial<PodSpec>; want: boolean }[] = [
    { name: "no constraints", spec: {}, want: true },
    { name: "empty nodeSelector", spec: { nodeSelector: {} }, want: true },
    { name: "nodeSelector hit", spec: { nodeSelector: { zone: "eu-1", gpu: "true" } }, want: true },
    { name: "nodeSelector miss", spec: { nodeSelector: { zone: "eu-1", gpu: "false" } }, want: false },
    {
      name: "terms ORed: one of zone In [test] OR name In [worker-1]",
      spec: {
        affinity: required(
          labelTerm(expr("zone", "In", ["test"])),
          fieldTerm(expr("metadata.name", "In", ["worker-1"])),
        ),
      },
      want: true,
    },
    {
      name: "nodeSelector AND affinity: affinity fails",
      spec: { nodeSelector: { zone: "eu-1" }, affinity: required(labelTerm(expr("gpu", "DoesNotExist"))) },
      want: false,
    },
    {
      name: "nodeSelector AND affinity: selector fails",
      spec: { nodeSelector: { zone: "us-1" }, affinity: required(labelTerm(expr("gpu", "Exists"))) },
      want: false,
    },
    {
      name: "only preferred terms do not restrict",
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 1, preference: labelTerm(expr("zone", "In", ["us-1"])) },
            ],
          },
        },
      },
      want: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(podMatchesNodeSelectorAndAffinityTerms({ spec: c.spec }, node), c.want));
  }
});
