// The scheduling queue on a fake clock: activeQ order, backoff growth and expiry, unschedulable pods filed by
// node and moved back by node changes, pod updates and the five-minute leftover flush.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../util/clock.js";
import { SchedulingQueue } from "./scheduling-queue.js";
import { testPod } from "./testing.js";

function setup() {
  const clock = new FakeClock(1_000_000);
  const queue = new SchedulingQueue({ clock });
  const stop = new AbortController();
  queue.run(stop.signal);
  const add = (name: string, spec: Record<string, unknown> = {}) =>
    queue.addOrUpdate(`default/${name}`, testPod(name, spec));
  const popKey = () => queue.pop()?.key;
  return { clock, queue, stop, add, popKey };
}

describe("SchedulingQueue", () => {
  it("pops higher priority first, then the oldest", () => {
    const { clock, add, popKey } = setup();
    add("a");
    clock.advance(1);
    add("b", { priority: 10 });
    clock.advance(1);
    add("c");
    assert.deepEqual(
      [popKey(), popKey(), popKey(), popKey()],
      ["default/b", "default/a", "default/c", undefined],
    );
  });

  it("doubles the backoff from 1 s per attempt up to 10 s", () => {
    const { queue } = setup();
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => queue.backoffDuration(n)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
  });

  it("activate retries an unschedulable pod after its backoff, and leaves other pods alone", () => {
    const { clock, queue, add } = setup();
    add("waiting");
    add("active");
    const waiting = queue.pop()!;
    queue.addUnschedulable(waiting, new Set(["w1"]));
    queue.activate("default/active");
    queue.activate("default/missing");
    assert.deepEqual(queue.size, { active: 1, backoff: 0, unschedulable: 1 });
    queue.activate("default/waiting");
    assert.deepEqual(queue.size, { active: 1, backoff: 1, unschedulable: 0 });
    clock.advance(1000);
    assert.deepEqual([queue.pop()?.key, queue.pop()?.key].sort(), ["default/active", "default/waiting"]);
  });

  it("a failed pod waits out its backoff before it is active again", () => {
    const { clock, queue, add } = setup();
    add("a");
    const popped = queue.pop()!;
    queue.addBackoff(popped);
    assert.deepEqual(queue.size, { active: 0, backoff: 1, unschedulable: 0 });
    clock.advance(999);
    assert.equal(queue.pop(), undefined);
    clock.advance(1);
    assert.equal(queue.pop()?.key, "default/a");
    assert.equal(popped.attempts, 2);
  });

  it("moves unschedulable pods on a change to a node they care about, respecting backoff", () => {
    const { clock, queue, add } = setup();
    add("anywhere");
    add("pinned");
    const anywhere = queue.pop()!;
    const pinned = queue.pop()!;
    queue.addUnschedulable(anywhere, undefined);
    queue.addUnschedulable(pinned, new Set(["n1"]));
    const seen: string[] = [];
    queue.moveOnNodeChange("n2", (p) => {
      seen.push(p.key);
      return true;
    });
    // The pod pinned to n1 is not even looked at for a change to n2.
    assert.deepEqual(seen, ["default/anywhere"]);
    assert.deepEqual(queue.size, { active: 0, backoff: 1, unschedulable: 1 });
    assert.equal(
      queue.moveOnNodeChange("n1", () => false),
      0,
    );
    assert.equal(
      queue.moveOnNodeChange("n1", () => true),
      1,
    );
    clock.advance(1000);
    assert.deepEqual(queue.size, { active: 2, backoff: 0, unschedulable: 0 });
  });

  it("a meaningful update brings an unschedulable pod back; a status-only one does not", () => {
    const { clock, queue, add } = setup();
    add("a");
    queue.addUnschedulable(queue.pop()!, undefined);
    clock.advance(5000);
    queue.addOrUpdate("default/a", testPod("a"), false);
    assert.deepEqual(queue.size, { active: 0, backoff: 0, unschedulable: 1 });
    queue.addOrUpdate("default/a", testPod("a", { nodeSelector: { x: "y" } }), true);
    assert.deepEqual(queue.size, { active: 1, backoff: 0, unschedulable: 0 });
  });

  it("retries pods left unschedulable for more than five minutes", () => {
    const { clock, queue, add } = setup();
    add("a");
    queue.addUnschedulable(queue.pop()!, new Set());
    clock.advance(5 * 60_000);
    assert.equal(queue.size.unschedulable, 1);
    clock.advance(30_000);
    assert.deepEqual(queue.size, { active: 1, backoff: 0, unschedulable: 0 });
  });

  it("forgets deleted pods wherever they wait", () => {
    const { queue, add } = setup();
    add("a");
    add("b");
    queue.addUnschedulable(queue.pop()!, new Set(["n1"]));
    queue.delete("default/a");
    queue.delete("default/b");
    assert.deepEqual(queue.size, { active: 0, backoff: 0, unschedulable: 0 });
    assert.equal(queue.pop(), undefined);
    assert.equal(
      queue.moveOnNodeChange("n1", () => true),
      0,
    );
  });

  it("takes back a settled pod whose binding failed, with its attempts", () => {
    const { clock, queue, add } = setup();
    add("a");
    const popped = queue.pop()!;
    queue.done(popped);
    assert.equal(queue.get("default/a"), undefined);
    queue.addBackoff(popped);
    clock.advance(1000);
    assert.equal(queue.pop()?.attempts, 2);
  });

  it("wakes a waiting consumer when a pod arrives, and releases it on close", async () => {
    const { queue, add, stop } = setup();
    const waiting = queue.waitForPod(stop.signal);
    add("a");
    assert.equal(await waiting, true);
    queue.pop();
    const second = queue.waitForPod(stop.signal);
    stop.abort();
    assert.equal(await second, false);
  });
});
