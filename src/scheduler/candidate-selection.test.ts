// Table tests of pickOneNodeForPreemption: each criterion in upstream's order decides only among the nodes the
// earlier ones tied.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Candidate, pickOneNodeForPreemption } from "./candidate-selection.js";
import { accountFromInfo, podInfo } from "./pod-info.js";
import { testPod } from "./testing.js";

const NOW = Date.parse("2026-05-01T12:00:00Z");

/** A victim of `priority`, started `startedMinutesAgo`. */
function victim(priority: number, startedMinutesAgo = 10) {
  const p = testPod("v", { priority });
  p.status = { startTime: new Date(NOW - startedMinutesAgo * 60_000).toISOString() };
  return accountFromInfo(podInfo(p), "");
}

/** A candidate node; victims most important first, as SelectVictimsOnNode returns them. */
const node = (nodeName: string, victims: ReturnType<typeof victim>[], numPDBViolations = 0): Candidate => ({
  nodeName,
  victims: { pods: victims, numPDBViolations },
});

describe("pickOneNodeForPreemption", () => {
  const cases: [string, Candidate[], string | undefined][] = [
    ["no candidates", [], undefined],
    ["a single candidate", [node("a", [victim(100)])], "a"],
    [
      "fewest PodDisruptionBudget violations first",
      [node("a", [victim(1)], 1), node("b", [victim(500), victim(400)], 0)],
      "b",
    ],
    [
      "then the lowest highest-priority victim",
      [node("a", [victim(10)]), node("b", [victim(5), victim(5)])],
      "b",
    ],
    [
      "then the smallest sum of priorities",
      [node("a", [victim(5), victim(4)]), node("b", [victim(5), victim(1)])],
      "b",
    ],
    [
      "negative priorities still sum correctly: fewer pods of the same negative priority win",
      [node("a", [victim(-5), victim(-5)]), node("b", [victim(-5)])],
      "b",
    ],
    [
      "every victim adds to the sum, so fewer victims of priority 0 win",
      [node("a", [victim(5), victim(0), victim(0)]), node("b", [victim(5), victim(0)])],
      "b",
    ],
    [
      "then the latest start among the highest-priority victims",
      [node("a", [victim(5, 60), victim(5, 1)]), node("b", [victim(5, 30), victim(5, 20)])],
      "b",
    ],
    ["then the first node", [node("a", [victim(5)]), node("b", [victim(5)])], "a"],
  ];
  for (const [name, candidates, want] of cases) {
    it(name, () => assert.equal(pickOneNodeForPreemption(candidates, NOW)?.nodeName, want));
  }
});
