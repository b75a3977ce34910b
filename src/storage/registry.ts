// Picks and opens a backend from a storage URL: memory://, sqlite:///abs/path.db, sqlite://rel/path.db or
// etcd://host:port[,host:port…][/prefix].
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Backend } from "./backend.js";
import type { EtcdTls } from "./etcd/etcd-backend.js";
import { MemoryBackend } from "./memory/memory-backend.js";
import { SqliteBackend, type SqliteBackendOptions } from "./sqlite/sqlite-backend.js";

const SUPPORTED = "memory://, sqlite:///absolute/path.db, sqlite://relative/path.db, etcd://host:port";

/** What a backend is opened with; each takes the part that concerns it (onCommit: every one that commits). */
export interface OpenBackendOptions extends SqliteBackendOptions {
  /** For etcd:// URLs whose etcd requires TLS. */
  etcdTls?: EtcdTls;
}

export async function openBackend(url: string, options: OpenBackendOptions = {}): Promise<Backend> {
  if (url.startsWith("memory://")) return new MemoryBackend();
  if (url.startsWith("sqlite://")) return openSqlite(url, options);
  if (url.startsWith("etcd://")) {
    // Loaded only when asked for: the gRPC client takes about a quarter of a second to import.
    const { EtcdBackend } = await import("./etcd/etcd-backend.js");
    return EtcdBackend.open(url, { tls: options.etcdTls, onCommit: options.onCommit });
  }
  throw new Error(`unsupported storage URL "${url}"; supported: ${SUPPORTED}`);
}

/** Resolves the file path (relative to the working directory unless absolute) and creates its directory. */
export function sqlitePathFromUrl(url: string): string {
  const rest = url.slice("sqlite://".length);
  if (rest === "" || rest.endsWith("/")) throw new Error(`storage URL "${url}" names no database file`);
  return resolve(rest);
}

function openSqlite(url: string, options: SqliteBackendOptions): Backend {
  const path = sqlitePathFromUrl(url);
  mkdirSync(dirname(path), { recursive: true });
  return new SqliteBackend(path, options);
}
