// Tests for watch fan-out behaviour the conformance suite does not reach: consumers that throw, batching.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBackend } from "./memory/memory-backend.js";
import { WatchRecorder } from "./testing/watch-recorder.js";

describe("WatchHub", () => {
  it("ends only the watch whose consumer throws, reporting the error to it", async () => {
    const backend = new MemoryBackend();
    const reported: Error[] = [];
    let calls = 0;
    backend.watch("/k/", {
      fromRevision: 0,
      onEvents: () => {
        calls++;
        throw new Error("consumer bug");
      },
      onError: (err) => reported.push(err),
    });
    const healthy = new WatchRecorder(backend, "/k/", 0);
    await backend.create("/k/a", "v");
    await healthy.waitForEvents(1);
    await backend.create("/k/b", "v");
    await healthy.waitForEvents(2);
    assert.equal(calls, 1);
    assert.deepEqual(
      reported.map((e) => e.message),
      ["consumer bug"],
    );
    await backend.close();
  });

  it("batches writes made in the same turn into one delivery, in revision order", async () => {
    const backend = new MemoryBackend();
    const recorder = new WatchRecorder(backend, "", 0);
    await Promise.all([backend.create("/a", "v"), backend.create("/b", "v"), backend.create("/c", "v")]);
    const events = await recorder.waitForEvents(3);
    assert.equal(recorder.deliveries, 1);
    assert.deepEqual(
      events.map((e) => e.kv.modRevision),
      [1, 2, 3],
    );
    await backend.close();
  });
});
