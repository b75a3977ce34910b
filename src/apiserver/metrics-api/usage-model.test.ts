// Tests of the simulated usage model: bounds relative to requests, defaults, limits, determinism, slow drift,
// which pods and containers report, and node totals with overhead and the capacity cap.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import {
  containerUsage,
  DEFAULT_CPU_NANOCORES,
  DEFAULT_MEMORY_BYTES,
  METRICS_WINDOW_MS,
  NODE_OVERHEAD,
  nodeReportsMetrics,
  nodeUsage,
  podUsage,
  sampleTime,
  utilisation,
} from "./usage-model.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const MI = 1024 * 1024;
const M = 1_000_000; // one millicore in nanocores

function runningPod(
  containers: object[],
  extra: { status?: object; initContainers?: object[] } = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "ns", uid: "uid-1" },
    spec: { nodeName: "n1", containers, initContainers: extra.initContainers },
    status: { phase: "Running", ...extra.status },
  };
}

describe("sampleTime", () => {
  it("rounds down to the window, so reads within one window agree", () => {
    assert.equal(sampleTime(T0 + 14_999), T0);
    assert.equal(sampleTime(T0 + METRICS_WINDOW_MS), T0 + METRICS_WINDOW_MS);
  });
});

describe("utilisation", () => {
  it("stays within 30–70% for many seeds and times", () => {
    for (let s = 0; s < 200; s++) {
      for (let t = 0; t < 40; t++) {
        const u = utilisation(`seed-${s}`, T0 + t * 97 * METRICS_WINDOW_MS, 600_000);
        assert.ok(u >= 0.3 && u <= 0.7, `${u}`);
      }
    }
  });

  it("is a pure function of seed and time", () => {
    assert.equal(utilisation("a", T0, 600_000), utilisation("a", T0, 600_000));
    assert.notEqual(utilisation("a", T0, 600_000), utilisation("b", T0, 600_000));
  });

  it("drifts slowly: successive samples differ, but by a few percent at most", () => {
    let changed = 0;
    for (let i = 0; i < 50; i++) {
      const a = utilisation("drift", T0 + i * METRICS_WINDOW_MS, 600_000);
      const b = utilisation("drift", T0 + (i + 1) * METRICS_WINDOW_MS, 600_000);
      if (a !== b) changed++;
      assert.ok(Math.abs(a - b) < 0.04, `${a} → ${b}`);
    }
    assert.equal(changed, 50);
  });

  it("spreads seeds over the whole range of levels", () => {
    const levels = Array.from({ length: 500 }, (_, i) => utilisation(`pod-${i}/c`, T0, 600_000));
    assert.ok(Math.min(...levels) < 0.4 && Math.max(...levels) > 0.6);
  });
});

describe("containerUsage", () => {
  const cases: { name: string; resources?: object; cpu: [number, number]; memory: [number, number] }[] = [
    {
      name: "a share of the requests",
      resources: { requests: { cpu: "200m", memory: "256Mi" } },
      cpu: [60 * M, 140 * M],
      memory: [76.8 * MI - 4096, 179.2 * MI],
    },
    {
      name: "the defaults without requests",
      cpu: [0.3 * DEFAULT_CPU_NANOCORES, 0.7 * DEFAULT_CPU_NANOCORES],
      memory: [0.3 * DEFAULT_MEMORY_BYTES - 4096, 0.7 * DEFAULT_MEMORY_BYTES],
    },
    {
      name: "whole cores and plain byte counts",
      resources: { requests: { cpu: "2", memory: "1000000000" } },
      cpu: [600 * M, 1400 * M],
      memory: [300_000_000 - 4096, 700_000_000],
    },
    {
      name: "never above the limits",
      resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "100m", memory: "64Mi" } },
      cpu: [100 * M, 100 * M],
      memory: [64 * MI, 64 * MI],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const u = containerUsage("uid", { name: "main", resources: c.resources as any }, T0);
      assert.equal(u.name, "main");
      assert.ok(u.cpuNanoCores >= c.cpu[0] && u.cpuNanoCores <= c.cpu[1], `cpu ${u.cpuNanoCores}`);
      assert.ok(u.memoryBytes >= c.memory[0] && u.memoryBytes <= c.memory[1], `memory ${u.memoryBytes}`);
      assert.ok(Number.isInteger(u.cpuNanoCores));
    });
  }

  it("counts memory in whole 4 KiB pages", () => {
    const u = containerUsage("uid", { name: "c", resources: { requests: { memory: "100Mi" } } }, T0);
    assert.equal(u.memoryBytes % 4096, 0);
  });

  it("differs between containers of one pod and between pods", () => {
    const spec = { name: "c", resources: { requests: { cpu: "1" } } };
    const a = containerUsage("uid-a", spec, T0).cpuNanoCores;
    assert.notEqual(a, containerUsage("uid-b", spec, T0).cpuNanoCores);
    assert.notEqual(a, containerUsage("uid-a", { ...spec, name: "d" }, T0).cpuNanoCores);
  });
});

describe("podUsage", () => {
  const main = { name: "main", resources: { requests: { cpu: "100m" } } };

  for (const phase of ["Pending", "Succeeded", "Failed", "Unknown", undefined]) {
    it(`has none for a ${phase ?? "phase-less"} pod`, () => {
      const pod = runningPod([main]);
      pod.status = phase ? { phase } : undefined;
      assert.equal(podUsage(pod, T0), undefined);
    });
  }

  it("reports every container of a Running pod without container statuses", () => {
    const usage = podUsage(runningPod([main, { name: "side" }]), T0);
    assert.deepEqual(
      usage?.map((c) => c.name),
      ["main", "side"],
    );
  });

  it("reports only running containers, sidecar init containers included", () => {
    const pod = runningPod([main, { name: "crashing" }], {
      initContainers: [
        { name: "setup", restartPolicy: undefined },
        { name: "proxy", restartPolicy: "Always" },
      ],
      status: {
        initContainerStatuses: [
          { name: "setup", state: { terminated: { exitCode: 0 } } },
          { name: "proxy", state: { running: {} } },
        ],
        containerStatuses: [
          { name: "main", state: { running: {} } },
          { name: "crashing", state: { waiting: { reason: "CrashLoopBackOff" } } },
        ],
      },
    });
    assert.deepEqual(
      podUsage(pod, T0)?.map((c) => c.name),
      ["proxy", "main"],
    );
  });

  it("has none when no container is running", () => {
    const pod = runningPod([main], {
      status: { containerStatuses: [{ name: "main", state: { waiting: { reason: "CrashLoopBackOff" } } }] },
    });
    assert.equal(podUsage(pod, T0), undefined);
  });

  it("is the same within a window and moves between windows", () => {
    const pod = runningPod([{ name: "main", resources: { requests: { cpu: "1", memory: "1Gi" } } }]);
    assert.deepEqual(podUsage(pod, sampleTime(T0 + 1000)), podUsage(pod, sampleTime(T0 + 9000)));
    assert.notDeepEqual(podUsage(pod, T0), podUsage(pod, T0 + METRICS_WINDOW_MS));
  });
});

describe("nodes", () => {
  const node = (capacity?: Record<string, string>, ready?: string): KubeObject => ({
    metadata: { name: "n1", uid: "node-uid" },
    status: {
      capacity,
      conditions: ready === undefined ? [] : [{ type: "Ready", status: ready }],
    },
  });

  it("reports metrics once Ready is posted, and not while it is Unknown", () => {
    assert.equal(nodeReportsMetrics(node(undefined, "True")), true);
    assert.equal(nodeReportsMetrics(node(undefined, "False")), true);
    assert.equal(nodeReportsMetrics(node(undefined, "Unknown")), false);
    assert.equal(nodeReportsMetrics(node(undefined)), false);
  });

  it("uses its pods' usage plus 60–140% of the system overhead", () => {
    const pods = [
      { cpuNanoCores: 50 * M, memoryBytes: 100 * MI },
      { cpuNanoCores: 25 * M, memoryBytes: 50 * MI },
    ];
    const u = nodeUsage(node({ cpu: "4", memory: "8Gi" }), pods, T0);
    const cpuOverhead = u.cpuNanoCores - 75 * M;
    const memoryOverhead = u.memoryBytes - 150 * MI;
    assert.ok(
      cpuOverhead >= 0.6 * NODE_OVERHEAD.cpuNanoCores && cpuOverhead <= 1.4 * NODE_OVERHEAD.cpuNanoCores,
    );
    assert.ok(
      memoryOverhead >= 0.6 * NODE_OVERHEAD.memoryBytes - 4096 &&
        memoryOverhead <= 1.4 * NODE_OVERHEAD.memoryBytes,
    );
  });

  it("never exceeds the node's capacity", () => {
    const busy = [{ cpuNanoCores: 5000 * M, memoryBytes: 9 * 1024 * MI }];
    const u = nodeUsage(node({ cpu: "4", memory: "8Gi" }), busy, T0);
    assert.deepEqual(u, { cpuNanoCores: 4000 * M, memoryBytes: 8 * 1024 * MI });
  });
});
