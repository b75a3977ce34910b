// Table tests for quotaRoomGrew: raised or removed limits and lower usage leave room; the rest does not.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../object.js";
import { quotaRoomGrew } from "./room.js";

const quota = (hard: Record<string, string>, used?: Record<string, string>): KubeObject => ({
  metadata: { name: "q" },
  spec: { hard },
  ...(used ? { status: { hard, used } } : {}),
});

describe("quotaRoomGrew", () => {
  const cases: [string, KubeObject, KubeObject, boolean][] = [
    ["a raised limit", quota({ pods: "5" }, { pods: "5" }), quota({ pods: "10" }, { pods: "5" }), true],
    ["a removed limit", quota({ pods: "5", cpu: "1" }), quota({ pods: "5" }), true],
    ["usage going down", quota({ pods: "5" }, { pods: "5" }), quota({ pods: "5" }, { pods: "4" }), true],
    ["usage going up", quota({ pods: "5" }, { pods: "4" }), quota({ pods: "5" }, { pods: "5" }), false],
    ["a lowered limit", quota({ pods: "5" }), quota({ pods: "3" }), false],
    ["a new limit", quota({ pods: "5" }), quota({ pods: "5", cpu: "1" }), false],
    ["the first status", quota({ pods: "5" }), quota({ pods: "5" }, { pods: "0" }), false],
  ];
  for (const [name, old, cur, grew] of cases) {
    it(`${name}: ${grew}`, () => assert.equal(quotaRoomGrew(old, cur), grew));
  }
});
