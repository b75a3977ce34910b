// node-exporter's /metrics: Go's float formatting, valid exposition text, counters that grow with time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { goFloat, nodeExporterMetrics } from "./node-exporter-metrics.js";

const NODE = {
  name: "node1",
  kernelVersion: "6.1.0-everynode",
  machine: "x86_64",
  cpus: 2,
  memoryBytes: 8 * 2 ** 30,
  ephemeralStorageBytes: 100 * 2 ** 30,
  bootTime: Date.parse("2025-01-01T00:00:00Z"),
  osImage: "",
};

describe("goFloat", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [1, "1"],
    [0.44, "0.44"],
    [123456.5, "123456.5"],
    [1234567, "1.234567e+06"],
    [8589934592, "8.589934592e+09"],
    [0.00001, "1e-05"],
    [-2.5, "-2.5"],
    [Number.POSITIVE_INFINITY, "+Inf"],
  ];
  for (const [v, text] of cases) it(`${v} → ${text}`, () => assert.equal(goFloat(v), text));
});

describe("nodeExporterMetrics", () => {
  const at = (ms: number) =>
    nodeExporterMetrics({ node: NODE, startedAt: NODE.bootTime + 60_000, version: "1.8.2", scrapes: 3 }, ms);
  const sample = (text: string, series: string) =>
    Number(new RegExp(`^${series.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);

  it("every sample line belongs to a family announced by HELP and TYPE", () => {
    const text = at(NODE.bootTime + 3_600_000);
    const declared = new Set([...text.matchAll(/^# TYPE (\S+) (counter|gauge)$/gm)].map((m) => m[1]));
    for (const line of text.split("\n").filter((l) => l && !l.startsWith("#"))) {
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? \S+$/);
      assert.ok(declared.has(line.split(/[{ ]/)[0]), line);
    }
    assert.equal(sample(text, "node_memory_MemTotal_bytes"), 8 * 2 ** 30);
    assert.match(text, /^node_cpu_seconds_total\{cpu="1",mode="idle"\} /m);
    assert.match(text, /^node_uname_info\{[^}]*nodename="node1"[^}]*\} 1$/m);
    assert.equal(sample(text, 'promhttp_metric_handler_requests_total{code="200"}'), 3);
  });

  it("counters grow with time and are the same for the same instant", () => {
    const series = 'node_cpu_seconds_total{cpu="0",mode="idle"}';
    const t = NODE.bootTime + 3_600_000;
    assert.equal(at(t), at(t));
    assert.ok(sample(at(t + 60_000), series) > sample(at(t), series));
  });
});
