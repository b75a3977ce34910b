// Tests for the simulated cluster network: DNS names of services and pods in search-list order, headless
// services resolving to their ready pods, and what answers at a service IP (a ready pod at the target port),
// a pod IP (its own servers) and an address nobody serves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import { ClusterNetwork } from "./cluster-network.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");

function svc(name: string, ns: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns }, spec };
}

function nginxPod(name: string, ns: string, ip: string, ready = true): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, labels: { app: "web" } },
    spec: {
      nodeName: "node1",
      containers: [{ name: "web", image: "nginx:1.27", ports: [{ name: "http", containerPort: 80 }] }],
    },
    status: {
      phase: "Running",
      podIP: ip,
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      containerStatuses: [{ name: "web", state: { running: { startedAt: "2026-01-01T00:00:00Z" } } }],
    },
  };
}

describe("ClusterNetwork", () => {
  const services = [
    svc("web", "shop", {
      clusterIP: "10.96.5.5",
      selector: { app: "web" },
      ports: [{ name: "http", port: 8080, targetPort: "http" }],
    }),
    svc("web-headless", "shop", {
      clusterIP: "None",
      selector: { app: "web" },
      ports: [{ port: 80, targetPort: 80 }],
    }),
    svc("empty", "shop", { clusterIP: "10.96.6.6", selector: { app: "none" }, ports: [{ port: 80 }] }),
  ];
  const pods = [nginxPod("web-1", "shop", "10.244.1.5"), nginxPod("web-2", "shop", "10.244.2.5", false)];
  const network = new ClusterNetwork(
    {
      services: (ns) => services.filter((s) => ns === undefined || s.metadata.namespace === ns),
      pods: (ns) => pods.filter((p) => ns === undefined || p.metadata.namespace === ns),
      node: () => undefined,
    },
    () => NOW,
  );

  it("resolves service names through the search list, from any namespace", () => {
    assert.deepEqual(network.resolve("web", "shop"), {
      fqdn: "web.shop.svc.cluster.local",
      addresses: ["10.96.5.5"],
    });
    assert.deepEqual(network.resolve("web.shop", "default"), {
      fqdn: "web.shop.svc.cluster.local",
      addresses: ["10.96.5.5"],
    });
    assert.deepEqual(network.resolve("web.shop.svc.cluster.local.", "default")?.addresses, ["10.96.5.5"]);
    assert.deepEqual(network.resolve("nosuch", "shop"), {
      fqdn: "nosuch.shop.svc.cluster.local",
      addresses: [],
    });
    assert.deepEqual(network.resolve("10-244-1-5.shop.pod.cluster.local", "default")?.addresses, [
      "10.244.1.5",
    ]);
  });

  it("resolves a headless service to its ready pods", () => {
    assert.deepEqual(network.resolve("web-headless", "shop")?.addresses, ["10.244.1.5"]);
  });

  it("forwards a service port to a ready pod's target port, and refuses when nothing serves", () => {
    const res = network.get("web.shop", 8080, "/", "default");
    assert.ok(typeof res === "object" && res.status === 200 && res.body.includes("Welcome to nginx!"));
    assert.equal(network.get("web.shop", 80, "/", "default"), "refused", "not a port of the service");
    assert.equal(network.get("empty", 80, "/", "shop"), "refused", "no ready endpoint: kube-proxy rejects");
    assert.equal(network.get("nosuch", 80, "/", "shop"), "unresolved");
    const direct = network.get("10.244.2.5", 80, "/", "shop");
    assert.ok(typeof direct === "object" && direct.status === 200, "a pod IP reaches the pod, ready or not");
    assert.equal(network.get("10.244.9.9", 80, "/", "shop"), "refused");
  });
});
