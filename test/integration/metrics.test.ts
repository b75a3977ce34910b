// The metrics.k8s.io API against a real in-process server: discovery (legacy and aggregated), NodeMetrics and
// PodMetrics lists and gets computed from Running pods, selectors, not-found answers, tables, OpenAPI, and 405
// for watch and every write.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/object.js";
import { parseQuantity } from "../../src/api/quantity.js";
import { buildNode } from "../../src/nodes/node-template.js";
import { namespace, paths, TABLE_ACCEPT } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "metrics";
const OTHER_NS = "metrics-other";
const API = "/apis/metrics.k8s.io/v1beta1";
const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

interface ContainerRequest {
  name: string;
  cpu?: string;
  memory?: string;
}

function podOn(
  nodeName: string,
  name: string,
  containers: ContainerRequest[],
  labels?: Record<string, string>,
) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: {
      nodeName,
      containers: containers.map((c) => {
        const requests: Record<string, string> = {};
        if (c.cpu) requests.cpu = c.cpu;
        if (c.memory) requests.memory = c.memory;
        return { name: c.name, image: "busybox:1.36", resources: { requests } };
      }),
    },
  };
}

const cpuNanos = (q: string): number => Number(parseQuantity(q).nanos);
const bytes = (q: string): number => Number(parseQuantity(q).value());

describe("metrics.k8s.io", () => {
  let c: TestCluster;

  async function createNode(name: string, index: number, labels: Record<string, string> = {}) {
    const node = buildNode(name, index, Date.now());
    node.metadata.labels = { ...node.metadata.labels, ...labels };
    assertOk(await c.post("/api/v1/nodes", node), 201);
  }

  async function runPod(ns: string, pod: KubeObject, phase = "Running") {
    assertOk(await c.post(paths.pods(ns), pod), 201);
    const res = await c.patch(`${paths.pod(ns, pod.metadata.name!)}/status`, { status: { phase } }, "merge");
    assertOk(res);
  }

  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
    assertOk(await c.post(paths.namespaces(), namespace(OTHER_NS)), 201);
    await createNode("n-a", 1, { pool: "blue" });
    await createNode("n-b", 2, { pool: "green" });
    await createNode("n-gone", 3, { pool: "blue" });
    // The kubelet of n-gone stopped answering: metrics-server cannot scrape it.
    assertOk(
      await c.patch("/api/v1/nodes/n-gone/status", {
        status: { conditions: [{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" }] },
      }),
    );
    await runPod(NS, podOn("n-a", "web", [{ name: "main", cpu: "200m", memory: "256Mi" }], { app: "web" }));
    await runPod(
      NS,
      podOn("n-b", "sidecars", [{ name: "app", cpu: "1", memory: "1Gi" }, { name: "proxy" }], {
        app: "mesh",
      }),
    );
    await runPod(NS, podOn("n-a", "waiting", [{ name: "main", cpu: "100m" }], { app: "web" }), "Pending");
    await runPod(NS, podOn("n-gone", "stranded", [{ name: "main", cpu: "100m" }]));
    await runPod(OTHER_NS, podOn("n-b", "db", [{ name: "postgres", cpu: "500m", memory: "2Gi" }]));
  });
  after(async () => {
    await c.stop();
  });

  describe("discovery", () => {
    it("/apis lists metrics.k8s.io last, after the core-shadowing groups", async () => {
      const res = await c.get("/apis");
      const names = res.body.groups.map((g: any) => g.name);
      assert.equal(names.at(-1), "metrics.k8s.io");
      assert.deepEqual(res.body.groups.at(-1).preferredVersion, {
        groupVersion: "metrics.k8s.io/v1beta1",
        version: "v1beta1",
      });
      assertOk(await c.get("/apis/metrics.k8s.io"));
    });

    it("/apis/metrics.k8s.io/v1beta1 lists nodes and pods, read-only", async () => {
      const res = await c.get(API);
      assertOk(res);
      assert.deepEqual(res.body.resources, [
        {
          name: "nodes",
          singularName: "nodemetrics",
          namespaced: false,
          kind: "NodeMetrics",
          verbs: ["get", "list"],
        },
        {
          name: "pods",
          singularName: "podmetrics",
          namespaced: true,
          kind: "PodMetrics",
          verbs: ["get", "list"],
        },
      ]);
    });

    it("aggregated discovery describes both kinds", async () => {
      const res = await c.get("/apis", { Accept: AGGREGATED_V2 });
      const group = res.body.items.at(-1);
      assert.equal(group.metadata.name, "metrics.k8s.io");
      const [version] = group.versions;
      assert.equal(version.version, "v1beta1");
      assert.deepEqual(
        version.resources.map((r: any) => [r.resource, r.responseKind.kind, r.scope, r.verbs]),
        [
          ["nodes", "NodeMetrics", "Cluster", ["get", "list"]],
          ["pods", "PodMetrics", "Namespaced", ["get", "list"]],
        ],
      );
      const core = (await c.get("/api", { Accept: AGGREGATED_V2 })).body.items[0];
      assert.ok(core.versions[0].resources.some((r: any) => r.resource === "pods"));
    });

    it("OpenAPI v3 describes the group with its kinds", async () => {
      const index = await c.get("/openapi/v3");
      const entry = index.body.paths["apis/metrics.k8s.io/v1beta1"];
      assert.ok(entry, "metrics group in the OpenAPI index");
      const doc = await c.get(entry.serverRelativeURL);
      assertOk(doc);
      const kinds = Object.values<any>(doc.body.components.schemas).flatMap((s) =>
        (s["x-kubernetes-group-version-kind"] ?? []).map((g: any) => g.kind),
      );
      assert.ok(kinds.includes("NodeMetrics") && kinds.includes("PodMetrics"), kinds.join());
      assert.deepEqual(Object.keys(doc.body.paths[`/${API.slice(1)}/nodes/{name}`]).sort(), [
        "get",
        "parameters",
      ]);
    });
  });

  describe("NodeMetrics", () => {
    it("lists every node whose kubelet answers, by name", async () => {
      const res = await c.get(`${API}/nodes`);
      assertOk(res);
      assert.equal(res.body.kind, "NodeMetricsList");
      assert.equal(res.body.apiVersion, "metrics.k8s.io/v1beta1");
      assert.deepEqual(
        res.body.items.map((m: any) => m.metadata.name),
        ["n-a", "n-b"],
      );
      for (const m of res.body.items) {
        assert.equal(m.window, "15s");
        assert.match(m.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.ok(Date.now() - Date.parse(m.timestamp) < 30_000);
        assert.match(m.usage.cpu, /^\d+[num]?$/);
        assert.match(m.usage.memory, /^\d+(Ki|Mi|Gi)?$/);
      }
    });

    it("a node uses its pods' usage plus the system overhead, within its capacity", async () => {
      const [node, pods] = await Promise.all([c.get(`${API}/nodes/n-b`), c.get(`${API}/pods`)]);
      assertOk(node);
      assert.deepEqual(node.body.metadata.labels.pool, "green");
      const onB = pods.body.items.filter((p: any) => ["sidecars", "db"].includes(p.metadata.name));
      const podCpu = onB
        .flatMap((p: any) => p.containers)
        .reduce((s: number, x: any) => s + cpuNanos(x.usage.cpu), 0);
      const podMem = onB
        .flatMap((p: any) => p.containers)
        .reduce((s: number, x: any) => s + bytes(x.usage.memory), 0);
      const overheadCpu = cpuNanos(node.body.usage.cpu) - podCpu;
      const overheadMem = bytes(node.body.usage.memory) - podMem;
      assert.ok(overheadCpu >= 60e6 && overheadCpu <= 140e6, `cpu overhead ${overheadCpu}`);
      assert.ok(
        overheadMem >= 290 * 2 ** 20 && overheadMem <= 700 * 2 ** 20,
        `memory overhead ${overheadMem}`,
      );
      assert.ok(cpuNanos(node.body.usage.cpu) <= 4e9);
    });

    it("selects nodes by label and by metadata.name", async () => {
      const byLabel = await c.get(`${API}/nodes?labelSelector=pool%3Dblue`);
      assert.deepEqual(
        byLabel.body.items.map((m: any) => m.metadata.name),
        ["n-a"],
      );
      const byName = await c.get(`${API}/nodes?fieldSelector=metadata.name%3Dn-b`);
      assert.deepEqual(
        byName.body.items.map((m: any) => m.metadata.name),
        ["n-b"],
      );
    });

    it("rejects field selectors on anything but object metadata", async () => {
      assertFailure(await c.get(`${API}/nodes?fieldSelector=spec.unschedulable%3Dtrue`), {
        code: 400,
        reason: "BadRequest",
        message:
          '"spec.unschedulable" is not a known field selector: only "metadata.name", "metadata.namespace"',
      });
    });

    it("answers 404 for an unreachable node and for a node that does not exist", async () => {
      assertFailure(await c.get(`${API}/nodes/n-gone`), {
        code: 404,
        reason: "NotFound",
        message: 'nodemetrics.metrics.k8s.io "n-gone" not found',
      });
      assertFailure(await c.get(`${API}/nodes/nowhere`), {
        code: 404,
        reason: "NotFound",
        message: 'node "nowhere" not found',
      });
    });

    it("prints NAME, CPU, MEMORY and WINDOW as a Table", async () => {
      const res = await c.get(`${API}/nodes`, { Accept: TABLE_ACCEPT });
      assertOk(res);
      assert.equal(res.body.kind, "Table");
      assert.deepEqual(
        res.body.columnDefinitions.map((d: any) => d.name),
        ["Name", "CPU", "Memory", "Window"],
      );
      assert.deepEqual(
        res.body.rows.map((r: any) => r.cells[0]),
        ["n-a", "n-b"],
      );
      assert.equal(res.body.rows[0].object.metadata.name, "n-a");
      const one = await c.get(`${API}/nodes/n-a`, { Accept: TABLE_ACCEPT });
      assert.equal(one.body.rows.length, 1);
    });
  });

  describe("PodMetrics", () => {
    it("lists Running pods on reachable nodes across namespaces, by namespace and name", async () => {
      const res = await c.get(`${API}/pods`);
      assertOk(res);
      assert.equal(res.body.kind, "PodMetricsList");
      assert.deepEqual(
        res.body.items.map((m: any) => `${m.metadata.namespace}/${m.metadata.name}`),
        [`${NS}/sidecars`, `${NS}/web`, `${OTHER_NS}/db`],
      );
    });

    it("lists one namespace", async () => {
      const res = await c.get(`${API}/namespaces/${OTHER_NS}/pods`);
      assert.deepEqual(
        res.body.items.map((m: any) => m.metadata.name),
        ["db"],
      );
    });

    it("reports each container at 30–70% of its request (defaults without one)", async () => {
      const res = await c.get(`${API}/namespaces/${NS}/pods/sidecars`);
      assertOk(res);
      assert.equal(res.body.kind, "PodMetrics");
      assert.equal(res.body.window, "15s");
      assert.deepEqual(res.body.metadata.labels, { app: "mesh" });
      const [app, proxy] = res.body.containers;
      assert.equal(app.name, "app");
      assert.ok(cpuNanos(app.usage.cpu) >= 0.3e9 && cpuNanos(app.usage.cpu) <= 0.7e9, app.usage.cpu);
      assert.ok(bytes(app.usage.memory) >= 0.29 * 2 ** 30 && bytes(app.usage.memory) <= 0.7 * 2 ** 30);
      assert.equal(proxy.name, "proxy");
      assert.ok(cpuNanos(proxy.usage.cpu) >= 3e6 && cpuNanos(proxy.usage.cpu) <= 7e6, proxy.usage.cpu);
    });

    it("selects pods by label, name and namespace", async () => {
      const names = async (query: string) =>
        (await c.get(`${API}/pods?${query}`)).body.items.map((m: any) => m.metadata.name);
      assert.deepEqual(await names("labelSelector=app%3Dweb"), ["web"]);
      assert.deepEqual(await names("fieldSelector=metadata.name%3Ddb"), ["db"]);
      assert.deepEqual(await names(`fieldSelector=metadata.namespace%3D${OTHER_NS}`), ["db"]);
      assertFailure(await c.get(`${API}/pods?fieldSelector=spec.nodeName%3Dn-a`), {
        code: 400,
        reason: "BadRequest",
      });
    });

    it("answers 404 for pods without metrics and pods that do not exist", async () => {
      for (const name of ["waiting", "stranded"]) {
        assertFailure(await c.get(`${API}/namespaces/${NS}/pods/${name}`), {
          code: 404,
          reason: "NotFound",
          message: `podmetrics.metrics.k8s.io "${NS}/${name}" not found`,
        });
      }
      assertFailure(await c.get(`${API}/namespaces/${NS}/pods/ghost`), {
        code: 404,
        reason: "NotFound",
        message: 'pods "ghost" not found',
      });
    });

    it("stops reporting a pod once it is no longer Running", async () => {
      await runPod(NS, podOn("n-a", "finishing", [{ name: "main" }]));
      assertOk(await c.get(`${API}/namespaces/${NS}/pods/finishing`));
      assertOk(
        await c.patch(`${paths.pod(NS, "finishing")}/status`, { status: { phase: "Succeeded" } }, "merge"),
      );
      assert.equal((await c.get(`${API}/namespaces/${NS}/pods/finishing`)).status, 404);
    });

    it("is stable within one sample window", async () => {
      // Two reads may straddle a window boundary; then the next pair cannot.
      for (let attempt = 0; attempt < 2; attempt++) {
        const [a, b] = await Promise.all([
          c.get(`${API}/namespaces/${NS}/pods/web`),
          c.get(`${API}/namespaces/${NS}/pods/web`),
        ]);
        if (a.body.timestamp !== b.body.timestamp) continue;
        assert.deepEqual(a.body.containers, b.body.containers);
        return;
      }
      assert.fail("two reads never fell into one window");
    });
  });

  describe("read-only", () => {
    const writes: [method: string, path: string, action: string][] = [
      ["POST", `${API}/nodes`, "create"],
      ["PUT", `${API}/nodes/n-a`, "update"],
      ["PATCH", `${API}/nodes/n-a`, "patch"],
      ["DELETE", `${API}/nodes/n-a`, "delete"],
      ["DELETE", `${API}/nodes`, "deletecollection"],
      ["POST", `${API}/namespaces/${NS}/pods`, "create"],
      ["DELETE", `${API}/namespaces/${NS}/pods/web`, "delete"],
    ];
    for (const [method, path, action] of writes) {
      it(`${method} ${path} answers 405`, async () => {
        const resource = path.includes("/pods") ? "pods" : "nodes";
        const headers = method === "PATCH" ? { "Content-Type": "application/merge-patch+json" } : undefined;
        const res = await c.request(method, path, { metadata: { name: "x" } }, headers);
        assertFailure(res, {
          code: 405,
          reason: "MethodNotAllowed",
          message: `${action} is not supported on resources of kind "${resource}.metrics.k8s.io"`,
        });
        assert.deepEqual(res.body.details, { group: "metrics.k8s.io", kind: resource });
      });
    }

    it("watch answers 405", async () => {
      assertFailure(await c.get(`${API}/pods?watch=true`), {
        code: 405,
        reason: "MethodNotAllowed",
        message: 'watch is not supported on resources of kind "pods.metrics.k8s.io"',
      });
    });

    it("has no subresources and no namespaced nodes", async () => {
      assertFailure(await c.get(`${API}/nodes/n-a/status`), { code: 404, reason: "NotFound" });
      assertFailure(await c.get(`${API}/namespaces/${NS}/nodes`), { code: 404, reason: "NotFound" });
      assertFailure(await c.get(`${API}/pods/web`), { code: 404, reason: "NotFound" });
    });
  });
});
