// The garbage collector against a real in-process control plane: background, foreground and orphan cascades,
// mixed owners, owners missing at startup, and cluster-scoped owners.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { eventually, TestCluster } from "../../../test/support/test-cluster.js";
import { isNotFound } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { findResource, type ResourceInfo } from "../../api/resources.js";
import { LocalClient } from "../../apiserver/local-client.js";
import { InformerFactory } from "../../informer/index.js";
import { createLogger } from "../../util/log.js";
import { GarbageCollector } from "./garbage-collector.js";

const resource = (group: string, resourceName: string): ResourceInfo =>
  findResource(group, "v1", resourceName)!;
const DAEMONSETS = resource("apps", "daemonsets");
const REVISIONS = resource("apps", "controllerrevisions");
const PODS = resource("", "pods");
const CONFIGMAPS = resource("", "configmaps");
const NODES = resource("", "nodes");
const LEASES = resource("coordination.k8s.io", "leases");

const NS = "default";
const logger = createLogger("gc-test", "silent");

function ownerRef(owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    ...extra,
  };
}

const controllerRef = (owner: KubeObject) => ownerRef(owner, { controller: true, blockOwnerDeletion: true });

describe("GarbageCollector", () => {
  let cluster: TestCluster;
  let client: LocalClient;
  let stop: AbortController;
  let running: Promise<unknown>;

  const exists = async (type: ResourceInfo, namespace: string | undefined, name: string) => {
    try {
      return await client.get(type, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const gone = (type: ResourceInfo, namespace: string | undefined, name: string) =>
    eventually(
      async () => !(await exists(type, namespace, name)),
      5000,
      `${type.resource} ${name} to be deleted`,
    );

  const daemonSet = (name: string) =>
    client.create(DAEMONSETS, NS, {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: "c", image: "busybox" }] },
        },
      },
    });
  const pod = (name: string, owners: OwnerReference[], finalizers?: string[]) =>
    client.create(PODS, NS, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, ownerReferences: owners, finalizers },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    });
  const configMap = (name: string, owners?: OwnerReference[]) =>
    client.create(CONFIGMAPS, NS, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, ownerReferences: owners },
    });

  async function startCollector(): Promise<void> {
    const informers = new InformerFactory(client, { logger });
    const gc = new GarbageCollector({ client, informers, logger, workers: 4 });
    stop = new AbortController();
    running = Promise.all([informers.start(stop.signal), gc.start(stop.signal)]);
  }

  before(async () => {
    cluster = await TestCluster.start();
    client = new LocalClient(cluster.cp.registry);
    // Dependents whose owners vanished before the collector started are found by its initial sync.
    await pod("stale-owner", [
      ownerRef({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "never", uid: "0-0" } }),
    ]);
    const renamed = await configMap("reused-name");
    await pod("stale-uid", [ownerRef({ ...renamed, metadata: { ...renamed.metadata, uid: "other-uid" } })]);
    await startCollector();
  });

  after(async () => {
    stop.abort();
    await running;
    await cluster.stop();
  });

  it("collects dependents whose owner is missing, or exists only under another UID, at startup", async () => {
    await gone(PODS, NS, "stale-owner");
    await gone(PODS, NS, "stale-uid");
    assert.ok(
      await exists(CONFIGMAPS, NS, "reused-name"),
      "the same-name object with another UID is left alone",
    );
  });

  it("deletes a DaemonSet's pods and ControllerRevisions after a background delete", async () => {
    const ds = await daemonSet("bg");
    await pod("bg-a", [controllerRef(ds)]);
    await pod("bg-b", [controllerRef(ds)]);
    await client.create(REVISIONS, NS, {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: { name: "bg-rev", ownerReferences: [controllerRef(ds)] },
      data: {},
      revision: 1,
    });
    await client.delete(DAEMONSETS, NS, "bg", { propagationPolicy: "Background" });
    await Promise.all([gone(PODS, NS, "bg-a"), gone(PODS, NS, "bg-b"), gone(REVISIONS, NS, "bg-rev")]);
  });

  it("keeps a foreground-deleted owner until its blocking dependents are gone", async () => {
    const ds = await daemonSet("fg");
    await pod("fg-held", [controllerRef(ds)], ["example.com/hold"]);
    await pod("fg-free", [controllerRef(ds)]);
    await pod("fg-nonblocking", [ownerRef(ds)], ["example.com/hold"]);
    await client.delete(DAEMONSETS, NS, "fg", { propagationPolicy: "Foreground" });
    await gone(PODS, NS, "fg-free");
    const held = await eventually(
      async () => (await exists(PODS, NS, "fg-held"))?.metadata.deletionTimestamp,
    );
    assert.ok(held, "the held pod is being deleted");
    const owner = await exists(DAEMONSETS, NS, "fg");
    assert.deepEqual(owner?.metadata.finalizers, ["foregroundDeletion"], "the owner waits for the held pod");

    await client.patch(PODS, NS, "fg-held", "merge", { metadata: { finalizers: null } });
    await gone(PODS, NS, "fg-held");
    await gone(DAEMONSETS, NS, "fg");
    // A dependent that does not block its owner is deleted too, but need not be gone first.
    const nonBlocking = await exists(PODS, NS, "fg-nonblocking");
    assert.ok(nonBlocking?.metadata.deletionTimestamp);
    await client.patch(PODS, NS, "fg-nonblocking", "merge", { metadata: { finalizers: null } });
  });

  it("orphans dependents: they stay without the owner's reference, and the owner goes", async () => {
    const ds = await daemonSet("orphan");
    const other = await configMap("orphan-other");
    await pod("orphan-a", [controllerRef(ds)]);
    await pod("orphan-b", [controllerRef(ds), ownerRef(other)]);
    await client.delete(DAEMONSETS, NS, "orphan", { propagationPolicy: "Orphan" });
    await gone(DAEMONSETS, NS, "orphan");
    const a = await exists(PODS, NS, "orphan-a");
    const b = await exists(PODS, NS, "orphan-b");
    assert.deepEqual(a?.metadata.ownerReferences ?? [], []);
    assert.deepEqual(
      b?.metadata.ownerReferences?.map((r) => r.name),
      ["orphan-other"],
    );
    assert.equal(a?.metadata.deletionTimestamp, undefined);
  });

  it("removes only the dangling reference while another owner exists, and collects once all are gone", async () => {
    const first = await configMap("mixed-1");
    const second = await configMap("mixed-2");
    await configMap("mixed-dependent", [ownerRef(first), ownerRef(second)]);
    await client.delete(CONFIGMAPS, NS, "mixed-1");
    await eventually(async () => {
      const dep = await exists(CONFIGMAPS, NS, "mixed-dependent");
      return dep?.metadata.ownerReferences?.length === 1;
    });
    const dep = await exists(CONFIGMAPS, NS, "mixed-dependent");
    assert.equal(dep?.metadata.ownerReferences?.[0].name, "mixed-2");
    await client.delete(CONFIGMAPS, NS, "mixed-2");
    await gone(CONFIGMAPS, NS, "mixed-dependent");
  });

  it("drops a reference to an owner deleting in foreground when another owner holds the dependent", async () => {
    const leaving = await configMap("waiting-owner");
    const staying = await configMap("solid-owner");
    await configMap("shared", [ownerRef(leaving, { blockOwnerDeletion: true }), ownerRef(staying)]);
    await client.delete(CONFIGMAPS, NS, "waiting-owner", { propagationPolicy: "Foreground" });
    await gone(CONFIGMAPS, NS, "waiting-owner");
    const shared = await exists(CONFIGMAPS, NS, "shared");
    assert.deepEqual(
      shared?.metadata.ownerReferences?.map((r) => r.name),
      ["solid-owner"],
    );
  });

  it("collects namespaced dependents of a cluster-scoped owner (a node's lease)", async () => {
    const node = await client.create(NODES, undefined, {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "gc-node" },
    });
    await client.create(LEASES, "kube-node-lease", {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "gc-node", ownerReferences: [ownerRef(node)] },
      spec: { holderIdentity: "gc-node" },
    });
    await client.delete(NODES, undefined, "gc-node");
    await gone(LEASES, "kube-node-lease", "gc-node");
  });
});
