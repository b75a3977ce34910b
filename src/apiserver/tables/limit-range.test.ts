// Table test for LimitRange rows: upstream's printLimitRange prints the name and the creation time (RFC 3339,
// UTC), the columns `kubectl get limits` shows as NAME and CREATED AT.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildTable } from "./build-table.js";
import { ago, DAY, NOW } from "./testing.js";

describe("LimitRange rows", () => {
  it("prints NAME and CREATED AT", () => {
    const limitRange = {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "cpu-mem", namespace: "team-a", creationTimestamp: ago(2 * DAY) },
      spec: { limits: [{ type: "Container", max: { cpu: "2" } }] },
    };
    const table = buildTable("/LimitRange", [limitRange], { now: NOW });
    assert.deepEqual(
      table.columnDefinitions?.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ["Name", "string", "name", 0],
        ["Created At", "date", "", 0],
      ],
    );
    assert.deepEqual(table.rows[0].cells, ["cpu-mem", "2024-05-30T12:00:00Z"]);
  });
});
