// Table tests for PodDisruptionBudget rows: the budget columns show whichever field is set and N/A for the
// other, percentages print as written, and a budget without status allows no disruptions.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { buildTable } from "./build-table.js";
import { podDisruptionBudgetPrinter } from "./pod-disruption-budget.js";
import { ago, MINUTE, NOW } from "./testing.js";

const pdb = (spec: PodDisruptionBudget["spec"], disruptionsAllowed?: number): PodDisruptionBudget => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "web", namespace: "default", creationTimestamp: ago(3 * MINUTE) },
  spec,
  ...(disruptionsAllowed === undefined
    ? {}
    : {
        status: { disruptionsAllowed, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
      }),
});

describe("PodDisruptionBudget rows", () => {
  it("prints upstream's columns", () => {
    const names = podDisruptionBudgetPrinter.columns.map((c) => [c.name, c.type, c.priority]);
    assert.deepEqual(names, [
      ["Name", "string", 0],
      ["Min Available", "string", 0],
      ["Max Unavailable", "string", 0],
      ["Allowed Disruptions", "integer", 0],
      ["Age", "string", 0],
    ]);
  });

  const cases: [string, PodDisruptionBudget, unknown[]][] = [
    ["minAvailable as a count", pdb({ minAvailable: 2 }, 1), ["web", "2", "N/A", 1, "3m"]],
    ["maxUnavailable as a percentage", pdb({ maxUnavailable: "25%" }, 0), ["web", "N/A", "25%", 0, "3m"]],
    [
      "a budget not yet seen by the controller",
      pdb({ minAvailable: "100%" }),
      ["web", "100%", "N/A", 0, "3m"],
    ],
    ["neither field set", pdb({}), ["web", "N/A", "N/A", 0, "3m"]],
  ];
  for (const [name, obj, cells] of cases) {
    it(name, () => assert.deepEqual(podDisruptionBudgetPrinter.cells(obj, NOW), cells));
  }

  it("is the printer for policy/PodDisruptionBudget", () => {
    const table = buildTable("policy/PodDisruptionBudget", [pdb({ minAvailable: 1 }, 0)], { now: NOW });
    assert.equal(table.columnDefinitions?.[3].name, "Allowed Disruptions");
    assert.deepEqual(table.rows[0].cells, ["web", "1", "N/A", 0, "3m"]);
  });
});
