// Unit tests for YieldBudget: no yield inside a slice, a turn of the event loop once the slice is spent.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { YieldBudget } from "./yield-budget.js";

describe("YieldBudget", () => {
  it("lets other work run once a slice is spent, and not before", async () => {
    let otherRan = false;
    setImmediate(() => {
      otherRan = true;
    });
    const generous = new YieldBudget(60_000);
    await generous.maybeYield();
    assert.equal(otherRan, false, "within the slice nothing else gets a turn");

    const spent = new YieldBudget(0);
    await spent.maybeYield();
    assert.equal(otherRan, true, "a spent slice waits for a turn of the event loop");
  });
});
