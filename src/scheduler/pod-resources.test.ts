// Table tests for resource accounting: pod requests with init containers, sidecars and overhead, the non-zero
// defaults used for scoring, scalar resource names, and a node's allocatable.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_MEMORY_REQUEST,
  isScalarResourceName,
  nodeAllocatable,
  podNonZeroRequests,
  podRequests,
} from "./pod-resources.js";
import { testPod } from "./testing.js";

const container = (name: string, requests: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  name,
  image: "x",
  resources: { requests },
  ...extra,
});

describe("podRequests", () => {
  const cases: { name: string; spec: Record<string, unknown>; want: Record<string, number> }[] = [
    {
      name: "sums regular containers, rounding CPU up to milli-cores once",
      spec: {
        containers: [
          container("a", { cpu: "100m", memory: "1Mi" }),
          container("b", { cpu: "0.2", memory: "1Ki" }),
        ],
      },
      want: { milliCPU: 300, memory: 1024 * 1024 + 1024 },
    },
    {
      name: "an init container larger than the sum sets the floor",
      spec: {
        containers: [container("a", { cpu: "100m" })],
        initContainers: [container("i", { cpu: "1", memory: "1Gi" })],
      },
      want: { milliCPU: 1000, memory: 1024 ** 3 },
    },
    {
      name: "sidecars run alongside later init containers and the regular ones",
      spec: {
        containers: [container("a", { cpu: "100m" })],
        initContainers: [
          container("s", { cpu: "200m" }, { restartPolicy: "Always" }),
          container("i", { cpu: "500m" }),
        ],
      },
      // max(100 + 200, 200 + 500) = 700
      want: { milliCPU: 700, memory: 0 },
    },
    {
      name: "overhead is added on top",
      spec: { containers: [container("a", { cpu: "100m" })], overhead: { cpu: "50m", memory: "10Mi" } },
      want: { milliCPU: 150, memory: 10 * 1024 * 1024 },
    },
    {
      name: "ephemeral storage and extended resources; a pods request is ignored",
      spec: {
        containers: [
          container("a", {
            "ephemeral-storage": "1G",
            "example.com/gpu": "2",
            pods: "3",
            "hugepages-2Mi": "4Mi",
          }),
        ],
      },
      want: {
        ephemeralStorage: 1e9,
        "example.com/gpu": 2,
        "hugepages-2Mi": 4 * 1024 * 1024,
        allowedPodNumber: 0,
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = podRequests(testPod("p", c.spec));
      const flat: Record<string, number> = {
        milliCPU: r.milliCPU,
        memory: r.memory,
        ephemeralStorage: r.ephemeralStorage,
        allowedPodNumber: r.allowedPodNumber,
        ...Object.fromEntries(r.scalar),
      };
      for (const [k, v] of Object.entries(c.want)) assert.equal(flat[k], v, k);
    });
  }
});

describe("podNonZeroRequests", () => {
  it("fills 100m CPU and 200Mi memory per container that sets none", () => {
    const pod = testPod("p", { containers: [container("a", { cpu: "1" }), { name: "b", image: "x" }] });
    assert.deepEqual(podNonZeroRequests(pod), { milliCPU: 1100, memory: 2 * DEFAULT_MEMORY_REQUEST });
  });
});

describe("isScalarResourceName", () => {
  const cases: [string, boolean][] = [
    ["example.com/gpu", true],
    ["nvidia.com/gpu", true],
    ["hugepages-1Gi", true],
    ["attachable-volumes-aws-ebs", true],
    ["kubernetes.io/something", true],
    ["storage", false],
    ["cpu", false],
    ["requests.example.com/gpu", false],
  ];
  for (const [name, want] of cases)
    it(`${name} → ${want}`, () => assert.equal(isScalarResourceName(name), want));
});

describe("nodeAllocatable", () => {
  it("reads status.allocatable", () => {
    const r = nodeAllocatable({
      metadata: {},
      status: { allocatable: { cpu: "3500m", memory: "1Gi", pods: "110" }, capacity: { cpu: "4" } },
    });
    assert.deepEqual([r.milliCPU, r.memory, r.allowedPodNumber], [3500, 1024 ** 3, 110]);
  });
  it("falls back to capacity when a node reports no allocatable", () => {
    const r = nodeAllocatable({ metadata: {}, status: { capacity: { cpu: "2", pods: "10" } } });
    assert.deepEqual([r.milliCPU, r.allowedPodNumber], [2000, 10]);
  });
});
