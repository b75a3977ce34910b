// The etcd backend against the shared conformance suite on a real etcd, plus what only etcd shows: several
// backends (apiservers) sharing one etcd see each other's writes, prefixes keep clusters apart, a watch resumes
// across an etcd restart, and compaction by someone else ends a watch with Compacted.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isStorageError } from "../errors.js";
import { runBackendSuite } from "../testing/backend.suite.js";
import { type EtcdServer, etcdUnavailable, startEtcd } from "../testing/etcd-server.js";
import { WatchRecorder } from "../testing/watch-recorder.js";
import { EtcdBackend } from "./etcd-backend.js";

const skip = etcdUnavailable();
let server: EtcdServer;
let namespaces = 0;
/** A backend in a namespace of its own on the shared test etcd. */
const fresh = () => EtcdBackend.open(`${server.url}/test-${++namespaces}`);

describe("etcd backend", { skip }, () => {
  before(async () => {
    server = await startEtcd();
  });
  after(() => server?.stop());

  runBackendSuite("etcd", fresh, { revisionsInIssueOrder: false });

  it("two backends on one etcd and prefix see each other's writes, and conflict as one store", async () => {
    const prefix = `${server.url}/shared-${++namespaces}`;
    const [a, b] = await Promise.all([EtcdBackend.open(prefix), EtcdBackend.open(prefix)]);
    try {
      const seen = new WatchRecorder(b, "/r/", 0);
      const created = await a.create("/r/x", "1");
      assert.equal((await b.get("/r/x"))?.value, "1");
      const [event] = await seen.waitForEvents(1);
      assert.equal(event.kv.modRevision, created.modRevision);
      assert.ok(b.currentRevision() >= created.modRevision, "a watch moves the other backend's head");
      await b.update("/r/x", "2", created.modRevision);
      await assert.rejects(a.update("/r/x", "3", created.modRevision), (e) => isStorageError(e, "Conflict"));
      seen.watch.close();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("a prefix in the URL keeps two clusters' keys apart, even when one prefix begins the other", async () => {
    const [one, two] = await Promise.all([
      EtcdBackend.open(`${server.url}/cluster`),
      EtcdBackend.open(`${server.url}/cluster-two`),
    ]);
    try {
      await one.create("/registry/pods/default/p", "one");
      await two.create("/registry/pods/default/p", "two");
      assert.equal((await one.get("/registry/pods/default/p"))?.value, "one");
      for (const [backend, value] of [
        [one, "one"],
        [two, "two"],
      ] as const) {
        assert.deepEqual(
          (await backend.list("")).items.map((kv) => `${kv.key}=${kv.value}`),
          [`/registry/pods/default/p=${value}`],
        );
        assert.equal(await backend.count(""), 1);
      }
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("while etcd is down requests fail as Unavailable; a watch resumes where it left off once it is back, missing nothing", async () => {
    const backend = await fresh();
    const recorder = new WatchRecorder(backend, "/w/", 0);
    try {
      await backend.create("/w/before", "v");
      await recorder.waitForEvents(1);
      await server.stop({ keepData: true });
      await assert.rejects(backend.get("/w/before"), (e) => {
        assert.ok(isStorageError(e, "Unavailable"), String(e));
        assert.match(e.message, /^storage unavailable: etcd at http:\/\/127\.0\.0\.1:\d+ did not answer \(/);
        return true;
      });
      await server.restart();
      const after = await writeWhenBack(() => backend.create("/w/after", "v"));
      const events = await recorder.waitForEvents(2);
      assert.deepEqual(
        events.map((e) => e.kv.key),
        ["/w/before", "/w/after"],
      );
      assert.equal(events[1].kv.modRevision, after.modRevision);
      assert.deepEqual(recorder.errors, []);
    } finally {
      recorder.watch.close();
      await backend.close();
    }
  });

  it("closing watches leaves the connection alone: the next request is answered at once", async () => {
    const backend = await fresh();
    try {
      const watches = Array.from({ length: 5 }, () => new WatchRecorder(backend, "/w/", 0));
      await backend.create("/w/a", "v");
      await Promise.all(watches.map((w) => w.waitForEvents(1)));
      for (const w of watches) w.watch.close();
      assert.equal((await backend.get("/w/a"))?.value, "v");
      assert.equal((await backend.create("/w/b", "v")).key, "/w/b");
    } finally {
      await backend.close();
    }
  });

  it("a consumer that throws ends its own watch with that error; others go on", async () => {
    const backend = await fresh();
    try {
      const errors: Error[] = [];
      let failed: () => void = () => {};
      const firstError = new Promise<void>((resolve) => (failed = resolve));
      backend.watch("/t/", {
        fromRevision: 0,
        onEvents: () => {
          throw new Error("cannot take it");
        },
        onError: (err) => {
          errors.push(err);
          failed();
        },
      });
      const healthy = new WatchRecorder(backend, "/t/", 0);
      await backend.create("/t/a", "v");
      await firstError;
      // Each watch is its own stream: the failed one hears nothing more while the other one goes on.
      await backend.create("/t/b", "v");
      await healthy.waitForEvents(2);
      assert.deepEqual(
        errors.map((e) => e.message),
        ["cannot take it"],
      );
      healthy.watch.close();
    } finally {
      await backend.close();
    }
  });

  it("compaction by another client ends a watch that needs the dropped history with Compacted", async () => {
    const backend = await fresh();
    const other = await EtcdBackend.open(server.url);
    try {
      const first = await backend.create("/c/a", "1");
      const second = await backend.update("/c/a", "2", first.modRevision);
      // `other` shares the etcd but not the namespace: its compaction is etcd-wide, as etcd's always is.
      await other.create("/elsewhere", "v");
      await other.compact(other.currentRevision());
      const recorder = new WatchRecorder(backend, "/c/", first.modRevision);
      const err = await recorder.waitForError();
      assert.ok(isStorageError(err, "Compacted"), String(err));
      assert.ok(backend.compactedRevision() > second.modRevision);
      assert.throws(
        () => backend.watch("/c/", { fromRevision: first.modRevision, onEvents: () => {} }),
        (e) => isStorageError(e, "Compacted"),
      );
    } finally {
      await Promise.all([backend.close(), other.close()]);
    }
  });

  it("opening an etcd that does not answer says so and what to do", async () => {
    const stopped = await startEtcd();
    const url = stopped.url;
    await stopped.stop();
    await assert.rejects(
      EtcdBackend.open(url),
      /cannot reach etcd at http:\/\/127\.0\.0\.1:\d+ .*start etcd there/,
    );
  });
});

describe("etcd backend over TLS with client certificates", { skip }, () => {
  let secure: EtcdServer;
  before(async () => {
    secure = await startEtcd({ tls: true });
  });
  after(() => secure?.stop());

  it("stores, lists and watches with the CA and a client certificate", async () => {
    const backend = await EtcdBackend.open(secure.url, { tls: secure.tls });
    try {
      assert.match(backend.endpoints, /^https:\/\/127\.0\.0\.1:\d+$/);
      const recorder = new WatchRecorder(backend, "/s/", 0);
      const created = await backend.create("/s/a", "v");
      assert.deepEqual(
        (await backend.list("/s/")).items.map((kv) => kv.key),
        ["/s/a"],
      );
      const [event] = await recorder.waitForEvents(1);
      assert.equal(event.kv.modRevision, created.modRevision);
      recorder.watch.close();
    } finally {
      await backend.close();
    }
  });

  it("is refused without TLS, and without a client certificate, saying where to look", async () => {
    await assert.rejects(
      EtcdBackend.open(secure.url),
      /^Error: cannot reach etcd at http:\/\/127\.0\.0\.1:\d+ /,
    );
    const caOnly = { ca: secure.tls!.ca };
    await assert.rejects(
      EtcdBackend.open(secure.url, { tls: caOnly }),
      /^Error: cannot reach etcd at https:\/\/127\.0\.0\.1:\d+ \([\s\S]*bad certificate[\s\S]*\(and check the --etcd-\* TLS files\)$/,
    );
  });
});

/** Retries a write while the freshly restarted etcd (and the client's reconnection) comes back. */
async function writeWhenBack<T>(write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
