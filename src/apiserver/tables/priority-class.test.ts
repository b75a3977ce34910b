// Table tests for PriorityClass rows: upstream's five columns, and the cells of the built-in and user classes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PriorityClass } from "kubernetes-types/scheduling/v1.js";
import { buildTable } from "./build-table.js";
import { priorityClassPrinter } from "./priority-class.js";
import { ago, DAY, NOW } from "./testing.js";

const pc = (name: string, fields: Omit<PriorityClass, "metadata">): PriorityClass => ({
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name, creationTimestamp: ago(2 * DAY) },
  ...fields,
});

describe("PriorityClass rows", () => {
  it("prints upstream's columns", () => {
    const columns = priorityClassPrinter.columns.map((c) => [c.name, c.type, c.priority]);
    assert.deepEqual(columns, [
      ["Name", "string", 0],
      ["Value", "integer", 0],
      ["Global-Default", "boolean", 0],
      ["Age", "string", 0],
      ["PreemptionPolicy", "string", 0],
    ]);
  });

  const cases: [string, PriorityClass, unknown[]][] = [
    [
      "a system class",
      pc("system-node-critical", { value: 2000001000, preemptionPolicy: "PreemptLowerPriority" }),
      ["system-node-critical", 2000001000, false, "2d", "PreemptLowerPriority"],
    ],
    [
      "the global default that never preempts",
      pc("low", { value: -5, globalDefault: true, preemptionPolicy: "Never" }),
      ["low", -5, true, "2d", "Never"],
    ],
    ["a class without a policy", pc("bare", { value: 0 }), ["bare", 0, false, "2d", ""]],
  ];
  for (const [name, obj, cells] of cases) {
    it(name, () => assert.deepEqual(priorityClassPrinter.cells(obj, NOW), cells));
  }

  it("is the printer for scheduling.k8s.io/PriorityClass", () => {
    const table = buildTable("scheduling.k8s.io/PriorityClass", [pc("x", { value: 7 })], { now: NOW });
    assert.equal(table.columnDefinitions?.[2].name, "Global-Default");
    assert.deepEqual(table.rows[0].cells, ["x", 7, false, "2d", ""]);
  });
});
