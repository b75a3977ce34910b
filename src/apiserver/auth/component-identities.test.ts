import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import {
  CONTROLLER_REVISIONS,
  DAEMON_SETS,
  EVENTS,
  LEASES,
  NAMESPACES,
  NODES,
  PODS,
  SERVICE_ACCOUNTS,
} from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import { FLEET_LABEL } from "../../nodes/node-template.js";
import { openBackend } from "../../storage/registry.js";
import { LocalClient } from "../local-client.js";
import { Registry } from "../registry/registry.js";
import { ClusterAuth } from "./cluster-auth.js";
import { COMPONENT_USERS, type ComponentName } from "./component-identities.js";

/** The HTTP status a call ends with: 0 for success. */
async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 0;
  } catch (e) {
    if (e instanceof ApiError) return e.code;
    throw e;
  }
}

const node = (name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels },
});
const pod = (name: string, nodeName: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { nodeName, containers: [{ name: "c", image: "busybox" }] },
});

describe("built-in component identities through LocalClient.withUser", () => {
  let registry: Registry;
  let auth: ClusterAuth;
  let root: LocalClient;
  const as = (c: ComponentName): Client => root.withUser(COMPONENT_USERS[c]);

  before(async () => {
    registry = await Registry.open(await openBackend("memory://"));
    auth = await ClusterAuth.start(registry, { enforce: true });
    root = new LocalClient(registry, { authorizer: auth });
    await root.create(NODES, undefined, node("n1"));
    await root.create(NODES, undefined, node("remote", { [FLEET_LABEL]: "lab" }));
    await root.create(PODS, "default", pod("on-n1", "n1"));
    await root.create(PODS, "default", pod("on-remote", "remote"));
  });
  after(() => {
    auth.stop();
    registry.stop();
  });

  it("a client without a user is the trusted loopback", async () => {
    assert.equal(await status(root.list(SERVICE_ACCOUNTS, undefined)), 0);
  });

  const allowed: [ComponentName, string, (c: Client) => Promise<unknown>][] = [
    ["sharedInformers", "list anything", (c) => c.list(CONTROLLER_REVISIONS, undefined)],
    ["daemonSetController", "create pods", (c) => c.create(PODS, "default", pod("ds-pod", "n1"))],
    [
      "daemonSetController",
      "patch controllerrevisions",
      (c) => c.patch(CONTROLLER_REVISIONS, "default", "x", "merge", {}),
    ],
    [
      "daemonSetController",
      "record events",
      (c) =>
        c.create(EVENTS, "default", {
          apiVersion: "v1",
          kind: "Event",
          metadata: { generateName: "e-" },
          involvedObject: { kind: "Pod", name: "x", namespace: "default" },
          reason: "R",
          message: "m",
        }),
    ],
    ["scheduler", "bind pods", (c) => c.createSubresource(PODS, "default", "nobody", "binding", {})],
    ["garbageCollector", "delete anything", (c) => c.delete(DAEMON_SETS, "default", "gone")],
    [
      "nodeLifecycleController",
      "taint nodes",
      (c) => c.patch(NODES, undefined, "n1", "merge", { metadata: { labels: { a: "b" } } }),
    ],
    ["podGarbageCollector", "delete pods", (c) => c.delete(PODS, "default", "gone")],
    [
      "nodeFleet",
      "patch its node's status",
      (c) => c.patch(NODES, undefined, "n1", "merge", { status: {} }, { subresource: "status" }),
    ],
    [
      "nodeFleet",
      "patch its pods' status",
      (c) => c.patch(PODS, "default", "on-n1", "merge", { status: {} }, { subresource: "status" }),
    ],
    [
      "nodeFleet",
      "create its node's lease",
      (c) =>
        c.create(LEASES, "kube-node-lease", {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name: "n1" },
          spec: {},
        }),
    ],
  ];
  for (const [component, what, call] of allowed) {
    it(`${component} may ${what}`, async () => {
      const code = await status(call(as(component)));
      assert.notEqual(code, 403);
    });
  }

  const refused: [ComponentName, string, (c: Client) => Promise<unknown>][] = [
    ["sharedInformers", "patch daemonsets", (c) => c.patch(DAEMON_SETS, "default", "x", "merge", {})],
    ["sharedInformers", "delete pods", (c) => c.delete(PODS, "default", "on-n1")],
    ["daemonSetController", "delete nodes", (c) => c.delete(NODES, undefined, "n1")],
    [
      "daemonSetController",
      "list secrets",
      (c) =>
        c.list(
          { group: "", version: "v1", resource: "secrets", namespaced: true, kind: "Secret" },
          "default",
        ),
    ],
    [
      "scheduler",
      "create daemonsets",
      (c) =>
        c.create(DAEMON_SETS, "default", {
          apiVersion: "apps/v1",
          kind: "DaemonSet",
          metadata: { name: "x" },
        }),
    ],
    [
      "serviceAccountController",
      "delete serviceaccounts",
      (c) => c.delete(SERVICE_ACCOUNTS, "default", "default"),
    ],
    ["podGarbageCollector", "delete namespaces", (c) => c.delete(NAMESPACES, undefined, "default")],
    [
      "nodeFleet",
      "patch another fleet's node",
      (c) => c.patch(NODES, undefined, "remote", "merge", { status: {} }, { subresource: "status" }),
    ],
    [
      "nodeFleet",
      "patch another fleet's pods",
      (c) => c.patch(PODS, "default", "on-remote", "merge", { status: {} }, { subresource: "status" }),
    ],
    ["nodeFleet", "create pods", (c) => c.create(PODS, "default", pod("sneaky", "n1"))],
    [
      "nodeFleet",
      "create a lease for a node it does not run",
      (c) =>
        c.create(LEASES, "kube-node-lease", {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name: "remote" },
          spec: {},
        }),
    ],
  ];
  for (const [component, what, call] of refused) {
    it(`${component} may not ${what}`, async () => {
      assert.equal(await status(call(as(component))), 403);
    });
  }

  it("a refused call carries upstream's message", async () => {
    await assert.rejects(as("scheduler").list(SERVICE_ACCOUNTS, "default"), {
      message:
        'serviceaccounts is forbidden: User "system:kube-scheduler" cannot list resource "serviceaccounts" in API group "" in the namespace "default"',
    });
  });

  it("watches are authorized too", async () => {
    const watch = as("scheduler").watch(SERVICE_ACCOUNTS, undefined, {})[Symbol.asyncIterator]();
    await assert.rejects(watch.next(), { code: 403 });
  });

  it("withUser needs an authorizer", () => {
    assert.throws(() => new LocalClient(registry).withUser(COMPONENT_USERS.scheduler), /authorizer/);
  });
});
