// The fence lets reads through always and writes only until the signal aborts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TestCluster } from "../../test/support/test-cluster.js";
import { isApiError } from "../api/errors.js";
import { findResource } from "../api/resources.js";
import { LocalClient } from "../apiserver/local-client.js";
import { fencedClient } from "./fenced-client.js";

const CONFIG_MAPS = findResource("", "v1", "configmaps")!;

describe("fencedClient", () => {
  it("writes until the fence closes, reads after", async () => {
    const cluster = await TestCluster.start();
    try {
      const fence = new AbortController();
      const client = fencedClient(
        new LocalClient(cluster.cp.registry),
        fence.signal,
        () => "no longer the leader",
      );
      const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { k: "v" } };
      await client.create(CONFIG_MAPS, "default", cm);
      fence.abort();
      await assert.rejects(
        client.create(CONFIG_MAPS, "default", { ...cm, metadata: { name: "b" } }),
        (e) => isApiError(e) && e.code === 503 && e.message === "no longer the leader",
      );
      await assert.rejects(
        client.delete(CONFIG_MAPS, "default", "a"),
        (e) => isApiError(e) && e.code === 503,
      );
      assert.equal((await client.get(CONFIG_MAPS, "default", "a")).data.k, "v");
      assert.deepEqual(
        (await client.list(CONFIG_MAPS, "default")).items.map((o) => o.metadata.name),
        ["a"],
      );
    } finally {
      await cluster.stop();
    }
  });
});
