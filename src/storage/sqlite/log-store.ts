// Synchronous data access over the SQLite log: prepared statements for head reads, appends, history replay
// and compaction. It knows the table layout; it knows nothing about batching, watching or validation.
import type { Database, Statement } from "better-sqlite3";
import type { BackendEvent, KeyValue } from "../backend.js";
import { prefixEnd } from "../key-order.js";
import { freezeKv } from "../write-ops.js";

/** A log row as replay reads it, with the value of the row it superseded (for prevKv on updates). */
interface HistoryRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
  prev_value: string | null;
}

export type MetaKey = "compacted" | "compact_cleaned";

// Selecting columns under KeyValue's names lets rows be returned as KeyValues without mapping.
const HEAD_COLUMNS =
  "latest.name AS key, kv.value AS value, kv.create_revision AS createRevision, kv.id AS modRevision";

export class LogStore {
  private readonly selectLatest: Statement<[string], KeyValue>;
  private readonly insertRow: Statement<[number, string, number, number, number, number, string]>;
  private readonly upsertLatest: Statement<[string, number]>;
  private readonly deleteLatest: Statement<[string]>;
  private readonly selectMeta: Statement<[string], number>;
  private readonly upsertMeta: Statement<[string, number]>;
  private readonly deleteSuperseded: Statement<[number, number]>;
  private readonly deleteTombstones: Statement<[number, number]>;
  /** Range statements differ by whether the start is exclusive and whether the prefix has an upper bound. */
  private readonly rangeStatements = new Map<string, Statement<unknown[], unknown>>();

  constructor(private readonly db: Database) {
    this.selectLatest = db.prepare(
      `SELECT ${HEAD_COLUMNS} FROM latest JOIN kv ON kv.id = latest.id WHERE latest.name = ?`,
    );
    this.insertRow = db.prepare(
      "INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.upsertLatest = db.prepare(
      "INSERT INTO latest (name, id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET id = excluded.id",
    );
    this.deleteLatest = db.prepare("DELETE FROM latest WHERE name = ?");
    this.selectMeta = db.prepare<[string], number>("SELECT value FROM meta WHERE key = ?").pluck();
    this.upsertMeta = db.prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
    // Compaction works from the superseding side: every row in the range retires the row it replaced, and
    // tombstones in the range retire themselves. Both are primary-key lookups.
    this.deleteSuperseded = db.prepare(
      "DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id > ? AND id <= ? AND prev_revision > 0)",
    );
    this.deleteTombstones = db.prepare("DELETE FROM kv WHERE id > ? AND id <= ? AND deleted = 1");
  }

  /** The highest revision ever written; sqlite_sequence remembers it even if compaction removed that row. */
  headRevision(): number {
    const sequence = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kv'").pluck().get() as
      | number
      | undefined;
    const maxId = this.db.prepare("SELECT max(id) FROM kv").pluck().get() as number | null;
    return Math.max(sequence ?? 0, maxId ?? 0);
  }

  readMeta(key: MetaKey): number {
    return this.selectMeta.get(key) ?? 0;
  }

  writeMeta(key: MetaKey, value: number): void {
    this.upsertMeta.run(key, value);
  }

  /** Runs `fn` in one transaction (committed on return, rolled back on throw). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  getLatest(key: string): KeyValue | undefined {
    return this.selectLatest.get(key);
  }

  /**
   * Live keys starting with `prefix` from `start` (exclusive or inclusive), ascending, at most `limit`
   * (negative: unlimited).
   */
  listLatest(prefix: string, start: string, exclusiveStart: boolean, limit: number): KeyValue[] {
    const end = prefixEnd(prefix);
    const statement = this.rangeStatement(
      `list:${exclusiveStart}:${end !== undefined}`,
      () =>
        `SELECT ${HEAD_COLUMNS} FROM latest JOIN kv ON kv.id = latest.id
         WHERE latest.name ${exclusiveStart ? ">" : ">="} ? ${end !== undefined ? "AND latest.name < ?" : ""}
         ORDER BY latest.name LIMIT ?`,
    );
    const params = end !== undefined ? [start, end, limit] : [start, limit];
    return statement.all(...params) as KeyValue[];
  }

  countLatest(prefix: string): number {
    const end = prefixEnd(prefix);
    const statement = this.rangeStatement(`count:${end !== undefined}`, () =>
      end !== undefined
        ? "SELECT count(*) FROM latest WHERE name >= ? AND name < ?"
        : "SELECT count(*) FROM latest WHERE name >= ?",
    );
    const params = end !== undefined ? [prefix, end] : [prefix];
    return statement.pluck().get(...params) as number;
  }

  /** Writes the log row for `event` (revision = its row id) and points the key's head at it. */
  append(event: BackendEvent): void {
    const { kv, prevKv } = event;
    const isDelete = event.type === "delete";
    const created = !isDelete && !prevKv ? 1 : 0;
    this.insertRow.run(
      kv.modRevision,
      kv.key,
      created,
      isDelete ? 1 : 0,
      kv.createRevision,
      created ? 0 : (prevKv?.modRevision ?? 0),
      kv.value,
    );
    if (isDelete) this.deleteLatest.run(kv.key);
    else this.upsertLatest.run(kv.key, kv.modRevision);
  }

  /** Logged events in (after, upto] under `prefix`, oldest first, at most `limit`. */
  history(prefix: string, after: number, upto: number, limit: number): BackendEvent[] {
    const end = prefixEnd(prefix);
    const statement = this.rangeStatement(
      `history:${end !== undefined}`,
      () =>
        `SELECT kv.id, kv.name, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.value,
                prev.value AS prev_value
         FROM kv LEFT JOIN kv AS prev ON prev.id = kv.prev_revision
         WHERE kv.id > ? AND kv.id <= ? AND kv.name >= ? ${end !== undefined ? "AND kv.name < ?" : ""}
         ORDER BY kv.id LIMIT ?`,
    );
    const params = end !== undefined ? [after, upto, prefix, end, limit] : [after, upto, prefix, limit];
    return (statement.all(...params) as HistoryRow[]).map(rowToEvent);
  }

  /** Compaction step: drops rows superseded by, and tombstones among, the revisions in (after, upto]. */
  compactRange(after: number, upto: number): void {
    // Superseded rows first: the subquery still needs the tombstones of this range to find their targets.
    this.deleteSuperseded.run(after, upto);
    this.deleteTombstones.run(after, upto);
  }

  private rangeStatement(variant: string, sql: () => string): Statement<unknown[], unknown> {
    let statement = this.rangeStatements.get(variant);
    if (!statement) {
      statement = this.db.prepare(sql());
      this.rangeStatements.set(variant, statement);
    }
    return statement;
  }
}

function rowToEvent(row: HistoryRow): BackendEvent {
  const kv = freezeKv(row.name, row.value, row.create_revision, row.id);
  if (row.created) return { type: "put", kv };
  // A tombstone carries the last value itself; an update needs the value of the row it replaced.
  const prevValue = row.deleted ? row.value : row.prev_value;
  const prevKv =
    prevValue === null ? undefined : freezeKv(row.name, prevValue, row.create_revision, row.prev_revision);
  return { type: row.deleted ? "delete" : "put", kv, prevKv };
}
