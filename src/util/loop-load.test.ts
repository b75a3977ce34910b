// Tests for EventLoopLoad: busy after a window of synchronous work, free again after a window of waiting.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { EventLoopLoad, NEVER_BUSY } from "./loop-load.js";

/** Keeps the thread running callbacks for `ms`, in short turns, as a rollout does. */
async function keepBusy(ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const turn = performance.now() + 5;
    while (performance.now() < turn) {}
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("EventLoopLoad", () => {
  it("is busy after a saturated window and free after an idle one", async () => {
    const load = new EventLoopLoad(0.9, 50);
    await sleep(60);
    assert.equal(load.busy(), false, "a loop that waited is not busy");
    await keepBusy(80);
    assert.equal(load.busy(), true, "a loop that ran callbacks all along is");
    await sleep(60);
    assert.equal(load.busy(), false, "and is free again once it waits");
  });

  it("reuses its answer within a window instead of measuring every call", async () => {
    const load = new EventLoopLoad(0.9, 10_000);
    await keepBusy(30);
    assert.equal(load.busy(), false, "the window has not passed: the first answer stands");
  });

  it("NEVER_BUSY never is", () => assert.equal(NEVER_BUSY.busy(), false));
});
