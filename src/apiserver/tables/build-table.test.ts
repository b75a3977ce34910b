// Tests for buildTable: kind dispatch, includeObject modes, list metadata, omitted headers, watch rows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildTable } from "./build-table.js";
import { ago, HOUR, MINUTE, NOW } from "./testing.js";

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "fluentd-x7k2p",
    namespace: "kube-system",
    resourceVersion: "42",
    creationTimestamp: ago(HOUR),
    labels: { app: "fluentd" },
  },
  spec: { containers: [{ name: "fluentd", image: "fluentd:v1" }] },
  status: { phase: "Succeeded" },
};

describe("buildTable", () => {
  it("builds a Table with PartialObjectMetadata rows by default", () => {
    const table = buildTable("/Pod", [pod], { now: NOW, resourceVersion: "100" });
    assert.equal(table.kind, "Table");
    assert.equal(table.apiVersion, "meta.k8s.io/v1");
    assert.deepEqual(table.metadata, { resourceVersion: "100" });
    assert.equal(table.columnDefinitions?.[0].name, "Name");
    assert.deepEqual(table.columnDefinitions?.[0], {
      name: "Name",
      type: "string",
      format: "name",
      description: table.columnDefinitions?.[0].description,
      priority: 0,
    });
    assert.equal(table.rows.length, 1);
    assert.deepEqual(table.rows[0], {
      cells: ["fluentd-x7k2p", "0/1", "Succeeded", "0", "60m", "<none>", "<none>", "<none>", "<none>"],
      conditions: [
        {
          type: "Completed",
          status: "True",
          reason: "Succeeded",
          message: "The pod has completed successfully.",
        },
      ],
      object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: pod.metadata },
    });
  });

  it("carries the whole object with includeObject=Object and none with None", () => {
    const full = buildTable("/Pod", [pod], { now: NOW, includeObject: "Object" });
    assert.equal(full.rows[0].object, pod);
    const none = buildTable("/Pod", [pod], { now: NOW, includeObject: "None" });
    assert.equal("object" in none.rows[0], false);
  });

  it("passes list metadata through and leaves out what is unset", () => {
    const table = buildTable("/Pod", [], {
      now: NOW,
      resourceVersion: "7",
      continue: "eyJydiI6N30",
      remainingItemCount: 0,
    });
    assert.deepEqual(table.metadata, {
      resourceVersion: "7",
      continue: "eyJydiI6N30",
      remainingItemCount: 0,
    });
    assert.deepEqual(table.rows, []);
    assert.deepEqual(buildTable("/Pod", [], { now: NOW, continue: "" }).metadata, {});
  });

  it("sends null column definitions when headers are omitted (watch events after the first)", () => {
    const table = buildTable("/Pod", [pod], { now: NOW, omitHeaders: true });
    assert.equal(table.columnDefinitions, null);
    assert.equal(table.rows.length, 1);
  });

  it("dispatches on group and kind", () => {
    const ds = {
      metadata: { name: "fluentd", creationTimestamp: ago(MINUTE) },
      spec: { template: { spec: {} } },
    };
    assert.equal(buildTable("apps/DaemonSet", [ds], { now: NOW }).columnDefinitions?.[1].name, "Desired");
    assert.equal(
      buildTable("rbac.authorization.k8s.io/ClusterRole", [ds], { now: NOW }).columnDefinitions?.[1].name,
      "Created At",
    );
    // Same kind name in another group is not a Pod.
    assert.deepEqual(
      buildTable("example.com/Pod", [ds], { now: NOW }).columnDefinitions?.map((c) => c.name),
      ["Name", "Age"],
    );
  });

  it("prints NAME and AGE for kinds without a printer", () => {
    const widget = { metadata: { name: "w1", creationTimestamp: ago(3 * HOUR) } };
    const table = buildTable("example.com/Widget", [widget], { now: NOW, includeObject: "None" });
    assert.deepEqual(table.rows, [{ cells: ["w1", "3h"] }]);
  });

  it("renders rows independently, so a one-object table matches the list row", () => {
    const other = {
      ...pod,
      metadata: { ...pod.metadata, name: "fluentd-abcde" },
      status: { phase: "Running" },
    };
    const list = buildTable("/Pod", [pod, other], { now: NOW });
    const single = buildTable("/Pod", [other], { now: NOW, omitHeaders: true });
    assert.deepEqual(single.rows[0], list.rows[1]);
  });
});
