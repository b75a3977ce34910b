// The resource quota controller against a real in-process control plane, time on a FakeClock: status mirrors
// spec.hard, usage is recounted from informers (pods and lazily monitored kinds) after creates, deletes and cost
// changes, scopes narrow what is counted, and the periodic resync repairs a status nobody else would touch.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, TestCluster } from "../../../test/support/test-cluster.js";
import type { KubeObject } from "../../api/object.js";
import { DAEMON_SETS, NAMESPACES, PODS, RESOURCE_QUOTAS } from "../../api/resources.js";
import { LocalClient } from "../../apiserver/local-client.js";
import { InformerFactory } from "../../informer/index.js";
import { FakeClock } from "../../util/clock.js";
import { createLogger } from "../../util/log.js";
import { DEFAULT_RESYNC_PERIOD_MS, ResourceQuotaController } from "./controller.js";

const logger = createLogger("resourcequota-test", "silent");
const CONFIG_MAPS = { group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true };

function pod(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "100m" } } }],
      ...spec,
    },
  };
}

const quota = (
  name: string,
  hard: Record<string, string>,
  spec: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name },
  spec: { hard, ...spec },
});

describe("ResourceQuotaController", () => {
  let cluster: TestCluster;
  let client: LocalClient;
  const clock = new FakeClock(Date.parse("2024-01-01T00:00:00Z"));
  const stop = new AbortController();
  let running: Promise<unknown>;
  let n = 0;

  before(async () => {
    cluster = await TestCluster.start();
    client = new LocalClient(cluster.cp.registry);
    const informers = new InformerFactory(client, { logger });
    const controller = new ResourceQuotaController({ client, informers, logger, clock });
    running = Promise.all([informers.start(stop.signal), controller.start(stop.signal)]);
  });
  after(async () => {
    stop.abort();
    await running;
    await cluster.stop();
  });

  const namespace = async () => {
    const ns = `rq-${++n}`;
    await client.create(NAMESPACES, undefined, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns },
    });
    return ns;
  };
  const statusOf = async (ns: string, name: string) => (await client.get(RESOURCE_QUOTAS, ns, name)).status;
  const waitForUsed = (ns: string, name: string, used: Record<string, string>) =>
    eventually(
      async () => JSON.stringify((await statusOf(ns, name))?.used) === JSON.stringify(used),
      5000,
      `${name} used=${JSON.stringify(used)}`,
    );

  it("mirrors spec.hard and counts pods, their requests and other kinds", async () => {
    const ns = await namespace();
    await client.create(PODS, ns, pod("a"));
    await client.create(PODS, ns, pod("b"));
    await client.create(CONFIG_MAPS, ns, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } });
    await client.create(
      RESOURCE_QUOTAS,
      ns,
      quota("q", { pods: "5", "requests.cpu": "1000m", configmaps: "3", "count/daemonsets.apps": "1" }),
    );
    await waitForUsed(ns, "q", {
      configmaps: "1",
      "count/daemonsets.apps": "0",
      pods: "2",
      "requests.cpu": "200m",
    });
    assert.deepEqual((await statusOf(ns, "q")).hard, {
      configmaps: "3",
      "count/daemonsets.apps": "1",
      pods: "5",
      "requests.cpu": "1",
    });
  });

  it("recounts after deletes, finished pods and new objects of a monitored kind", async () => {
    const ns = await namespace();
    for (const name of ["a", "b", "c"]) await client.create(PODS, ns, pod(name));
    await client.create(
      RESOURCE_QUOTAS,
      ns,
      quota("q", { pods: "5", "count/pods": "5", "count/daemonsets.apps": "2" }),
    );
    await waitForUsed(ns, "q", { "count/daemonsets.apps": "0", "count/pods": "3", pods: "3" });
    await client.delete(PODS, ns, "a");
    await waitForUsed(ns, "q", { "count/daemonsets.apps": "0", "count/pods": "2", pods: "2" });
    const b = await client.get(PODS, ns, "b");
    await client.update(
      PODS,
      ns,
      { ...b, status: { ...b.status, phase: "Failed" } },
      { subresource: "status" },
    );
    await waitForUsed(ns, "q", { "count/daemonsets.apps": "0", "count/pods": "2", pods: "1" });
    const ds: KubeObject = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "ds" },
      spec: {
        selector: { matchLabels: { app: "x" } },
        template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "i" }] } },
      },
    };
    await client.create(DAEMON_SETS, ns, ds);
    await waitForUsed(ns, "q", { "count/daemonsets.apps": "1", "count/pods": "2", pods: "1" });
    await client.delete(DAEMON_SETS, ns, "ds");
    await waitForUsed(ns, "q", { "count/daemonsets.apps": "0", "count/pods": "2", pods: "1" });
  });

  it("counts only the pods a scoped quota selects", async () => {
    const ns = await namespace();
    await client.create(PODS, ns, pod("job", { activeDeadlineSeconds: 60 }));
    await client.create(PODS, ns, pod("agent"));
    await client.create(
      RESOURCE_QUOTAS,
      ns,
      quota("terminating", { pods: "5" }, { scopes: ["Terminating"] }),
    );
    await client.create(
      RESOURCE_QUOTAS,
      ns,
      quota("long-running", { pods: "5" }, { scopes: ["NotTerminating"] }),
    );
    await waitForUsed(ns, "terminating", { pods: "1" });
    await waitForUsed(ns, "long-running", { pods: "1" });
  });

  it("follows spec.hard changes and drops names no longer limited", async () => {
    const ns = await namespace();
    await client.create(PODS, ns, pod("a"));
    await client.create(RESOURCE_QUOTAS, ns, quota("q", { pods: "5", "requests.cpu": "1" }));
    await waitForUsed(ns, "q", { pods: "1", "requests.cpu": "100m" });
    await client.update(RESOURCE_QUOTAS, ns, {
      ...(await client.get(RESOURCE_QUOTAS, ns, "q")),
      spec: { hard: { pods: "2" } },
    });
    await waitForUsed(ns, "q", { pods: "1" });
    assert.deepEqual((await statusOf(ns, "q")).hard, { pods: "2" });
  });

  it("repairs a wrong status on the periodic resync", async () => {
    const ns = await namespace();
    await client.create(PODS, ns, pod("a"));
    await client.create(RESOURCE_QUOTAS, ns, quota("q", { pods: "5" }));
    await waitForUsed(ns, "q", { pods: "1" });
    const q = await client.get(RESOURCE_QUOTAS, ns, "q");
    await client.update(
      RESOURCE_QUOTAS,
      ns,
      { ...q, status: { hard: { pods: "5" }, used: { pods: "4" } } },
      { subresource: "status" },
    );
    assert.deepEqual((await statusOf(ns, "q")).used, { pods: "4" });
    clock.advance(DEFAULT_RESYNC_PERIOD_MS);
    await waitForUsed(ns, "q", { pods: "1" });
  });
});
