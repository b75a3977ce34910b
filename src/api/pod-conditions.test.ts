// Tests of the pod condition helpers: readiness, and UpdatePodCondition's change detection and transition
// times.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "./object.js";
import { isPodReady, updatePodCondition } from "./pod-conditions.js";

const T0 = Date.parse("2024-06-01T12:00:00Z");
const T1 = T0 + 60_000;
const withConditions = (conditions: unknown[]): KubeObject => ({
  metadata: { name: "p" },
  status: { conditions },
});

describe("isPodReady", () => {
  it("reads the Ready condition", () => {
    assert.equal(isPodReady(withConditions([{ type: "Ready", status: "True" }])), true);
    assert.equal(isPodReady(withConditions([{ type: "Ready", status: "False" }])), false);
    assert.equal(isPodReady({ metadata: {} }), false);
  });
});

describe("updatePodCondition", () => {
  const target = {
    type: "DisruptionTarget",
    status: "True",
    reason: "EvictionByEvictionAPI",
    message: "Eviction API: evicting",
  };

  it("adds a condition", () => {
    const pod = withConditions([{ type: "Ready", status: "True" }]);
    assert.equal(updatePodCondition(pod, target, T0), true);
    assert.deepEqual(pod.status.conditions[1], {
      ...target,
      lastProbeTime: null,
      lastTransitionTime: "2024-06-01T12:00:00Z",
    });
  });

  it("reports no change for the same condition, and keeps its transition time", () => {
    const pod = withConditions([]);
    updatePodCondition(pod, target, T0);
    assert.equal(updatePodCondition(pod, target, T1), false);
    assert.equal(pod.status.conditions[0].lastTransitionTime, "2024-06-01T12:00:00Z");
  });

  it("moves the transition time when the status flips, dropping reason and message not given", () => {
    const pod = withConditions([]);
    updatePodCondition(pod, target, T0);
    assert.equal(updatePodCondition(pod, { type: "DisruptionTarget", status: "False" }, T1), true);
    assert.deepEqual(pod.status.conditions, [
      {
        type: "DisruptionTarget",
        status: "False",
        lastProbeTime: null,
        lastTransitionTime: "2024-06-01T12:01:00Z",
      },
    ]);
  });
});
