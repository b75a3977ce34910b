// Events bypass the watch cache (upstream's default): their gets, lists, watches and writes go to storage.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { EVENTS } from "../../api/resources.js";
import { EventRecorder } from "../../client/event-recorder.js";
import type { Backend } from "../../storage/backend.js";
import { openBackend } from "../../storage/registry.js";
import { objectKey } from "../keys.js";
import { LocalClient } from "../local-client.js";
import { decodeContinue } from "./continue-token.js";
import { Registry } from "./registry.js";
import type { RegistryStore, WatchEvent } from "./store.js";

const NS = "default";

function event(name: string, involved: string, extra: Record<string, unknown> = {}, ns = NS): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name },
    involvedObject: { kind: "Pod", namespace: ns, name: involved, uid: `uid-${involved}` },
    reason: "Started",
    message: `started ${involved}`,
    type: "Normal",
    source: { component: "kubelet" },
    count: 1,
    ...extra,
  };
}

const names = (items: KubeObject[]) => items.map((o) => o.metadata.name);

/** A watch sink whose `next(n)` resolves once n events have arrived in all (no timers). */
function collector() {
  const events: WatchEvent[] = [];
  let closed: ApiError | undefined;
  let wake: (() => void) | undefined;
  return {
    events,
    get closed() {
      return closed;
    },
    send(batch: WatchEvent[]) {
      events.push(...batch);
      wake?.();
    },
    close(err: ApiError) {
      closed = err;
      wake?.();
    },
    async next(n: number): Promise<WatchEvent[]> {
      while (events.length < n) await new Promise<void>((resolve) => (wake = resolve));
      return events.slice(0, n);
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "uncached-events-"));
after(() => rmSync(dir, { recursive: true, force: true }));

for (const url of ["memory://", `sqlite://${join(dir, "events.db")}`])
  describe(`uncached events over ${url.split(":")[0]}`, () => {
    let backend: Backend;
    let registry: Registry;
    let events: RegistryStore;
    before(async () => {
      backend = await openBackend(url);
      registry = await Registry.open(backend);
      events = registry.store(EVENTS);
    });
    after(async () => {
      registry.stop();
      await backend.close();
    });

    it("has no cache, and the synchronous lookup refuses rather than answering from nothing", async () => {
      await events.create(NS, event("nocache", "p0"));
      assert.equal(registry.cacher.isCached(EVENTS), false);
      assert.throws(() => registry.cacher.cache(EVENTS), /no cache for events/);
      assert.throws(() => events.getOrUndefined(NS, "nocache"), /not cached/);
      assert.equal(registry.cacher.isCached({ group: "", resource: "pods" }), true);
    });

    it("gets from storage, with the storage revision as resourceVersion; 404 when absent", async () => {
      const created = await events.create(NS, event("get-me", "p1"));
      const kv = await backend.get(objectKey(EVENTS, NS, "get-me"));
      assert.equal(created.metadata.resourceVersion, String(kv!.modRevision));
      const got = await events.read(NS, "get-me");
      assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
      assert.equal(got.involvedObject.name, "p1");
      await assert.rejects(events.read(NS, "absent"), (e: ApiError) => e.code === 404);
    });

    it("lists with field selectors and pages with limit/continue in the cached path's token format", async () => {
      await events.create(
        "kube-system",
        event("sys", "p-sys", { involvedObject: { kind: "Node", namespace: "kube-system", name: "n" } }),
      );
      for (const n of ["a", "b", "c", "d", "e"]) await events.create(NS, event(`page-${n}`, "paged"));
      const selector = "involvedObject.name=paged,involvedObject.kind=Pod";
      const first = await events.list(NS, { fieldSelector: selector, limit: 2 });
      assert.deepEqual(names(first.items), ["page-a", "page-b"]);
      assert.equal(first.resourceVersion, String(backend.currentRevision()));
      const token = decodeContinue(first.continue!);
      assert.deepEqual(token, { rv: Number(first.resourceVersion), start: objectKey(EVENTS, NS, "page-b") });
      // Created after the first page: a continued list keeps its first page's membership.
      await events.create(NS, event("page-bb", "paged"));
      const second = await events.list(NS, { fieldSelector: selector, limit: 2, continue: first.continue });
      assert.deepEqual(names(second.items), ["page-c", "page-d"]);
      assert.equal(second.resourceVersion, first.resourceVersion);
      const last = await events.list(NS, { fieldSelector: selector, limit: 2, continue: second.continue });
      assert.deepEqual(names(last.items), ["page-e"]);
      assert.equal(last.continue, undefined);
      const all = await events.list(undefined, { fieldSelector: "involvedObject.kind=Node" });
      assert.deepEqual(names(all.items), ["sys"]);
      await assert.rejects(
        events.list(NS, { fieldSelector: "spec.nodeName=x" }),
        (e: ApiError) => e.code === 400,
      );
    });

    it("watches from a resourceVersion with selector filtering, and from now after the current objects", async () => {
      const start = await events.create(NS, event("w-1", "watched"));
      const replay = collector();
      const fromRv = await events.watch(
        NS,
        { fieldSelector: "involvedObject.name=watched", resourceVersion: start.metadata.resourceVersion },
        replay,
      );
      const initial = collector();
      const fromNow = await events.watch(NS, { fieldSelector: "involvedObject.name=watched" }, initial);
      assert.deepEqual(
        initial.events.map((e) => `${e.type} ${e.object.metadata.name}`),
        ["ADDED w-1"],
        "the current objects come first, synchronously",
      );
      await events.create(NS, event("w-other", "someone-else"));
      const two = await events.create(NS, event("w-2", "watched"));
      await events.patch(NS, "w-2", "merge", { count: 2 });
      // Changing the selected field moves the event out of the selection: DELETED at the new revision.
      const moved = await events.patch(NS, "w-1", "merge", { involvedObject: { name: "elsewhere" } });
      await events.delete(NS, "w-2");
      const seen = (await replay.next(4)).map((e) => `${e.type} ${e.object.metadata.name}`);
      assert.deepEqual(seen, ["ADDED w-2", "MODIFIED w-2", "DELETED w-1", "DELETED w-2"]);
      assert.equal(replay.events[0].object.metadata.resourceVersion, two.metadata.resourceVersion);
      assert.equal(replay.events[1].object.count, 2);
      assert.equal(replay.events[2].object.metadata.resourceVersion, moved.metadata.resourceVersion);
      assert.equal(replay.events[2].object.involvedObject.name, "watched");
      assert.deepEqual(
        (await initial.next(5)).map((e) => e.type),
        ["ADDED", "ADDED", "MODIFIED", "DELETED", "DELETED"],
      );
      fromRv.stop();
      fromNow.stop();
    });

    it("answers 410 Expired for a watch from a compacted revision", async () => {
      const old = await events.create(NS, event("compact-1", "c"));
      await events.create(NS, event("compact-2", "c"));
      await backend.compact(backend.currentRevision());
      const from = Number(old.metadata.resourceVersion);
      await assert.rejects(
        events.watch(NS, { resourceVersion: String(from) }, collector()),
        (e: ApiError) =>
          e.code === 410 && e.reason === "Expired" && /too old resource version/.test(e.message),
      );
    });

    it("updates, patches and deletes against the stored object, with conflicts on stale versions", async () => {
      const created = await events.create(NS, event("rw", "p2"));
      const updated = await events.update(NS, "rw", { ...created, message: "again", count: 2 });
      assert.ok(Number(updated.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
      assert.equal((await events.read(NS, "rw")).message, "again");
      await assert.rejects(
        events.update(NS, "rw", { ...created, message: "stale" }),
        (e: ApiError) => e.code === 409,
      );
      const patched = await events.patch(NS, "rw", "merge", { count: 3 });
      assert.equal(patched.count, 3);
      assert.equal(patched.metadata.uid, created.metadata.uid);
      const applied = await events.apply(
        NS,
        "rw",
        { apiVersion: "v1", kind: "Event", action: "Applied" },
        {
          fieldManager: "test",
        },
      );
      assert.equal(applied.created, false);
      assert.equal(applied.object.action, "Applied");
      await assert.rejects(
        events.create(NS, event("rw", "p2"), { dryRun: true }),
        (e: ApiError) => e.code === 409,
      );
      const deleted = await events.delete(NS, "rw");
      assert.equal(deleted.pending, false);
      assert.equal(await events.readOrUndefined(NS, "rw"), undefined);
      await assert.rejects(events.delete(NS, "rw"), (e: ApiError) => e.code === 404);
    });

    it("deletes a collection selected by field", async () => {
      await events.create("kube-public", event("dc-1", "doomed", {}, "kube-public"));
      await events.create("kube-public", event("dc-2", "kept", {}, "kube-public"));
      const gone = await events.deleteCollection(
        "kube-public",
        { fieldSelector: "involvedObject.name=doomed" },
        {},
      );
      assert.deepEqual(names(gone), ["dc-1"]);
      assert.deepEqual(names((await events.list("kube-public")).items), ["dc-2"]);
    });

    it("lets the EventRecorder bump the count of a repeated event", async () => {
      let now = Date.parse("2026-03-01T10:00:00Z");
      const recorder = new EventRecorder(
        new LocalClient(registry),
        { component: "kubelet", host: "n1" },
        () => now,
      );
      const pod: KubeObject = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "rec", namespace: NS, uid: "u-rec" },
      };
      recorder.event(pod, "Normal", "Pulled", "image pulled");
      now += 5000;
      recorder.event(pod, "Normal", "Pulled", "image pulled");
      now += 5000;
      recorder.event(pod, "Normal", "Pulled", "image pulled");
      await recorder.flush();
      const { items } = await events.list(NS, { fieldSelector: "involvedObject.name=rec,reason=Pulled" });
      assert.equal(items.length, 1);
      assert.equal(items[0].count, 3);
      assert.equal(items[0].lastTimestamp, "2026-03-01T10:00:10Z");
    });
  });
