// Tests of the OpenAPI v3 documents against what kubectl reads: the index, every resource path, PATCH
// operations that advertise fieldValidation and strategic merge patch, self-contained components, GVKs.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { collectRefs, OPENAPI_V3 } from "./schema-render.js";
import { FIXTURE_RESOURCES, fixtureSchemaForKind } from "./test-fixtures.suite.js";
import { buildOpenApiV3 } from "./v3.js";

const built = buildOpenApiV3(FIXTURE_RESOURCES, fixtureSchemaForKind);
const doc = (key: string): any => JSON.parse(built.docs.get(key)!.json);
const core = doc("api/v1");
const apps = doc("apis/apps/v1");

describe("buildOpenApiV3", () => {
  it("indexes every document by a URL carrying its hash", () => {
    assert.deepEqual(Object.keys(built.index.paths).sort(), [
      "api",
      "api/v1",
      "apis",
      "apis/apps",
      "apis/apps/v1",
    ]);
    for (const [key, { serverRelativeURL }] of Object.entries(built.index.paths)) {
      const { json, hash } = built.docs.get(key)!;
      assert.equal(hash, createHash("sha512").update(json).digest("hex").toUpperCase());
      assert.equal(serverRelativeURL, `/openapi/v3/${key}?hash=${hash}`);
    }
  });

  it("is deterministic", () => {
    const again = buildOpenApiV3(FIXTURE_RESOURCES, fixtureSchemaForKind);
    assert.deepEqual(again.index, built.index);
  });

  it("writes OpenAPI 3.0 documents", () => {
    assert.equal(apps.openapi, "3.0.0");
    assert.equal(typeof apps.info.title, "string");
    assert.ok(apps.components.schemas["io.k8s.api.apps.v1.DaemonSet"]);
  });

  it("has the collection, item, status and all-namespaces paths with the operations the verbs allow", () => {
    const expected: Record<string, string[]> = {
      "/apis/apps/v1/": ["get"],
      "/apis/apps/v1/namespaces/{namespace}/daemonsets": ["get", "post", "delete"],
      "/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}": ["get", "put", "patch", "delete"],
      "/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}/status": ["get", "put", "patch"],
      "/apis/apps/v1/daemonsets": ["get"],
    };
    assert.deepEqual(Object.keys(apps.paths), Object.keys(expected));
    for (const [path, methods] of Object.entries(expected)) {
      assert.deepEqual(
        Object.keys(apps.paths[path]).filter((k) => k !== "parameters"),
        methods,
        path,
      );
    }
  });

  it("names and tags operations as Kubernetes does", () => {
    const ids = Object.values(apps.paths).flatMap((p: any) =>
      Object.entries(p)
        .filter(([k]) => k !== "parameters")
        .map(([, op]: [string, any]) => `${op.operationId} ${op.tags[0]} ${op["x-kubernetes-action"]}`),
    );
    assert.deepEqual(ids, [
      "getAppsV1APIResources apps_v1 undefined",
      "listAppsV1NamespacedDaemonSet apps_v1 list",
      "createAppsV1NamespacedDaemonSet apps_v1 post",
      "deleteAppsV1CollectionNamespacedDaemonSet apps_v1 deletecollection",
      "readAppsV1NamespacedDaemonSet apps_v1 get",
      "replaceAppsV1NamespacedDaemonSet apps_v1 put",
      "patchAppsV1NamespacedDaemonSet apps_v1 patch",
      "deleteAppsV1NamespacedDaemonSet apps_v1 delete",
      "readAppsV1NamespacedDaemonSetStatus apps_v1 get",
      "replaceAppsV1NamespacedDaemonSetStatus apps_v1 put",
      "patchAppsV1NamespacedDaemonSetStatus apps_v1 patch",
      "listAppsV1DaemonSetForAllNamespaces apps_v1 list",
    ]);
  });

  it("covers cluster-scoped resources and the pod subresources", () => {
    for (const path of [
      "/api/v1/nodes",
      "/api/v1/nodes/{name}",
      "/api/v1/nodes/{name}/status",
      "/api/v1/pods",
      "/api/v1/namespaces/{namespace}/pods/{name}/eviction",
      "/api/v1/namespaces/{namespace}/pods/{name}/binding",
    ]) {
      assert.ok(core.paths[path], path);
    }
    const eviction = core.paths["/api/v1/namespaces/{namespace}/pods/{name}/eviction"].post;
    assert.deepEqual(eviction["x-kubernetes-group-version-kind"], {
      group: "policy",
      kind: "Eviction",
      version: "v1",
    });
    const log = core.paths["/api/v1/namespaces/{namespace}/pods/{name}/log"].get;
    assert.deepEqual(log.responses["200"].content["text/plain"].schema, { type: "string" });
    assert.ok(log.parameters.some((p: any) => p.name === "follow"));
  });

  it("makes every PATCH advertise fieldValidation inline and the four patch content types", () => {
    for (const d of [core, apps]) {
      for (const [path, item] of Object.entries<any>(d.paths)) {
        if (!item.patch) continue;
        const names = item.patch.parameters.map((p: any) => p.name);
        for (const name of ["fieldValidation", "fieldManager", "dryRun", "force"])
          assert.ok(names.includes(name), path);
        assert.deepEqual(Object.keys(item.patch.requestBody.content), [
          "application/json-patch+json",
          "application/merge-patch+json",
          "application/strategic-merge-patch+json",
          "application/apply-patch+yaml",
        ]);
        assert.ok(item.patch["x-kubernetes-group-version-kind"].kind, path);
      }
    }
    for (const op of [apps.paths["/apis/apps/v1/namespaces/{namespace}/daemonsets"].post]) {
      assert.ok(op.parameters.some((p: any) => p.name === "fieldValidation" && p.in === "query"));
    }
  });

  it("marks operations with a single-map GVK and path parameters as required", () => {
    const item = apps.paths["/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}"];
    assert.deepEqual(item.get["x-kubernetes-group-version-kind"], {
      group: "apps",
      kind: "DaemonSet",
      version: "v1",
    });
    assert.deepEqual(
      item.parameters.map((p: any) => [p.name, p.in, p.required ?? false]),
      [
        ["name", "path", true],
        ["namespace", "path", true],
        ["pretty", "query", false],
      ],
    );
    // kubectl explain (1.27) finds the kind from the all-namespaces list path's GET.
    assert.equal(
      apps.paths["/apis/apps/v1/daemonsets"].get["x-kubernetes-group-version-kind"].kind,
      "DaemonSet",
    );
  });

  it("carries every schema its operations and definitions refer to", () => {
    for (const [key, { json }] of built.docs) {
      const d = JSON.parse(json);
      const missing = [...collectRefs(d, OPENAPI_V3.refPrefix)].filter((r) => !(r in d.components.schemas));
      assert.deepEqual(missing, [], key);
    }
    assert.ok(apps.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
    assert.ok(apps.components.schemas["io.k8s.api.core.v1.PodSpec"]);
    assert.ok(
      !core.components.schemas["io.k8s.api.apps.v1.DaemonSet"],
      "no definitions from other group-versions",
    );
  });

  it("labels kind and list definitions with their GVK, synthesizing lists the schemas lack", () => {
    const schemas = apps.components.schemas;
    assert.deepEqual(schemas["io.k8s.api.apps.v1.DaemonSet"]["x-kubernetes-group-version-kind"], [
      { group: "apps", kind: "DaemonSet", version: "v1" },
    ]);
    const list = schemas["io.k8s.api.apps.v1.DaemonSetList"];
    assert.deepEqual(list["x-kubernetes-group-version-kind"], [
      { group: "apps", kind: "DaemonSetList", version: "v1" },
    ]);
    assert.deepEqual(list.properties.items.items, {
      $ref: "#/components/schemas/io.k8s.api.apps.v1.DaemonSet",
    });
    assert.ok(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"]);
    assert.ok(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Status"]);
    assert.ok(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"]);
  });

  it("keeps the strategic merge metadata on PodSpec.containers", () => {
    const containers = apps.components.schemas["io.k8s.api.core.v1.PodSpec"].properties.containers;
    assert.equal(containers["x-kubernetes-patch-merge-key"], "name");
    assert.equal(containers["x-kubernetes-patch-strategy"], "merge");
  });

  it("serves kinds without a schema with free-form bodies and no GVK definition", () => {
    const node = core.paths["/api/v1/nodes/{name}"];
    assert.ok(node.patch.parameters.some((p: any) => p.name === "fieldValidation"));
    assert.equal(node.get.responses["200"].content["application/json"].schema.type, "object");
    const kinds = Object.values<any>(core.components.schemas).flatMap((s) =>
      (s["x-kubernetes-group-version-kind"] ?? []).map((g: any) => g.kind),
    );
    assert.ok(!kinds.includes("Node"));
    assert.ok(kinds.includes("Pod"));
  });
});
