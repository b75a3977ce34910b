// Unit tests for Manager: runs all Runnables, stops them together, and fails fast when one fails.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Manager, type Runnable } from "./manager.js";
import { captureLogger, settle } from "./testing.js";

/** A Runnable that runs until aborted, then takes `stopTicks` event-loop turns to wind down. */
function untilAborted(name: string, log: string[], stopTicks = 1): Runnable {
  return {
    name,
    async start(signal) {
      log.push(`${name} started`);
      if (!signal.aborted) {
        await new Promise<void>((resolve) =>
          signal.addEventListener("abort", () => resolve(), { once: true }),
        );
      }
      for (let i = 0; i < stopTicks; i++) await settle();
      log.push(`${name} stopped`);
    },
  };
}

describe("Manager", () => {
  it("starts every runnable and resolves once all have stopped after abort", async () => {
    const log: string[] = [];
    const manager = new Manager({ logger: captureLogger().logger });
    manager.add(untilAborted("informers", log, 3));
    manager.add(untilAborted("controller", log));
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    await settle();
    assert.deepEqual(log, ["informers started", "controller started"]);
    stop.abort();
    await running;
    assert.deepEqual(log.slice(2).sort(), ["controller stopped", "informers stopped"]);
  });

  it("aborts the others when one fails, and rejects with that failure after they have stopped", async () => {
    const log: string[] = [];
    const { logger, records } = captureLogger();
    const manager = new Manager({ logger });
    const failure = new Error("listen EADDRINUSE");
    manager.add(untilAborted("controller", log, 2));
    manager.add({
      name: "server",
      start: async () => {
        await settle();
        throw failure;
      },
    });
    await assert.rejects(manager.start(new AbortController().signal), (err) => err === failure);
    assert.deepEqual(log, ["controller started", "controller stopped"]);
    assert.ok(records.some((r) => r.runnable === "server" && r.level === 50));
  });

  it("treats a runnable that returns early as finished without stopping the rest", async () => {
    const log: string[] = [];
    const manager = new Manager({ logger: captureLogger().logger });
    manager.add({ name: "one-shot", start: async () => void log.push("one-shot done") });
    manager.add(untilAborted("controller", log));
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    await settle();
    await settle();
    assert.deepEqual(log, ["one-shot done", "controller started"]);
    stop.abort();
    await running;
    assert.equal(log.at(-1), "controller stopped");
  });

  it("starts a runnable added while running, and waits for it on stop", async () => {
    const log: string[] = [];
    const manager = new Manager({ logger: captureLogger().logger });
    manager.add(untilAborted("first", log));
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    await settle();
    manager.add(untilAborted("late", log, 3));
    await settle();
    assert.ok(log.includes("late started"));
    stop.abort();
    await running;
    assert.ok(log.includes("late stopped"));
    assert.throws(() => manager.add(untilAborted("too late", log)), /already stopped/);
  });

  it("stops at once when started with an aborted signal", async () => {
    const log: string[] = [];
    const manager = new Manager({ logger: captureLogger().logger });
    manager.add(untilAborted("controller", log));
    await manager.start(AbortSignal.abort());
    assert.deepEqual(log, ["controller started", "controller stopped"]);
    await assert.rejects(manager.start(AbortSignal.abort()), /already started/);
  });
});
