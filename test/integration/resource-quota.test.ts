// ResourceQuota end to end in-process: the resource itself (discovery, validation, Table), quota admission over
// HTTP with upstream's exact messages (pods, compute requests and limits, object counts and their legacy aliases,
// scopes, dry runs, failed creates), exactness under 50 concurrent creates, and — with every component running —
// the quota controller keeping status.used exact and seed 000's DaemonSet capped at 5 pods of 10 nodes.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/object.js";
import { DAEMON_SETS, EVENTS, PODS, RESOURCE_QUOTAS } from "../../src/api/resources.js";
import { configMap, daemonSet, namespace, paths, TABLE_ACCEPT } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { DaemonSetCluster } from "../support/daemonset-cluster.js";
import { eventually, TestCluster } from "../support/test-cluster.js";

const quotas = (ns: string) => `/api/v1/namespaces/${ns}/resourcequotas`;
const quotaPath = (ns: string, name: string) => `${quotas(ns)}/${name}`;

function quota(name: string, hard: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "ResourceQuota", metadata: { name }, spec: { hard, ...spec } };
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function pod(name: string, resources?: Resources, spec: Record<string, unknown> = {}): KubeObject {
  const container: Record<string, unknown> = { name: "main", image: "busybox:1.36" };
  if (resources) container.resources = resources;
  return { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [container], ...spec } };
}

const forbidden = (resource: string, name: string, why: string) => ({
  code: 403,
  reason: "Forbidden",
  message: `${resource} "${name}" is forbidden: ${why}`,
});

describe("ResourceQuota admission", () => {
  let c: TestCluster;
  let ns: string;
  let n = 0;
  before(async () => {
    c = await TestCluster.start();
  });
  after(() => c.stop());
  beforeEach(async () => {
    ns = `quota-${++n}`;
    assertOk(await c.post(paths.namespaces(), namespace(ns)), 201);
  });

  const createQuota = async (q: KubeObject) => assertOk(await c.post(quotas(ns), q), 201);
  const createPod = (p: KubeObject) => c.post(paths.pods(ns), p);
  const statusOf = async (name: string) => (await c.get(quotaPath(ns, name))).body.status;

  it("is served as resourcequotas (short name quota) with a status subresource", async () => {
    const list = (await c.get("/api/v1")).body.resources as { name: string; shortNames?: string[] }[];
    assert.deepEqual(list.find((r) => r.name === "resourcequotas")?.shortNames, ["quota"]);
    assert.ok(list.some((r) => r.name === "resourcequotas/status"));
    await createQuota(quota("q", { pods: "5" }));
    const res = await c.get(quotaPath(ns, "q"));
    assert.deepEqual(res.body.spec, { hard: { pods: "5" } });
  });

  it("rejects invalid quotas with upstream's messages", async () => {
    const cases: [KubeObject, string][] = [
      [
        quota("q", { foo: "1" }),
        'spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified',
      ],
      [
        quota("q", { pods: "-1" }),
        'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
      ],
      [quota("q", { pods: "1500m" }), 'spec.hard[pods]: Invalid value: "1500m": must be an integer'],
      [
        quota("q", { pods: "1" }, { scopes: ["BestEffort", "NotBestEffort"] }),
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes',
      ],
      [
        quota("q", { "requests.cpu": "1" }, { scopes: ["BestEffort"] }),
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource',
      ],
      [
        quota(
          "q",
          { pods: "1" },
          { scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In" }] } },
        ),
        "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
      ],
    ];
    for (const [q, message] of cases) {
      const res = await c.post(quotas(ns), q);
      assertFailure(res, { code: 422, reason: "Invalid" });
      assert.ok(res.body.message.includes(message), `${res.body.message}\n  lacks ${message}`);
    }
  });

  it("refuses scope changes on update", async () => {
    await createQuota(quota("q", { pods: "1" }, { scopes: ["BestEffort"] }));
    const res = await c.patch(quotaPath(ns, "q"), { spec: { scopes: ["NotBestEffort"] } }, "merge");
    assertFailure(res, {
      code: 422,
      reason: "Invalid",
      message: /spec.scopes: Invalid value: .*field is immutable/,
    });
  });

  it("limits pods with upstream's message and charges the status", async () => {
    await createQuota(quota("q", { pods: "2" }));
    assertOk(await createPod(pod("p1")), 201);
    assertOk(await createPod(pod("p2")), 201);
    assertFailure(
      await createPod(pod("p3")),
      forbidden("pods", "p3", "exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2"),
    );
    assert.deepEqual(await statusOf("q"), { hard: { pods: "2" }, used: { pods: "2" } });
  });

  it("names the generated name of a refused pod", async () => {
    await createQuota(quota("q", { pods: "0" }));
    const res = await createPod({ ...pod(""), metadata: { generateName: "agent-" } });
    assertFailure(res, {
      code: 403,
      reason: "Forbidden",
      message: /^pods "agent-[a-z0-9]{5}" is forbidden: exceeded quota: q,/,
    });
    assert.equal(res.body.details.kind, "pods");
  });

  it("requires explicit requests and limits when a quota constrains cpu or memory", async () => {
    await createQuota(quota("compute", { "requests.cpu": "1", "limits.memory": "1Gi" }));
    const twoContainers = pod("p");
    (twoContainers.spec.containers as unknown[]).push({
      name: "sidecar",
      image: "busybox:1.36",
      resources: { requests: { cpu: "100m" } },
    });
    assertFailure(
      await createPod(twoContainers),
      forbidden(
        "pods",
        "p",
        "failed quota: compute: must specify limits.memory for: main,sidecar; requests.cpu for: main",
      ),
    );
  });

  it("sums requests and limits and lists every exceeded name, sorted", async () => {
    await createQuota(quota("compute", { pods: "3", "requests.cpu": "1", "limits.memory": "1Gi" }));
    const sized = (name: string, cpu: string, memory: string) =>
      pod(name, { requests: { cpu }, limits: { memory } });
    assertOk(await createPod(sized("a", "400m", "256Mi")), 201);
    assertOk(await createPod(sized("b", "400m", "256Mi")), 201);
    assertFailure(
      await createPod(sized("c", "300m", "600Mi")),
      forbidden(
        "pods",
        "c",
        "exceeded quota: compute, requested: limits.memory=600Mi,requests.cpu=300m, used: limits.memory=512Mi,requests.cpu=800m, limited: limits.memory=1Gi,requests.cpu=1",
      ),
    );
    assert.deepEqual((await statusOf("compute")).used, {
      "limits.memory": "512Mi",
      pods: "2",
      "requests.cpu": "800m",
    });
  });

  it("counts other kinds as count/<resource>.<group> and under the legacy aliases", async () => {
    await createQuota(
      quota("objects", { "count/daemonsets.apps": "1", configmaps: "1", "count/configmaps": "5" }),
    );
    assertOk(await c.post(paths.daemonSets(ns), daemonSet("ds1")), 201);
    assertFailure(
      await c.post(paths.daemonSets(ns), daemonSet("ds2")),
      forbidden(
        "daemonsets.apps",
        "ds2",
        "exceeded quota: objects, requested: count/daemonsets.apps=1, used: count/daemonsets.apps=1, limited: count/daemonsets.apps=1",
      ),
    );
    assertOk(await c.post(paths.configMaps(ns), configMap("c1")), 201);
    assertFailure(
      await c.post(paths.configMaps(ns), configMap("c2")),
      forbidden(
        "configmaps",
        "c2",
        "exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1",
      ),
    );
  });

  it("counts events, which bypass the watch cache, as count/events", async () => {
    await createQuota(quota("events", { "count/events": "1" }));
    const event = (name: string) => ({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name },
      involvedObject: { kind: "Pod", name: "p", namespace: ns },
      reason: "Test",
      message: "counted",
      type: "Normal",
    });
    assertOk(await c.post(`/api/v1/namespaces/${ns}/events`, event("e1")), 201);
    assertFailure(
      await c.post(`/api/v1/namespaces/${ns}/events`, event("e2")),
      forbidden(
        "events",
        "e2",
        "exceeded quota: events, requested: count/events=1, used: count/events=1, limited: count/events=1",
      ),
    );
  });

  it("admits exactly the quota under 50 concurrent creates", async () => {
    await createQuota(quota("q", { pods: "10" }));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => createPod(pod(`p${i}`))));
    assert.equal(results.filter((r) => r.status === 201).length, 10);
    const refused = results.filter((r) => r.status !== 201);
    assert.equal(refused.length, 40);
    for (const r of refused) {
      assert.match(
        r.body.message,
        /is forbidden: exceeded quota: q, requested: pods=1, used: pods=10, limited: pods=10$/,
      );
    }
    assert.equal((await c.get(paths.pods(ns))).body.items.length, 10);
    assert.deepEqual((await statusOf("q")).used, { pods: "10" });
  });

  it("frees quota as soon as a pod is deleted or finishes", async () => {
    await createQuota(quota("q", { pods: "1", "count/pods": "2" }));
    assertOk(await createPod(pod("a")), 201);
    assertOk(await c.delete(paths.pod(ns, "a")));
    assertOk(await createPod(pod("b")), 201);
    // A finished pod no longer counts as `pods`, but is still an object in count/pods.
    const b = (await c.get(paths.pod(ns, "b"))).body;
    assertOk(
      await c.put(`${paths.pod(ns, "b")}/status`, { ...b, status: { ...b.status, phase: "Succeeded" } }),
    );
    assertOk(await createPod(pod("c")), 201);
    assertFailure(
      await createPod(pod("d")),
      forbidden(
        "pods",
        "d",
        "exceeded quota: q, requested: count/pods=1,pods=1, used: count/pods=2,pods=1, limited: count/pods=2,pods=1",
      ),
    );
  });

  it("applies scoped quotas only to the pods their scopes select", async () => {
    await createQuota(quota("best-effort", { pods: "1" }, { scopes: ["BestEffort"] }));
    await createQuota(
      quota(
        "high",
        { pods: "1" },
        {
          scopeSelector: {
            matchExpressions: [
              { scopeName: "PriorityClass", operator: "In", values: ["system-node-critical"] },
            ],
          },
        },
      ),
    );
    assertOk(await createPod(pod("be1")), 201);
    assertFailure(
      await createPod(pod("be2")),
      forbidden(
        "pods",
        "be2",
        "exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1",
      ),
    );
    // Burstable pods fall outside the BestEffort scope.
    assertOk(await createPod(pod("burst1", { requests: { cpu: "10m" } })), 201);
    assertOk(await createPod(pod("burst2", { requests: { cpu: "10m" } })), 201);
    const critical = (name: string) =>
      pod(name, { requests: { cpu: "10m" } }, { priorityClassName: "system-node-critical" });
    assertOk(await createPod(critical("crit1")), 201);
    assertFailure(
      await createPod(critical("crit2")),
      forbidden("pods", "crit2", "exceeded quota: high, requested: pods=1, used: pods=1, limited: pods=1"),
    );
  });

  it("checks dry runs without charging them", async () => {
    await createQuota(quota("q", { pods: "1" }));
    assertOk(await c.post(`${paths.pods(ns)}?dryRun=All`, pod("dry")), 201);
    assertOk(await createPod(pod("real")), 201);
    assertFailure(
      await c.post(`${paths.pods(ns)}?dryRun=All`, pod("dry")),
      forbidden("pods", "dry", "exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1"),
    );
    assert.deepEqual((await statusOf("q")).used, { pods: "1" });
  });

  it("gives back the charge of a create that fails after admission", async () => {
    await createQuota(quota("q", { pods: "2" }));
    assertOk(await createPod(pod("a")), 201);
    assertFailure(await createPod(pod("a")), { code: 409, reason: "AlreadyExists" });
    await eventually(
      async () => (await statusOf("q")).used.pods === "1",
      2000,
      "the charge to be given back",
    );
    assertOk(await createPod(pod("b")), 201);
  });

  it("prints used/hard in the Table columns", async () => {
    await createQuota(quota("q", { pods: "3", "requests.cpu": "1", "limits.cpu": "2" }));
    assertOk(await createPod(pod("a", { requests: { cpu: "300m" }, limits: { cpu: "500m" } })), 201);
    const table = (await c.get(quotas(ns), { Accept: TABLE_ACCEPT })).body;
    assert.deepEqual(
      table.columnDefinitions.map((d: { name: string }) => d.name),
      ["Name", "Age", "Request", "Limit"],
    );
    assert.deepEqual(table.rows[0].cells.slice(2), ["pods: 1/3, requests.cpu: 300m/1", "limits.cpu: 500m/2"]);
  });
});

describe("ResourceQuota controller and DaemonSets (every component running)", () => {
  let c: DaemonSetCluster;
  let ns: string;
  beforeEach(async () => {
    c = await DaemonSetCluster.start();
    ns = await c.createNamespace("logging");
  });
  afterEach(() => c.stop());

  const usedOf = async (name: string) => (await c.client.get(RESOURCE_QUOTAS, ns, name)).status?.used;
  const podCount = async () => (await c.client.list(PODS, ns)).items.length;

  it("counts what existed before the quota, and recounts after deletes and status changes", async () => {
    for (const name of ["a", "b", "c"]) await c.client.create(PODS, ns, pod(name));
    await c.client.create(RESOURCE_QUOTAS, ns, quota("q", { pods: "5", "count/pods": "5" }));
    await eventually(async () => (await usedOf("q"))?.pods === "3", 5000, "pods=3 counted");
    assert.deepEqual((await c.client.get(RESOURCE_QUOTAS, ns, "q")).status.hard, {
      "count/pods": "5",
      pods: "5",
    });
    await c.client.delete(PODS, ns, "a");
    await eventually(
      async () => JSON.stringify(await usedOf("q")) === JSON.stringify({ "count/pods": "2", pods: "2" }),
      5000,
      "used to drop after a delete",
    );
    // Raising the quota is reflected in status.hard.
    await c.client.patch(RESOURCE_QUOTAS, ns, "q", "merge", { spec: { hard: { pods: "7" } } });
    await eventually(
      async () => (await c.client.get(RESOURCE_QUOTAS, ns, "q")).status.hard.pods === "7",
      5000,
      "status.hard to follow spec.hard",
    );
  });

  it("keeps status.used exact under concurrent creates and deletes", async () => {
    await c.client.create(RESOURCE_QUOTAS, ns, quota("q", { pods: "10" }));
    await eventually(async () => (await usedOf("q"))?.pods === "0", 5000, "the first count");
    const created = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => c.client.create(PODS, ns, pod(`p${i}`))),
    );
    assert.equal(created.filter((r) => r.status === "fulfilled").length, 10);
    assert.equal(await podCount(), 10);
    const names = (await c.client.list(PODS, ns)).items.map((p) => p.metadata.name!);
    await Promise.all(
      names.slice(0, 4).map((name) => c.client.delete(PODS, ns, name, { gracePeriodSeconds: 0 })),
    );
    await eventually(async () => (await usedOf("q"))?.pods === "6", 5000, "used pods=6 after 4 deletes");
    const again = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => c.client.create(PODS, ns, pod(`again${i}`))),
    );
    assert.equal(again.filter((r) => r.status === "fulfilled").length, 4);
    await eventually(async () => (await usedOf("q"))?.pods === "10", 5000, "used pods=10");
    assert.equal(await podCount(), 10);
  });

  it("seed 000: a DaemonSet on 10 nodes under a 5-pod quota runs 5 pods, says why, and finishes once raised", async () => {
    const workers = await c.addClusterNodes(10);
    assert.equal(workers.length, 10);
    // The seed's quota verbatim; its fluentd DaemonSet, with requests (a quota on requests.cpu/memory demands them).
    await c.client.create(
      RESOURCE_QUOTAS,
      ns,
      quota("logging-quota", { pods: "5", "requests.cpu": "2", "requests.memory": "4Gi" }),
    );
    const ds = daemonSet("fluentd", {
      labels: { name: "fluentd" },
      containers: [{ name: "fluentd", image: "fluent/fluentd:latest" }],
    });
    ds.spec.template.spec.containers[0].resources = { requests: { cpu: "100m", memory: "200Mi" } };
    await c.client.create(DAEMON_SETS, ns, ds);

    await c.waitForStatus(
      ns,
      "fluentd",
      { desiredNumberScheduled: 10, currentNumberScheduled: 5, numberReady: 5 },
      10_000,
    );
    assert.equal(await podCount(), 5);
    const failed = await eventually(
      async () => {
        const events = (await c.client.list(EVENTS, ns)).items;
        return events.find((e) => e.reason === "FailedCreate" && e.involvedObject?.name === "fluentd");
      },
      5000,
      "a FailedCreate event",
    );
    assert.equal(failed.type, "Warning");
    assert.match(
      failed.message,
      /^Error creating: pods "fluentd-[a-z0-9]{5}" is forbidden: exceeded quota: logging-quota, requested: pods=1, used: pods=5, limited: pods=5$/,
    );
    await eventually(
      async () =>
        JSON.stringify(await usedOf("logging-quota")) ===
        JSON.stringify({ pods: "5", "requests.cpu": "500m", "requests.memory": "1000Mi" }),
      5000,
      "the quota's usage",
    );
    // The controller keeps retrying with backoff; the recorder's aggregation and spam filter keep events few.
    const failedEvents = (await c.client.list(EVENTS, ns)).items.filter((e) => e.reason === "FailedCreate");
    assert.ok(failedEvents.length <= 11, `${failedEvents.length} FailedCreate events`);

    await c.client.patch(RESOURCE_QUOTAS, ns, "logging-quota", "merge", { spec: { hard: { pods: "10" } } });
    await c.waitForStatus(
      ns,
      "fluentd",
      { desiredNumberScheduled: 10, currentNumberScheduled: 10, numberReady: 10 },
      20_000,
    );
    await eventually(async () => (await usedOf("logging-quota"))?.pods === "10", 5000, "pods=10 used");
  });

  it("gives a DaemonSet the pods other workloads free up", async () => {
    await c.addClusterNodes(4);
    await c.client.create(RESOURCE_QUOTAS, ns, quota("q", { pods: "4" }));
    for (const name of ["batch-1", "batch-2"]) await c.client.create(PODS, ns, pod(name));
    await c.client.create(DAEMON_SETS, ns, daemonSet("agent"));
    await c.waitForStatus(ns, "agent", { desiredNumberScheduled: 4, currentNumberScheduled: 2 });
    await eventually(
      async () => (await c.client.list(EVENTS, ns)).items.some((e) => e.reason === "FailedCreate"),
      5000,
      "a FailedCreate event",
    );
    await c.client.delete(PODS, ns, "batch-1", { gracePeriodSeconds: 0 });
    await c.waitForStatus(ns, "agent", { desiredNumberScheduled: 4, currentNumberScheduled: 3 });
    await c.client.delete(PODS, ns, "batch-2", { gracePeriodSeconds: 0 });
    await c.waitForStatus(ns, "agent", { desiredNumberScheduled: 4, currentNumberScheduled: 4 });
  });
});
