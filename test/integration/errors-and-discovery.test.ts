// Request decoding failures (malformed, oversized, mistyped and unknown-field bodies, unsupported media types,
// unknown paths and methods) and the non-resource endpoints: version, health, metrics and API discovery.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { configMap, daemonSet, namespace, paths } from "../fixtures/objects.js";
import { mapEntry, message, protobufBody, str } from "../fixtures/protobuf-body.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "errors";
const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const NO_SUCH_PATH = "the server could not find the requested resource";

describe("errors and discovery", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(async () => {
    await c.stop();
  });
  describe("request errors", () => {
    it("a body that is not valid JSON answers 400", async () => {
      assertFailure(
        await c.post(paths.configMaps(NS), '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {'),
        {
          code: 400,
          reason: "BadRequest",
        },
      );
    });

    for (const body of ["[1, 2]", '"a string"', "42", "null"]) {
      it(`a body that is not an object (${body}) answers 400`, async () => {
        assertFailure(await c.post(paths.configMaps(NS), body), { code: 400, reason: "BadRequest" });
      });
    }

    it("a body over 3 MiB answers 413", async () => {
      const big = configMap("huge", { data: { blob: "x".repeat(3 * 1024 * 1024 + 1) } });
      const res = await c.post(paths.configMaps(NS), big);
      assertFailure(res, { code: 413, reason: "RequestEntityTooLarge" });
      assert.equal((await c.get(paths.configMap(NS, "huge"))).status, 404);
    });

    it("the 413 message is upstream's", async () => {
      const big = configMap("huge", { data: { blob: "x".repeat(3 * 1024 * 1024 + 1) } });
      assertFailure(await c.post(paths.configMaps(NS), big), {
        code: 413,
        reason: "RequestEntityTooLarge",
        message: "Request entity too large: limit is 3145728",
      });
    });

    it("an unknown resource answers 404 with a Status", async () => {
      const res = await c.get(`/api/v1/namespaces/${NS}/widgets`);
      assertFailure(res, { code: 404, reason: "NotFound", message: NO_SUCH_PATH });
      assert.deepEqual(res.body.details, {});
    });

    it("an unknown group or version answers 404 with a Status", async () => {
      assertFailure(await c.get("/apis/widgets.example.com/v1"), {
        code: 404,
        reason: "NotFound",
        message: NO_SUCH_PATH,
      });
      assertFailure(await c.get("/apis/widgets.example.com/v1/widgets"), { code: 404, reason: "NotFound" });
      assertFailure(await c.get("/apis/apps/v2/daemonsets"), { code: 404, reason: "NotFound" });
    });

    it("an unknown subresource answers 404", async () => {
      assertOk(await c.post(paths.daemonSets(NS), daemonSet("subject")), 201);
      assertFailure(await c.get(`${paths.daemonSet(NS, "subject")}/scale`), {
        code: 404,
        reason: "NotFound",
      });
    });

    it("a method the path does not serve answers 405", async () => {
      assertFailure(await c.put(paths.daemonSets(NS), daemonSet("x")), {
        code: 405,
        reason: "MethodNotAllowed",
        message: "the server does not allow this method on the requested resource",
      });
    });

    it("fieldValidation=Strict rejects an unknown field with upstream's strict decoding error", async () => {
      const body = daemonSet("strict");
      body.spec.foo = "bar";
      assertFailure(await c.post(`${paths.daemonSets(NS)}?fieldValidation=Strict`, body), {
        code: 400,
        reason: "BadRequest",
        message: /strict decoding error: unknown field "spec\.foo"/,
      });
      assert.equal((await c.get(paths.daemonSet(NS, "strict"))).status, 404);
    });

    it("the strict decoding error names the kind and version like upstream's decoder", async () => {
      const body = daemonSet("strict-prefix");
      body.spec.foo = "bar";
      assertFailure(await c.post(`${paths.daemonSets(NS)}?fieldValidation=Strict`, body), {
        code: 400,
        reason: "BadRequest",
        message:
          'DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.foo"',
      });
    });

    it("by default (Warn) an unknown field is dropped with a Warning header", async () => {
      const body = daemonSet("warned");
      body.spec.foo = "bar";
      const res = await c.post(paths.daemonSets(NS), body);
      assertOk(res, 201);
      assert.equal(res.headers.get("warning"), '299 - "unknown field \\"spec.foo\\""');
      assert.equal(res.body.spec.foo, undefined);
      assert.equal((await c.get(paths.daemonSet(NS, "warned"))).body.spec.foo, undefined);
    });

    it("fieldValidation=Ignore drops an unknown field silently", async () => {
      const body = daemonSet("ignored");
      body.spec.foo = "bar";
      const res = await c.post(`${paths.daemonSets(NS)}?fieldValidation=Ignore`, body);
      assertOk(res, 201);
      assert.equal(res.headers.get("warning"), null);
      assert.equal(res.body.spec.foo, undefined);
    });

    it("a value of the wrong type answers 400 with the decoder's message", async () => {
      const body = daemonSet("mistyped");
      body.spec.minReadySeconds = "x";
      assertFailure(await c.post(paths.daemonSets(NS), body), {
        code: 400,
        reason: "BadRequest",
        message:
          'DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal string into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
      });
    });

    it("a protobuf body is decoded like the JSON one", async () => {
      // ConfigMap: metadata (1) {name (1), labels (11)}, data (2).
      const body = protobufBody(
        "v1",
        "ConfigMap",
        message(1, str(1, "from-protobuf"), mapEntry(11, "wire", "proto")),
        mapEntry(2, "key", "value"),
      );
      const res = await fetch(`${c.url}${paths.configMaps(NS)}`, {
        method: "POST",
        headers: { "Content-Type": "application/vnd.kubernetes.protobuf", Accept: "application/json" },
        body,
      });
      const created = (await res.json()) as any;
      assert.equal(res.status, 201, JSON.stringify(created));
      assert.equal(created.kind, "ConfigMap");
      assert.equal(created.metadata.name, "from-protobuf");
      assert.equal(created.metadata.namespace, NS);
      assert.deepEqual(created.metadata.labels, { wire: "proto" });
      assert.deepEqual(created.data, { key: "value" });
    });

    it("a protobuf body that does not decode answers 400", async () => {
      const res = await c.request("POST", paths.configMaps(NS), "k8s\u0000\n\u0002v1", {
        "Content-Type": "application/vnd.kubernetes.protobuf",
      });
      assertFailure(res, { code: 400, reason: "BadRequest" });
    });
  });

  describe("non-resource endpoints and discovery", () => {
    it("/version reports Kubernetes 1.32", async () => {
      const res = await c.get("/version");
      assertOk(res);
      assert.equal(res.body.major, "1");
      assert.equal(res.body.minor, "32");
      assert.match(res.body.gitVersion, /^v1\.32\./);
      for (const k of ["gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"]) {
        assert.equal(typeof res.body[k], "string", k);
      }
    });

    for (const path of ["/healthz", "/livez", "/readyz", "/readyz/etcd"]) {
      it(`${path} answers 200 ok`, async () => {
        const res = await c.get(path);
        assert.equal(res.status, 200);
        assert.equal(res.body, "ok");
      });
    }

    it("/metrics exposes apiserver_request_total in Prometheus text format", async () => {
      await c.get("/api/v1/namespaces");
      const res = await c.get("/metrics");
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
      assert.match(res.body, /^apiserver_request_total\{.*verb="LIST".*\} \d+/m);
    });

    it("/api lists the legacy versions", async () => {
      const res = await c.get("/api");
      assertOk(res);
      assert.equal(res.body.kind, "APIVersions");
      assert.deepEqual(res.body.versions, ["v1"]);
      assert.equal(res.body.serverAddressByClientCIDRs[0].clientCIDR, "0.0.0.0/0");
    });

    it("/apis lists every named group with its preferred version", async () => {
      const res = await c.get("/apis");
      assertOk(res);
      assert.equal(res.body.kind, "APIGroupList");
      assert.equal(res.body.apiVersion, "v1");
      const names = res.body.groups.map((g: any) => g.name);
      // metrics.k8s.io comes last, as aggregated APIs do: kubectl resolves "pods" to the first group that has it.
      assert.deepEqual(names, [
        "apps",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "scheduling.k8s.io",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "apiextensions.k8s.io",
        "metrics.k8s.io",
      ]);
      const apps = res.body.groups[0];
      assert.deepEqual(apps.versions, [{ groupVersion: "apps/v1", version: "v1" }]);
      assert.deepEqual(apps.preferredVersion, { groupVersion: "apps/v1", version: "v1" });
    });

    it("groups inside an APIGroupList carry no kind or apiVersion of their own", async () => {
      const res = await c.get("/apis");
      assert.deepEqual(res.body.groups[0], {
        name: "apps",
        versions: [{ groupVersion: "apps/v1", version: "v1" }],
        preferredVersion: { groupVersion: "apps/v1", version: "v1" },
      });
    });

    it("/apis/apps describes the group and /apis/apps/v1 its resources", async () => {
      const group = await c.get("/apis/apps");
      assertOk(group);
      assert.equal(group.body.kind, "APIGroup");
      assert.equal(group.body.name, "apps");
      const list = await c.get("/apis/apps/v1");
      assertOk(list);
      assert.equal(list.body.kind, "APIResourceList");
      assert.equal(list.body.groupVersion, "apps/v1");
      const ds = list.body.resources.find((r: any) => r.name === "daemonsets");
      assert.equal(ds.singularName, "daemonset");
      assert.equal(ds.namespaced, true);
      assert.equal(ds.kind, "DaemonSet");
      assert.deepEqual(ds.shortNames, ["ds"]);
      assert.deepEqual(ds.categories, ["all"]);
      assert.deepEqual([...ds.verbs].sort(), [
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch",
      ]);
      const status = list.body.resources.find((r: any) => r.name === "daemonsets/status");
      assert.deepEqual(status.verbs, ["get", "patch", "update"]);
    });

    it("/api/v1 lists pods/eviction as a policy/v1 Eviction", async () => {
      const res = await c.get("/api/v1");
      assertOk(res);
      assert.equal(res.body.groupVersion, "v1");
      const eviction = res.body.resources.find((r: any) => r.name === "pods/eviction");
      assert.deepEqual(eviction, {
        name: "pods/eviction",
        singularName: "",
        namespaced: true,
        group: "policy",
        version: "v1",
        kind: "Eviction",
        verbs: ["create"],
      });
    });

    it("aggregated discovery v2 answers with its own content type", async () => {
      for (const root of ["/api", "/apis"]) {
        const res = await c.get(root, { Accept: `${AGGREGATED_V2},application/json` });
        assertOk(res);
        assert.equal(res.headers.get("content-type"), AGGREGATED_V2);
        assert.equal(res.body.kind, "APIGroupDiscoveryList");
        assert.equal(res.body.apiVersion, "apidiscovery.k8s.io/v2");
      }
    });

    it("CustomResourceDefinitions list empty, a named one is 404 and creating one is 405", async () => {
      const path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
      const list = await c.get(path);
      assertOk(list);
      assert.equal(list.body.kind, "CustomResourceDefinitionList");
      assert.deepEqual(list.body.items, []);
      assertFailure(await c.get(`${path}/foos.example.com`), {
        code: 404,
        reason: "NotFound",
        message: 'customresourcedefinitions.apiextensions.k8s.io "foos.example.com" not found',
      });
      const crd = {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "foos.example.com" },
      };
      assertFailure(await c.post(path, crd), {
        code: 405,
        reason: "MethodNotAllowed",
        message:
          'create is not supported on resources of kind "customresourcedefinitions.apiextensions.k8s.io"',
      });
    });

    it("aggregated discovery lists pods with their eviction subresource", async () => {
      const res = await c.get("/api", { Accept: AGGREGATED_V2 });
      const [core] = res.body.items;
      assert.equal(core.versions[0].version, "v1");
      assert.equal(core.versions[0].freshness, "Current");
      const pods = core.versions[0].resources.find((r: any) => r.resource === "pods");
      assert.equal(pods.scope, "Namespaced");
      assert.deepEqual(pods.responseKind, { group: "", version: "v1", kind: "Pod" });
      const eviction = pods.subresources.find((s: any) => s.subresource === "eviction");
      assert.deepEqual(eviction, {
        subresource: "eviction",
        responseKind: { group: "policy", version: "v1", kind: "Eviction" },
        verbs: ["create"],
      });
      const apis = await c.get("/apis", { Accept: AGGREGATED_V2 });
      const apps = apis.body.items.find((g: any) => g.metadata.name === "apps");
      const ds = apps.versions[0].resources.find((r: any) => r.resource === "daemonsets");
      assert.equal(ds.singularResource, "daemonset");
      assert.deepEqual(ds.shortNames, ["ds"]);
    });
  });
});
