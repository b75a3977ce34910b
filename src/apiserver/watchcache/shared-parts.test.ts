// shareCommonParts: two pods of one DaemonSet end up holding the same tolerations, projected volume and resources.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { shareCommonParts } from "./shared-parts.js";

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
