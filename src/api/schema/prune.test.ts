// Tests for pruneUnknownFields: unknown fields are reported and dropped; known ones set to null are dropped as
// Go's decoder drops them, except timestamps, which upstream writes as null.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { schemaForKind } from "./index.js";
import { pruneUnknownFields } from "./prune.js";

describe("pruneUnknownFields", () => {
  const podSchema = () => {
    const schema = schemaForKind("", "v1", "Pod");
    assert.ok(schema, "the Pod schema");
    return schema;
  };

  it("reports and drops unknown fields, by their upstream path", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", imagee: "x" }] },
    };
    assert.deepEqual(pruneUnknownFields(pod, podSchema()), ["spec.containers[0].imagee"]);
    assert.deepEqual(pod.spec.containers[0], { name: "c" });
  });

  it("a body's own __proto__ and constructor keys are unknown fields, not Object.prototype's", () => {
    const pod = JSON.parse(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","__proto__":{"finalizers":["x"]},"constructor":1}}',
    );
    assert.deepEqual(pruneUnknownFields(pod, podSchema()).sort(), [
      "metadata.__proto__",
      "metadata.constructor",
    ]);
    assert.deepEqual(Object.keys(pod.metadata), ["name"]);
    assert.equal(pod.metadata.finalizers, undefined);
  });

  it("drops known fields set to null, but keeps a null timestamp (a zero metav1.Time)", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", creationTimestamp: null, labels: null },
      status: {
        conditions: [{ type: "Ready", status: "True", reason: null, message: null, lastProbeTime: null }],
        hostIP: null,
      },
    };
    assert.deepEqual(pruneUnknownFields(pod, podSchema()), [], "nulls are not unknown fields");
    assert.deepEqual(pod.metadata, { name: "p", creationTimestamp: null });
    assert.deepEqual(pod.status, { conditions: [{ type: "Ready", status: "True", lastProbeTime: null }] });
  });
});
