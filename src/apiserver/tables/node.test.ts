// Table tests for node rows: STATUS from the Ready condition and cordoning, ROLES, VERSION, wide columns.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node, NodeCondition } from "kubernetes-types/core/v1.js";
import { nodePrinter } from "./node.js";
import { ago, DAY, HOUR, NOW } from "./testing.js";

function node(opts: {
  labels?: Record<string, string>;
  ready?: NodeCondition["status"];
  unschedulable?: boolean;
}): Node {
  const conditions: NodeCondition[] = [{ type: "MemoryPressure", status: "False" }];
  if (opts.ready) conditions.push({ type: "Ready", status: opts.ready, reason: "KubeletReady" });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: "worker-1",
      creationTimestamp: ago(12 * DAY + 5 * HOUR),
      labels: { "kubernetes.io/hostname": "worker-1", "kubernetes.io/os": "linux", ...opts.labels },
    },
    spec: { unschedulable: opts.unschedulable },
    status: {
      conditions,
      addresses: [
        { type: "Hostname", address: "worker-1" },
        { type: "InternalIP", address: "172.18.0.3" },
        { type: "InternalIP", address: "172.18.0.4" },
      ],
      nodeInfo: {
        architecture: "amd64",
        bootID: "",
        containerRuntimeVersion: "containerd://1.7.18",
        kernelVersion: "6.8.0-45-generic",
        kubeProxyVersion: "",
        kubeletVersion: "v1.32.0",
        machineID: "",
        operatingSystem: "linux",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        systemUUID: "",
      },
    },
  };
}

describe("node rows", () => {
  const statusCases: [string, Parameters<typeof node>[0], string][] = [
    ["ready", { ready: "True" }, "Ready"],
    ["not ready", { ready: "False" }, "NotReady"],
    ["ready condition unknown", { ready: "Unknown" }, "NotReady"],
    ["no ready condition", {}, "Unknown"],
    ["cordoned", { ready: "True", unschedulable: true }, "Ready,SchedulingDisabled"],
    ["cordoned and without status", { unschedulable: true }, "Unknown,SchedulingDisabled"],
  ];
  for (const [name, opts, want] of statusCases) {
    it(`status: ${name}`, () => assert.equal(nodePrinter.cells(node(opts), NOW)[1], want));
  }

  const roleCases: [string, Record<string, string>, string][] = [
    ["none", {}, "<none>"],
    ["control plane", { "node-role.kubernetes.io/control-plane": "" }, "control-plane"],
    [
      "several, sorted and deduplicated",
      {
        "node-role.kubernetes.io/worker": "",
        "kubernetes.io/role": "ingress",
        "node-role.kubernetes.io/ingress": "",
      },
      "ingress,worker",
    ],
    [
      "empty role suffix and empty legacy value are ignored",
      { "node-role.kubernetes.io/": "", "kubernetes.io/role": "" },
      "<none>",
    ],
  ];
  for (const [name, labels, want] of roleCases) {
    it(`roles: ${name}`, () =>
      assert.equal(nodePrinter.cells(node({ labels, ready: "True" }), NOW)[2], want));
  }

  it("prints every cell", () => {
    const n = node({ ready: "True", labels: { "node-role.kubernetes.io/worker": "" } });
    n.status?.addresses?.push({ type: "ExternalIP", address: "203.0.113.9" });
    assert.deepEqual(nodePrinter.cells(n, NOW), [
      "worker-1",
      "Ready",
      "worker",
      "12d",
      "v1.32.0",
      "172.18.0.3",
      "203.0.113.9",
      "Debian GNU/Linux 12 (bookworm)",
      "6.8.0-45-generic",
      "containerd://1.7.18",
    ]);
  });

  it("prints placeholders for missing addresses and system info", () => {
    const n: Node = { metadata: { name: "bare", creationTimestamp: ago(30 * 60 * 1000) } };
    assert.deepEqual(nodePrinter.cells(n, NOW), [
      "bare",
      "Unknown",
      "<none>",
      "30m",
      "",
      "<none>",
      "<none>",
      "<unknown>",
      "<unknown>",
      "<unknown>",
    ]);
  });

  it("has upstream's columns", () => {
    assert.deepEqual(
      nodePrinter.columns.map((c) => `${c.name}:${c.priority}`),
      [
        "Name:0",
        "Status:0",
        "Roles:0",
        "Age:0",
        "Version:0",
        "Internal-IP:1",
        "External-IP:1",
        "OS-Image:1",
        "Kernel-Version:1",
        "Container-Runtime:1",
      ],
    );
  });
});
