// Tests of Schema → OpenAPI rendering in both flavours: references and their field-level siblings, the vendor
// extensions kubectl reads, and the shapes kubectl's Swagger parser insists on.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Schema } from "../../api/schema/types.js";
import { collectDefinitions } from "./schema-definitions.js";
import { collectRefs, OPENAPI_V3, SchemaRenderer, SWAGGER_V2 } from "./schema-render.js";
import { DAEMON_SET, POD } from "./test-fixtures.suite.js";

const catalog = collectDefinitions([POD, DAEMON_SET]);
const v2 = new SchemaRenderer(catalog, SWAGGER_V2);
const v3 = new SchemaRenderer(catalog, OPENAPI_V3);

describe("SchemaRenderer", () => {
  it("puts the merge key and strategy on the list field, for strategic merge patch", () => {
    for (const renderer of [v2, v3]) {
      const containers = (renderer.definition("io.k8s.api.core.v1.PodSpec")!.properties as any).containers;
      assert.deepEqual(containers, {
        description: "The containers.",
        type: "array",
        items: { $ref: `${renderer.flavor.refPrefix}io.k8s.api.core.v1.Container` },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name",
        "x-kubernetes-patch-strategy": "merge",
      });
    }
  });

  it("wraps a described reference in allOf for v3 and keeps it beside $ref for v2", () => {
    const meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    assert.deepEqual((v3.definition("io.k8s.api.core.v1.Pod")!.properties as any).metadata, {
      allOf: [{ $ref: `#/components/schemas/${meta}` }],
      description: "Standard object metadata.",
    });
    assert.deepEqual((v2.definition("io.k8s.api.core.v1.Pod")!.properties as any).metadata, {
      $ref: `#/definitions/${meta}`,
      description: "Standard object metadata.",
    });
  });

  it("gives top-level kinds the GVK list extension", () => {
    assert.deepEqual(v3.definition("io.k8s.api.apps.v1.DaemonSet")!["x-kubernetes-group-version-kind"], [
      { group: "apps", kind: "DaemonSet", version: "v1" },
    ]);
    assert.equal(
      v3.definition("io.k8s.api.apps.v1.DaemonSetSpec")!["x-kubernetes-group-version-kind"],
      undefined,
    );
  });

  it("keeps a type's own description and drops one copied from a field", () => {
    assert.equal(v3.definition("io.k8s.api.core.v1.Container")!.description, "A container of a pod.");
    assert.equal(v3.definition("io.k8s.api.core.v1.PodSpec")!.description, undefined);
    // A list item that is the type itself needs no repeated description.
    assert.deepEqual((v3.definition("io.k8s.api.core.v1.PodSpec")!.properties as any).containers.items, {
      $ref: "#/components/schemas/io.k8s.api.core.v1.Container",
    });
  });

  it("renders IntOrString as Kubernetes publishes it, plus the extension", () => {
    // Met only as a field copy in the fixtures, so its description stays on that field.
    assert.deepEqual(v2.definition("io.k8s.apimachinery.pkg.util.intstr.IntOrString"), {
      type: "string",
      format: "int-or-string",
      "x-kubernetes-int-or-string": true,
    });
  });

  it("renders enums, required, maps, atomic maps and preserve-unknown-fields", () => {
    const container = v3.definition("io.k8s.api.core.v1.Container")!;
    assert.deepEqual(container.required, ["name"]);
    assert.deepEqual((container.properties as any).imagePullPolicy.enum, ["Always", "IfNotPresent", "Never"]);
    const nodeSelector = (v3.definition("io.k8s.api.core.v1.PodSpec")!.properties as any).nodeSelector;
    assert.deepEqual(nodeSelector.additionalProperties, { type: "string" });
    assert.equal(nodeSelector["x-kubernetes-map-type"], "atomic");
    const status = (v3.definition("io.k8s.api.apps.v1.DaemonSet")!.properties as any).status;
    assert.equal(status["x-kubernetes-preserve-unknown-fields"], true);
  });

  it("gives an array without an item schema an empty one (kubectl's v2 parser needs exactly one)", () => {
    const tolerations = (v2.definition("io.k8s.api.core.v1.PodSpec")!.properties as any).tolerations;
    assert.deepEqual(tolerations.items, {});
  });

  it("writes list/map semantics that a field tightens next to the reference", () => {
    const base: Schema = {
      definitionName: "example.Sel",
      type: "object",
      properties: { a: { type: "string" } },
    };
    const root: Schema = {
      definitionName: "example.Root",
      type: "object",
      properties: { plain: base, atomic: { ...base, mapType: "atomic", patchStrategy: "retainKeys" } },
    };
    const r = new SchemaRenderer(collectDefinitions([root]), OPENAPI_V3);
    const props = r.definition("example.Root")!.properties as any;
    assert.deepEqual(props.plain, { $ref: "#/components/schemas/example.Sel" });
    assert.deepEqual(props.atomic, {
      allOf: [{ $ref: "#/components/schemas/example.Sel" }],
      "x-kubernetes-map-type": "atomic",
      "x-kubernetes-patch-strategy": "retainKeys",
    });
    assert.equal(r.definition("example.Sel")!["x-kubernetes-map-type"], undefined);
  });

  it("never puts a type or properties beside a v2 $ref", () => {
    const offenders: string[] = [];
    const check = (value: unknown, path: string): void => {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) check(v, `${path}[${i}]`);
      } else if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if ("$ref" in o && ("type" in o || "properties" in o)) offenders.push(path);
        for (const [k, v] of Object.entries(o)) check(v, `${path}.${k}`);
      }
    };
    for (const name of catalog.byName.keys()) check(v2.definition(name), name);
    assert.deepEqual(offenders, []);
  });

  it("refers only to definitions in the catalog", () => {
    const refs = new Set<string>();
    for (const name of catalog.byName.keys()) collectRefs(v3.definition(name)!, OPENAPI_V3.refPrefix, refs);
    assert.deepEqual(
      [...refs].filter((r) => !catalog.byName.has(r)),
      [],
    );
  });

  it("returns undefined for an unknown definition", () => {
    assert.equal(v3.definition("no.such.Thing"), undefined);
  });
});
