// Tests for the prober's rules: probe timing with the API's defaults, the worker's ticks, the initial delay in
// whole seconds, and what each kind of failed probe reports.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failureOutput, pastInitialDelay, probeTiming, tickAfter } from "./probes.js";

describe("probes", () => {
  it("reads a probe's timing, with upstream's defaults for what is left out", () => {
    assert.equal(probeTiming(undefined), undefined);
    assert.deepEqual(probeTiming({ exec: { command: ["true"] } }), {
      initialDelayMs: 0,
      periodMs: 10_000,
      successThreshold: 1,
      failureThreshold: 3,
      action: "exec",
    });
    const p = probeTiming({
      httpGet: { port: 80 },
      initialDelaySeconds: 5,
      periodSeconds: 2,
      successThreshold: 2,
    });
    assert.equal(p?.initialDelayMs, 5_000);
    assert.equal(p?.periodMs, 2_000);
    assert.equal(p?.successThreshold, 2);
    assert.equal(p?.action, "httpGet");
  });

  it("ticks every period from the pod's admission", () => {
    const p = probeTiming({ httpGet: { port: 80 }, periodSeconds: 10 })!;
    assert.equal(tickAfter(p, 1_000, 1_000), 11_000);
    assert.equal(tickAfter(p, 1_000, 10_999), 11_000);
    assert.equal(tickAfter(p, 1_000, 11_000), 21_000);
    assert.equal(tickAfter(p, 1_000, 0), 1_000, "before admission: the first tick");
  });

  it("skips runs while the container is younger than the initial delay, in whole seconds", () => {
    const p = probeTiming({ httpGet: { port: 80 }, initialDelaySeconds: 3 })!;
    assert.equal(pastInitialDelay(p, 50, 3_049), false);
    assert.equal(pastInitialDelay(p, 50, 3_050), true);
    assert.equal(pastInitialDelay(probeTiming({ grpc: { port: 9 } })!, 50, 50), true);
  });

  it("reports failures as the kubelet's probers word them", () => {
    const ports = [{ name: "metrics", containerPort: 9100 }];
    const out = (probe: object) => failureOutput(probeTiming(probe)!, "10.244.0.7", ports);
    assert.equal(out({ httpGet: { port: 8080 } }), "HTTP probe failed with statuscode: 503");
    assert.equal(
      out({ tcpSocket: { port: "metrics" } }),
      "dial tcp 10.244.0.7:9100: connect: connection refused",
    );
    assert.equal(
      out({ tcpSocket: { host: "db", port: 5432 } }),
      "dial tcp db:5432: connect: connection refused",
    );
    assert.equal(out({ grpc: { port: 9090 } }), 'service unhealthy (responded with "NOT_SERVING")');
    assert.equal(out({ exec: { command: ["cat", "/tmp/ready"] } }), "");
  });
});
