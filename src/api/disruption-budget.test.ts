// Tests of the PodDisruptionBudget helpers: which budgets select a pod, SetStatusCondition's transition
// times, and the DisruptionAllowed condition that follows disruptionsAllowed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  budgetSelectsPod,
  conditionsAreUpToDate,
  setStatusCondition,
  updateDisruptionAllowedCondition,
} from "./disruption-budget.js";
import type { KubeObject } from "./object.js";

const T0 = Date.parse("2024-06-01T12:00:00Z");
const T1 = T0 + 60_000;
const pod: KubeObject = { metadata: { name: "p", namespace: "a", labels: { app: "web", tier: "front" } } };
const budget = (selector: unknown, namespace = "a"): KubeObject => ({
  metadata: { name: "b", namespace },
  spec: { selector },
});

describe("budgetSelectsPod", () => {
  const cases: [string, KubeObject, boolean][] = [
    ["matching labels", budget({ matchLabels: { app: "web" } }), true],
    [
      "an expression",
      budget({ matchExpressions: [{ key: "tier", operator: "In", values: ["front"] }] }),
      true,
    ],
    ["other labels", budget({ matchLabels: { app: "db" } }), false],
    ["another namespace", budget({ matchLabels: { app: "web" } }, "b"), false],
    ["an empty selector (every pod, in policy/v1)", budget({}), true],
    ["a null selector (no pod)", budget(null), false],
    [
      "a selector that cannot be parsed",
      budget({ matchExpressions: [{ key: "app", operator: "Near" }] }),
      false,
    ],
  ];
  for (const [name, pdb, expected] of cases)
    it(name, () => assert.equal(budgetSelectsPod(pdb, pod), expected));
});

describe("setStatusCondition", () => {
  const base = {
    type: "DisruptionAllowed",
    status: "False" as const,
    reason: "InsufficientPods",
    message: "",
  };

  it("adds a missing condition with the current time", () => {
    assert.deepEqual(setStatusCondition(undefined, base, T0), [
      { ...base, lastTransitionTime: "2024-06-01T12:00:00Z" },
    ]);
  });

  it("keeps the transition time when only the reason or message change", () => {
    const first = setStatusCondition([], base, T0);
    const next = setStatusCondition(first, { ...base, reason: "SyncFailed", message: "boom" }, T1);
    assert.deepEqual(next, [
      { ...base, reason: "SyncFailed", message: "boom", lastTransitionTime: "2024-06-01T12:00:00Z" },
    ]);
    assert.equal(first[0].reason, "InsufficientPods", "the input is not changed");
  });

  it("moves the transition time when the status changes, and leaves other conditions alone", () => {
    const other = { ...base, type: "Other", lastTransitionTime: "2020-01-01T00:00:00Z" };
    const next = setStatusCondition(
      [other, { ...base, lastTransitionTime: "2024-06-01T12:00:00Z" }],
      { ...base, status: "True", reason: "SufficientPods" },
      T1,
    );
    assert.deepEqual(next, [
      other,
      { ...base, status: "True", reason: "SufficientPods", lastTransitionTime: "2024-06-01T12:01:00Z" },
    ]);
  });
});

describe("the DisruptionAllowed condition", () => {
  it("is True/SufficientPods with disruptions allowed and False/InsufficientPods without", () => {
    const status: Record<string, any> = { disruptionsAllowed: 2, observedGeneration: 3 };
    updateDisruptionAllowedCondition(status, T0);
    assert.deepEqual(status.conditions, [
      {
        type: "DisruptionAllowed",
        status: "True",
        reason: "SufficientPods",
        message: "",
        observedGeneration: 3,
        lastTransitionTime: "2024-06-01T12:00:00Z",
      },
    ]);
    status.disruptionsAllowed = 0;
    updateDisruptionAllowedCondition(status, T1);
    assert.equal(status.conditions[0].status, "False");
    assert.equal(status.conditions[0].reason, "InsufficientPods");
    assert.equal(status.conditions[0].lastTransitionTime, "2024-06-01T12:01:00Z");
  });

  it("is up to date only when present, for the current generation, and agreeing with the count", () => {
    const status: Record<string, any> = { disruptionsAllowed: 1, observedGeneration: 2 };
    const pdb = (s: Record<string, any>, generation = 2): KubeObject => ({
      metadata: { name: "b", generation },
      status: s,
    });
    assert.equal(conditionsAreUpToDate(pdb(status)), false);
    updateDisruptionAllowedCondition(status, T0);
    assert.equal(conditionsAreUpToDate(pdb(status)), true);
    assert.equal(conditionsAreUpToDate(pdb(status, 3)), false);
    assert.equal(conditionsAreUpToDate(pdb({ ...status, disruptionsAllowed: 0 })), false);
  });
});
