// The SQLite backend against the shared conformance suite, plus what only a file can show: reopening resumes,
// compaction really deletes rows, and acknowledged writes survive kill -9.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { runBackendSuite } from "../testing/backend.suite.js";
import { WatchRecorder } from "../testing/watch-recorder.js";
import { SqliteBackend } from "./sqlite-backend.js";

const dir = mkdtempSync(join(tmpdir(), "everynode-sqlite-"));
let files = 0;
const freshPath = () => join(dir, `state-${++files}.db`);
after(() => rmSync(dir, { recursive: true, force: true }));

runBackendSuite("sqlite", async () => new SqliteBackend(freshPath()));

const countRows = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM kv").pluck().get() as number;
  } finally {
    db.close();
  }
};

describe("SqliteBackend on disk", () => {
  it("reopening a file resumes its data, revisions and history", async () => {
    const path = freshPath();
    const first = new SqliteBackend(path);
    const a = await first.create("/r/a", "1");
    await first.update("/r/a", "2", a.modRevision);
    await first.create("/r/b", "1");
    await first.delete("/r/b");
    await first.compact(a.modRevision);
    const head = first.currentRevision();
    await first.close();

    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    db.close();

    const second = new SqliteBackend(path);
    assert.equal(second.currentRevision(), head);
    assert.equal(second.compactedRevision(), a.modRevision);
    assert.equal((await second.get("/r/a"))?.value, "2");
    assert.equal(await second.get("/r/b"), undefined);
    const recorder = new WatchRecorder(second, "/r/", a.modRevision);
    const replayed = await recorder.waitForEvents(3);
    assert.deepEqual(
      replayed.map((e) => `${e.type} ${e.kv.key} ${e.kv.value}`),
      ["put /r/a 2", "put /r/b 1", "delete /r/b 1"],
    );
    const next = await second.create("/r/c", "1");
    assert.equal(next.modRevision, head + 1);
    await second.close();
  });

  it("compaction deletes superseded rows and tombstones but keeps the revision high-water mark", async () => {
    const path = freshPath();
    const backend = new SqliteBackend(path);
    const a = await backend.create("/c/a", "1");
    const a2 = await backend.update("/c/a", "2", a.modRevision);
    await backend.update("/c/a", "3", a2.modRevision);
    await backend.create("/c/b", "1");
    await backend.delete("/c/b");
    const head = backend.currentRevision();
    await backend.compact(head);
    await backend.close();
    // Only the live row of /c/a remains; the newest row (the tombstone) is gone too.
    assert.equal(countRows(path), 1);
    const reopened = new SqliteBackend(path);
    assert.equal(reopened.currentRevision(), head);
    assert.equal((await reopened.create("/c/b", "again")).modRevision, head + 1);
    await reopened.close();
  });

  it("every acknowledged write survives SIGKILL", { timeout: 60_000 }, async () => {
    const path = freshPath();
    const script = fileURLToPath(new URL("../testing/durability-writer.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), script, path], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const acknowledged = new Map<number, number>();
    const killAfter = 2000;
    let buffered = "";
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const [index, revision] = line.split(" ").map(Number);
        acknowledged.set(index, revision);
      }
      if (acknowledged.size >= killAfter && child.exitCode === null) child.kill("SIGKILL");
    });
    const signal = await exited;
    assert.equal(signal, "SIGKILL", "the writer must be killed mid-stream, not finish");
    assert.ok(acknowledged.size >= killAfter);

    const backend = new SqliteBackend(path);
    const missing: number[] = [];
    for (const [index, revision] of acknowledged) {
      const kv = await backend.get(`/durable/${index}`);
      if (kv?.modRevision !== revision || kv.value !== `value-${index}`) missing.push(index);
    }
    assert.deepEqual(missing, []);
    assert.ok(backend.currentRevision() >= Math.max(...acknowledged.values()));
    await backend.close();
  });

  it("sanity: a burst of 20000 concurrent creates all land", async (t) => {
    const backend = new SqliteBackend(freshPath());
    const total = 20_000;
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: total }, (_, i) => backend.create(`/bulk/${i}`, "v")),
    );
    const elapsedMs = performance.now() - started;
    t.diagnostic(
      `${total} creates in ${elapsedMs.toFixed(0)} ms (${Math.round((total / elapsedMs) * 1000)}/s)`,
    );
    assert.equal(results.length, total);
    assert.equal(await backend.count("/bulk/"), total);
    assert.equal(backend.currentRevision(), total);
    const page = await backend.list("/bulk/", { limit: 100 });
    assert.equal(page.items.length, 100);
    assert.equal(page.more, true);
    await backend.close();
  });

  it("under steady writes the WAL is checkpointed and started over, so it stays bounded", async () => {
    const path = freshPath();
    const backend = new SqliteBackend(path);
    const value = "x".repeat(4000);
    let largest = 0;
    // 40 MB in a stream of small batches, ten times the checkpoint interval, with writes always in flight.
    for (let round = 0; round < 100; round++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => backend.create(`/steady/${round}/${i}`, value)),
      );
      largest = Math.max(largest, statSync(`${path}-wal`).size);
    }
    await backend.close();
    assert.ok(largest < 16 * 1024 * 1024, `the WAL reached ${(largest / 1048576).toFixed(1)} MB`);
    assert.equal(countRows(path), 10_000);
  });
});
