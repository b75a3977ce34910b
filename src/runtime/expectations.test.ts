// Unit tests for controller expectations: counting observed creates/deletes and the 5-minute expiry.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../util/clock.js";
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS, UIDTrackingExpectations } from "./expectations.js";

describe("ControllerExpectations", () => {
  it("is satisfied for a key that never recorded expectations", () => {
    assert.equal(new ControllerExpectations(new FakeClock()).satisfiedExpectations("ns/ds"), true);
  });

  it("is satisfied only once every expected creation and deletion was observed", () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.setExpectations("ns/ds", 2, 1);
    const steps: Array<[() => void, boolean]> = [
      [() => expectations.creationObserved("ns/ds"), false],
      [() => expectations.deletionObserved("ns/ds"), false],
      [() => expectations.creationObserved("ns/ds"), true],
    ];
    for (const [observe, satisfied] of steps) {
      observe();
      assert.equal(expectations.satisfiedExpectations("ns/ds"), satisfied);
    }
  });

  it("treats extra observations (negative counts) as satisfied", () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.expectDeletions("k", 1);
    expectations.deletionObserved("k");
    expectations.deletionObserved("k");
    assert.deepEqual(expectations.getExpectations("k"), { add: 0, del: -1, timestamp: 0 });
    assert.equal(expectations.satisfiedExpectations("k"), true);
  });

  it("replaces the counts on every set, zeros included", () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.expectCreations("k", 3);
    expectations.setExpectations("k", 0, 0);
    assert.equal(expectations.satisfiedExpectations("k"), true);
    expectations.expectDeletions("k", 2);
    assert.deepEqual(expectations.getExpectations("k"), { add: 0, del: 2, timestamp: 0 });
  });

  it("lowers and raises counts without touching unrecorded keys", () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.setExpectations("k", 5, 5);
    expectations.lowerExpectations("k", 3, 1);
    expectations.raiseExpectations("k", 1, 1);
    assert.deepEqual(expectations.getExpectations("k"), { add: 3, del: 5, timestamp: 0 });
    expectations.creationObserved("other");
    assert.equal(expectations.getExpectations("other"), undefined);
  });

  it("expires unmet expectations after the 5-minute timeout, counted from the last set", () => {
    const clock = new FakeClock();
    const expectations = new ControllerExpectations(clock);
    expectations.expectCreations("k", 1);
    clock.advance(EXPECTATIONS_TIMEOUT_MS);
    assert.equal(expectations.satisfiedExpectations("k"), false, "exactly at the timeout is not expired");
    expectations.lowerExpectations("k", 0, 0);
    clock.advance(1);
    assert.equal(expectations.satisfiedExpectations("k"), true, "lowering does not refresh the timestamp");
    expectations.expectCreations("k", 1);
    assert.equal(expectations.satisfiedExpectations("k"), false, "setting again restarts the timeout");
  });

  it("forgets a key on deleteExpectations", () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.expectCreations("k", 1);
    expectations.deleteExpectations("k");
    assert.equal(expectations.getExpectations("k"), undefined);
    assert.equal(expectations.satisfiedExpectations("k"), true);
  });
});

describe("UIDTrackingExpectations", () => {
  it("counts each expected deletion once, however often it is observed", () => {
    const expectations = new UIDTrackingExpectations(new FakeClock());
    expectations.expectDeletionsOf("ns/ds", ["ns/p1", "ns/p2"]);
    expectations.deletionObservedOf("ns/ds", "ns/p1");
    expectations.deletionObservedOf("ns/ds", "ns/p1");
    expectations.deletionObservedOf("ns/ds", "ns/unrelated");
    assert.equal(expectations.satisfiedExpectations("ns/ds"), false);
    assert.deepEqual(expectations.getDeletedKeys("ns/ds"), ["ns/p2"]);
    expectations.deletionObservedOf("ns/ds", "ns/p2");
    assert.equal(expectations.satisfiedExpectations("ns/ds"), true);
  });

  it("drops tracked keys with the expectations", () => {
    const expectations = new UIDTrackingExpectations(new FakeClock());
    expectations.expectDeletionsOf("k", ["p"]);
    expectations.deleteExpectations("k");
    assert.deepEqual(expectations.getDeletedKeys("k"), []);
    assert.equal(expectations.satisfiedExpectations("k"), true);
  });
});
