// Unit tests for Controller: outcome → queue mapping (retry, forget, requeueAfter, TerminalError),
// one reconcile per key at a time, start gated on cache sync, and graceful shutdown.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../util/clock.js";
import {
  Controller,
  MAX_PACING_DELAY_MS,
  type Reconciler,
  type Result,
  TerminalError,
} from "./controller.js";
import { captureLogger, settle } from "./testing.js";

/** A promise plus the function that resolves it, for reconciles the test finishes by hand. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function setup(
  reconcile: Reconciler,
  extra: { workers?: number; waitForSync?: () => Promise<unknown>; pacingFactor?: number } = {},
) {
  const clock = new FakeClock();
  const { logger, records } = captureLogger();
  const controller = new Controller({ name: "test", reconcile, logger, clock, ...extra });
  const stop = new AbortController();
  return { clock, records, controller, stop };
}

describe("Controller", () => {
  it("reconciles an enqueued key once and forgets it on success", async () => {
    const calls: string[] = [];
    const { controller, stop } = setup(async (key) => {
      calls.push(key);
    });
    controller.enqueue("ns/a");
    controller.enqueue("ns/a");
    const running = controller.start(stop.signal);
    await settle();
    assert.deepEqual(calls, ["ns/a"]);
    assert.equal(controller.queue.numRequeues("ns/a"), 0);
    stop.abort();
    await running;
  });

  it("retries a failing key with exponential backoff and forgets the failures once it succeeds", async () => {
    let failuresLeft = 3;
    let calls = 0;
    const { clock, controller, stop, records } = setup(async () => {
      calls++;
      if (failuresLeft-- > 0) throw new Error("apiserver unavailable");
    });
    controller.enqueue("k");
    const running = controller.start(stop.signal);
    await settle();
    assert.equal(calls, 1);
    for (const [delay, expectedCalls] of [
      [5, 2],
      [10, 3],
      [20, 4],
    ]) {
      clock.advance(delay - 1);
      await settle();
      assert.equal(calls, expectedCalls - 1, `no retry before ${delay}ms`);
      clock.advance(1);
      await settle();
      assert.equal(calls, expectedCalls, `retry after ${delay}ms`);
    }
    assert.equal(controller.queue.numRequeues("k"), 0);
    assert.equal(records.filter((r) => r.msg === "reconcile failed; will retry").length, 3);
    clock.advance(10_000);
    await settle();
    assert.equal(calls, 4, "no further reconciles without a new event");
    stop.abort();
    await running;
  });

  for (const [name, error] of [
    ["a TerminalError", new TerminalError("selector is empty")],
    [
      "an error caused by a TerminalError",
      new Error("sync failed", { cause: new TerminalError("bad spec") }),
    ],
  ] as const) {
    it(`logs ${name} and does not retry`, async () => {
      let calls = 0;
      const { clock, controller, stop, records } = setup(async () => {
        calls++;
        throw error;
      });
      controller.enqueue("k");
      const running = controller.start(stop.signal);
      await settle();
      clock.advance(60_000);
      await settle();
      assert.equal(calls, 1);
      assert.equal(controller.queue.numRequeues("k"), 0);
      assert.equal(clock.pendingTimers().length, 0);
      const logged = records.find((r) => String(r.msg).includes("terminal"));
      assert.equal(logged?.key, "k");
      stop.abort();
      await running;
    });
  }

  it("reconciles again after requeueAfter without counting a failure", async () => {
    let calls = 0;
    const { clock, controller, stop } = setup(async (): Promise<Result> => {
      calls++;
      return calls === 1 ? { requeueAfter: 30_000 } : {};
    });
    controller.enqueue("k");
    const running = controller.start(stop.signal);
    await settle();
    clock.advance(29_999);
    await settle();
    assert.equal(calls, 1);
    clock.advance(1);
    await settle();
    assert.equal(calls, 2);
    assert.equal(controller.queue.numRequeues("k"), 0);
    stop.abort();
    await running;
  });

  it("never reconciles one key concurrently and reconciles it again if it changed meanwhile", async () => {
    const gate = deferred();
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const { controller, stop } = setup(
      async () => {
        calls++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (calls === 1) await gate.promise;
        inFlight--;
      },
      { workers: 4 },
    );
    controller.enqueue("k");
    const running = controller.start(stop.signal);
    await settle();
    controller.enqueue("k");
    controller.enqueue("k");
    await settle();
    assert.equal(calls, 1);
    gate.resolve();
    await settle();
    assert.equal(calls, 2, "the change seen mid-reconcile is reconciled once more");
    assert.equal(maxInFlight, 1);
    stop.abort();
    await running;
  });

  it("reconciles different keys in parallel, up to the worker count", async () => {
    const gate = deferred();
    const started: string[] = [];
    const { controller, stop } = setup(
      async (key) => {
        started.push(key);
        await gate.promise;
      },
      { workers: 2 },
    );
    for (const key of ["a", "b", "c"]) controller.enqueue(key);
    const running = controller.start(stop.signal);
    await settle();
    assert.deepEqual(started, ["a", "b"]);
    gate.resolve();
    await settle();
    assert.deepEqual(started, ["a", "b", "c"]);
    stop.abort();
    await running;
  });

  it("starts workers only after the caches have synced", async () => {
    const synced = deferred<boolean>();
    const calls: string[] = [];
    const { controller, stop } = setup(
      async (key) => {
        calls.push(key);
      },
      { waitForSync: () => synced.promise },
    );
    controller.enqueue("k");
    const running = controller.start(stop.signal);
    await settle();
    assert.deepEqual(calls, []);
    synced.resolve(true);
    await settle();
    assert.deepEqual(calls, ["k"]);
    stop.abort();
    await running;
  });

  it("fails to start when the caches report they could not sync", async () => {
    const { controller, stop } = setup(async () => {}, { waitForSync: async () => false });
    await assert.rejects(controller.start(stop.signal), /failed to wait for caches to sync/);
  });

  it("returns on abort while still waiting for a sync that never comes", async () => {
    const { controller, stop } = setup(async () => {}, { waitForSync: () => new Promise(() => {}) });
    const running = controller.start(stop.signal);
    await settle();
    stop.abort();
    await running;
  });

  it("on abort lets in-flight reconciles finish, drops queued keys and ignores new ones", async () => {
    const gate = deferred();
    const started: string[] = [];
    let finished = 0;
    let sawAbort = false;
    const { controller, stop } = setup(
      async (key, signal) => {
        started.push(key);
        await gate.promise;
        sawAbort = signal.aborted;
        finished++;
      },
      { workers: 1 },
    );
    controller.enqueue("a");
    controller.enqueue("b");
    let stopped = false;
    const running = controller.start(stop.signal).then(() => {
      stopped = true;
    });
    await settle();
    stop.abort();
    controller.enqueue("c");
    await settle();
    assert.equal(stopped, false, "start waits for the in-flight reconcile");
    gate.resolve();
    await running;
    assert.deepEqual(started, ["a"]);
    assert.equal(finished, 1);
    assert.equal(sawAbort, true, "the reconcile's signal reports the shutdown");
    assert.equal(controller.queue.shuttingDown(), true);
  });

  it("paces a costly key: events during its pacing delay collapse into one later reconcile", async () => {
    const calls: number[] = [];
    const { clock, controller, stop } = setup(
      async (): Promise<Result> => {
        calls.push(clock.now());
        return { cost: 100 };
      },
      { pacingFactor: 2 },
    );
    const start = clock.now();
    controller.enqueue("ds");
    const running = controller.start(stop.signal);
    await settle();
    assert.deepEqual(calls, [start]);
    for (let i = 0; i < 5; i++) {
      controller.enqueue("ds");
      await settle();
    }
    controller.enqueue("other");
    await settle();
    assert.deepEqual(calls, [start, start], "another key is not held back");
    clock.advance(199);
    await settle();
    assert.equal(calls.length, 2, "the paced key waits factor × cost");
    clock.advance(1);
    await settle();
    assert.deepEqual(calls, [start, start, start + 200], "five events, one reconcile");
    stop.abort();
    await running;
  });

  it("counts a reconcile's duration when it reports no cost, and never paces longer than the cap", async () => {
    const calls: number[] = [];
    const { clock, controller, stop } = setup(
      async () => {
        calls.push(clock.now());
        clock.advance(5_000);
      },
      { pacingFactor: 2 },
    );
    controller.enqueue("k");
    const running = controller.start(stop.signal);
    await settle();
    controller.enqueue("k");
    await settle();
    assert.equal(calls.length, 1);
    clock.advance(MAX_PACING_DELAY_MS);
    await settle();
    assert.equal(calls.length, 2);
    stop.abort();
    await running;
  });

  it("refuses to start twice and rejects a non-positive worker count", async () => {
    const { controller, stop } = setup(async () => {});
    stop.abort();
    await controller.start(stop.signal);
    await assert.rejects(controller.start(stop.signal), /already started/);
    assert.throws(() => setup(async () => {}, { workers: 0 }), RangeError);
  });
});
