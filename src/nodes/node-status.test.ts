import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import {
  desiredNodeStatus,
  lastNodeReport,
  missingNodeLabels,
  nodeInternalIP,
  nodeStatusChanged,
} from "./node-status.js";
import { buildNode } from "./node-template.js";
import { nodeSimulation } from "./sim-annotations.js";

const T0 = Date.parse("2025-01-01T00:00:00Z");
const LATER = T0 + 60_000;

const manifest = (o: Partial<KubeObject["metadata"]> = {}, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "edge-1", ...o },
  ...(status ? { status } : {}),
});

const byType = (status: Record<string, any>, type: string) =>
  (status.conditions as Record<string, string>[]).find((c) => c.type === type);

describe("node status", () => {
  it("adds the standard labels a manifest lacks, keeping its own values", () => {
    assert.deepEqual(missingNodeLabels(manifest({ labels: { "kubernetes.io/arch": "arm64" } })), {
      "beta.kubernetes.io/arch": "arm64",
      "beta.kubernetes.io/os": "linux",
      "kubernetes.io/hostname": "edge-1",
      "kubernetes.io/os": "linux",
    });
    assert.equal(missingNodeLabels(buildNode("node1", 1, T0)), undefined);
  });

  it("completes a bare manifest: capacity defaults, allocatable, addresses, nodeInfo, endpoints, conditions", () => {
    const node = manifest({ labels: { "kubernetes.io/arch": "arm64" } }, { capacity: { cpu: "16" } });
    const { status, transitions } = desiredNodeStatus(node, nodeSimulation(node), T0);
    assert.deepEqual(status.capacity, {
      cpu: "16",
      memory: "8Gi",
      "ephemeral-storage": "100Gi",
      "hugepages-1Gi": "0",
      "hugepages-2Mi": "0",
      pods: "110",
    });
    assert.deepEqual(status.allocatable, status.capacity);
    assert.equal(status.addresses[0].type, "InternalIP");
    assert.match(status.addresses[0].address, /^10\.0\.(1[2-9]\d|2[0-5]\d)\.\d+$/);
    assert.deepEqual(status.addresses[1], { type: "Hostname", address: "edge-1" });
    assert.equal(status.nodeInfo.architecture, "arm64");
    assert.equal(status.nodeInfo.kubeletVersion, "v1.32.0");
    assert.deepEqual(status.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
    assert.deepEqual(
      status.conditions.map((c: Record<string, string>) => `${c.type}=${c.status}/${c.reason}`),
      [
        "MemoryPressure=False/KubeletHasSufficientMemory",
        "DiskPressure=False/KubeletHasNoDiskPressure",
        "PIDPressure=False/KubeletHasSufficientPID",
        "Ready=True/KubeletReady",
      ],
    );
    assert.deepEqual(
      transitions.map((t) => t.event),
      ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID", "NodeReady"],
    );
    assert.equal(nodeInternalIP({ ...node, status }), status.addresses[0].address);
  });

  it("reports simulated conditions True with upstream reasons, moving only their transition times", () => {
    const node = buildNode("node1", 1, T0);
    node.metadata.annotations = { "sim.everynode.dev/conditions": "DiskPressure, NetworkUnavailable, Bogus" };
    const { status, transitions } = desiredNodeStatus(node, nodeSimulation(node), LATER);
    const later = new Date(LATER).toISOString().replace(".000Z", "Z");
    const start = new Date(T0).toISOString().replace(".000Z", "Z");
    assert.deepEqual(byType(status, "DiskPressure"), {
      type: "DiskPressure",
      status: "True",
      reason: "KubeletHasDiskPressure",
      message: "kubelet has disk pressure",
      lastHeartbeatTime: later,
      lastTransitionTime: later,
    });
    assert.equal(byType(status, "NetworkUnavailable")?.reason, "NoRouteCreated");
    assert.equal(byType(status, "MemoryPressure")?.lastTransitionTime, start);
    assert.equal(byType(status, "Ready")?.status, "True");
    assert.deepEqual(
      transitions.map((t) => `${t.type}=${t.status}`),
      ["NetworkUnavailable=True", "DiskPressure=True"],
    );

    // Removing the annotation clears what the simulation set.
    const recovered = { ...node, metadata: { ...node.metadata, annotations: {} }, status };
    const after = desiredNodeStatus(recovered, nodeSimulation(recovered), LATER + 1000).status;
    assert.equal(byType(after, "NetworkUnavailable")?.reason, "RouteCreated");
    assert.equal(byType(after, "DiskPressure")?.status, "False");
  });

  it("sees a change only when more than heartbeat times differ", () => {
    const node = buildNode("node1", 1, T0);
    const sim = nodeSimulation(node);
    assert.equal(nodeStatusChanged(node.status, desiredNodeStatus(node, sim, LATER).status), false);
    const unknown = structuredClone(node);
    byType(unknown.status, "Ready")!.status = "Unknown";
    assert.equal(nodeStatusChanged(unknown.status, desiredNodeStatus(unknown, sim, LATER).status), true);
    assert.equal(
      byType(desiredNodeStatus(unknown, sim, LATER).status, "Ready")?.lastTransitionTime,
      "2025-01-01T00:01:00Z",
    );
    assert.equal(lastNodeReport(node), T0);
  });

  it("reads the heartbeat annotation", () => {
    assert.equal(
      nodeSimulation(manifest({ annotations: { "sim.everynode.dev/heartbeat": "stopped" } }))
        .heartbeatStopped,
      true,
    );
    assert.equal(nodeSimulation(manifest()).heartbeatStopped, false);
  });
});
