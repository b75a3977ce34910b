// Tests of the definition catalog: which copy of a definition is canonical, when a description is the type's
// own, conflict reports, fallbacks, and reachability.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Schema } from "../../api/schema/types.js";
import { collectDefinitions, reachableDefinitions } from "./schema-definitions.js";
import { CONTAINER, DAEMON_SET, OBJECT_META, POD, POD_SPEC } from "./test-fixtures.suite.js";

const named = (
  definitionName: string,
  description: string,
  properties: Record<string, Schema> = {},
): Schema => ({
  definitionName,
  description,
  type: "object",
  properties,
});

describe("collectDefinitions", () => {
  it("finds every definition nested in the roots", () => {
    const catalog = collectDefinitions([POD, DAEMON_SET]);
    assert.deepEqual([...catalog.byName.keys()].sort(), [
      "io.k8s.api.apps.v1.DaemonSet",
      "io.k8s.api.apps.v1.DaemonSetSpec",
      "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
      "io.k8s.api.core.v1.Container",
      "io.k8s.api.core.v1.ContainerPort",
      "io.k8s.api.core.v1.Pod",
      "io.k8s.api.core.v1.PodSpec",
      "io.k8s.api.core.v1.PodTemplateSpec",
      "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
      "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    ]);
    assert.deepEqual(catalog.conflicts, []);
  });

  it("keeps a type's own description only when the type itself (a root or a list item) was met", () => {
    const catalog = collectDefinitions([POD]);
    assert.ok(catalog.ownDescription.has("io.k8s.api.core.v1.Pod"), "root");
    assert.ok(catalog.ownDescription.has("io.k8s.api.core.v1.Container"), "list item");
    assert.ok(!catalog.ownDescription.has("io.k8s.api.core.v1.PodSpec"), "only field copies of PodSpec");
    assert.ok(!catalog.ownDescription.has(OBJECT_META.definitionName!));
  });

  it("prefers a better-placed occurrence met later", () => {
    const copy = { ...POD_SPEC, description: "field text" };
    const holder = named("example.Holder", "holder", { spec: copy });
    const catalog = collectDefinitions([holder, POD_SPEC]);
    assert.equal(catalog.byName.get(POD_SPEC.definitionName!), POD_SPEC);
    assert.ok(catalog.ownDescription.has(POD_SPEC.definitionName!));
  });

  it("prefers the copy that carries the GVK", () => {
    const { gvk: _gvk, ...withoutGvk } = POD;
    const catalog = collectDefinitions([withoutGvk, POD]);
    assert.deepEqual(catalog.conflicts, []);
    assert.deepEqual(catalog.byName.get(POD.definitionName!)?.gvk, { group: "", version: "v1", kind: "Pod" });
  });

  it("reports two different structures under one name and keeps the first", () => {
    const first = named("example.Thing", "a", { x: { type: "string" } });
    const second = named("example.Thing", "b", { y: { type: "string" } });
    const catalog = collectDefinitions([named("example.Root", "r", { one: first, two: second })]);
    assert.equal(catalog.byName.get("example.Thing"), first);
    assert.equal(catalog.conflicts.length, 1);
    assert.match(catalog.conflicts[0], /example\.Thing: the schema at example\.Root\.two differs/);
  });

  it("does not count field-level differences as conflicts", () => {
    const base = named("example.Thing", "a", { x: { type: "string" } });
    const tightened = {
      ...base,
      description: "field",
      patchStrategy: "retainKeys",
      mapType: "atomic" as const,
    };
    const catalog = collectDefinitions([named("example.Root", "r", { one: base, two: tightened })]);
    assert.deepEqual(catalog.conflicts, []);
  });

  it("uses a fallback only for names the primary schemas lack, silently", () => {
    const fallbackMeta = named(OBJECT_META.definitionName!, "fallback", { other: { type: "string" } });
    const fallbackNew = named("example.Extra", "extra", { meta: fallbackMeta });
    const catalog = collectDefinitions([POD], [fallbackMeta, fallbackNew]);
    assert.equal(catalog.byName.get(OBJECT_META.definitionName!)?.properties?.other, undefined);
    assert.ok(catalog.byName.has("example.Extra"));
    assert.deepEqual(catalog.conflicts, []);
  });
});

describe("reachableDefinitions", () => {
  it("follows references transitively from the roots only", () => {
    const catalog = collectDefinitions([POD, DAEMON_SET]);
    assert.deepEqual(reachableDefinitions(catalog, [CONTAINER.definitionName!]), [
      "io.k8s.api.core.v1.Container",
      "io.k8s.api.core.v1.ContainerPort",
    ]);
    const fromPod = reachableDefinitions(catalog, ["io.k8s.api.core.v1.Pod"]);
    assert.ok(fromPod.includes("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    assert.ok(!fromPod.includes("io.k8s.api.apps.v1.DaemonSetSpec"));
  });

  it("ignores unknown names", () => {
    assert.deepEqual(reachableDefinitions(collectDefinitions([]), ["nope"]), []);
  });
});
