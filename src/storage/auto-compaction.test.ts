// Tests for periodic compaction, driven through runOnce instead of waiting for the timer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startAutoCompaction } from "./auto-compaction.js";
import type { Backend } from "./backend.js";
import { MemoryBackend } from "./memory/memory-backend.js";

async function backendAtRevision(revision: number): Promise<MemoryBackend> {
  const backend = new MemoryBackend();
  for (let i = 0; i < revision; i++) await backend.create(`/k/${i}`, "v");
  return backend;
}

describe("startAutoCompaction", () => {
  it("compacts to keep only the newest keepRevisions revisions", async () => {
    const backend = await backendAtRevision(25);
    const auto = startAutoCompaction(backend, { keepRevisions: 10 });
    await auto.runOnce();
    assert.equal(backend.compactedRevision(), 15);
    // Nothing new to drop: the next run changes nothing.
    await auto.runOnce();
    assert.equal(backend.compactedRevision(), 15);
    auto.stop();
    await backend.close();
  });

  it("does nothing while history is shorter than keepRevisions", async () => {
    const backend = await backendAtRevision(5);
    const auto = startAutoCompaction(backend, { keepRevisions: 10 });
    await auto.runOnce();
    assert.equal(backend.compactedRevision(), 0);
    auto.stop();
    await backend.close();
  });

  it("reports a failed run and keeps going", async () => {
    const backend = await backendAtRevision(25);
    const failing: Backend = Object.assign(Object.create(backend) as Backend, {
      compact: () => Promise.reject(new Error("disk full")),
    });
    const errors: unknown[] = [];
    const auto = startAutoCompaction(failing, { keepRevisions: 10, onError: (err) => errors.push(err) });
    await auto.runOnce();
    await auto.runOnce();
    assert.equal(errors.length, 2);
    assert.match(String(errors[0]), /disk full/);
    auto.stop();
    await backend.close();
  });
});
