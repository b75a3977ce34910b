// shareCommonParts: two pods of one DaemonSet end up holding the same tolerations, projected volume and resources.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { shareCommonParts, shareUnchanged } from "./shared-parts.js";

const pod = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "default",
    labels: { app: "agent" },
    ownerReferences: [
      { apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "u1", controller: true },
    ],
  },
  spec: {
    nodeName: `node-${name}`,
    tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }],
    volumes: [
      {
        name: `kube-api-access-${name}`,
        projected: { sources: [{ serviceAccountToken: { path: "token" } }] },
      },
    ],
    containers: [{ name: "agent", image: "pause", resources: { requests: { cpu: "5m" } } }],
  },
});

describe("shareCommonParts", () => {
  it("makes equal parts of two pods one frozen object and leaves the rest alone", () => {
    const a = pod("a");
    const b = pod("b");
    const text = JSON.stringify(b);
    shareCommonParts(a);
    shareCommonParts(b);
    assert.equal(b.metadata.labels, a.metadata.labels);
    assert.equal(b.metadata.ownerReferences, a.metadata.ownerReferences);
    assert.equal(b.spec.tolerations, a.spec.tolerations);
    assert.equal(b.spec.volumes[0].projected, a.spec.volumes[0].projected);
    assert.equal(b.spec.containers[0].resources, a.spec.containers[0].resources);
    assert.ok(Object.isFrozen(a.spec.tolerations));
    assert.notEqual(b.spec.volumes[0], a.spec.volumes[0], "the volumes keep their own names");
    assert.equal(JSON.stringify(b), text, "the pod reads the same");
  });

  it("leaves objects of other kinds and frozen specs alone", () => {
    const ds: KubeObject = { ...pod("c"), kind: "DaemonSet" };
    shareCommonParts(ds);
    assert.ok(!Object.isFrozen(ds.spec.tolerations));
    const frozen = pod("d");
    Object.freeze(frozen.spec);
    shareCommonParts(frozen);
    assert.ok(!Object.isFrozen(frozen.spec.tolerations));
  });
});

describe("shareUnchanged", () => {
  const version = (rv: string, phase: string): KubeObject => {
    const p = pod("a");
    p.metadata.resourceVersion = rv;
    p.status = { phase, conditions: [{ type: "Ready", status: phase === "Running" ? "True" : "False" }] };
    return p;
  };

  it("gives the new version the old one's equal parts and keeps what changed its own", () => {
    const prev = version("1", "Pending");
    Object.freeze(prev.spec);
    const next = version("2", "Running");
    const text = JSON.stringify(next);
    assert.equal(shareUnchanged(next, prev), false);
    assert.equal(next.spec, prev.spec, "the unchanged spec is the old one");
    assert.equal(next.metadata.labels, prev.metadata.labels);
    assert.equal(next.metadata.ownerReferences, prev.metadata.ownerReferences);
    assert.notEqual(next.metadata, prev.metadata, "metadata changed (resourceVersion)");
    assert.notEqual(next.status, prev.status);
    assert.equal(next.status.conditions[0].status, "True");
    assert.equal(JSON.stringify(next), text, "the new version reads the same");
  });

  it("counts key order, missing and extra keys as changes", () => {
    assert.equal(shareUnchanged({ a: 1, b: 2 }, { b: 2, a: 1 }), false);
    assert.equal(shareUnchanged({ a: 1 }, { a: 1, b: 2 }), false);
    assert.equal(shareUnchanged({ a: 1, b: 2 }, { a: 1 }), false);
    assert.equal(shareUnchanged({ a: [1, 2] }, { a: [1] }), false);
    assert.equal(shareUnchanged({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] }), true);
    assert.equal(shareUnchanged({ a: {} }, { a: [] }), false);
  });

  it("shares inside lists item by item and leaves frozen parts of the new version as they are", () => {
    const prev = { items: [{ n: 1 }, { n: 2 }], fixed: { x: { y: 1 } } };
    const frozenFixed = Object.freeze({ x: Object.freeze({ y: 1 }) });
    const next = { items: [{ n: 1 }, { n: 3 }], fixed: frozenFixed };
    shareUnchanged(next, prev);
    assert.equal(next.items[0], prev.items[0]);
    assert.notEqual(next.items[1], prev.items[1]);
    assert.equal(next.fixed, prev.fixed, "an equal frozen part is swapped from its parent");
    assert.equal(frozenFixed.x.y, 1);
  });
});
