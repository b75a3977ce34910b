// The memory backend against the shared conformance suite, plus its bounded history window.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isStorageError } from "../errors.js";
import { runBackendSuite } from "../testing/backend.suite.js";
import { WatchRecorder } from "../testing/watch-recorder.js";
import { MemoryBackend } from "./memory-backend.js";

runBackendSuite("memory", async () => new MemoryBackend());

describe("MemoryBackend history window", () => {
  it("treats revisions that fell out of the window as compacted", async () => {
    const backend = new MemoryBackend({ historyLimit: 3 });
    for (let i = 1; i <= 5; i++) await backend.create(`/k/${i}`, "v");
    assert.equal(backend.compactedRevision(), 2);
    assert.throws(
      () => backend.watch("/k/", { fromRevision: 1, onEvents: () => {} }),
      (err) => isStorageError(err, "Compacted") && err.revision === 2,
    );
    const recorder = new WatchRecorder(backend, "/k/", 2);
    const events = await recorder.waitForEvents(3);
    assert.deepEqual(
      events.map((e) => e.kv.modRevision),
      [3, 4, 5],
    );
    await backend.close();
  });

  it("stops a replay that the window overtakes before it is delivered", async () => {
    const backend = new MemoryBackend({ historyLimit: 3 });
    for (let i = 1; i <= 3; i++) await backend.create(`/k/${i}`, "v");
    const recorder = new WatchRecorder(backend, "/k/", 1);
    // Memory writes apply synchronously, so these two push revision 2 out of the window before the
    // replay's first delivery turn.
    const writes = [backend.create("/k/4", "v"), backend.create("/k/5", "v")];
    await Promise.all(writes);
    const err = await recorder.waitForError();
    assert.ok(isStorageError(err, "Compacted"));
    assert.equal(recorder.events.length, 0);
    await backend.close();
  });
});
