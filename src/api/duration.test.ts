// Tests for the Kubernetes/Go duration helpers: human ages, Go duration parsing and formatting.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatGoDuration, humanDuration, parseGoDuration, shortHumanDuration } from "./duration.js";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe("humanDuration", () => {
  const cases: [number, string][] = [
    [-2 * s, "<invalid>"],
    [-1999, "0s"], // truncates to -1s: clock skew is tolerated
    [-1 * s, "0s"],
    [-500, "0s"],
    [0, "0s"],
    [999, "0s"],
    [59 * s, "59s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [2 * m + 5 * s, "2m5s"],
    [9 * m + 59 * s, "9m59s"],
    [10 * m, "10m"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [3 * h + 20 * m, "3h20m"],
    [7 * h + 59 * m, "7h59m"],
    [8 * h, "8h"],
    [47 * h + 59 * m, "47h"],
    [2 * d, "2d"],
    [5 * d + 2 * h, "5d2h"],
    [7 * d + 23 * h, "7d23h"],
    [8 * d, "8d"],
    [2 * y - 1, "729d"],
    [2 * y, "2y"],
    [2 * y + 30 * d, "2y30d"],
    [8 * y - d, "7y364d"],
    [8 * y, "8y"],
    [20 * y + 100 * d, "20y"],
  ];
  for (const [ms, want] of cases) {
    it(`${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
});

describe("shortHumanDuration", () => {
  const cases: [number, string][] = [
    [-2 * s, "<invalid>"],
    [-1 * s, "0s"],
    [0, "0s"],
    [59 * s, "59s"],
    [60 * s, "1m"],
    [59 * m + 59 * s, "59m"],
    [h, "1h"],
    [23 * h, "23h"],
    [d, "1d"],
    [364 * d, "364d"],
    [y, "1y"],
    [3 * y + 200 * d, "3y"],
  ];
  for (const [ms, want] of cases) {
    it(`${ms}ms → ${want}`, () => assert.equal(shortHumanDuration(ms), want));
  }
});

describe("parseGoDuration", () => {
  const cases: [string, number][] = [
    ["0", 0],
    ["-0", 0],
    ["40s", 40 * s],
    ["1m30s", 90 * s],
    ["1.5h", 1.5 * h],
    ["300ms", 300],
    ["2h45m", 2 * h + 45 * m],
    ["1.1s", 1100],
    [".5s", 500],
    ["5.s", 5 * s],
    ["-1m", -m],
    ["+2s", 2 * s],
    ["1500us", 1.5],
    ["1500µs", 1.5],
    ["1500μs", 1.5],
    ["2000000ns", 2],
    ["1h1m1s1ms", h + m + s + 1],
  ];
  for (const [text, want] of cases) {
    it(`${text} → ${want}ms`, () => assert.equal(parseGoDuration(text), want));
  }

  const errors: [string, string][] = [
    ["", 'time: invalid duration ""'],
    ["-", 'time: invalid duration "-"'],
    ["abc", 'time: invalid duration "abc"'],
    [".s", 'time: invalid duration ".s"'],
    ["1", 'time: missing unit in duration "1"'],
    ["1s2", 'time: missing unit in duration "1s2"'],
    ["3d", 'time: unknown unit "d" in duration "3d"'],
    ["1 s", 'time: unknown unit " s" in duration "1 s"'],
    ["9999999999h", 'time: invalid duration "9999999999h"'],
  ];
  for (const [text, message] of errors) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseGoDuration(text), { message }));
  }
});

describe("formatGoDuration", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [0.000001, "1ns"],
    [0.0015, "1.5µs"],
    [1.5, "1.5ms"],
    [300, "300ms"],
    [s, "1s"],
    [1500, "1.5s"],
    [40 * s, "40s"],
    [90 * s, "1m30s"],
    [h, "1h0m0s"],
    [2 * h + 45 * m, "2h45m0s"],
    [26 * h + 3 * s + 1, "26h0m3.001s"],
    [-90 * s, "-1m30s"],
  ];
  for (const [ms, want] of cases) {
    it(`${ms}ms → ${want}`, () => assert.equal(formatGoDuration(ms), want));
  }

  it("round-trips through parseGoDuration", () => {
    for (const text of ["1h0m0s", "1m30s", "1.5s", "300ms", "2h45m0s"]) {
      assert.equal(formatGoDuration(parseGoDuration(text)), text);
    }
  });
});
