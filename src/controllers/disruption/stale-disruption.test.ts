// Table tests of stale DisruptionTarget detection: which pods carry a condition that can go stale, and how
// long until it does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { STALE_POD_DISRUPTION_TIMEOUT_MS, staleDisruptionWait } from "./stale-disruption.js";

const NOW = Date.parse("2024-06-01T12:00:00Z");
const marked = (
  o: { status?: string; reason?: string; phase?: string; deleting?: boolean; since?: number } = {},
): KubeObject => ({
  metadata: { name: "p", ...(o.deleting ? { deletionTimestamp: "2024-06-01T12:00:00Z" } : {}) },
  status: {
    phase: o.phase ?? "Running",
    conditions: [
      {
        type: "DisruptionTarget",
        status: o.status ?? "True",
        reason: o.reason ?? "EvictionByEvictionAPI",
        lastTransitionTime: new Date(NOW - (o.since ?? 0)).toISOString(),
      },
    ],
  },
});

describe("staleDisruptionWait", () => {
  const cases: [string, KubeObject, number | undefined][] = [
    ["a fresh mark waits the whole timeout", marked(), STALE_POD_DISRUPTION_TIMEOUT_MS],
    [
      "a mark one minute old waits the rest",
      marked({ since: 60_000 }),
      STALE_POD_DISRUPTION_TIMEOUT_MS - 60_000,
    ],
    ["an old mark is stale now", marked({ since: 10 * 60_000 }), 0],
    ["a deleting pod was disrupted", marked({ deleting: true }), undefined],
    ["a finished pod keeps its condition", marked({ phase: "Failed" }), undefined],
    ["the kubelet's own mark never goes stale", marked({ reason: "TerminationByKubelet" }), undefined],
    ["a False condition is no mark", marked({ status: "False" }), undefined],
    ["no condition at all", { metadata: { name: "p" } }, undefined],
  ];
  for (const [name, pod, expected] of cases)
    it(name, () => assert.equal(staleDisruptionWait(pod, NOW), expected));
});
