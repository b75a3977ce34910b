// Tests of the DefaultPreemption PostFilter through a scheduling cycle: which node and victims it picks, when
// the pod may not preempt, and the "preemption: ..." part of the FailedScheduling message when it cannot help.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import { Nominator } from "./nominator.js";
import { podInfo } from "./pod-info.js";
import { PodScheduler, type ScheduleOutcome } from "./schedule-pod.js";
import { SchedulerCache } from "./scheduler-cache.js";
import { boundTo, pinnedTo, testNode, testPod } from "./testing.js";

const NOW = Date.parse("2026-05-01T12:00:00Z");
const small = { cpu: "2", memory: "4Gi", pods: "110" };

function pod(name: string, priority: number, cpu: string, spec: Record<string, unknown> = {}): KubeObject {
  const p = testPod(name, { priority, ...spec }, { cpu });
  p.status = { startTime: new Date(NOW - 60_000).toISOString() };
  return p;
}

interface Setup {
  nodes: string[];
  bound: [string, KubeObject][];
  nominator?: Nominator;
}

function cycle(preemptor: KubeObject, s: Setup): ScheduleOutcome {
  const cache = new SchedulerCache();
  for (const n of s.nodes) cache.setNode(testNode(n, { allocatable: small }));
  for (const [n, p] of s.bound) cache.upsertBoundPod(boundTo(p, n));
  const scheduler = new PodScheduler(cache, { random: () => 0, nominator: s.nominator, now: () => NOW });
  return scheduler.schedule(podInfo(preemptor));
}

/** What the test compares: the chosen node, or the message with the planned preemption. */
function summary(outcome: ScheduleOutcome) {
  if (outcome.node) return { node: outcome.node.name };
  return {
    message: outcome.message,
    preempt: outcome.preemption && {
      node: outcome.preemption.nodeName,
      victims: outcome.preemption.victims.map((v) => v.pod.metadata.name),
    },
    clearNomination: outcome.clearNomination,
  };
}

describe("preemption in a scheduling cycle", () => {
  it("picks the node whose victims matter least and leaves the preemption part out of the message", () => {
    const out = cycle(pod("critical", 1000, "2"), {
      nodes: ["w1", "w2"],
      bound: [
        ["w1", pod("w1-a", 50, "1")],
        ["w1", pod("w1-b", 50, "1")],
        ["w2", pod("w2-a", 10, "1")],
        ["w2", pod("w2-b", 20, "1")],
      ],
    });
    assert.deepEqual(summary(out), {
      message: "0/2 nodes are available: 2 Insufficient cpu.",
      preempt: { node: "w2", victims: ["w2-b", "w2-a"] },
      clearNomination: false,
    });
  });

  it("a DaemonSet pod only considers its own node", () => {
    const out = cycle(pod("ds", 2000001000, "1", pinnedTo("w1")), {
      nodes: ["w1", "w2"],
      bound: [
        ["w1", pod("w1-low", 5, "2")],
        ["w2", pod("w2-lower", 1, "2")],
      ],
    });
    assert.deepEqual(summary(out), {
      message:
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].",
      preempt: { node: "w1", victims: ["w1-low"] },
      clearNomination: false,
    });
  });

  it("equal priorities: no victims, upstream's message, and any nomination cleared", () => {
    const out = cycle(pod("ds", 0, "1", pinnedTo("w1")), {
      nodes: ["w1", "w2", "w3"],
      bound: [["w1", pod("same", 0, "2")]],
    });
    assert.deepEqual(summary(out), {
      message:
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
      preempt: undefined,
      clearNomination: true,
    });
  });

  it("preemptionPolicy Never: not eligible, the nomination stays", () => {
    const out = cycle(pod("polite", 1000, "1", { preemptionPolicy: "Never" }), {
      nodes: ["w1"],
      bound: [["w1", pod("low", 0, "2")]],
    });
    assert.deepEqual(summary(out), {
      message:
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
      preempt: undefined,
      clearNomination: false,
    });
  });

  it("waits while an earlier preemption's victims terminate on the nominated node", () => {
    const preemptor = pod("critical", 1000, "2");
    preemptor.status = { ...preemptor.status, nominatedNodeName: "w1" };
    const terminating = pod("victim", 0, "2");
    terminating.metadata.deletionTimestamp = "2026-05-01T12:00:00Z";
    terminating.status = {
      conditions: [{ type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" }],
    };
    const out = cycle(preemptor, { nodes: ["w1"], bound: [["w1", terminating]] });
    assert.deepEqual(summary(out), {
      message:
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.",
      preempt: undefined,
      clearNomination: false,
    });
  });

  it("a nominated node that fits is taken first, and others' nominations keep their room", () => {
    const nominator = new Nominator();
    const waiting = pod("waiting", 500, "2");
    nominator.nominate(podInfo(waiting), "w1");
    // A lower-priority pod sees the room as taken; the nominated pod itself gets it.
    const lower = cycle(pod("lower", 100, "1", pinnedTo("w1")), {
      nodes: ["w1", "w2"],
      bound: [],
      nominator,
    });
    assert.equal(summary(lower).message?.startsWith("0/2 nodes are available: 1 Insufficient cpu"), true);
    assert.deepEqual(summary(cycle(waiting, { nodes: ["w1", "w2"], bound: [], nominator })), { node: "w1" });
  });

  it("lower-priority pods that cannot free enough: the filter's reason in the preemption part", () => {
    const out = cycle(pod("big", 100, "3"), { nodes: ["w1"], bound: [["w1", pod("low", 0, "1")]] });
    assert.equal(
      summary(out).message,
      "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.",
    );
  });
});
