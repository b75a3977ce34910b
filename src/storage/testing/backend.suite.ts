// The one conformance suite every storage backend must pass: semantics of writes, revisions, listing, watch,
// compaction, close and group-commit batching, asserted against the Backend contract only.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Backend, KeyValue } from "../backend.js";
import { isStorageError, type StorageErrorCode } from "../errors.js";
import { describeEvent, WatchRecorder } from "./watch-recorder.js";

/** Generous per-test limit so a missing watch event fails the test instead of hanging the run. */
const TEST_TIMEOUT_MS = 20_000;

async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode, key?: string): Promise<void> {
  await assert.rejects(promise, (err) => {
    assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${String(err)}`);
    if (key !== undefined) assert.equal(err.key, key);
    return true;
  });
}

const keysOf = (items: KeyValue[]): string[] => items.map((kv) => kv.key);

export interface BackendTraits {
  /**
   * Concurrent writes to different keys take revisions in the order they were issued (true for the group-committing
   * SQLite and memory backends; etcd orders only writes to one key, as it serves requests concurrently).
   */
  revisionsInIssueOrder: boolean;
}

/**
 * `open` gives each test a backend of its own. Revisions are checked relative to where it starts, since a backend
 * on a shared store (etcd) starts at that store's revision.
 */
export function runBackendSuite(
  name: string,
  open: () => Promise<Backend>,
  traits: BackendTraits = { revisionsInIssueOrder: true },
): void {
  describe(`${name}: backend conformance`, () => {
    let backend: Backend;
    const test = (title: string, fn: () => Promise<void>) => it(title, { timeout: TEST_TIMEOUT_MS }, fn);

    beforeEach(async () => {
      backend = await open();
    });
    afterEach(async () => {
      await backend.close();
    });

    describe("writes and reads", () => {
      test("create stores a value that get returns", async () => {
        const kv = await backend.create("/a", "one");
        assert.equal(kv.key, "/a");
        assert.equal(kv.value, "one");
        assert.equal(kv.createRevision, kv.modRevision);
        assert.deepEqual({ ...(await backend.get("/a")) }, { ...kv });
        assert.equal(await backend.get("/missing"), undefined);
      });

      test("create on an existing key fails with KeyExists and writes nothing", async () => {
        await backend.create("/a", "one");
        const before = backend.currentRevision();
        await rejectsWith(backend.create("/a", "two"), "KeyExists", "/a");
        assert.equal((await backend.get("/a"))?.value, "one");
        assert.equal(backend.currentRevision(), before);
      });

      test("update with the current revision replaces the value", async () => {
        const created = await backend.create("/a", "one");
        const updated = await backend.update("/a", "two", created.modRevision);
        assert.equal(updated.value, "two");
        assert.equal(updated.createRevision, created.createRevision);
        assert.ok(updated.modRevision > created.modRevision);
        assert.equal((await backend.get("/a"))?.value, "two");
      });

      test("update with a stale revision fails with Conflict and writes nothing", async () => {
        const created = await backend.create("/a", "one");
        const updated = await backend.update("/a", "two", created.modRevision);
        const before = backend.currentRevision();
        await assert.rejects(backend.update("/a", "three", created.modRevision), (err) => {
          assert.ok(isStorageError(err, "Conflict"));
          assert.equal(err.revision, updated.modRevision);
          return true;
        });
        assert.equal((await backend.get("/a"))?.value, "two");
        assert.equal(backend.currentRevision(), before);
      });

      const missingKeyCases: [string, (b: Backend) => Promise<unknown>][] = [
        ["update", (b) => b.update("/missing", "x", 1)],
        ["delete", (b) => b.delete("/missing")],
        ["delete with a revision", (b) => b.delete("/missing", 1)],
      ];
      for (const [operation, run] of missingKeyCases) {
        test(`${operation} of a missing key fails with NotFound`, async () => {
          const before = backend.currentRevision();
          await rejectsWith(run(backend), "NotFound", "/missing");
          assert.equal(backend.currentRevision(), before);
        });
      }

      test("delete without a revision removes the key and reports its last value", async () => {
        const created = await backend.create("/a", "one");
        const deleted = await backend.delete("/a");
        assert.equal(deleted.value, "one");
        assert.equal(deleted.createRevision, created.createRevision);
        assert.ok(deleted.modRevision > created.modRevision);
        assert.equal(deleted.modRevision, backend.currentRevision());
        assert.equal(await backend.get("/a"), undefined);
      });

      test("delete with a revision removes the key only when the revision matches", async () => {
        const created = await backend.create("/a", "one");
        const updated = await backend.update("/a", "two", created.modRevision);
        await rejectsWith(backend.delete("/a", created.modRevision), "Conflict", "/a");
        assert.equal((await backend.get("/a"))?.value, "two");
        const deleted = await backend.delete("/a", updated.modRevision);
        assert.equal(deleted.value, "two");
        assert.equal(await backend.get("/a"), undefined);
      });
    });

    describe("revisions", () => {
      test("every write gets the next revision, across keys, and it is the modRevision", async () => {
        const start = backend.currentRevision();
        const a = await backend.create("/a", "1");
        const b = await backend.create("/b", "1");
        const a2 = await backend.update("/a", "2", a.modRevision);
        const b2 = await backend.delete("/b");
        const revisions = [a, b, a2, b2].map((kv) => kv.modRevision);
        assert.deepEqual(revisions, [start + 1, start + 2, start + 3, start + 4]);
        assert.equal(backend.currentRevision(), b2.modRevision);
        assert.equal((await backend.get("/a"))?.modRevision, a2.modRevision);
      });

      test("re-creating a deleted key starts a new createRevision", async () => {
        const first = await backend.create("/a", "1");
        await backend.delete("/a");
        const again = await backend.create("/a", "2");
        assert.ok(again.createRevision > first.createRevision);
        assert.equal(again.createRevision, again.modRevision);
        const updated = await backend.update("/a", "3", again.modRevision);
        assert.equal(updated.createRevision, again.createRevision);
      });
    });

    describe("list and count", () => {
      test("lists a prefix in bytewise ascending order with the current revision", async () => {
        for (const key of ["/p/b", "/p/a", "/p/B", "/p/a1", "/p/0", "/q/a"]) await backend.create(key, key);
        const result = await backend.list("/p/");
        assert.deepEqual(keysOf(result.items), ["/p/0", "/p/B", "/p/a", "/p/a1", "/p/b"]);
        assert.equal(result.revision, backend.currentRevision());
        assert.equal(result.more, false);
        assert.equal(result.items[2].value, "/p/a");
      });

      test("pages with limit and startAfter, flagging more while keys remain", async () => {
        for (const key of ["/p/e", "/p/c", "/p/a", "/p/d", "/p/b"]) await backend.create(key, "v");
        const pages: { keys: string[]; more: boolean }[] = [];
        let startAfter: string | undefined;
        for (;;) {
          const page = await backend.list("/p/", { limit: 2, startAfter });
          pages.push({ keys: keysOf(page.items), more: page.more });
          if (!page.more) break;
          startAfter = page.items[page.items.length - 1].key;
        }
        assert.deepEqual(pages, [
          { keys: ["/p/a", "/p/b"], more: true },
          { keys: ["/p/c", "/p/d"], more: true },
          { keys: ["/p/e"], more: false },
        ]);
        const exact = await backend.list("/p/", { limit: 5 });
        assert.equal(exact.items.length, 5);
        assert.equal(exact.more, false);
      });

      test("startAfter outside the prefix range is clamped to it", async () => {
        for (const key of ["/p/a", "/p/b", "/z"]) await backend.create(key, "v");
        assert.deepEqual(keysOf((await backend.list("/p/", { startAfter: "/a" })).items), ["/p/a", "/p/b"]);
        assert.deepEqual(keysOf((await backend.list("/p/", { startAfter: "/p/" })).items), ["/p/a", "/p/b"]);
        assert.deepEqual(keysOf((await backend.list("/p/", { startAfter: "/p/b" })).items), []);
        assert.deepEqual(keysOf((await backend.list("/p/", { startAfter: "/q" })).items), []);
      });

      test("prefixes are plain string prefixes: /pods/ excludes /podsx", async () => {
        for (const key of ["/pods/a", "/pods/b", "/podsx/c", "/pod", "/nodes/n"])
          await backend.create(key, "v");
        assert.deepEqual(keysOf((await backend.list("/pods/")).items), ["/pods/a", "/pods/b"]);
        assert.deepEqual(keysOf((await backend.list("/pods")).items), ["/pods/a", "/pods/b", "/podsx/c"]);
        assert.equal((await backend.list("")).items.length, 5);
        const cases: [string, number][] = [
          ["/pods/", 2],
          ["/pods", 3],
          ["/pod", 4],
          ["/nodes/", 1],
          ["/none/", 0],
          ["", 5],
        ];
        for (const [prefix, expected] of cases) assert.equal(await backend.count(prefix), expected, prefix);
      });

      test("lists and counts reflect deletions and non-ASCII keys", async () => {
        for (const key of ["/k/é", "/k/z", "/k/😀", "/k/\uffff"]) await backend.create(key, "v");
        await backend.delete("/k/z");
        // UTF-8 byte order: é (C3 A9) < U+FFFF (EF BF BF) < 😀 (F0 9F 98 80).
        assert.deepEqual(keysOf((await backend.list("/k/")).items), ["/k/é", "/k/\uffff", "/k/😀"]);
        assert.equal(await backend.count("/k/"), 3);
      });
    });

    describe("watch", () => {
      test("from 0 delivers only later changes, asynchronously and in order", async () => {
        await backend.create("/w/before", "x");
        const recorder = new WatchRecorder(backend, "/w/", 0);
        const a = await backend.create("/w/a", "1");
        await backend.update("/w/a", "2", a.modRevision);
        await backend.delete("/w/a");
        const events = await recorder.waitForEvents(3);
        const base = a.modRevision;
        assert.deepEqual(events.map(describeEvent), [
          `put /w/a@${base}`,
          `put /w/a@${base + 1}`,
          `delete /w/a@${base + 2}`,
        ]);
        recorder.watch.close();
      });

      test("from a past revision replays exactly the later events, then continues live", async () => {
        const revisions: number[] = [];
        for (const key of ["/w/1", "/w/2", "/w/3", "/w/4", "/w/5"]) {
          revisions.push((await backend.create(key, "v")).modRevision);
        }
        const recorder = new WatchRecorder(backend, "/w/", revisions[1]);
        assert.equal(recorder.events.length, 0, "replay must not be delivered synchronously");
        await backend.create("/w/6", "v");
        const seventh = backend.create("/w/7", "v");
        const events = await recorder.waitForEvents(5);
        await seventh;
        assert.deepEqual(
          events.map((e) => e.kv.key),
          ["/w/3", "/w/4", "/w/5", "/w/6", "/w/7"],
        );
        await backend.create("/w/8", "v");
        await recorder.waitForEvents(6);
        assert.deepEqual(
          recorder.events.map((e) => e.kv.key),
          ["/w/3", "/w/4", "/w/5", "/w/6", "/w/7", "/w/8"],
        );
        recorder.watch.close();
      });

      test("replays a long history in order without gaps", async () => {
        const total = 2500;
        const start = backend.currentRevision();
        await Promise.all(Array.from({ length: total }, (_, i) => backend.create(`/h/${i}`, "v")));
        const recorder = new WatchRecorder(backend, "/h/", start + 1);
        const live = await backend.create("/h/live", "v");
        const events = await recorder.waitForEvents(total);
        assert.deepEqual(
          events.map((e) => e.kv.modRevision),
          Array.from({ length: total - 1 }, (_, i) => start + i + 2).concat(live.modRevision),
        );
        recorder.watch.close();
      });

      test("update events carry prevKv; create events do not; delete events carry the last value", async () => {
        const recorder = new WatchRecorder(backend, "/w/", 0);
        const created = await backend.create("/w/a", "one");
        const updated = await backend.update("/w/a", "two", created.modRevision);
        const deleted = await backend.delete("/w/a");
        const [put, change, removal] = await recorder.waitForEvents(3);
        assert.equal(put.prevKv, undefined);
        assert.deepEqual({ ...put.kv }, { ...created });
        assert.equal(change.type, "put");
        assert.equal(change.kv.value, "two");
        assert.equal(change.prevKv?.value, "one");
        assert.equal(change.prevKv?.modRevision, created.modRevision);
        assert.equal(removal.type, "delete");
        assert.deepEqual({ ...removal.kv }, { ...deleted });
        assert.equal(removal.kv.value, "two");
        assert.equal(removal.kv.modRevision, deleted.modRevision);
        assert.ok(removal.kv.modRevision > updated.modRevision);
        recorder.watch.close();
      });

      test("replayed events carry the same prevKv and delete values as live ones", async () => {
        const created = await backend.create("/w/a", "one");
        await backend.update("/w/a", "two", created.modRevision);
        await backend.delete("/w/a");
        const recorder = new WatchRecorder(backend, "/w/", created.modRevision);
        const [change, removal] = await recorder.waitForEvents(2);
        assert.equal(change.prevKv?.value, "one");
        assert.equal(change.prevKv?.modRevision, created.modRevision);
        assert.equal(removal.type, "delete");
        assert.equal(removal.kv.value, "two");
        assert.equal(removal.kv.createRevision, created.createRevision);
        recorder.watch.close();
      });

      test("a prefix watch sees only keys under its prefix", async () => {
        const pods = new WatchRecorder(backend, "/pods/", 0);
        const all = new WatchRecorder(backend, "", 0);
        await backend.create("/podsx/a", "v");
        await backend.create("/nodes/n", "v");
        await backend.create("/pods/a", "v");
        await backend.create("/pods", "v");
        await backend.create("/pods/b", "v");
        await all.waitForEvents(5);
        await pods.waitForEvents(2);
        assert.deepEqual(
          pods.events.map((e) => e.kv.key),
          ["/pods/a", "/pods/b"],
        );
        pods.watch.close();
        all.watch.close();
      });

      test("a watch from a future revision skips changes up to it", async () => {
        const from = backend.currentRevision() + 2;
        const recorder = new WatchRecorder(backend, "/w/", from);
        for (const key of ["/w/1", "/w/2", "/w/3", "/w/4"]) await backend.create(key, "v");
        const events = await recorder.waitForEvents(2);
        assert.deepEqual(
          events.map((e) => e.kv.key),
          ["/w/3", "/w/4"],
        );
        recorder.watch.close();
      });

      test("a closed watch receives nothing more", async () => {
        const closed = new WatchRecorder(backend, "/w/", 0);
        const sentinel = new WatchRecorder(backend, "/w/", 0);
        await backend.create("/w/1", "v");
        await closed.waitForEvents(1);
        closed.watch.close();
        await backend.create("/w/2", "v");
        await sentinel.waitForEvents(2);
        assert.equal(closed.events.length, 1);
        assert.equal(closed.errors.length, 0);
        sentinel.watch.close();
      });
    });

    describe("compaction", () => {
      test("watching from before the compacted revision fails with Compacted; from it, replay works", async () => {
        const created = await backend.create("/c/a", "1");
        const updated = await backend.update("/c/a", "2", created.modRevision);
        const other = await backend.create("/c/b", "1");
        const last = await backend.update("/c/a", "3", updated.modRevision);
        await backend.compact(other.modRevision);
        assert.equal(backend.compactedRevision(), other.modRevision);
        assert.throws(
          () => backend.watch("/c/", { fromRevision: updated.modRevision, onEvents: () => {} }),
          (err) => isStorageError(err, "Compacted") && err.revision === other.modRevision,
        );
        const recorder = new WatchRecorder(backend, "/c/", other.modRevision);
        const [replayed] = await recorder.waitForEvents(1);
        assert.equal(replayed.kv.modRevision, last.modRevision);
        assert.equal(replayed.prevKv?.value, "2");
        recorder.watch.close();
        // Current data is untouched by compaction.
        assert.equal((await backend.get("/c/a"))?.value, "3");
        assert.deepEqual(keysOf((await backend.list("/c/")).items), ["/c/a", "/c/b"]);
        // Watching "from now" is always allowed.
        new WatchRecorder(backend, "/c/", 0).watch.close();
      });

      test("compacting deleted keys forgets them; writing continues at higher revisions", async () => {
        const first = await backend.create("/c/a", "1");
        await backend.delete("/c/a");
        const head = backend.currentRevision();
        await backend.compact(head);
        assert.equal(backend.compactedRevision(), head);
        assert.equal(await backend.get("/c/a"), undefined);
        assert.equal(await backend.count("/c/"), 0);
        const again = await backend.create("/c/a", "2");
        assert.ok(again.modRevision > head);
        assert.ok(again.createRevision > first.createRevision);
      });

      test("compaction never passes the head and never goes backwards", async () => {
        await backend.create("/c/a", "1");
        await backend.create("/c/b", "1");
        await backend.compact(backend.currentRevision() + 100);
        assert.equal(backend.compactedRevision(), backend.currentRevision());
        await backend.compact(1);
        assert.equal(backend.compactedRevision(), backend.currentRevision());
      });
    });

    describe("close", () => {
      test("ends watches with Closed and rejects later calls", async () => {
        const recorder = new WatchRecorder(backend, "/x/", 0);
        await backend.create("/x/a", "v");
        await recorder.waitForEvents(1);
        await backend.close();
        const err = await recorder.waitForError();
        assert.ok(isStorageError(err, "Closed"));
        assert.equal(recorder.events.length, 1);
        await rejectsWith(backend.create("/x/b", "v"), "Closed");
        await rejectsWith(backend.get("/x/a"), "Closed");
        await rejectsWith(backend.list("/x/"), "Closed");
        assert.throws(
          () => backend.watch("/x/", { fromRevision: 0, onEvents: () => {} }),
          (e) => isStorageError(e, "Closed"),
        );
        await backend.close(); // idempotent
      });
    });

    describe("concurrent writes", () => {
      test("200 concurrent creates with duplicates: exactly the repeats fail", async () => {
        const keys = Array.from({ length: 200 }, (_, i) => `/cc/${i % 150}`);
        const results = await Promise.allSettled(keys.map((key, i) => backend.create(key, `v${i}`)));
        results.forEach((result, i) => {
          if (i < 150) assert.equal(result.status, "fulfilled", `create #${i}`);
          else {
            assert.equal(result.status, "rejected", `create #${i}`);
            assert.ok(isStorageError(result.reason, "KeyExists"));
            assert.equal(result.reason.key, keys[i]);
          }
        });
        const revisions = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.modRevision] : []));
        assert.equal(new Set(revisions).size, 150);
        const ascending = [...revisions].sort((x, y) => x - y);
        if (traits.revisionsInIssueOrder) assert.deepEqual(revisions, ascending);
        assert.equal(await backend.count("/cc/"), 150);
        // The first create of each key won.
        assert.equal((await backend.get("/cc/10"))?.value, "v10");
        assert.equal(backend.currentRevision(), ascending[ascending.length - 1]);
      });

      test("operations issued together are each validated against the ones before them", async () => {
        const base = await backend.create("/m/a", "0");
        const outcomes = await Promise.allSettled([
          backend.update("/m/a", "1", base.modRevision),
          backend.update("/m/a", "2", base.modRevision),
          backend.delete("/m/missing"),
          backend.create("/m/b", "b"),
          backend.delete("/m/b"),
          backend.create("/m/b", "b2"),
        ]);
        const summary = outcomes.map((o) => (o.status === "fulfilled" ? "ok" : o.reason.code));
        assert.deepEqual(summary, ["ok", "Conflict", "NotFound", "ok", "ok", "ok"]);
        assert.equal((await backend.get("/m/a"))?.value, "1");
        assert.equal((await backend.get("/m/b"))?.value, "b2");
      });
    });
  });
}
