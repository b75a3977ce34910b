// The SQLite file layout (kine-shaped): an append-only log whose row id is the revision, a table of live keys
// pointing at their newest row, and a small meta table. Also the connection settings that make commits durable.
import type { Database } from "better-sqlite3";

/**
 * - `kv`: one row per write. `created`=1 marks a create, `deleted`=1 a tombstone (carrying the last value),
 *   `prev_revision` the row this one superseded (0 for a create). AUTOINCREMENT keeps the high-water mark in
 *   sqlite_sequence, so revisions never repeat even after compaction deletes the newest rows.
 * - `latest`: live keys only, so get/list/count at the head never touch history. Its primary key is the
 *   ordered index prefix listing walks.
 * - `meta`: the compacted revision and how far compaction has cleaned the log.
 * History is only ever read by revision range (watch replay, compaction), which the primary key serves, so
 * `kv` carries no secondary index to slow down writes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS latest (
  name TEXT PRIMARY KEY,
  id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * Concurrent-reader-friendly settings, then the schema. Durability is the backend's: commits do not sync (OFF), the
 * backend syncs the WAL off the event loop before acknowledging (wal-sync.ts), and checkpoints with syncing on,
 * mostly from a worker (checkpointer.ts) — SQLite's automatic checkpoint would copy pages into the database
 * without syncing either.
 */
export function prepareDatabase(db: Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("wal_autocheckpoint = 0");
  db.pragma("busy_timeout = 5000");
  db.pragma("temp_store = MEMORY");
  // 16 MiB of page cache: reads are served from the watch cache, so SQLite's own mostly helps writes find pages.
  db.pragma("cache_size = -16384");
  db.exec(SCHEMA);
}

/**
 * Copies the WAL into the database with syncing on: SQLite then syncs the WAL before copying (so no frame of an
 * unsynced commit reaches the database) and the database after (so the WAL may be reused).
 */
export function checkpoint(db: Database): void {
  db.pragma("synchronous = FULL");
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } finally {
    db.pragma("synchronous = OFF");
  }
}

/** Before the last connection closes and checkpoints: sync as that checkpoint goes. */
export function syncOnClose(db: Database): void {
  db.pragma("synchronous = FULL");
}
