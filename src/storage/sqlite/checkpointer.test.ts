// The worker-thread checkpointer: it copies the WAL into the database file, and closing it last leaves no WAL.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { Checkpointer } from "./checkpointer.js";
import { prepareDatabase } from "./schema.js";

describe("Checkpointer", () => {
  const dir = mkdtempSync(join(tmpdir(), "everynode-checkpointer-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("copies committed pages into the database file from its worker, and its close removes the WAL", async () => {
    const path = join(dir, "state.db");
    const db = new Database(path);
    prepareDatabase(db);
    const errors: string[] = [];
    const checkpointer = new Checkpointer(path, (message) => errors.push(message));
    const insert = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`key-${i}-${"x".repeat(40)}`, i);
    })();
    const before = statSync(path).size;
    assert.ok(statSync(`${path}-wal`).size > 1_000_000, "the rows are in the WAL");
    await checkpointer.request();
    assert.ok(statSync(path).size > before + 1_000_000, "the checkpoint copied them into the database file");
    db.close();
    await checkpointer.close();
    assert.equal(
      existsSync(`${path}-wal`),
      false,
      "the last connection to close checkpointed and removed the WAL",
    );
    assert.deepEqual(errors, []);
    const reopened = new Database(path, { readonly: true });
    assert.equal((reopened.prepare("SELECT count(*) AS n FROM meta").get() as { n: number }).n, 20_000);
    reopened.close();
  });

  it("answers a request made while a checkpoint runs with that checkpoint", async () => {
    const path = join(dir, "again.db");
    const db = new Database(path);
    prepareDatabase(db);
    const checkpointer = new Checkpointer(path);
    const first = checkpointer.request();
    assert.equal(checkpointer.request(), first);
    await first;
    db.close();
    await checkpointer.close();
  });

  it("closing while a checkpoint runs waits for the worker to finish and close", async () => {
    const path = join(dir, "closing.db");
    const db = new Database(path);
    prepareDatabase(db);
    db.exec("INSERT INTO meta (key, value) VALUES ('k', 1)");
    const checkpointer = new Checkpointer(path);
    const running = checkpointer.request();
    db.close();
    await checkpointer.close();
    await running;
    assert.equal(existsSync(`${path}-wal`), false);
  });
});
