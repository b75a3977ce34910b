// Table tests for DaemonSet status counts and the write decision.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  availabilityResyncDelay,
  computeStatus,
  type DaemonSetStatusCounts,
  nextStatus,
  statusEqual,
  statusUpToDate,
} from "./status.js";
import { byNode, daemonSet, NOW, node, pod } from "./testing.js";

const HASH = "cur";
const NO_SCHEDULE = [{ key: "dedicated", effect: "NoSchedule" }];

describe("computeStatus", () => {
  const nodes = [
    node("ready"),
    node("empty"),
    node("tainted", { taints: NO_SCHEDULE }),
    node("tainted-empty", { taints: NO_SCHEDULE }),
    node("pending"),
    node("terminating"),
    node("warming"),
    node("by-generation"),
    node("duplicates"),
  ];
  const pods = byNode({
    ready: [pod("a", { node: "ready", hash: HASH, readyFor: 600 })],
    tainted: [pod("b", { node: "tainted", hash: HASH, readyFor: 600 })],
    pending: [pod("c", { node: "pending", unbound: true, phase: "Pending", hash: HASH })],
    terminating: [pod("d", { node: "terminating", deleting: true, hash: "old", readyFor: 600 })],
    warming: [pod("e", { node: "warming", hash: HASH, readyFor: 5 })],
    "by-generation": [
      pod("f", { node: "by-generation", hash: "old", templateGeneration: "2", readyFor: 600 }),
    ],
    // The oldest pod decides: it is not Ready and runs the old template.
    duplicates: [
      pod("g-new", { node: "duplicates", hash: HASH, readyFor: 600, age: 100 }),
      pod("g-old", { node: "duplicates", hash: "old", notReady: true, age: 900 }),
    ],
    // Pods of a node the cache does not know are not counted.
    unknown: [pod("h", { node: "unknown", hash: HASH, readyFor: 600 })],
  });
  const ds = daemonSet({ generation: 2, minReadySeconds: 30 });
  const counts = computeStatus(ds, nodes, pods, HASH, NOW);

  const expected: DaemonSetStatusCounts = {
    desiredNumberScheduled: 7, // all but the two tainted nodes
    currentNumberScheduled: 6, // all desired nodes but "empty"
    numberMisscheduled: 1, // "tainted" keeps its pod
    numberReady: 4, // ready, terminating, warming, by-generation
    numberAvailable: 3, // warming is ready for 5 s of 30
    updatedNumberScheduled: 4, // ready, pending, warming, by-generation
    numberUnavailable: 4,
  };
  for (const field of Object.keys(expected) as (keyof DaemonSetStatusCounts)[]) {
    it(field, () => assert.equal(counts[field], expected[field]));
  }

  it("counts availability at the given time", () => {
    const later = computeStatus(ds, nodes, pods, HASH, NOW + 25_000);
    assert.equal(later.numberAvailable, 4);
    assert.equal(later.numberUnavailable, 3);
  });

  it("an empty cluster has all zeros", () => {
    assert.deepEqual(computeStatus(ds, [], new Map(), HASH, NOW), {
      desiredNumberScheduled: 0,
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
      updatedNumberScheduled: 0,
      numberAvailable: 0,
      numberUnavailable: 0,
    });
  });
});

describe("status writes", () => {
  const counts: DaemonSetStatusCounts = {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    numberMisscheduled: 0,
    numberReady: 2,
    updatedNumberScheduled: 3,
    numberAvailable: 2,
    numberUnavailable: 1,
  };

  it("statusEqual compares the seven counts, unset as 0", () => {
    assert.equal(statusEqual({ ...counts, observedGeneration: 9 }, counts), true);
    assert.equal(statusEqual({ ...counts, numberReady: 3 }, counts), false);
    const zero = { ...counts, numberMisscheduled: 0 };
    const { numberMisscheduled: _, ...withoutMisscheduled } = zero;
    assert.equal(statusEqual(withoutMisscheduled, zero), true);
    assert.equal(statusEqual(undefined, counts), false);
  });

  it("statusUpToDate also needs the generation observed", () => {
    assert.equal(
      statusUpToDate(daemonSet({ generation: 2, observedGeneration: 2, status: { ...counts } }), counts),
      true,
    );
    assert.equal(
      statusUpToDate(daemonSet({ generation: 3, observedGeneration: 2, status: { ...counts } }), counts),
      false,
    );
    assert.equal(statusUpToDate(daemonSet({ generation: 2, observedGeneration: 2 }), counts), false);
  });

  it("nextStatus keeps collisionCount and raises observedGeneration only when asked", () => {
    const ds = daemonSet({ generation: 5, observedGeneration: 4, collisionCount: 2 });
    assert.deepEqual(nextStatus(ds, counts, false), { ...counts, observedGeneration: 4, collisionCount: 2 });
    assert.deepEqual(nextStatus(ds, counts, true), { ...counts, observedGeneration: 5, collisionCount: 2 });
  });

  it("resyncs after minReadySeconds while ready pods are not yet available", () => {
    const warming = { ...counts, numberReady: 3 };
    assert.equal(availabilityResyncDelay(daemonSet({ minReadySeconds: 10 }), warming), 10_000);
    assert.equal(availabilityResyncDelay(daemonSet({ minReadySeconds: 10 }), counts), undefined);
    assert.equal(availabilityResyncDelay(daemonSet(), warming), undefined);
  });
});
