// Tests for HeapGovernor: roomy while the loop stays busy, lean again after a quiet spell, with one full GC only
// when a major GC ran while it was roomy.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HeapGovernor } from "./heap-governor.js";

/** A governor that turns roomy on two busy looks; a major GC is counted while roomy unless `majorGcs` is 0. */
function governed(settleMs = 1000, majorGcs = 1) {
  let busy = false;
  const percents: number[] = [];
  let collections = 0;
  let gcCount = 0;
  const governor = new HeapGovernor({
    load: { busy: () => busy },
    leanPercent: 25,
    roomyPercent: 100,
    settleMs,
    busyChecks: 2,
    majorGcCount: () => gcCount,
    setGrowingPercent: (p) => {
      percents.push(p);
      if (p === 100) gcCount += majorGcs; // the rollout's GCs, counted by the time it is quiet again
    },
    collect: () => collections++,
  });
  return { governor, percents, collections: () => collections, setBusy: (b: boolean) => (busy = b) };
}

/** Two busy looks (roomy), then a second of quiet (lean again, with settleMs 1000). */
function busySpellThenQuiet(governor: HeapGovernor, setBusy: (busy: boolean) => void): void {
  setBusy(true);
  governor.check(0);
  governor.check(250);
  setBusy(false);
  governor.check(300);
  governor.check(1300);
}

describe("HeapGovernor", () => {
  it("is roomy once the loop stays busy, and lean again only after a quiet spell, with one full GC", () => {
    const { governor, percents, collections, setBusy } = governed();
    governor.check(0);
    assert.equal(governor.mode, "lean");
    setBusy(true);
    governor.check(125);
    assert.equal(governor.mode, "lean", "one busy look is not a rollout");
    governor.check(250);
    assert.equal(governor.mode, "roomy");
    assert.deepEqual(percents, [100]);
    setBusy(false);
    governor.check(500);
    governor.check(1400);
    assert.equal(governor.mode, "roomy", "quiet for 900 ms of 1000: still roomy");
    assert.equal(collections(), 0);
    governor.check(1500);
    assert.equal(governor.mode, "lean");
    assert.deepEqual(percents, [100, 25]);
    assert.equal(collections(), 1, "the memory goes back when the mode turns lean");
  });

  it("a busy moment within the quiet spell starts the spell over", () => {
    const { governor, collections, setBusy } = governed();
    setBusy(true);
    governor.check(-100);
    governor.check(0);
    setBusy(false);
    governor.check(600);
    setBusy(true);
    governor.check(900);
    setBusy(false);
    governor.check(1000);
    governor.check(1700);
    assert.equal(governor.mode, "roomy", "700 ms quiet since the last busy check");
    governor.check(2000);
    assert.equal(governor.mode, "lean");
    assert.equal(collections(), 1);
  });

  it("a busy look right after its own full GC does not turn it roomy again", () => {
    const { governor, percents, setBusy } = governed();
    busySpellThenQuiet(governor, setBusy);
    assert.equal(governor.mode, "lean");
    setBusy(true); // the window that held the GC
    governor.check(1550);
    setBusy(false);
    governor.check(1800);
    assert.equal(governor.mode, "lean");
    assert.deepEqual(percents, [100, 25]);
  });

  it("turns lean without a full GC when no major GC ran while it was roomy (its limit is still the lean one)", () => {
    const { governor, percents, collections, setBusy } = governed(1000, 0);
    busySpellThenQuiet(governor, setBusy);
    assert.equal(governor.mode, "lean");
    assert.deepEqual(percents, [100, 25]);
    assert.equal(collections(), 0);
  });

  it("by default a busy spell shorter than a second (V8 marking a large heap) does not turn it roomy", () => {
    let busy = true;
    const governor = new HeapGovernor({
      load: { busy: () => busy },
      setGrowingPercent: () => {},
      collect: () => {},
      majorGcCount: () => 0,
    });
    for (const t of [0, 250, 500]) governor.check(t);
    assert.equal(governor.mode, "lean", "three busy looks: 750 ms");
    busy = false;
    governor.check(750);
    busy = true;
    for (const t of [1000, 1250, 1500, 1750]) governor.check(t);
    assert.equal(governor.mode, "roomy", "four in a row");
  });

  it("start sets the lean share and stop ends the checks", () => {
    const { governor, percents } = governed();
    governor.start();
    governor.stop();
    assert.deepEqual(percents, [25]);
  });

  it("stop while roomy goes back to lean", () => {
    const { governor, percents, setBusy } = governed();
    setBusy(true);
    for (const t of [0, 250]) governor.check(t);
    assert.equal(governor.mode, "roomy");
    governor.stop();
    assert.equal(governor.mode, "lean");
    assert.deepEqual(percents, [100, 25]);
  });
});
