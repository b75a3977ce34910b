import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rfc3339 } from "../api/kube-time.js";
import { KUBELET_CONDITIONS, type NodeConditionKind, nodeCondition } from "./node-conditions.js";
import {
  conditionTransitionEvents,
  isUnschedulable,
  kubeletNodeRef,
  kubeletStartEvents,
  type NodeEvent,
  schedulableEvent,
} from "./node-events.js";

const T0 = rfc3339(Date.parse("2025-01-01T00:00:00Z"));

/** The kubelet's conditions with the listed ones True (Ready True unless `notReady`). */
const conditions = (trueOnes: string[], notReady = false) =>
  KUBELET_CONDITIONS.map((kind: NodeConditionKind) =>
    nodeCondition(kind, kind.type === "Ready" ? !notReady : trueOnes.includes(kind.type), T0, T0),
  );

const lines = (events: NodeEvent[]) => events.map((e) => `${e.type}|${e.reason}|${e.message}`);

describe("node events", () => {
  it("refers to the node the kubelet's way: kind Node, the name as UID, no namespace", () => {
    assert.deepEqual(kubeletNodeRef("node7"), {
      apiVersion: "",
      kind: "Node",
      metadata: { name: "node7", uid: "node7" },
    });
  });

  it("records the start-up events of a healthy node, in the kubelet's order", () => {
    assert.deepEqual(lines(kubeletStartEvents("node1", conditions([]))), [
      "Normal|Starting|Starting kubelet.",
      "Normal|NodeHasSufficientMemory|Node node1 status is now: NodeHasSufficientMemory",
      "Normal|NodeHasNoDiskPressure|Node node1 status is now: NodeHasNoDiskPressure",
      "Normal|NodeHasSufficientPID|Node node1 status is now: NodeHasSufficientPID",
      "Normal|NodeAllocatableEnforced|Updated Node Allocatable limit across pods",
      "Normal|NodeReady|Node node1 status is now: NodeReady",
    ]);
  });

  it("start-up events follow the simulated conditions", () => {
    const table: [string, string[], boolean, string[]][] = [
      [
        "all pressures",
        ["MemoryPressure", "DiskPressure", "PIDPressure"],
        false,
        ["NodeHasInsufficientMemory", "NodeHasDiskPressure", "NodeHasInsufficientPID", "NodeReady"],
      ],
      [
        "disk pressure only",
        ["DiskPressure"],
        false,
        ["NodeHasSufficientMemory", "NodeHasDiskPressure", "NodeHasSufficientPID", "NodeReady"],
      ],
      [
        "not ready: no NodeNotReady for a condition that starts out false",
        [],
        true,
        ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"],
      ],
    ];
    for (const [what, trueOnes, notReady, statusReasons] of table) {
      const reasons = kubeletStartEvents("n", conditions(trueOnes, notReady)).map((e) => e.reason);
      assert.deepEqual(
        reasons.filter((r) => r !== "Starting" && r !== "NodeAllocatableEnforced"),
        statusReasons,
        what,
      );
    }
  });

  it("skips conditions the node does not report", () => {
    const reasons = kubeletStartEvents("n", []).map((e) => e.reason);
    assert.deepEqual(reasons, ["Starting", "NodeAllocatableEnforced"]);
  });

  it("records one event per condition transition that has a reason", () => {
    const events = conditionTransitionEvents("node2", [
      { type: "NetworkUnavailable", status: "True" },
      { type: "MemoryPressure", status: "True", event: "NodeHasInsufficientMemory" },
      { type: "Ready", status: "False", event: "NodeNotReady" },
    ]);
    assert.deepEqual(lines(events), [
      "Normal|NodeHasInsufficientMemory|Node node2 status is now: NodeHasInsufficientMemory",
      "Normal|NodeNotReady|Node node2 status is now: NodeNotReady",
    ]);
  });

  it("records cordon and uncordon as NodeNotSchedulable / NodeSchedulable, nothing when unchanged", () => {
    const table: [boolean, boolean, string | undefined][] = [
      [false, true, "Normal|NodeNotSchedulable|Node node3 status is now: NodeNotSchedulable"],
      [true, false, "Normal|NodeSchedulable|Node node3 status is now: NodeSchedulable"],
      [false, false, undefined],
      [true, true, undefined],
    ];
    for (const [was, now, want] of table) {
      const event = schedulableEvent("node3", was, now);
      assert.equal(event && lines([event])[0], want, `${was} → ${now}`);
    }
  });

  it("reads spec.unschedulable, absent meaning schedulable", () => {
    const node = (spec?: object) => ({ apiVersion: "v1", kind: "Node", metadata: { name: "n" }, spec });
    assert.equal(isUnschedulable(node()), false);
    assert.equal(isUnschedulable(node({ unschedulable: false })), false);
    assert.equal(isUnschedulable(node({ unschedulable: true })), true);
  });
});
