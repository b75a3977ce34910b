// Tests for the well-known apimachinery messages: times, durations, quantities, int-or-string, raw JSON.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { concat, str, varint } from "./test-encoder.js";
import { formatGoDuration, WELL_KNOWN_MESSAGES } from "./well-known.js";

const decode = (name: string, payload: Uint8Array): unknown =>
  WELL_KNOWN_MESSAGES.get(name)!(payload, () => "embedded");

describe("well-known messages", () => {
  it("formats durations as Go's time.Duration.String does", () => {
    const cases: [bigint, string][] = [
      [0n, "0s"],
      [1n, "1ns"],
      [1500n, "1.5µs"],
      [150_000_000n, "150ms"],
      [1_000_000_000n, "1s"],
      [1_500_000_000n, "1.5s"],
      [90_000_000_000n, "1m30s"],
      [3_600_000_000_000n, "1h0m0s"],
      [3_723_000_000_001n, "1h2m3.000000001s"],
      [-2_000_000_000n, "-2s"],
    ];
    for (const [ns, text] of cases) assert.equal(formatGoDuration(ns), text, `${ns}ns`);
    assert.equal(decode("meta.v1.Duration", varint(1, 90_000_000_000n)), "1m30s");
  });

  it("writes Time with seconds only and MicroTime with six fraction digits", () => {
    const at = concat(varint(1, Date.UTC(2026, 0, 2, 3, 4, 5) / 1000), varint(2, 123456789));
    assert.equal(decode("meta.v1.Time", at), "2026-01-02T03:04:05Z");
    assert.equal(decode("meta.v1.MicroTime", at), "2026-01-02T03:04:05.123456Z");
    assert.equal(decode("meta.v1.Time", varint(1, 0)), "1970-01-01T00:00:00Z");
  });

  it("leaves out the zero time, written as an empty message or as Go's year 1", () => {
    assert.equal(decode("meta.v1.Time", new Uint8Array(0)), undefined);
    assert.equal(decode("meta.v1.MicroTime", varint(1, -62135596800n)), undefined);
  });

  it("unwraps quantities and int-or-string", () => {
    assert.equal(decode("resource.Quantity", str(1, "250m")), "250m");
    assert.equal(decode("resource.Quantity", new Uint8Array(0)), "0");
    assert.equal(decode("intstr.IntOrString", concat(varint(1, 0), varint(2, 8080))), 8080);
    assert.equal(decode("intstr.IntOrString", concat(varint(1, 1), str(3, "http"))), "http");
    assert.equal(decode("intstr.IntOrString", new Uint8Array(0)), 0);
  });

  it("parses FieldsV1 as JSON and hands RawExtension bytes to the embedded decoder", () => {
    assert.deepEqual(decode("meta.v1.FieldsV1", str(1, '{"f:metadata":{}}')), { "f:metadata": {} });
    assert.equal(decode("runtime.RawExtension", str(1, "{}")), "embedded");
    assert.equal(decode("runtime.RawExtension", new Uint8Array(0)), undefined);
  });
});
