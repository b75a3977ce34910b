// Tests of the Swagger 2.0 document and its gnostic protobuf form: the protobuf decodes back to the JSON
// document, and both satisfy what kubectl 1.27/1.28 check (PATCH with fieldValidation and a single-map GVK,
// definitions with a GVK list, resolvable references, one item schema per array).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JsonObject } from "./json-types.js";
import { readProtoFields } from "./protobuf.js";
import { collectRefs, SWAGGER_V2 } from "./schema-render.js";
import { FIXTURE_RESOURCES, fixtureSchemaForKind } from "./test-fixtures.suite.js";
import { decodeAny, decodeGnosticDocument } from "./test-gnostic-decoder.suite.js";
import { buildOpenApiV2Json, buildOpenApiV2Protobuf } from "./v2.js";

const json = buildOpenApiV2Json(FIXTURE_RESOURCES, fixtureSchemaForKind) as any;
const protobuf = buildOpenApiV2Protobuf(FIXTURE_RESOURCES, fixtureSchemaForKind);

/** Walks message fields by number: `at(bytes, 8, 2)` is the first Paths.path entry of a Document. */
function at(bytes: Uint8Array, ...fieldPath: number[]): Uint8Array {
  let current = bytes;
  for (const n of fieldPath) {
    const f = readProtoFields(current).find((x) => x.field === n);
    assert.ok(f, `field ${n} missing`);
    current = f.value as Uint8Array;
  }
  return current;
}

describe("buildOpenApiV2Json", () => {
  it("is a Swagger 2.0 document with every path of every group-version", () => {
    assert.equal(json.swagger, "2.0");
    for (const path of [
      "/api/",
      "/apis/",
      "/apis/apps/",
      "/api/v1/",
      "/api/v1/namespaces/{namespace}/pods/{name}",
      "/api/v1/nodes/{name}/status",
      "/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}",
      "/apis/apps/v1/daemonsets",
    ]) {
      assert.ok(json.paths[path], path);
    }
  });

  it("gives PATCH a body parameter, fieldValidation, the patch types in consumes and a GVK", () => {
    const patch = json.paths["/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}"].patch;
    assert.deepEqual(patch.parameters[0], {
      in: "body",
      name: "body",
      required: true,
      schema: { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch" },
    });
    assert.ok(
      patch.parameters.some(
        (p: any) => p.name === "fieldValidation" && p.in === "query" && p.type === "string",
      ),
    );
    assert.ok(patch.consumes.includes("application/strategic-merge-patch+json"));
    assert.deepEqual(patch["x-kubernetes-group-version-kind"], {
      group: "apps",
      kind: "DaemonSet",
      version: "v1",
    });
    assert.deepEqual(patch.responses["200"].schema, { $ref: "#/definitions/io.k8s.api.apps.v1.DaemonSet" });
  });

  it("has every referenced definition, the GVK list on kinds and merge keys on PodSpec.containers", () => {
    const missing = [...collectRefs(json, SWAGGER_V2.refPrefix)].filter((r) => !(r in json.definitions));
    assert.deepEqual(missing, []);
    assert.deepEqual(json.definitions["io.k8s.api.core.v1.Pod"]["x-kubernetes-group-version-kind"], [
      { group: "", kind: "Pod", version: "v1" },
    ]);
    const containers = json.definitions["io.k8s.api.core.v1.PodSpec"].properties.containers;
    assert.equal(containers["x-kubernetes-patch-merge-key"], "name");
    assert.equal(containers["x-kubernetes-patch-strategy"], "merge");
  });
});

describe("buildOpenApiV2Protobuf", () => {
  it("decodes back to the JSON document", () => {
    assert.deepEqual(decodeGnosticDocument(protobuf), JSON.parse(JSON.stringify(json)) as JsonObject);
  });

  it("stores the operation GVK as a YAML map and the definition GVK as a YAML list", () => {
    const decoded = decodeGnosticDocument(protobuf) as any;
    assert.deepEqual(decoded.paths["/api/v1/nodes/{name}"].patch["x-kubernetes-group-version-kind"], {
      group: "",
      kind: "Node",
      version: "v1",
    });
    // Document.definitions(9) → NamedSchema(1) → value(2) → Schema.vendor_extension(31) → NamedAny.value(2).
    const definitions = readProtoFields(at(protobuf, 9)).map((f) => f.value as Uint8Array);
    const pod = definitions.find((d) => Buffer.from(at(d, 1)).toString() === "io.k8s.api.core.v1.Pod")!;
    const extension = readProtoFields(at(pod, 2)).find((f) => f.field === 31)!.value as Uint8Array;
    assert.equal(Buffer.from(at(extension, 1)).toString(), "x-kubernetes-group-version-kind");
    assert.equal(decodeAny(at(extension, 2)).yaml, '- group: ""\n  kind: "Pod"\n  version: "v1"\n');
  });

  it("puts fieldValidation in a QueryParameterSubSchema, where kubectl looks for it", () => {
    // Paths(8) → NamedPathItem(2): find the DaemonSet item path, then PathItem.patch(8) → parameters(8).
    const items = readProtoFields(at(protobuf, 8)).filter((f) => f.field === 2);
    const item = items
      .map((f) => f.value as Uint8Array)
      .find(
        (b) => Buffer.from(at(b, 1)).toString() === "/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}",
      )!;
    const parameters = readProtoFields(at(item, 2, 8))
      .filter((f) => f.field === 8)
      .map((f) => f.value as Uint8Array);
    // ParametersItem.parameter(1) → Parameter.non_body_parameter(2) → query_parameter_sub_schema(3) → name(4).
    const queryNames = parameters
      .filter((p) => readProtoFields(at(p, 1))[0].field === 2)
      .map((p) => Buffer.from(at(p, 1, 2, 3, 4)).toString());
    assert.ok(queryNames.includes("fieldValidation"), queryNames.join(","));
  });

  it("gives every array schema exactly one item schema and no $ref a type", () => {
    const problems: string[] = [];
    const visit = (s: any, path: string): void => {
      if (!s || typeof s !== "object") return;
      if (s.type === "array" && (Array.isArray(s.items) || !s.items)) problems.push(`${path}: items`);
      if (s.$ref && (s.type || s.properties)) problems.push(`${path}: $ref with type`);
      for (const [k, v] of Object.entries(s.properties ?? {})) visit(v, `${path}.${k}`);
      visit(s.items, `${path}[]`);
      if (typeof s.additionalProperties === "object") visit(s.additionalProperties, `${path}{}`);
    };
    const decoded = decodeGnosticDocument(protobuf) as any;
    for (const [name, s] of Object.entries(decoded.definitions)) visit(s, name);
    assert.deepEqual(problems, []);
  });
});
