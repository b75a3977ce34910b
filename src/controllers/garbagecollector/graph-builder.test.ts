// Graph bookkeeping without an API server: which events create virtual owners, which queue what, and how
// virtual deletes are resolved.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import type { KubeObject } from "../../api/object.js";
import { createLogger } from "../../util/log.js";
import { GraphNode } from "./graph.js";
import {
  alternateOwnerIdentity,
  GraphBuilder,
  partitionDependents,
  referencesDiffs,
} from "./graph-builder.js";

const logger = createLogger("graph-test", "silent");

function recordingBuilder() {
  const queued: string[] = [];
  const builder = new GraphBuilder(
    {
      attemptToDelete: (uid, rateLimited) => queued.push(`delete:${uid}${rateLimited ? ":later" : ""}`),
      attemptToOrphan: (uid) => queued.push(`orphan:${uid}`),
    },
    logger,
  );
  return { builder, queued };
}

const ref = (uid: string, name = uid, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  name,
  uid,
  ...extra,
});

function cm(
  uid: string,
  owners: OwnerReference[] = [],
  meta: Partial<KubeObject["metadata"]> = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: uid, namespace: "ns", uid, ownerReferences: owners, ...meta },
  };
}

const add = (obj: KubeObject) => ({ type: "add" as const, apiVersion: "v1", kind: "ConfigMap", obj });

describe("referencesDiffs", () => {
  it("matches references by uid", () => {
    const diff = referencesDiffs(
      [ref("a"), ref("b"), ref("c")],
      [ref("b"), ref("c", "c", { blockOwnerDeletion: true }), ref("d")],
    );
    assert.deepEqual(
      diff.added.map((r) => r.uid),
      ["d"],
    );
    assert.deepEqual(
      diff.removed.map((r) => r.uid),
      ["a"],
    );
    assert.deepEqual(
      diff.changed.map((c) => c.newRef.uid),
      ["c"],
    );
  });
});

describe("GraphBuilder", () => {
  it("creates a virtual owner for an unseen owner and asks the workers to verify it", () => {
    const { builder, queued } = recordingBuilder();
    builder.process(add(cm("dep", [ref("owner")])));
    const owner = builder.uidToNode.get("owner");
    assert.equal(owner?.virtual, true);
    assert.deepEqual(owner?.identity, {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "owner",
      uid: "owner",
      namespace: "ns",
    });
    assert.deepEqual(queued, ["delete:owner"]);
    builder.process(add(cm("owner")));
    assert.equal(owner?.virtual, false, "the informer's report makes it real");
  });

  it("queues the dependents of a deleted owner and records the owner absent", () => {
    const { builder, queued } = recordingBuilder();
    builder.process(add(cm("owner")));
    builder.process(add(cm("dep", [ref("owner")])));
    builder.process({ type: "delete", apiVersion: "v1", kind: "ConfigMap", obj: cm("owner") });
    assert.deepEqual(queued, ["delete:dep"]);
    assert.equal(builder.uidToNode.has("owner"), false);
    assert.ok(
      builder.absentOwnerCache.has({
        apiVersion: "v1",
        kind: "ConfigMap",
        name: "owner",
        uid: "owner",
        namespace: "ns",
      }),
    );
  });

  const deleting = { deletionTimestamp: "2024-01-01T00:00:00Z" };
  const transitions: [string, KubeObject, string[]][] = [
    ["orphan deletion starts", cm("owner", [], { ...deleting, finalizers: ["orphan"] }), ["orphan:owner"]],
    [
      "foreground deletion starts",
      cm("owner", [], { ...deleting, finalizers: ["foregroundDeletion"] }),
      ["delete:dep", "delete:owner"],
    ],
    ["a plain update", cm("owner", [], { labels: { a: "b" } }), []],
  ];
  for (const [what, updated, expected] of transitions) {
    it(`queues on update when ${what}`, () => {
      const { builder, queued } = recordingBuilder();
      builder.process(add(cm("owner")));
      builder.process(add(cm("dep", [ref("owner")])));
      builder.process({
        type: "update",
        apiVersion: "v1",
        kind: "ConfigMap",
        obj: updated,
        oldObj: cm("owner"),
      });
      assert.deepEqual(queued, expected);
    });
  }

  it("releases a foreground owner when a blocking reference is dropped", () => {
    const { builder, queued } = recordingBuilder();
    builder.process(add(cm("owner", [], { ...deleting, finalizers: ["foregroundDeletion"] })));
    builder.process(add(cm("dep", [ref("owner", "owner", { blockOwnerDeletion: true })])));
    queued.length = 0;
    builder.process({
      type: "update",
      apiVersion: "v1",
      kind: "ConfigMap",
      obj: cm("dep"),
      oldObj: cm("dep"),
    });
    assert.deepEqual(queued, ["delete:owner"]);
    assert.deepEqual(builder.uidToNode.get("owner")?.blockingDependents(), []);
  });

  it("keeps a virtual owner that dependents name differently, under the other identity", () => {
    const { builder, queued } = recordingBuilder();
    builder.process(add(cm("dep-1", [ref("owner", "name-1")])));
    builder.process(add(cm("dep-2", [ref("owner", "name-2")])));
    queued.length = 0;
    builder.virtualDelete({
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "name-1",
      uid: "owner",
      namespace: "ns",
    });
    assert.equal(builder.uidToNode.get("owner")?.identity.name, "name-2");
    assert.deepEqual(queued, ["delete:dep-1", "delete:owner:later"]);
  });
});

describe("partitionDependents and alternateOwnerIdentity", () => {
  const owner = { apiVersion: "v1", kind: "ConfigMap", name: "o", uid: "u", namespace: "ns" };
  const dependent = (name: string, namespace: string, refs: OwnerReference[]) =>
    new GraphNode({ apiVersion: "v1", kind: "ConfigMap", name, uid: name, namespace }, refs, false);

  it("splits by coordinates and namespace", () => {
    const same = dependent("same", "ns", [ref("u", "o")]);
    const renamed = dependent("renamed", "ns", [ref("u", "p")]);
    const elsewhere = dependent("elsewhere", "other", [ref("u", "o")]);
    const [matching, nonMatching] = partitionDependents([same, renamed, elsewhere], owner);
    assert.deepEqual(
      matching.map((d) => d.identity.name),
      ["same"],
    );
    assert.deepEqual(
      nonMatching.map((d) => d.identity.name),
      ["renamed", "elsewhere"],
    );
    assert.equal(
      alternateOwnerIdentity([renamed, elsewhere], owner)?.name,
      "p",
      "namespace sorts before name",
    );
    assert.equal(alternateOwnerIdentity([elsewhere], owner)?.namespace, "other");
    assert.equal(alternateOwnerIdentity([same], owner), undefined);
  });
});
