// Table tests for a pod's quota cost: requests and limits over containers, sidecars, init containers and
// overhead; the names they charge; when a pod stops counting; and which containers lack what a quota demands.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../object.js";
import { podChargedForCompute, podConstraintsError, podLimits, podRequests, podUsage } from "./pod-usage.js";
import { toWire } from "./resource-list.js";

type Res = { requests?: Record<string, string>; limits?: Record<string, string> };
const container = (name: string, resources?: Res, restartPolicy?: string) => ({
  name,
  image: "i",
  ...(resources ? { resources } : {}),
  ...(restartPolicy ? { restartPolicy } : {}),
});

function pod(spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "ns" }, spec, ...extra };
}

const NOW = Date.parse("2024-06-01T12:00:00Z");

describe("pod requests and limits (resourcehelper)", () => {
  const cases: [string, Record<string, unknown>, Record<string, string>, Record<string, string>][] = [
    [
      "sums regular containers",
      {
        containers: [
          container("a", { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m" } }),
          container("b", { requests: { cpu: "150m" }, limits: { cpu: "300m", memory: "1Gi" } }),
        ],
      },
      { cpu: "250m", memory: "64Mi" },
      { cpu: "500m", memory: "1Gi" },
    ],
    [
      "takes the larger init container when it needs more",
      {
        containers: [container("a", { requests: { cpu: "100m" } })],
        initContainers: [container("init", { requests: { cpu: "1", memory: "10Mi" } })],
      },
      { cpu: "1", memory: "10Mi" },
      {},
    ],
    [
      "adds sidecars to the containers and to later init containers",
      {
        containers: [container("a", { requests: { cpu: "100m" } })],
        initContainers: [
          container("sidecar", { requests: { cpu: "200m" } }, "Always"),
          container("init", { requests: { cpu: "250m" } }),
        ],
      },
      { cpu: "450m" },
      {},
    ],
    [
      "adds the overhead to every request but only to limits that are set",
      {
        containers: [container("a", { requests: { cpu: "100m" }, limits: { cpu: "100m" } })],
        overhead: { cpu: "10m", memory: "5Mi" },
      },
      { cpu: "110m", memory: "5Mi" },
      { cpu: "110m" },
    ],
  ];
  for (const [name, spec, requests, limits] of cases) {
    it(name, () => {
      assert.deepEqual(toWire(podRequests(pod(spec))), requests);
      assert.deepEqual(toWire(podLimits(pod(spec))), limits);
    });
  }
});

describe("pod usage (PodUsageFunc)", () => {
  it("charges the compute names of requests and limits, hugepages and extended resources", () => {
    const p = pod({
      containers: [
        container("a", {
          requests: {
            cpu: "100m",
            memory: "1Gi",
            "ephemeral-storage": "1Gi",
            "hugepages-2Mi": "4Mi",
            "example.com/gpu": "1",
          },
          limits: { cpu: "200m", memory: "1Gi", "hugepages-2Mi": "4Mi", "example.com/gpu": "1" },
        }),
      ],
    });
    assert.deepEqual(toWire(podUsage(p, NOW)), {
      "count/pods": "1",
      cpu: "100m",
      "ephemeral-storage": "1Gi",
      "hugepages-2Mi": "4Mi",
      "limits.cpu": "200m",
      "limits.memory": "1Gi",
      memory: "1Gi",
      pods: "1",
      "requests.cpu": "100m",
      "requests.ephemeral-storage": "1Gi",
      "requests.example.com/gpu": "1",
      "requests.hugepages-2Mi": "4Mi",
      "requests.memory": "1Gi",
    });
  });

  it("charges a best-effort pod one pod", () => {
    assert.deepEqual(toWire(podUsage(pod({ containers: [container("a")] }), NOW)), {
      "count/pods": "1",
      pods: "1",
    });
  });

  const lifecycle: [string, Partial<KubeObject>, boolean][] = [
    ["a running pod", { status: { phase: "Running" } }, true],
    ["a succeeded pod", { status: { phase: "Succeeded" } }, false],
    ["a failed pod", { status: { phase: "Failed" } }, false],
    [
      "a pod within its deletion grace",
      { metadata: { name: "p", deletionTimestamp: "2024-06-01T12:00:20Z", deletionGracePeriodSeconds: 30 } },
      true,
    ],
    [
      "a pod past its deletion deadline plus grace",
      { metadata: { name: "p", deletionTimestamp: "2024-06-01T11:59:00Z", deletionGracePeriodSeconds: 30 } },
      false,
    ],
  ];
  for (const [name, extra, charged] of lifecycle) {
    it(`${charged ? "charges" : "does not charge"} ${name}`, () => {
      const p = pod({ containers: [container("a", { requests: { cpu: "1" } })] }, extra);
      assert.equal(podChargedForCompute(p, NOW), charged);
      // The object itself always counts.
      assert.equal(podUsage(p, NOW).get("count/pods")?.toString(), "1");
      assert.equal(podUsage(p, NOW).has("requests.cpu"), charged);
    });
  }
});

describe("pod constraints (must specify)", () => {
  const p = pod({
    containers: [container("web", { requests: { cpu: "100m" } }), container("log")],
    initContainers: [container("init", { requests: { memory: "1Gi" }, limits: { memory: "1Gi" } })],
  });
  const cases: [string[], string | undefined][] = [
    [["pods", "count/pods"], undefined],
    [["requests.cpu"], "must specify requests.cpu for: init,log"],
    [["cpu", "limits.memory"], "must specify cpu for: init,log; limits.memory for: log,web"],
    [
      ["requests.memory", "limits.cpu", "requests.ephemeral-storage"],
      "must specify limits.cpu for: init,log,web; requests.memory for: log,web",
    ],
  ];
  for (const [required, message] of cases) {
    it(`quotas on ${required.join(",")}`, () => assert.equal(podConstraintsError(required, p), message));
  }
});
