// Both transports against one real in-process control plane: the same calls must give the same objects and the
// same errors over HTTP (HttpClient) and in-process (LocalClient).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestCluster } from "../../test/support/test-cluster.js";
import { ApiError } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import { LocalClient } from "../apiserver/local-client.js";
import type { Client, ResourceType, WatchEvent } from "./client.js";
import { HttpClient } from "./http-client.js";

const type = (group: string, resource: string, kind: string, namespaced = true): ResourceType => ({
  group,
  version: "v1",
  resource,
  kind,
  namespaced,
});
const configMaps = type("", "configmaps", "ConfigMap");
const namespaces = type("", "namespaces", "Namespace", false);
const pods = type("", "pods", "Pod");
const daemonSets = type("apps", "daemonsets", "DaemonSet");

const configMap = (
  name: string,
  data: Record<string, string> = { k: "v" },
  labels?: Record<string, string>,
) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

/** Drops what legitimately differs between two runs in two namespaces. */
function normalize(value: unknown): unknown {
  if (value instanceof ApiError) {
    const message = value.message.replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      "<uid>",
    );
    return { error: { code: value.code, reason: value.reason, message, details: value.details } };
  }
  return JSON.parse(JSON.stringify(value ?? null), (k, v) =>
    ["uid", "creationTimestamp", "resourceVersion", "namespace", "continue", "time"].includes(k)
      ? undefined
      : v,
  );
}

async function outcome(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return normalize(await fn());
  } catch (e) {
    assert.ok(e instanceof ApiError, `not an ApiError: ${e}`);
    return normalize(e);
  }
}

/** The same story through one client; returns what every step answered. */
async function transcript(c: Client, ns: string): Promise<[string, unknown][]> {
  await c.create(namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  const steps: [string, () => Promise<unknown>][] = [
    ["create", () => c.create(configMaps, ns, configMap("a", { k: "1" }, { app: "x" }))],
    [
      "create with the namespace in the object",
      () => c.create(configMaps, undefined, { ...configMap("b"), metadata: { name: "b", namespace: ns } }),
    ],
    [
      "create prunes unknown fields",
      () =>
        c.create(configMaps, ns, {
          ...configMap("c"),
          bogus: 1,
          metadata: { name: "c", extra: true },
        } as any),
    ],
    ["create dry-run", () => c.create(configMaps, ns, configMap("dry"), { dryRun: true })],
    ["get after dry-run", () => c.get(configMaps, ns, "dry")],
    ["get", () => c.get(configMaps, ns, "a")],
    ["get missing", () => c.get(configMaps, ns, "missing")],
    ["create duplicate", () => c.create(configMaps, ns, configMap("a"))],
    ["create invalid name", () => c.create(configMaps, ns, configMap("Not_Valid"))],
    [
      "create invalid daemonset",
      () =>
        c.create(daemonSets, ns, {
          apiVersion: "apps/v1",
          kind: "DaemonSet",
          metadata: { name: "ds" },
          spec: {},
        }),
    ],
    [
      "create with a wrong kind",
      () => c.create(configMaps, ns, { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } }),
    ],
    ["create without a namespace", () => c.create(configMaps, undefined, configMap("z"))],
    ["get without a name", () => c.get(configMaps, ns, "")],
    [
      "update",
      async () => {
        const cur = await c.get(configMaps, ns, "a");
        return c.update(configMaps, ns, { ...cur, data: { k: "2" } });
      },
    ],
    [
      "update with a stale resourceVersion",
      () => c.update(configMaps, ns, { ...configMap("a"), metadata: { name: "a", resourceVersion: "1" } }),
    ],
    ["update missing", () => c.update(configMaps, ns, configMap("missing"))],
    ["merge patch", () => c.patch(configMaps, ns, "a", "merge", { data: { m: "merge" } })],
    [
      "json patch",
      () => c.patch(configMaps, ns, "a", "json", [{ op: "add", path: "/data/j", value: "json" }]),
    ],
    [
      "strategic patch",
      () => c.patch(configMaps, ns, "a", "strategic", { metadata: { labels: { tier: "t" } } }),
    ],
    [
      "json patch that fails a test",
      () => c.patch(configMaps, ns, "a", "json", [{ op: "test", path: "/data/k", value: "no" }]),
    ],
    ["patch missing", () => c.patch(configMaps, ns, "missing", "merge", { data: {} })],
    ["list by label", () => c.list(configMaps, ns, { labelSelector: "app=x" })],
    ["list a page", () => c.list(configMaps, ns, { limit: 1 })],
    ["list with a bad selector", () => c.list(configMaps, ns, { labelSelector: "app in x" })],
    [
      "delete with a wrong uid precondition",
      () => c.delete(configMaps, ns, "a", { preconditions: { uid: "nope" } }),
    ],
    ["delete", () => c.delete(configMaps, ns, "a")],
    ["get after delete", () => c.get(configMaps, ns, "a")],
    ["delete missing", () => c.delete(configMaps, ns, "a")],
    [
      "pod eviction (not yet)",
      async () => {
        await c.create(pods, ns, {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p" },
          spec: { containers: [{ name: "c", image: "busybox" }] },
        });
        return c.createSubresource(pods, ns, "p", "eviction", {
          apiVersion: "policy/v1",
          kind: "Eviction",
          metadata: { name: "p" },
        });
      },
    ],
    ["unknown subresource", () => c.createSubresource(pods, ns, "p", "nope", {})],
    ["unknown resource", () => c.get(type("", "widgets", "Widget"), ns, "w")],
  ];
  const out: [string, unknown][] = [];
  for (const [name, fn] of steps) out.push([name, await outcome(fn)]);
  return out;
}

async function collect(events: AsyncIterable<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of events) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

describe("HttpClient and LocalClient", () => {
  let cluster: TestCluster;
  let http: HttpClient;
  let local: LocalClient;
  before(async () => {
    cluster = await TestCluster.start();
    http = new HttpClient({ server: cluster.url });
    local = new LocalClient(cluster.cp.registry);
  });
  after(async () => {
    http.close();
    await cluster.stop();
  });

  it("answer every step of the same story identically, errors included", async () => {
    const overHttp = await transcript(http, "via-http");
    const inProcess = await transcript(local, "via-local");
    for (let i = 0; i < overHttp.length; i++) {
      assert.deepEqual(inProcess[i], overHttp[i], `step "${overHttp[i][0]}"`);
    }
    const byStep = new Map(overHttp);
    // Spot checks that the story says what it should.
    const codes = (step: string) => (byStep.get(step) as any)?.error?.code;
    assert.deepEqual(
      [
        "get missing",
        "create duplicate",
        "update with a stale resourceVersion",
        "create invalid name",
        "create without a namespace",
      ].map(codes),
      [404, 409, 409, 422, 400],
    );
    assert.equal((byStep.get("create prunes unknown fields") as any).bogus, undefined);
    assert.deepEqual((byStep.get("json patch") as any).data, { k: "2", m: "merge", j: "json" });
    assert.deepEqual((byStep.get("list a page") as any).items.length, 1);
  });

  it("HttpClient keeps a burst's connections for the next burst instead of opening new ones", async () => {
    const client = new HttpClient({ server: cluster.url, maxSockets: 32 });
    let opened = 0;
    const count = () => opened++;
    cluster.cp.server.server.on("connection", count);
    try {
      const burst = () =>
        Promise.all(Array.from({ length: 32 }, () => client.list(configMaps, "default", { limit: 1 })));
      await burst();
      const afterFirst = opened;
      assert.ok(afterFirst > 1 && afterFirst <= 32, `the first burst opened ${afterFirst} connections`);
      await burst();
      await burst();
      assert.equal(opened, afterFirst, "later bursts reuse the pooled connections");
    } finally {
      cluster.cp.server.server.off("connection", count);
      client.close();
    }
  });

  it("LocalClient hands out frozen shared objects and never keeps or changes its inputs", async () => {
    const ns = "copies";
    await local.create(namespaces, undefined, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns },
    });
    const input: KubeObject = configMap("cm", { k: "v" });
    const created = await local.create(configMaps, ns, input);
    input.data.k = "changed-input";
    const frozen = /read only|not extensible/;
    assert.throws(() => {
      created.data.k = "changed-result";
    }, frozen);
    const got = await local.get(configMaps, ns, "cm");
    assert.throws(() => {
      got.data.k = "changed-get";
    }, frozen);
    assert.throws(() => {
      (got as KubeObject).metadata.labels = { x: "y" };
    }, frozen);
    const listed = (await local.list(configMaps, ns)).items[0];
    assert.throws(() => {
      listed.data.k = "changed-list";
    }, frozen);
    assert.equal((await local.get(configMaps, ns, "cm")).data.k, "v");
    assert.equal((await http.get(configMaps, ns, "cm")).data.k, "v");
  });

  for (const [name, client] of [
    ["HttpClient", () => http],
    ["LocalClient", () => local],
  ] as const) {
    it(`${name} watch delivers changes in order from a resourceVersion, then stops on abort`, async () => {
      const c = client();
      const ns = `watch-${name.toLowerCase()}`;
      await c.create(namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
      const { resourceVersion } = await c.list(configMaps, ns);
      const controller = new AbortController();
      const events = c.watch(
        configMaps,
        ns,
        { resourceVersion, allowWatchBookmarks: true },
        controller.signal,
      );
      const received = collect(events, 4);
      await c.create(configMaps, ns, configMap("w1"));
      await c.patch(configMaps, ns, "w1", "merge", { data: { k: "2" } });
      await c.create(configMaps, ns, configMap("w2"));
      await c.delete(configMaps, ns, "w1");
      const seen = await received;
      assert.deepEqual(
        seen.map((e) => [e.type, e.object.metadata.name]),
        [
          ["ADDED", "w1"],
          ["MODIFIED", "w1"],
          ["ADDED", "w2"],
          ["DELETED", "w1"],
        ],
      );
      const rvs = seen.map((e) => Number(e.object.metadata.resourceVersion));
      assert.deepEqual(
        rvs,
        [...rvs].sort((a, b) => a - b),
      );
      // A second watch ends cleanly (no throw) when aborted.
      const again = c.watch(configMaps, ns, { resourceVersion: String(rvs[3]) }, controller.signal);
      controller.abort();
      assert.deepEqual(await collect(again, 1), []);
    });

    it(`${name} watch from "" starts with the current objects as ADDED`, async () => {
      const c = client();
      const ns = `initial-${name.toLowerCase()}`;
      await c.create(namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
      await c.create(configMaps, ns, configMap("x"));
      const controller = new AbortController();
      const [first] = await collect(c.watch(configMaps, ns, {}, controller.signal), 1);
      controller.abort();
      assert.deepEqual(
        [first.type, first.object.metadata.name, first.object.kind],
        ["ADDED", "x", "ConfigMap"],
      );
    });

    it(`${name} watch rejects a bad selector with 400 before any event`, async () => {
      const c = client();
      await assert.rejects(collect(c.watch(configMaps, "default", { labelSelector: "a in b" }), 1), {
        code: 400,
        reason: "BadRequest",
      });
    });

    it(`${name} watch ends when the server's timeoutSeconds passes`, async () => {
      const c = client();
      const events = await collect(c.watch(configMaps, "default", { timeoutSeconds: 0.05 }), 1);
      assert.deepEqual(events, []);
    });
  }
});
