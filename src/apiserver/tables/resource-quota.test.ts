// Table tests for ResourceQuota rows: used/hard pairs in name order, limits.* in their own column, a resource
// not yet counted reads 0, and quantities print canonically.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceQuota } from "kubernetes-types/core/v1.js";
import { buildTable } from "./build-table.js";
import { resourceQuotaPrinter } from "./resource-quota.js";
import { ago, MINUTE, NOW } from "./testing.js";

const quota = (status: ResourceQuota["status"]): ResourceQuota => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name: "logging-quota", namespace: "logging", creationTimestamp: ago(2 * MINUTE) },
  spec: { hard: status?.hard },
  ...(status ? { status } : {}),
});

describe("ResourceQuota rows", () => {
  it("prints upstream's columns", () => {
    assert.deepEqual(
      resourceQuotaPrinter.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ["Name", "string", 0],
        ["Age", "string", 0],
        ["Request", "string", 0],
        ["Limit", "string", 0],
      ],
    );
  });

  const cases: [string, ResourceQuota, unknown[]][] = [
    [
      "counts and requests in name order",
      quota({
        hard: { "requests.cpu": "1", pods: "5", "requests.memory": "4Gi" },
        used: { pods: "3", "requests.cpu": "300m", "requests.memory": "600Mi" },
      }),
      ["logging-quota", "2m", "pods: 3/5, requests.cpu: 300m/1, requests.memory: 600Mi/4Gi", ""],
    ],
    [
      "limits in their own column",
      quota({
        hard: { "limits.cpu": "2", "limits.memory": "1Gi", cpu: "1" },
        used: { "limits.cpu": "500m", "limits.memory": "0", cpu: "250m" },
      }),
      ["logging-quota", "2m", "cpu: 250m/1", "limits.cpu: 500m/2, limits.memory: 0/1Gi"],
    ],
    [
      "an uncounted resource reads 0 and quantities print canonically",
      quota({ hard: { "count/daemonsets.apps": "2", "requests.cpu": "1000m" } }),
      ["logging-quota", "2m", "count/daemonsets.apps: 0/2, requests.cpu: 0/1", ""],
    ],
    ["a quota without status", quota(undefined), ["logging-quota", "2m", "", ""]],
  ];
  for (const [name, obj, cells] of cases) {
    it(name, () => assert.deepEqual(resourceQuotaPrinter.cells(obj, NOW), cells));
  }

  it("is the printer for /ResourceQuota", () => {
    const table = buildTable("/ResourceQuota", [quota({ hard: { pods: "5" }, used: { pods: "5" } })], {
      now: NOW,
    });
    assert.deepEqual(table.rows[0].cells, ["logging-quota", "2m", "pods: 5/5", ""]);
  });
});
