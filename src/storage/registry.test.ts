// Tests for opening a backend from a storage URL.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { MemoryBackend } from "./memory/memory-backend.js";
import { openBackend, sqlitePathFromUrl } from "./registry.js";
import { SqliteBackend } from "./sqlite/sqlite-backend.js";

const dir = mkdtempSync(join(tmpdir(), "everynode-registry-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("openBackend", () => {
  it("opens memory:// as a MemoryBackend", async () => {
    const backend = await openBackend("memory://");
    assert.ok(backend instanceof MemoryBackend);
    await backend.close();
  });

  it("opens sqlite:///absolute paths, creating missing directories", async () => {
    const path = join(dir, "nested", "deeper", "state.db");
    const backend = await openBackend(`sqlite://${path}`);
    assert.ok(backend instanceof SqliteBackend);
    assert.equal(backend.path, path);
    await backend.create("/k", "v");
    await backend.close();
    assert.ok(existsSync(path));
  });

  it("resolves sqlite://relative paths against the working directory", () => {
    assert.equal(sqlitePathFromUrl("sqlite://.everynode/state.db"), resolve(".everynode/state.db"));
    assert.equal(sqlitePathFromUrl("sqlite:///var/lib/x.db"), "/var/lib/x.db");
    assert.throws(() => sqlitePathFromUrl("sqlite://"), /names no database file/);
  });

  const rejected: [string, RegExp][] = [
    ["etcd://127.0.0.1", /"127\.0\.0\.1" is not host:port; write etcd:\/\/127\.0\.0\.1:2379/],
    ["postgres://db/k8s", /unsupported storage URL.*memory:\/\/.*sqlite:\/\/.*etcd:\/\//],
    ["state.db", /unsupported storage URL/],
  ];
  for (const [url, message] of rejected) {
    it(`rejects ${url}`, async () => {
      await assert.rejects(openBackend(url), message);
    });
  }
});
