// The baseline the storage efficiency is measured against: the same documents written straight into SQLite
// by better-sqlite3, one autocommit INSERT each, with the pragmas everynode's store uses (WAL, synchronous=FULL).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

export function rawSqliteWritesPerSecond(docs: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), "everynode-raw-sqlite-"));
  const db = new Database(join(dir, "raw.db"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec(
      "CREATE TABLE kv (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, value TEXT NOT NULL)",
    );
    const insert = db.prepare("INSERT INTO kv (name, value) VALUES (?, ?)");
    const t = performance.now();
    for (let i = 0; i < docs.length; i++) insert.run(`/registry/core/configmaps/default/cm-${i}`, docs[i]);
    return docs.length / ((performance.now() - t) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
