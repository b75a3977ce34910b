// The node lifecycle controller's pure decisions, by table: health bookkeeping, Unknown marking, NoSchedule
// taints, taint swaps, eviction times and zone states.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { evictionTime } from "./eviction-time.js";
import { markKubeletConditionsUnknown, rfc3339 } from "./node-conditions.js";
import { isSilent, observeNodeHealth } from "./node-health.js";
import { desiredNoScheduleTaints, managedNoScheduleTaints, swapTaints, taintSetDiff } from "./node-taints.js";
import { computeZoneState, zoneKey } from "./zones.js";

const T0 = Date.parse("2024-01-01T00:00:00Z");
const GRACE = { monitorMs: 40_000, startupMs: 60_000 };

function node(
  conditions?: Record<string, string>,
  heartbeat = T0,
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "n", creationTimestamp: rfc3339(T0 - 1000) },
    ...extra,
    status: conditions && {
      conditions: Object.entries(conditions).map(([type, status]) => ({
        type,
        status,
        lastHeartbeatTime: rfc3339(heartbeat),
        lastTransitionTime: rfc3339(T0),
      })),
    },
  };
}

describe("observeNodeHealth", () => {
  it("starts counting when it first sees a node, and restarts on each new heartbeat or lease renewal", () => {
    let obs = observeNodeHealth(undefined, node({ Ready: "True" }), undefined, T0, GRACE);
    assert.equal(obs.health.probeTimestamp, T0);
    obs = observeNodeHealth(obs.health, node({ Ready: "True" }), undefined, T0 + 30_000, GRACE);
    assert.equal(obs.health.probeTimestamp, T0, "the same heartbeat is no news");
    assert.equal(isSilent(obs, T0 + 40_000), false);
    assert.equal(isSilent(obs, T0 + 40_001), true);
    obs = observeNodeHealth(obs.health, node({ Ready: "True" }, T0 + 1000), undefined, T0 + 41_000, GRACE);
    assert.equal(obs.health.probeTimestamp, T0 + 41_000, "a new heartbeat");
    obs = observeNodeHealth(obs.health, node({ Ready: "True" }, T0 + 1000), T0 + 50_000, T0 + 60_000, GRACE);
    assert.equal(obs.health.probeTimestamp, T0 + 60_000, "a renewed lease");
    obs = observeNodeHealth(obs.health, node({ Ready: "True" }, T0 + 1000), T0 + 50_000, T0 + 70_000, GRACE);
    assert.equal(obs.health.probeTimestamp, T0 + 60_000, "the same lease is no news");
  });

  it("gives a node without a Ready condition the startup grace period from its creation", () => {
    const obs = observeNodeHealth(undefined, node(), undefined, T0 + 10_000, GRACE);
    assert.equal(obs.gracePeriodMs, 60_000);
    assert.equal(obs.health.probeTimestamp, T0 - 1000);
    assert.equal(obs.observedReady.status, "Unknown");
  });
});

describe("markKubeletConditionsUnknown", () => {
  it("turns posted conditions Unknown, adds missing ones, and leaves NetworkUnavailable alone", () => {
    const n = node({ Ready: "True", MemoryPressure: "False", NetworkUnavailable: "False" });
    markKubeletConditionsUnknown(n, T0 + 50_000);
    assert.deepEqual(
      n.status.conditions.map((c: any) => [c.type, c.status, c.reason ?? "", c.lastTransitionTime]),
      [
        ["Ready", "Unknown", "NodeStatusUnknown", rfc3339(T0 + 50_000)],
        ["MemoryPressure", "Unknown", "NodeStatusUnknown", rfc3339(T0 + 50_000)],
        ["NetworkUnavailable", "False", "", rfc3339(T0)],
        ["DiskPressure", "Unknown", "NodeStatusNeverUpdated", rfc3339(T0 + 50_000)],
        ["PIDPressure", "Unknown", "NodeStatusNeverUpdated", rfc3339(T0 + 50_000)],
      ],
    );
  });
});

describe("NoSchedule taints", () => {
  const cases: [string, KubeObject, string[]][] = [
    ["a healthy node", node({ Ready: "True", MemoryPressure: "False" }), []],
    ["not ready", node({ Ready: "False" }), ["node.kubernetes.io/not-ready"]],
    ["unknown", node({ Ready: "Unknown" }), ["node.kubernetes.io/unreachable"]],
    [
      "pressure and network",
      node({
        Ready: "True",
        MemoryPressure: "True",
        DiskPressure: "True",
        PIDPressure: "True",
        NetworkUnavailable: "True",
      }),
      [
        "node.kubernetes.io/memory-pressure",
        "node.kubernetes.io/disk-pressure",
        "node.kubernetes.io/pid-pressure",
        "node.kubernetes.io/network-unavailable",
      ],
    ],
    [
      "cordoned",
      node({ Ready: "True" }, T0, { spec: { unschedulable: true } }),
      ["node.kubernetes.io/unschedulable"],
    ],
  ];
  for (const [what, n, keys] of cases) {
    it(`for ${what}`, () => {
      const taints = desiredNoScheduleTaints(n);
      assert.deepEqual(taints.map((t) => t.key).sort(), [...keys].sort());
      assert.ok(taints.every((t) => t.effect === "NoSchedule"));
    });
  }

  it("manages only its own taints, and diffs by key and effect", () => {
    const current = [
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: rfc3339(T0) },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute" },
      { key: "example.com/mine", effect: "NoSchedule" },
    ];
    const managed = managedNoScheduleTaints(current);
    assert.deepEqual(managed, [current[0]]);
    const diff = taintSetDiff([{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }], managed);
    assert.deepEqual(
      diff.toAdd.map((t) => t.key),
      ["node.kubernetes.io/not-ready"],
    );
    assert.deepEqual(diff.toRemove, [current[0]]);
  });
});

describe("swapTaints", () => {
  const a = { key: "a", effect: "NoExecute" };
  const b = { key: "b", effect: "NoExecute" };
  const cases: [string, Parameters<typeof swapTaints>, unknown][] = [
    ["adds a missing taint", [[a], [b], []], [a, b]],
    ["keeps an identical taint", [[a], [a], []], undefined],
    [
      "replaces a different one with the same key and effect",
      [[a], [{ ...a, value: "x" }], []],
      [{ ...a, value: "x" }],
    ],
    ["removes by key and effect", [[a, b], [], [{ key: "a", effect: "NoExecute", value: "y" }]], [b]],
    ["swaps", [[a], [b], [a]], [b]],
    ["leaves a list without the removed taint alone", [[a], [], [b]], undefined],
  ];
  for (const [what, args, expected] of cases) it(what, () => assert.deepEqual(swapTaints(...args), expected));
});

describe("evictionTime", () => {
  const taint = { key: "k", effect: "NoExecute", timeAdded: rfc3339(T0) };
  const now = T0 + 5_000;
  const cases: [string, unknown[] | undefined, number | undefined][] = [
    ["no tolerations: at once", undefined, now],
    ["another key: at once", [{ key: "other", operator: "Exists" }], now],
    ["tolerated for good: never", [{ key: "k", operator: "Exists", effect: "NoExecute" }], undefined],
    [
      "tolerationSeconds after timeAdded",
      [{ key: "k", operator: "Exists", tolerationSeconds: 60 }],
      T0 + 60_000,
    ],
    ["zero seconds: at once", [{ key: "k", operator: "Exists", tolerationSeconds: 0 }], now],
  ];
  for (const [what, tolerations, expected] of cases) {
    it(what, () => assert.equal(evictionTime([taint], tolerations as any, now), expected));
  }
  it("takes the earliest expiry over several taints, counting from now without timeAdded", () => {
    const other = { key: "j", effect: "NoExecute" };
    const tolerations = [
      { key: "k", operator: "Exists" as const, tolerationSeconds: 60 },
      { key: "j", operator: "Exists" as const, tolerationSeconds: 10 },
    ];
    assert.equal(evictionTime([taint, other], tolerations, now), now + 10_000);
  });
});

describe("zones", () => {
  const ready = (status: string) => ({ type: "Ready", status });
  const cases: [string, string[], string][] = [
    ["all ready", ["True", "True"], "Normal"],
    ["none ready", ["False", "Unknown"], "FullDisruption"],
    ["two of three not ready (needs more than two)", ["True", "False", "False"], "Normal"],
    ["three of four not ready", ["True", "False", "False", "Unknown"], "PartialDisruption"],
    [
      "three of ten not ready",
      ["True", "True", "True", "True", "True", "True", "True", "False", "False", "False"],
      "Normal",
    ],
  ];
  for (const [what, statuses, state] of cases) {
    it(`computes ${state} when ${what}`, () =>
      assert.equal(computeZoneState(statuses.map(ready), 0.55).state, state));
  }
  it("keys zones by region and zone labels", () => {
    assert.equal(zoneKey(node()), "");
    const labelled = node(undefined, T0, {});
    labelled.metadata.labels = { "topology.kubernetes.io/region": "r", "topology.kubernetes.io/zone": "z" };
    assert.equal(zoneKey(labelled), "r:\x00:z");
  });
});
