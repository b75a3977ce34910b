// Tests of OpenApiDocs (lazy, cached, consistent with the builders) and of the documents built from the
// project's real resource table and schemas: self-contained, free of definition conflicts, with the patch
// metadata kubectl needs for the fields `kubectl apply` and `set image` touch.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RESOURCES } from "../../api/resources.js";
import { schemaForKind } from "../../api/schema/index.js";
import { SERVED_RESOURCES, servedSchemaForKind } from "../served-resources.js";
import { buildApiModel, type SchemaForKind } from "./api-model.js";
import { OpenApiDocs, openApiDocs } from "./index.js";
import { collectRefs, OPENAPI_V3 } from "./schema-render.js";
import { FIXTURE_RESOURCES, fixtureSchemaForKind } from "./test-fixtures.suite.js";
import { decodeGnosticDocument } from "./test-gnostic-decoder.suite.js";
import { buildOpenApiV2Protobuf, renderOpenApiV2 } from "./v2.js";
import { buildOpenApiV3 } from "./v3.js";

describe("OpenApiDocs", () => {
  it("builds nothing until a document is asked for, then builds once", () => {
    let lookups = 0;
    const counting: SchemaForKind = (g, v, k) => {
      lookups++;
      return fixtureSchemaForKind(g, v, k);
    };
    const docs = new OpenApiDocs(FIXTURE_RESOURCES, counting);
    assert.equal(lookups, 0);
    const index = docs.v3Index();
    const afterFirst = lookups;
    assert.ok(afterFirst > 0);
    assert.equal(docs.v3Index(), index);
    docs.v2Protobuf();
    assert.equal(lookups, afterFirst, "v2 reuses the model built for v3");
  });

  it("serves the same documents as the builders", () => {
    const docs = new OpenApiDocs(FIXTURE_RESOURCES, fixtureSchemaForKind);
    const v3 = buildOpenApiV3(FIXTURE_RESOURCES, fixtureSchemaForKind);
    assert.deepEqual(JSON.parse(docs.v3Index()), v3.index);
    assert.deepEqual(docs.v3Doc("apis/apps/v1"), v3.docs.get("apis/apps/v1"));
    assert.deepEqual(docs.v2Protobuf(), buildOpenApiV2Protobuf(FIXTURE_RESOURCES, fixtureSchemaForKind));
    assert.match(docs.v2Etag, /^[0-9A-F]{128}$/);
  });

  it("finds documents with or without surrounding slashes and rejects unknown ones", () => {
    const docs = new OpenApiDocs(FIXTURE_RESOURCES, fixtureSchemaForKind);
    assert.equal(docs.v3Doc("/api/v1/"), docs.v3Doc("api/v1"));
    assert.ok(docs.v3Doc("apis"));
    assert.equal(docs.v3Doc("apis/nope/v1"), undefined);
  });
});

describe("openApiDocs (the project's resources and schemas)", () => {
  const docs = openApiDocs();
  const v3 = (key: string): any => JSON.parse(docs.v3Doc(key)!.json);

  it("has no definition used with two different structures", () => {
    assert.deepEqual(docs.definitionConflicts(), []);
  });

  it("has a self-contained v3 document for every group-version", () => {
    const groupVersions = new Set(
      SERVED_RESOURCES.map((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)),
    );
    for (const key of groupVersions) {
      const doc = v3(key);
      const missing = [...collectRefs(doc, OPENAPI_V3.refPrefix)].filter(
        (r) => !(r in doc.components.schemas),
      );
      assert.deepEqual(missing, [], key);
    }
  });

  it("describes every kind of the resource table by its GVK, with fieldValidation on its PATCH", () => {
    for (const r of RESOURCES) {
      const doc = v3(r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`);
      const gvk = { group: r.group, kind: r.kind, version: r.version };
      if (schemaForKind(r.group, r.version, r.kind)) {
        const definitions = Object.values<any>(doc.components.schemas).filter((s) =>
          (s["x-kubernetes-group-version-kind"] ?? []).some(
            (g: any) => g.kind === r.kind && g.group === r.group,
          ),
        );
        assert.equal(definitions.length, 1, r.kind);
      }
      const patches = Object.values<any>(doc.paths)
        .map((p) => p.patch)
        .filter((op) => op && JSON.stringify(op["x-kubernetes-group-version-kind"]) === JSON.stringify(gvk));
      assert.ok(patches.length > 0, r.kind);
      for (const op of patches) {
        assert.ok(
          op.parameters.some((p: any) => p.name === "fieldValidation"),
          r.kind,
        );
        assert.ok("application/strategic-merge-patch+json" in op.requestBody.content, r.kind);
      }
    }
  });

  it("publishes the merge keys strategic merge patch relies on", () => {
    const schemas = v3("apis/apps/v1").components.schemas;
    const field = (definition: string, name: string): any =>
      schemas[`io.k8s.api.core.v1.${definition}`].properties[name];
    const mergedBy: [definition: string, field: string, key: string][] = [
      ["PodSpec", "containers", "name"],
      ["PodSpec", "initContainers", "name"],
      ["PodSpec", "volumes", "name"],
      ["Container", "env", "name"],
      ["Container", "ports", "containerPort"],
      ["Container", "volumeMounts", "mountPath"],
    ];
    for (const [definition, name, key] of mergedBy) {
      assert.equal(field(definition, name)["x-kubernetes-patch-merge-key"], key, `${definition}.${name}`);
      assert.match(field(definition, name)["x-kubernetes-patch-strategy"], /merge/, `${definition}.${name}`);
    }
    // Replaced whole, as upstream: no merge key.
    assert.equal(field("PodSpec", "tolerations")["x-kubernetes-patch-merge-key"], undefined);
  });

  it("encodes a v2 protobuf that decodes to the v2 document", () => {
    const json = renderOpenApiV2(buildApiModel(SERVED_RESOURCES, servedSchemaForKind));
    assert.deepEqual(decodeGnosticDocument(docs.v2Protobuf()), JSON.parse(JSON.stringify(json)));
  });

  it("builds every document quickly", () => {
    // The server builds the documents at startup; a generous bound catches accidental blow-ups, not jitter.
    const start = performance.now();
    const fresh = new OpenApiDocs(SERVED_RESOURCES, servedSchemaForKind);
    fresh.v3Index();
    fresh.v2Protobuf();
    assert.ok(performance.now() - start < 1000, `${performance.now() - start} ms`);
  });
});
