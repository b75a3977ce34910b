// Unit tests for WorkQueue: FIFO, duplicate collapse, no concurrent processing of one item, shutdown.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../util/clock.js";
import { settle } from "../testing.js";
import type { QueueMetrics } from "./metrics.js";
import { WorkQueue } from "./queue.js";

describe("WorkQueue", () => {
  it("hands items out in the order they were added", async () => {
    const queue = new WorkQueue();
    for (const key of ["a", "b", "c"]) queue.add(key);
    assert.deepEqual([await queue.get(), await queue.get(), await queue.get()], ["a", "b", "c"]);
  });

  it("collapses duplicate adds of a pending item", async () => {
    const queue = new WorkQueue();
    queue.add("a");
    queue.add("b");
    queue.add("a");
    assert.equal(queue.len(), 2);
    assert.equal(await queue.get(), "a");
    assert.equal(await queue.get(), "b");
    assert.equal(queue.len(), 0);
  });

  it("holds back an item re-added while processing until done, then queues it exactly once", async () => {
    const queue = new WorkQueue();
    queue.add("a");
    const item = await queue.get();
    queue.add("a");
    queue.add("a");
    assert.equal(queue.len(), 0, "a must not be handed out while a worker holds it");
    queue.done(item!);
    assert.equal(queue.len(), 1);
    assert.equal(await queue.get(), "a");
    queue.done("a");
    assert.equal(queue.len(), 0);
    assert.equal(queue.has("a"), false);
  });

  it("does not requeue an item that was not re-added while processing", async () => {
    const queue = new WorkQueue();
    queue.add("a");
    queue.done((await queue.get())!);
    assert.equal(queue.len(), 0);
  });

  it("parks getters until an item arrives and serves them first-come first-served", async () => {
    const queue = new WorkQueue();
    const first = queue.get();
    const second = queue.get();
    queue.add("x");
    queue.add("y");
    assert.equal(await first, "x");
    assert.equal(await second, "y");
  });

  it("never lets two workers process the same item at once", async () => {
    const queue = new WorkQueue();
    const holding = new Set<string>();
    const processed: string[] = [];
    const worker = async () => {
      for (let item = await queue.get(); item !== undefined; item = await queue.get()) {
        assert.equal(holding.has(item), false, `${item} handed to two workers`);
        holding.add(item);
        processed.push(item);
        await settle();
        holding.delete(item);
        queue.done(item);
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    for (let round = 0; round < 20; round++) {
      for (const key of ["a", "b", "a", "c", "a"]) queue.add(key);
      // Mix short and long pauses so adds land both while items are held and while they are idle.
      await (round % 3 === 0 ? settle() : Promise.resolve());
    }
    await settle();
    await queue.shutDownWithDrain();
    queue.shutDown();
    await Promise.all(workers);
    assert.ok(processed.length > 3, "re-adds while processing must be processed again");
    assert.ok(processed.length <= 60, "duplicate adds must collapse");
    assert.deepEqual(new Set(processed), new Set(["a", "b", "c"]));
  });

  it("ignores done for an item no worker holds", async () => {
    const queue = new WorkQueue();
    queue.add("a");
    queue.done("a");
    assert.equal(queue.len(), 1);
    assert.equal(await queue.get(), "a");
  });

  describe("shutDown", () => {
    it("releases parked workers with undefined and ignores later adds", async () => {
      const queue = new WorkQueue();
      const parked = queue.get();
      queue.shutDown();
      assert.equal(await parked, undefined);
      queue.add("a");
      assert.equal(queue.len(), 0);
      assert.equal(queue.shuttingDown(), true);
      assert.equal(await queue.get(), undefined);
    });

    it("still hands out items queued before the shutdown, like client-go", async () => {
      const queue = new WorkQueue();
      queue.add("a");
      queue.shutDown();
      assert.equal(await queue.get(), "a");
      assert.equal(await queue.get(), undefined);
    });
  });

  describe("shutDownWithDrain", () => {
    it("resolves only after every in-flight item is done", async () => {
      const queue = new WorkQueue();
      queue.add("a");
      queue.add("b");
      const a = (await queue.get())!;
      const b = (await queue.get())!;
      let drained = false;
      const draining = queue.shutDownWithDrain().then(() => {
        drained = true;
      });
      queue.done(a);
      await settle();
      assert.equal(drained, false);
      queue.done(b);
      await draining;
      assert.equal(drained, true);
    });

    it("resolves at once when nothing is in flight", async () => {
      await new WorkQueue().shutDownWithDrain();
    });

    it("is cut short by a later shutDown", async () => {
      const queue = new WorkQueue();
      queue.add("a");
      await queue.get();
      const draining = queue.shutDownWithDrain();
      queue.shutDown();
      await draining;
    });
  });

  describe("metrics", () => {
    it("reports adds, depth, time queued, work duration and in-flight work on the clock", async () => {
      const clock = new FakeClock();
      const events: string[] = [];
      let readInFlight: (() => { unfinishedSeconds: number; longestSeconds: number }) | undefined;
      const metrics: QueueMetrics = {
        add: () => events.push("add"),
        get: (queued) => events.push(`get ${queued}`),
        done: (work) => events.push(`done ${work}`),
        retry: () => events.push("retry"),
        trackInFlight: (read) => {
          readInFlight = read;
        },
      };
      const queue = new WorkQueue({ clock, metrics });
      queue.add("a");
      queue.add("a");
      clock.advance(2000);
      const item = (await queue.get())!;
      clock.advance(500);
      assert.deepEqual(readInFlight?.(), { unfinishedSeconds: 0.5, longestSeconds: 0.5 });
      queue.add("a");
      clock.advance(1000);
      queue.done(item);
      assert.deepEqual(events, ["add", "get 2", "add", "done 1.5"]);
      assert.deepEqual(readInFlight?.(), { unfinishedSeconds: 0, longestSeconds: 0 });
    });
  });
});
