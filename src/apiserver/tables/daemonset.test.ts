// Table tests for DaemonSet rows: counters, node selector, age and the wide containers/images/selector.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import { daemonSetPrinter } from "./daemonset.js";
import { ago, HOUR, MINUTE, NOW } from "./testing.js";

const fluentd: DaemonSet = {
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: {
    name: "fluentd-elasticsearch",
    namespace: "kube-system",
    creationTimestamp: ago(5 * HOUR + 7 * MINUTE),
  },
  spec: {
    selector: {
      matchLabels: { name: "fluentd-elasticsearch" },
      matchExpressions: [{ key: "tier", operator: "In", values: ["logging", "monitoring"] }],
    },
    template: {
      metadata: { labels: { name: "fluentd-elasticsearch", tier: "logging" } },
      spec: {
        nodeSelector: { "kubernetes.io/os": "linux", disktype: "ssd" },
        containers: [
          { name: "fluentd-elasticsearch", image: "quay.io/fluentd_elasticsearch/fluentd:v2.5.2" },
          { name: "exporter", image: "prom/exporter:v1" },
        ],
      },
    },
  },
  status: {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    numberReady: 2,
    updatedNumberScheduled: 1,
    numberAvailable: 2,
    numberMisscheduled: 0,
  },
};

describe("DaemonSet rows", () => {
  it("prints every cell", () => {
    assert.deepEqual(daemonSetPrinter.cells(fluentd, NOW), [
      "fluentd-elasticsearch",
      3,
      3,
      2,
      1,
      2,
      "disktype=ssd,kubernetes.io/os=linux",
      "5h7m",
      "fluentd-elasticsearch,exporter",
      "quay.io/fluentd_elasticsearch/fluentd:v2.5.2,prom/exporter:v1",
      "name=fluentd-elasticsearch,tier in (logging,monitoring)",
    ]);
  });

  it("prints zeros and <none> for a new DaemonSet without status or node selector", () => {
    const ds: DaemonSet = {
      metadata: { name: "new", creationTimestamp: ago(10 * 1000) },
      spec: {
        selector: { matchLabels: { app: "new" } },
        template: { spec: { containers: [{ name: "main", image: "busybox" }] } },
      },
    };
    assert.deepEqual(daemonSetPrinter.cells(ds, NOW), [
      "new",
      0,
      0,
      0,
      0,
      0,
      "<none>",
      "10s",
      "main",
      "busybox",
      "app=new",
    ]);
  });

  it("has upstream's columns", () => {
    assert.deepEqual(
      daemonSetPrinter.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
      [
        "Name:string:0",
        "Desired:integer:0",
        "Current:integer:0",
        "Ready:integer:0",
        "Up-to-date:integer:0",
        "Available:integer:0",
        "Node Selector:string:0",
        "Age:string:0",
        "Containers:string:1",
        "Images:string:1",
        "Selector:string:1",
      ],
    );
  });
});
