// Table tests of the eviction decisions: which pods skip budgets, which unready pods may go without spending
// one, and checkAndDecrement's refusals (with the Status clients read) and its bookkeeping.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import {
  budgetsForPod,
  canIgnoreBudget,
  checkAndDecrement,
  MAX_DISRUPTED_POD_SIZE,
  shouldEnforceResourceVersion,
  unhealthyPodMayBeEvicted,
} from "./eviction-policy.js";

const NOW = Date.parse("2024-06-01T12:00:00Z");

function pod(
  phase: string,
  o: { ready?: boolean; deleting?: boolean; labels?: Record<string, string> } = {},
): KubeObject {
  return {
    metadata: {
      name: "web-1",
      namespace: "default",
      labels: o.labels ?? { app: "web" },
      ...(o.deleting ? { deletionTimestamp: "2024-06-01T11:59:00Z" } : {}),
    },
    status: { phase, conditions: [{ type: "Ready", status: o.ready ? "True" : "False" }] },
  };
}

function budget(
  status: Record<string, unknown>,
  o: { generation?: number; policy?: string; name?: string } = {},
): KubeObject {
  return {
    metadata: {
      name: o.name ?? "web-pdb",
      namespace: "default",
      generation: o.generation ?? 1,
      resourceVersion: "5",
    },
    spec: {
      minAvailable: 2,
      selector: { matchLabels: { app: "web" } },
      ...(o.policy ? { unhealthyPodEvictionPolicy: o.policy } : {}),
    },
    status: {
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      ...status,
    },
  };
}

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail("expected the eviction to be refused");
}

describe("pods that skip disruption budgets", () => {
  const cases: [string, KubeObject, boolean, boolean][] = [
    // name, pod, canIgnoreBudget, shouldEnforceResourceVersion
    ["a running ready pod", pod("Running", { ready: true }), false, true],
    ["a running unready pod", pod("Running"), false, true],
    ["a pending pod", pod("Pending"), true, true],
    ["a succeeded pod", pod("Succeeded"), true, false],
    ["a failed pod", pod("Failed"), true, false],
    ["a deleting running pod", pod("Running", { ready: true, deleting: true }), true, false],
  ];
  for (const [name, p, ignore, enforce] of cases) {
    it(name, () => {
      assert.equal(canIgnoreBudget(p), ignore);
      assert.equal(shouldEnforceResourceVersion(p), enforce);
    });
  }
});

describe("budgetsForPod", () => {
  it("keeps the budgets that select the pod", () => {
    const other = { ...budget({}, { name: "db-pdb" }), spec: { selector: { matchLabels: { app: "db" } } } };
    const all = { ...budget({}, { name: "all" }), spec: { selector: {} } };
    assert.deepEqual(
      budgetsForPod(pod("Running"), [budget({}), other, all]).map((b) => b.metadata.name),
      ["web-pdb", "all"],
    );
  });
});

describe("unhealthyPodMayBeEvicted", () => {
  const cases: [string, KubeObject, KubeObject, boolean][] = [
    ["a ready pod never", pod("Running", { ready: true }), budget({}, { policy: "AlwaysAllow" }), false],
    [
      "AlwaysAllow, even below budget",
      pod("Running"),
      budget({ currentHealthy: 0, desiredHealthy: 2 }, { policy: "AlwaysAllow" }),
      true,
    ],
    [
      "default policy with the budget met",
      pod("Running"),
      budget({ currentHealthy: 2, desiredHealthy: 2 }),
      true,
    ],
    [
      "IfHealthyBudget with the budget met",
      pod("Running"),
      budget({ currentHealthy: 3, desiredHealthy: 2 }, { policy: "IfHealthyBudget" }),
      true,
    ],
    ["default policy below budget", pod("Running"), budget({ currentHealthy: 1, desiredHealthy: 2 }), false],
    [
      "default policy when nothing is desired",
      pod("Running"),
      budget({ currentHealthy: 0, desiredHealthy: 0 }),
      false,
    ],
  ];
  for (const [name, p, pdb, expected] of cases)
    it(name, () => assert.equal(unhealthyPodMayBeEvicted(p, pdb), expected));
});

describe("checkAndDecrement", () => {
  it("spends one disruption and records the pod with the time", () => {
    const before = budget({ disruptionsAllowed: 2 });
    const after = checkAndDecrement(before, "web-1", NOW);
    assert.equal(after.status.disruptionsAllowed, 1);
    assert.deepEqual(after.status.disruptedPods, { "web-1": "2024-06-01T12:00:00Z" });
    assert.equal(after.status.conditions, undefined, "the condition changes only when none are left");
    assert.equal(after.metadata.resourceVersion, "5", "the write is guarded by the version read");
    assert.equal(before.status.disruptionsAllowed, 2, "the input is not changed");
  });

  it("turns DisruptionAllowed False when it spends the last disruption", () => {
    const after = checkAndDecrement(
      budget({ disruptionsAllowed: 1, disruptedPods: { "web-0": "2024-06-01T11:59:30Z" } }),
      "web-1",
      NOW,
    );
    assert.equal(after.status.disruptionsAllowed, 0);
    assert.deepEqual(after.status.disruptedPods, {
      "web-0": "2024-06-01T11:59:30Z",
      "web-1": "2024-06-01T12:00:00Z",
    });
    assert.deepEqual(after.status.conditions, [
      {
        type: "DisruptionAllowed",
        status: "False",
        reason: "InsufficientPods",
        message: "",
        observedGeneration: 1,
        lastTransitionTime: "2024-06-01T12:00:00Z",
      },
    ]);
  });

  it("refuses with 429 and the DisruptionBudget cause when no disruption is allowed", () => {
    const err = refusal(() =>
      checkAndDecrement(
        budget({ disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 }),
        "web-1",
        NOW,
      ),
    );
    assert.deepEqual(err.toStatus(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: "TooManyRequests",
      code: 429,
      details: {
        causes: [
          {
            reason: "DisruptionBudget",
            message: "The disruption budget web-pdb needs 2 healthy pods and has 2 currently",
          },
        ],
      },
    });
  });

  it("refuses with 429 and a retry-after of 10 s while the status is older than the spec", () => {
    const err = refusal(() =>
      checkAndDecrement(budget({ observedGeneration: 1 }, { generation: 2 }), "web-1", NOW),
    );
    assert.equal(err.code, 429);
    assert.equal(err.reason, "TooManyRequests");
    assert.deepEqual(err.details, {
      causes: [
        {
          reason: "DisruptionBudget",
          message: "The disruption budget web-pdb is still being processed by the server.",
        },
      ],
      retryAfterSeconds: 10,
    });
  });

  it("treats a budget never seen by the controller as being processed", () => {
    const fresh = {
      ...budget({}),
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    };
    assert.equal(refusal(() => checkAndDecrement(fresh, "web-1", NOW)).details?.retryAfterSeconds, 10);
  });

  it("forbids a negative allowance and a disruptedPods map past its limit", () => {
    const negative = refusal(() => checkAndDecrement(budget({ disruptionsAllowed: -1 }), "web-1", NOW));
    assert.equal(negative.code, 403);
    assert.equal(
      negative.message,
      'poddisruptionbudget.policy "web-pdb" is forbidden: pdb disruptions allowed is negative',
    );
    assert.deepEqual(negative.details, { name: "web-pdb", group: "policy", kind: "poddisruptionbudget" });
    const disruptedPods = Object.fromEntries(
      Array.from({ length: MAX_DISRUPTED_POD_SIZE + 1 }, (_, i) => [`p${i}`, "2024-06-01T11:59:00Z"]),
    );
    const full = refusal(() =>
      checkAndDecrement(budget({ disruptionsAllowed: 5, disruptedPods }), "web-1", NOW),
    );
    assert.equal(
      full.message,
      'poddisruptionbudget.policy "web-pdb" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller',
    );
  });
});
