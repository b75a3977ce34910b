// Table tests for Event rows: legacy and series timestamps, counts, target, source and column order.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Event } from "kubernetes-types/core/v1.js";
import { eventPrinter } from "./event.js";
import { ago, MINUTE, NOW, SECOND } from "./testing.js";

const base: Event = {
  apiVersion: "v1",
  kind: "Event",
  metadata: {
    name: "fluentd-x7k2p.17d3a1b2c3d4e5f6",
    namespace: "kube-system",
    creationTimestamp: ago(10 * MINUTE),
  },
  involvedObject: {
    kind: "Pod",
    name: "fluentd-x7k2p",
    namespace: "kube-system",
    fieldPath: "spec.containers{fluentd}",
  },
  reason: "BackOff",
  message: "Back-off restarting failed container fluentd\n",
  type: "Warning",
  source: { component: "kubelet", host: "worker-1" },
  firstTimestamp: ago(10 * MINUTE),
  lastTimestamp: ago(30 * SECOND),
  count: 7,
};

describe("Event rows", () => {
  it("prints every cell of a legacy event in upstream's order", () => {
    assert.deepEqual(eventPrinter.cells(base, NOW), [
      "30s",
      "Warning",
      "BackOff",
      "pod/fluentd-x7k2p",
      "spec.containers{fluentd}",
      "kubelet, worker-1",
      "Back-off restarting failed container fluentd",
      "10m",
      7,
      "fluentd-x7k2p.17d3a1b2c3d4e5f6",
    ]);
  });

  it("uses eventTime, the series and the reporting controller of events.k8s.io events", () => {
    const ev: Event = {
      ...base,
      firstTimestamp: undefined,
      lastTimestamp: undefined,
      count: undefined,
      source: undefined,
      eventTime: "2024-06-01T11:55:00.123456Z",
      series: { count: 4, lastObservedTime: "2024-06-01T11:59:00.000001Z" },
      reportingComponent: "daemonset-controller",
      reportingInstance: "",
    };
    const cells = eventPrinter.cells(ev, NOW);
    assert.deepEqual([cells[0], cells[5], cells[7], cells[8]], ["60s", "daemonset-controller", "4m59s", 4]);
  });

  it("counts a singleton event once and reuses first seen as last seen", () => {
    const ev: Event = { ...base, lastTimestamp: undefined, count: 0 };
    const cells = eventPrinter.cells(ev, NOW);
    assert.deepEqual([cells[0], cells[7], cells[8]], ["10m", "10m", 1]);
  });

  it("prints <unknown> without any timestamp", () => {
    const ev: Event = { ...base, firstTimestamp: undefined, lastTimestamp: undefined };
    const cells = eventPrinter.cells(ev, NOW);
    assert.deepEqual([cells[0], cells[7]], ["<unknown>", "<unknown>"]);
  });

  it("names the kind alone when the involved object has no name", () => {
    const ev: Event = { ...base, involvedObject: { kind: "Node" }, source: { component: "node-controller" } };
    const cells = eventPrinter.cells(ev, NOW);
    assert.deepEqual([cells[3], cells[4], cells[5]], ["node", "", "node-controller"]);
  });

  it("has upstream's columns", () => {
    assert.deepEqual(
      eventPrinter.columns.map((c) => `${c.name}:${c.priority}${c.format ? `:${c.format}` : ""}`),
      [
        "Last Seen:0",
        "Type:0",
        "Reason:0",
        "Object:0",
        "Subobject:1",
        "Source:1",
        "Message:0",
        "First Seen:1",
        "Count:1",
        "Name:1:name",
      ],
    );
  });
});
