// Tests of the NodeMetrics and PodMetrics wire shapes: metadata copied from the measured object, timestamps,
// window and quantities in metrics-server's units.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseQuantity } from "../../api/quantity.js";
import { nodeMetricsObject, podMetricsObject, usageList } from "./metrics-objects.js";

const AT = Date.parse("2026-01-01T10:00:00Z");
const NOW = AT + 7_400;

describe("usageList", () => {
  const cases: [cpu: number, memory: number, expected: { cpu: string; memory: string }][] = [
    [3_512_345, 50_565_120, { cpu: "3512345n", memory: "49380Ki" }],
    [100_000_000, 256 * 1024 * 1024, { cpu: "100m", memory: "256Mi" }],
    [2_000_000_000, 1000, { cpu: "2", memory: "1k" }],
    [1_500_000, 12_345, { cpu: "1500u", memory: "12345" }],
  ];
  for (const [cpu, memory, expected] of cases) {
    it(`prints ${cpu} nanocores and ${memory} bytes as ${expected.cpu} / ${expected.memory}`, () => {
      const list = usageList({ cpuNanoCores: cpu, memoryBytes: memory });
      assert.deepEqual(list, expected);
      assert.equal(parseQuantity(list.cpu).nanos, BigInt(cpu));
      assert.equal(parseQuantity(list.memory).value(), BigInt(memory));
    });
  }
});

describe("metrics objects", () => {
  it("a NodeMetrics names and labels its node", () => {
    const node = { metadata: { name: "n1", uid: "u", labels: { a: "b" }, resourceVersion: "7" } };
    assert.deepEqual(
      nodeMetricsObject(node, { cpuNanoCores: 250_000_000, memoryBytes: 1024 ** 3 }, AT, NOW),
      {
        kind: "NodeMetrics",
        apiVersion: "metrics.k8s.io/v1beta1",
        metadata: { name: "n1", creationTimestamp: "2026-01-01T10:00:07Z", labels: { a: "b" } },
        timestamp: "2026-01-01T10:00:00Z",
        window: "15s",
        usage: { cpu: "250m", memory: "1Gi" },
      },
    );
  });

  it("a PodMetrics carries its namespace and one entry per container", () => {
    const pod = { metadata: { name: "p", namespace: "ns" } };
    const obj = podMetricsObject(
      pod,
      [
        { name: "main", cpuNanoCores: 1_000_000, memoryBytes: 4096 },
        { name: "side", cpuNanoCores: 2, memoryBytes: 8192 },
      ],
      AT,
      NOW,
    );
    assert.deepEqual(obj.metadata, { name: "p", namespace: "ns", creationTimestamp: "2026-01-01T10:00:07Z" });
    assert.equal(obj.kind, "PodMetrics");
    assert.deepEqual(obj.containers, [
      { name: "main", usage: { cpu: "1m", memory: "4Ki" } },
      { name: "side", usage: { cpu: "2n", memory: "8Ki" } },
    ]);
  });
});
