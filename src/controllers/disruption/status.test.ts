// Table tests of the PDB status arithmetic: granted evictions and their expiry, healthy pods, allowed
// disruptions, when nothing needs writing, and the fail-safe status.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import {
  buildDisruptedPodMap,
  countHealthyPods,
  DELETION_TIMEOUT_MS,
  failSafeStatus,
  nextStatus,
} from "./status.js";

const NOW = Date.parse("2024-06-01T12:00:00Z");
const at = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

const pod = (name: string, o: { ready?: boolean; deleting?: boolean } = {}): KubeObject => ({
  metadata: { name, ...(o.deleting ? { deletionTimestamp: at(NOW) } : {}) },
  status: { conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }] },
});
const pdb = (status: Record<string, unknown>, generation = 1): KubeObject => ({
  metadata: { name: "web", namespace: "default", generation },
  spec: { minAvailable: 1 },
  status,
});

describe("buildDisruptedPodMap", () => {
  it("keeps recent entries of live pods, drops deleting, missing and expired ones, and says when to look again", () => {
    const granted = {
      recent: at(NOW - 30_000),
      older: at(NOW - 60_000),
      deleting: at(NOW - 10_000),
      missing: at(NOW - 10_000),
      expired: at(NOW - DELETION_TIMEOUT_MS - 1000),
    };
    const pods = [
      pod("recent"),
      pod("older"),
      pod("deleting", { deleting: true }),
      pod("expired"),
      pod("other"),
    ];
    const map = buildDisruptedPodMap(pdb({ disruptedPods: granted }), pods, NOW);
    assert.deepEqual(map.disruptedPods, { recent: granted.recent, older: granted.older });
    assert.equal(map.recheckAt, NOW - 60_000 + DELETION_TIMEOUT_MS);
    assert.deepEqual(
      map.notDeleted.map((p) => p.metadata.name),
      ["expired"],
    );
  });

  it("is empty, with nothing to recheck, without granted evictions", () => {
    assert.deepEqual(buildDisruptedPodMap(pdb({}), [pod("a")], NOW), { disruptedPods: {}, notDeleted: [] });
  });
});

describe("countHealthyPods", () => {
  it("counts ready pods that are neither deleting nor granted an eviction", () => {
    const pods = [pod("a"), pod("b"), pod("c", { ready: false }), pod("d", { deleting: true }), pod("e")];
    assert.equal(countHealthyPods(pods, {}, NOW), 3);
    assert.equal(countHealthyPods(pods, { b: at(NOW - 1000) }, NOW), 2);
    assert.equal(
      countHealthyPods(pods, { b: at(NOW - DELETION_TIMEOUT_MS - 1000) }, NOW),
      3,
      "an expired grant counts again",
    );
  });
});

describe("nextStatus", () => {
  const counts = (
    currentHealthy: number,
    desiredHealthy: number,
    expectedCount: number,
    disruptedPods = {},
  ) => ({
    currentHealthy,
    desiredHealthy,
    expectedCount,
    disruptedPods,
  });

  const cases: [string, ReturnType<typeof counts>, number, string, string][] = [
    ["a surplus of healthy pods", counts(3, 1, 3), 2, "True", "SufficientPods"],
    ["exactly the desired pods", counts(2, 2, 2), 0, "False", "InsufficientPods"],
    ["fewer than desired", counts(1, 2, 2), 0, "False", "InsufficientPods"],
    ["no expected pods, whatever is healthy", counts(2, 0, 0), 0, "False", "InsufficientPods"],
  ];
  for (const [name, c, allowed, conditionStatus, reason] of cases) {
    it(name, () => {
      const status = nextStatus(pdb({}, 4), c, NOW)!;
      assert.equal(status.disruptionsAllowed, allowed);
      assert.equal(status.observedGeneration, 4);
      assert.equal(status.currentHealthy, c.currentHealthy);
      assert.equal(status.desiredHealthy, c.desiredHealthy);
      assert.equal(status.expectedPods, c.expectedCount);
      assert.deepEqual(status.conditions, [
        {
          type: "DisruptionAllowed",
          status: conditionStatus,
          reason,
          message: "",
          observedGeneration: 4,
          lastTransitionTime: "2024-06-01T12:00:00Z",
        },
      ]);
      assert.equal("disruptedPods" in status, false, "an empty map is omitted, as Go's omitempty does");
    });
  }

  it("writes nothing when the stored status already says the same", () => {
    const first = nextStatus(pdb({}), counts(3, 1, 3, { a: at(NOW) }), NOW)!;
    assert.deepEqual(first.disruptedPods, { a: at(NOW) });
    assert.equal(nextStatus(pdb(first), counts(3, 1, 3, { a: at(NOW) }), NOW + 5000), undefined);
    assert.ok(nextStatus(pdb(first), counts(3, 1, 3), NOW), "a dropped entry is a change");
    assert.ok(
      nextStatus(pdb(first, 2), counts(3, 1, 3, { a: at(NOW) }), NOW),
      "a new generation is a change",
    );
  });

  it("repairs a condition that disagrees with the counts (the eviction handler changed them)", () => {
    const current = nextStatus(pdb({}), counts(3, 1, 3), NOW)!;
    const stale = {
      ...current,
      conditions: [{ ...current.conditions[0], status: "False", reason: "InsufficientPods" }],
    };
    const repaired = nextStatus(pdb(stale), counts(3, 1, 3), NOW + 1000)!;
    assert.equal(repaired.conditions[0].status, "True");
    assert.equal(repaired.conditions[0].lastTransitionTime, "2024-06-01T12:00:01Z");
  });
});

describe("failSafeStatus", () => {
  it("allows no disruption and explains why, keeping the rest", () => {
    const before = {
      observedGeneration: 1,
      disruptionsAllowed: 2,
      currentHealthy: 3,
      desiredHealthy: 1,
      expectedPods: 3,
    };
    const status = failSafeStatus(
      pdb(before, 2),
      "daemonsets.apps does not implement the scale subresource",
      NOW,
    );
    assert.deepEqual(status, {
      ...before,
      disruptionsAllowed: 0,
      conditions: [
        {
          type: "DisruptionAllowed",
          status: "False",
          reason: "SyncFailed",
          message: "daemonsets.apps does not implement the scale subresource",
          observedGeneration: 1,
          lastTransitionTime: "2024-06-01T12:00:00Z",
        },
      ],
    });
  });
});
