import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestCluster } from "../../test/support/test-cluster.js";
import type { KubeObject } from "../api/object.js";
import { LocalClient } from "../apiserver/local-client.js";
import type { Client, ResourceType } from "../client/client.js";
import { HttpClient } from "../client/http-client.js";
import { createLogger } from "../util/log.js";
import { InformerFactory } from "./factory.js";
import { indexByNodeName, indexByOwnerUid, NODE_NAME_INDEX, OWNER_UID_INDEX } from "./indexers.js";
import { SharedInformer } from "./shared-informer.js";

const silent = createLogger("test", "silent");
const pods: ResourceType = { group: "", version: "v1", resource: "pods", namespaced: true, kind: "Pod" };
const namespaces: ResourceType = {
  group: "",
  version: "v1",
  resource: "namespaces",
  namespaced: false,
  kind: "Namespace",
};
const configMaps: ResourceType = {
  group: "",
  version: "v1",
  resource: "configmaps",
  namespaced: true,
  kind: "ConfigMap",
};

function pod(name: string, o: { node?: string; ownerUid?: string } = {}): KubeObject {
  const metadata: KubeObject["metadata"] = { name };
  if (o.ownerUid) {
    metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "ds", uid: o.ownerUid }];
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec: { containers: [{ name: "c", image: "busybox" }], ...(o.node ? { nodeName: o.node } : {}) },
  };
}

/** Handler calls as text, with a way to wait for the n-th one. */
class Recorder {
  readonly calls: string[] = [];
  private waiters: (() => void)[] = [];

  record(line: string): void {
    this.calls.push(line);
    for (const w of this.waiters.splice(0)) w();
  }

  async until(n: number): Promise<string[]> {
    while (this.calls.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.calls;
  }
}

describe("SharedInformer", () => {
  let cluster: TestCluster;
  let http: HttpClient;
  before(async () => {
    cluster = await TestCluster.start();
    http = new HttpClient({ server: cluster.url });
  });
  after(async () => {
    http.close();
    await cluster.stop();
  });

  for (const [transport, client] of [
    ["HTTP", () => http as Client],
    ["in-process", () => new LocalClient(cluster.cp.registry) as Client],
  ] as const) {
    it(`over ${transport}: handlers see add, update and delete after the store has them`, async () => {
      const c = client();
      const ns = `informer-${transport === "HTTP" ? "http" : "local"}`;
      await c.create(namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
      await c.create(pods, ns, pod("p1", { node: "n1", ownerUid: "u1" }));
      await c.create(pods, ns, pod("p2"));

      const informer = new SharedInformer(c, pods, {
        namespace: ns,
        indexers: { [NODE_NAME_INDEX]: indexByNodeName, [OWNER_UID_INDEX]: indexByOwnerUid },
        logger: silent,
      });
      const lister = informer.lister();
      const rec = new Recorder();
      // The store must already hold each change when a handler hears of it.
      const cached = (o: KubeObject) => lister.get(ns, o.metadata.name!) === o;
      informer.addEventHandler({
        onAdd: (o, initial) => rec.record(`add ${o.metadata.name} initial=${initial} cached=${cached(o)}`),
        onUpdate: (old, o) =>
          rec.record(
            `update ${o.metadata.name} labels ${JSON.stringify(old.metadata.labels)}→${JSON.stringify(o.metadata.labels)} cached=${cached(o)}`,
          ),
        onDelete: (o) =>
          rec.record(`delete ${o.metadata.name} cached=${lister.get(ns, o.metadata.name!) !== undefined}`),
      });
      const controller = new AbortController();
      const running = informer.start(controller.signal);
      assert.equal(informer.hasSynced(), false);
      assert.equal(await informer.waitForSync(), true);
      assert.equal(informer.hasSynced(), true);

      await c.create(pods, ns, pod("p3", { node: "n1" }));
      await c.patch(pods, ns, "p2", "merge", { metadata: { labels: { app: "web" } } });
      await c.delete(pods, ns, "p1", { gracePeriodSeconds: 0 });
      const calls = await rec.until(5);
      assert.deepEqual(calls, [
        "add p1 initial=true cached=true",
        "add p2 initial=true cached=true",
        "add p3 initial=false cached=true",
        'update p2 labels undefined→{"app":"web"} cached=true',
        "delete p1 cached=false",
      ]);

      const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort();
      assert.deepEqual(names(lister.byIndex(NODE_NAME_INDEX, "n1")), ["p3"]);
      assert.deepEqual(names(lister.byIndex(OWNER_UID_INDEX, "u1")), []);
      assert.deepEqual(names(lister.list(ns, "app=web")), ["p2"]);
      assert.equal(informer.store.resourceVersion, informer.lastSyncResourceVersion);
      assert.throws(() => {
        lister.get(ns, "p2")!.metadata.labels!.app = "mutated";
      }, TypeError);

      controller.abort();
      await running;
      assert.equal(informer.state.phase, "Stopped");
    });
  }

  it("replays the cache to a handler added after sync, and isolates a failing handler", async () => {
    const c = new LocalClient(cluster.cp.registry);
    const ns = "late";
    await c.create(namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    await c.create(configMaps, ns, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } });
    const informer = new SharedInformer(c, configMaps, { namespace: ns, logger: silent });
    const controller = new AbortController();
    const running = informer.start(controller.signal);
    await informer.waitForSync();

    const rec = new Recorder();
    informer.addEventHandler({
      onAdd: () => {
        throw new Error("handler bug");
      },
    });
    informer.addEventHandler({
      onAdd: (o, initial) => rec.record(`add ${o.metadata.name} initial=${initial}`),
    });
    await c.create(configMaps, ns, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } });
    assert.deepEqual(await rec.until(2), ["add a initial=true", "add b initial=false"]);

    const registration = informer.addEventHandler({
      onAdd: (o) => rec.record(`removed handler saw ${o.metadata.name}`),
    });
    registration.remove();
    await c.create(configMaps, ns, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
    // The remaining handler hears of "c"; the removed one heard only its replay.
    assert.deepEqual((await rec.until(5)).slice(2), [
      "removed handler saw a",
      "removed handler saw b",
      "add c initial=false",
    ]);
    controller.abort();
    await running;
  });

  it("waitForSync answers false when aborted before the first list", async () => {
    const informer = new SharedInformer(new LocalClient(cluster.cp.registry), configMaps, { logger: silent });
    assert.equal(await informer.waitForSync(AbortSignal.abort()), false);
  });
});

describe("InformerFactory", () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await TestCluster.start();
  });
  after(async () => {
    await cluster.stop();
  });

  it("shares one informer per resource and scope, starts them all, and stops them all", async () => {
    const factory = new InformerFactory(new LocalClient(cluster.cp.registry), { logger: silent });
    const podsInformer = factory.informerFor(pods);
    assert.equal(factory.informerFor(pods), podsInformer);
    assert.notEqual(factory.informerFor(pods, { namespace: "kube-system" }), podsInformer);
    assert.notEqual(factory.informerFor(pods, { labelSelector: "app=x" }), podsInformer);
    assert.equal(factory.all().length, 3);

    const controller = new AbortController();
    const running = factory.start(controller.signal);
    assert.equal(await factory.waitForCacheSync(), true);
    assert.ok(factory.all().every((i) => i.hasSynced()));

    // One created after start starts at once.
    const nsInformer = factory.informerFor(namespaces);
    assert.equal(await nsInformer.waitForSync(), true);
    assert.ok(nsInformer.lister().get(undefined, "kube-system"));

    controller.abort();
    await running;
    assert.ok(factory.all().every((i) => i.state.phase === "Stopped"));
    await assert.rejects(factory.start(controller.signal), /called twice/);
  });
});
