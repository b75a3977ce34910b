// The Cacher loads and follows the cached resources only; uncached ones (events by default) stay in storage.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import { EVENTS, NAMESPACES, PODS } from "../../api/resources.js";
import { MemoryBackend } from "../../storage/memory/memory-backend.js";
import { conflictError } from "../../storage/storage-errors.js";
import { objectKey } from "../keys.js";
import { Cacher } from "./cacher.js";

const value = (kind: string, name: string, namespace?: string) =>
  JSON.stringify({ apiVersion: "v1", kind, metadata: namespace ? { name, namespace } : { name } });

async function seeded(): Promise<MemoryBackend> {
  const backend = new MemoryBackend();
  await backend.create(objectKey(NAMESPACES, "", "default"), value("Namespace", "default"));
  await backend.create(objectKey(PODS, "default", "web"), value("Pod", "web", "default"));
  await backend.create(objectKey(EVENTS, "default", "web.1"), value("Event", "web.1", "default"));
  return backend;
}

describe("Cacher", () => {
  it("leaves events uncached by default and loads the rest", async () => {
    const cacher = new Cacher(await seeded(), [NAMESPACES, PODS, EVENTS]);
    await cacher.start();
    try {
      assert.equal(cacher.isCached(EVENTS), false);
      assert.equal(cacher.isCached(PODS), true);
      assert.throws(() => cacher.cache(EVENTS), /no cache for events/);
      assert.equal(cacher.cache(PODS).size, 1);
      assert.equal(cacher.cache(NAMESPACES).size, 1);
      assert.equal(cacher.revision, 3);
    } finally {
      cacher.stop();
    }
  });

  it("skips the writes of uncached resources yet counts their revisions, so waiting for them ends", async () => {
    const backend = await seeded();
    const cacher = new Cacher(backend, [NAMESPACES, PODS, EVENTS], { uncached: [PODS] });
    await cacher.start();
    try {
      assert.throws(() => cacher.cache(PODS), /no cache for pods/);
      assert.equal(cacher.cache(EVENTS).size, 1, "events are cached when the option says so");
      const pod = await backend.create(objectKey(PODS, "default", "db"), value("Pod", "db", "default"));
      await cacher.sync();
      assert.equal(cacher.revision, pod.modRevision);
      const ns = await backend.create(objectKey(NAMESPACES, "", "other"), value("Namespace", "other"));
      await cacher.waitFor(ns.modRevision);
      assert.equal(cacher.cache(NAMESPACES).size, 2);
      assert.equal(
        cacher.cache(NAMESPACES).get(objectKey(NAMESPACES, "", "other"))?.metadata.resourceVersion,
        "5",
      );
    } finally {
      cacher.stop();
    }
  });

  it("after a lost race waits for the winning revision, even one storage has not yet published", async () => {
    const backend = await seeded();
    const cacher = new Cacher(backend, [NAMESPACES, PODS, EVENTS]);
    await cacher.start();
    try {
      const key = objectKey(PODS, "default", "web");
      const head = backend.currentRevision();
      // The winner committed at head + 1 but (as with a SQLite batch still syncing) is not yet visible; the
      // answer wraps the storage error as the registry's does.
      const lost = ApiError.conflict({ group: "", resource: "pods" }, "web", "the object has been modified", {
        cause: conflictError(key, head + 1, head),
      });
      let caughtUp = false;
      const waiting = cacher.catchUpAfter(lost).then(() => {
        caughtUp = true;
      });
      await cacher.sync();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(caughtUp, false, "the caches already hold all storage reports, but not the winner");
      const stored = await backend.get(key);
      const winner = await backend.update(key, value("Pod", "web", "default"), stored!.modRevision);
      await waiting;
      assert.equal(winner.modRevision, head + 1);
      assert.equal(cacher.revision, head + 1);
    } finally {
      cacher.stop();
    }
  });
});
