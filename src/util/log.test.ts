// Tests for childLogger: nested components keep each key once, joined with "/", as one JSON line.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { childLogger, createLogger } from "./log.js";

describe("childLogger", () => {
  it("keeps every binding once, joining a nested component's or controller's name to its parent's", () => {
    const root = createLogger("everynode", "silent");
    const controller = childLogger(childLogger(root, { component: "node-lifecycle" }), {
      controller: "taint-eviction",
    });
    const queue = childLogger(controller, { controller: "noexec_taint_node", queue: "pods" });
    assert.deepEqual(queue.bindings(), {
      component: "everynode/node-lifecycle",
      controller: "taint-eviction/noexec_taint_node",
      queue: "pods",
    });
    assert.equal(queue.level, "silent", "children keep the level");
  });
});
