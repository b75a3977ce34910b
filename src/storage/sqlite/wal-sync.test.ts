// Unit tests for WalSync: commits acknowledged in order, later commits sharing one sync, a missing file failing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { WalSync } from "./wal-sync.js";

const dir = mkdtempSync(join(tmpdir(), "everynode-walsync-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("WalSync", () => {
  it("acknowledges commits in order, the ones during a sync sharing the next", async () => {
    const path = join(dir, "a-wal");
    writeFileSync(path, "frames");
    const wal = new WalSync(path);
    const order: number[] = [];
    const first = wal.afterCommit().then(() => order.push(1));
    const second = wal.afterCommit();
    const third = wal.afterCommit();
    assert.equal(second, third, "commits made while a sync runs wait for one next sync");
    await Promise.all([first, second.then(() => order.push(2)), third.then(() => order.push(3))]);
    assert.deepEqual(order, [1, 2, 3]);
    await wal.idle();
    wal.close();
  });

  it("fails the commits waiting on a file it cannot sync", async () => {
    const wal = new WalSync(join(dir, "missing-wal"));
    await assert.rejects(wal.afterCommit(), /ENOENT/);
  });
});
