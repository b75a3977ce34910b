// ControlPlane on a SQLite file: /metrics speaks Prometheus with the API's request latencies and the storage
// backend's commit latencies side by side.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { ControlPlane } from "./control-plane.js";

const dir = mkdtempSync(join(tmpdir(), "everynode-cp-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The value of a sample line `name{…} value` or `name value` in a Prometheus text page. */
function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("ControlPlane", () => {
  it("reports request and storage commit latencies on /metrics", async () => {
    const cp = await ControlPlane.start({
      store: `sqlite://${join(dir, "state.db")}`,
      port: 0,
      logger: pino({ level: "silent" }),
    });
    try {
      const created = await fetch(`${cp.url}/api/v1/namespaces/default/configmaps`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "m" },
          data: { a: "1" },
        }),
      });
      assert.equal(created.status, 201);
      const text = await (await fetch(`${cp.url}/metrics`)).text();
      assert.ok((sample(text, "everynode_storage_commit_duration_seconds_count") ?? 0) >= 1, text);
      assert.ok((sample(text, "apiserver_request_duration_seconds_count") ?? 0) >= 1);
    } finally {
      await cp.stop();
    }
  });
});
