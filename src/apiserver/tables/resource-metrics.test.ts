// Table tests for NodeMetrics and PodMetrics rows: metrics-server's NAME, CPU, MEMORY, WINDOW columns, a pod's
// usage summed over its containers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nodeMetricsPrinter, podMetricsPrinter } from "./resource-metrics.js";
import { NOW } from "./testing.js";

describe("metrics tables", () => {
  it("have metrics-server's columns", () => {
    for (const printer of [nodeMetricsPrinter, podMetricsPrinter]) {
      assert.deepEqual(
        printer.columns.map((c) => c.name),
        ["Name", "CPU", "Memory", "Window"],
      );
    }
  });

  it("print a node's usage", () => {
    const row = nodeMetricsPrinter.cells(
      { metadata: { name: "n1" }, window: "15s", usage: { cpu: "123456789n", memory: "1048576Ki" } },
      NOW,
    );
    assert.deepEqual(row, ["n1", "123456789n", "1Gi", "15s"]);
  });

  it("sum a pod's containers", () => {
    const row = podMetricsPrinter.cells(
      {
        metadata: { name: "p" },
        window: "15s",
        containers: [{ usage: { cpu: "1m", memory: "4Ki" } }, { usage: { cpu: "500000n", memory: "1Mi" } }],
      },
      NOW,
    );
    assert.deepEqual(row, ["p", "1500u", "1028Ki", "15s"]);
  });

  it("print 0 for a pod without containers", () => {
    assert.deepEqual(podMetricsPrinter.cells({ metadata: { name: "p" }, containers: [] }, NOW), [
      "p",
      "0",
      "0",
      "",
    ]);
  });
});
