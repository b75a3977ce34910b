// Services over HTTP against a real in-process server: the `kubernetes` service the server keeps, defaults and
// allocated cluster IPs and node ports, updates that leave allocated values out (kubectl apply), type changes,
// refusals with upstream's messages, and the rows `kubectl get svc` prints.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { namespace, paths, TABLE_ACCEPT } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "svc";
const services = (ns = NS) => `/api/v1/namespaces/${ns}/services`;
const service = (name: string, ns = NS) => `${services(ns)}/${name}`;

function svc(name: string, spec: Record<string, unknown>) {
  return { apiVersion: "v1", kind: "Service", metadata: { name }, spec };
}

/** Whether `ip` lies in 10.96.0.0/12 (10.96.0.0-10.111.255.255). */
function inServiceCIDR(ip: string): boolean {
  const [a, b] = ip.split(".").map(Number);
  return a === 10 && b >= 96 && b <= 111;
}

describe("Services", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(() => c.stop());

  it("the server keeps the kubernetes service (10.96.0.1:443 to its own port) and its endpoints", async () => {
    const res = await c.get(service("kubernetes", "default"));
    assertOk(res);
    assert.equal(res.body.spec.clusterIP, "10.96.0.1");
    assert.deepEqual(res.body.spec.ports, [
      { name: "https", protocol: "TCP", port: 443, targetPort: Number(new URL(c.url).port) },
    ]);
    assert.deepEqual(res.body.metadata.labels, { component: "apiserver", provider: "kubernetes" });
    const apiPort = Number(new URL(c.url).port);
    const ep = await c.get("/api/v1/namespaces/default/endpoints/kubernetes");
    assertOk(ep);
    assert.deepEqual(ep.body.subsets, [
      { addresses: [{ ip: "127.0.0.1" }], ports: [{ name: "https", port: apiPort, protocol: "TCP" }] },
    ]);
    const slice = await c.get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
    assertOk(slice);
    assert.deepEqual(slice.body.endpoints, [{ addresses: ["127.0.0.1"], conditions: { ready: true } }]);
    assert.equal(slice.body.metadata.labels["kubernetes.io/service-name"], "kubernetes");
  });

  it("a deleted or edited kubernetes service and its endpoints come back at the next reconcile", async () => {
    assertOk(await c.delete(service("kubernetes", "default")));
    assertOk(await c.delete("/api/v1/namespaces/default/endpoints/kubernetes"));
    const edited = await c.get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
    edited.body.endpoints = [{ addresses: ["10.9.9.9"], conditions: { ready: true } }];
    assertOk(
      await c.put("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes", edited.body),
    );
    await c.cp.kubernetesService.reconcile();
    const res = await c.get(service("kubernetes", "default"));
    assertOk(res);
    assert.equal(res.body.spec.clusterIP, "10.96.0.1");
    assertOk(await c.get("/api/v1/namespaces/default/endpoints/kubernetes"));
    const slice = await c.get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
    assert.deepEqual(slice.body.endpoints, [{ addresses: ["127.0.0.1"], conditions: { ready: true } }]);
  });

  it("defaults a ClusterIP service and allocates it an address", async () => {
    const res = await c.post(services(), svc("web", { selector: { app: "web" }, ports: [{ port: 80 }] }));
    assertOk(res, 201);
    const spec = res.body.spec;
    assert.ok(inServiceCIDR(spec.clusterIP), spec.clusterIP);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
    assert.deepEqual(spec.ports, [{ protocol: "TCP", port: 80, targetPort: 80 }]);
    assert.equal(spec.type, "ClusterIP");
    assert.equal(spec.sessionAffinity, "None");
    assert.equal(spec.internalTrafficPolicy, "Cluster");
    assert.deepEqual(spec.ipFamilies, ["IPv4"]);
    assert.equal(spec.ipFamilyPolicy, "SingleStack");
    assert.deepEqual(res.body.status, { loadBalancer: {} });
  });

  it("an update that leaves the allocated address out keeps it; changing it is refused", async () => {
    const { body: before } = await c.get(service("web"));
    const manifest = svc("web", { selector: { app: "web", tier: "front" }, ports: [{ port: 80 }] });
    const res = await c.put(service("web"), { ...manifest, metadata: { ...before.metadata } });
    assertOk(res);
    assert.equal(res.body.spec.clusterIP, before.spec.clusterIP);
    assert.deepEqual(res.body.spec.selector, { app: "web", tier: "front" });
    const moved = await c.patch(service("web"), { spec: { clusterIP: "10.96.7.7" } }, "merge");
    assertFailure(moved, {
      code: 422,
      reason: "Invalid",
      message:
        'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.7.7": may not change once set',
    });
  });

  it("refuses an address or node port already in use, or outside its range", async () => {
    assertFailure(await c.post(services(), svc("dup", { clusterIP: "10.96.0.1", ports: [{ port: 80 }] })), {
      code: 422,
      reason: "Invalid",
      message:
        'Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated',
    });
    assertFailure(await c.post(services(), svc("far", { clusterIP: "192.168.0.9", ports: [{ port: 80 }] })), {
      code: 422,
      reason: "Invalid",
      message:
        'Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.0.9"}: failed to allocate IP 192.168.0.9: the provided IP (192.168.0.9) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    });
    const first = await c.post(
      services(),
      svc("np", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }),
    );
    assertOk(first, 201);
    assert.equal(first.body.spec.externalTrafficPolicy, "Cluster");
    assertFailure(
      await c.post(services(), svc("np2", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] })),
      {
        code: 422,
        reason: "Invalid",
        message:
          'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
      },
    );
    assertFailure(
      await c.post(services(), svc("np3", { type: "NodePort", ports: [{ port: 80, nodePort: 80 }] })),
      {
        code: 422,
        reason: "Invalid",
        message:
          'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
      },
    );
    // Nothing refused stays reserved: the address and port of a refused create are free for the next one.
    assertOk(
      await c.post(services(), svc("np4", { type: "NodePort", ports: [{ port: 80, nodePort: 30081 }] })),
      201,
    );
  });

  it("validates as upstream: names, port names, protocols, node ports on ClusterIP services", async () => {
    const res = await c.post(
      services(),
      svc("1web", {
        ports: [
          { port: 80, nodePort: 30001 },
          { port: 80, protocol: "HTTP" },
        ],
      }),
    );
    assertFailure(res, { code: 422, reason: "Invalid" });
    assert.deepEqual(
      res.body.details.causes.map((cause: { field: string }) => cause.field),
      [
        "metadata.name",
        "spec.ports[0].name",
        "spec.ports[0].nodePort",
        "spec.ports[1].name",
        "spec.ports[1].protocol",
      ],
    );
  });

  it("gives the TCP and UDP ports of one port number the same node port, as upstream", async () => {
    const dns = svc("dns", {
      type: "NodePort",
      ports: [
        { name: "dns-tcp", port: 53, protocol: "TCP" },
        { name: "dns-udp", port: 53, protocol: "UDP" },
      ],
    });
    const res = await c.post(services(), dns);
    assertOk(res, 201);
    const [tcp, udp] = res.body.spec.ports.map((p: { nodePort: number }) => p.nodePort);
    assert.equal(tcp, udp);
    const pinned = svc("dns-pinned", {
      type: "NodePort",
      ports: [
        { name: "dns-tcp", port: 53, protocol: "TCP", nodePort: 30053 },
        { name: "dns-udp", port: 53, protocol: "UDP", nodePort: 30053 },
      ],
    });
    assertOk(await c.post(services(), pinned), 201);
  });

  it("allocates node ports when the type becomes NodePort, and drops addresses for ExternalName", async () => {
    assertOk(await c.post(services(), svc("shifty", { ports: [{ port: 8080 }] })), 201);
    const nodePort = await c.patch(service("shifty"), { spec: { type: "NodePort" } }, "merge");
    assertOk(nodePort);
    const allocated = nodePort.body.spec.ports[0].nodePort;
    assert.ok(allocated >= 30000 && allocated <= 32767, String(allocated));
    const alias = await c.patch(
      service("shifty"),
      { spec: { type: "ExternalName", externalName: "db.example.com" } },
      "merge",
    );
    assertOk(alias);
    assert.equal(alias.body.spec.clusterIP, undefined);
    assert.equal(alias.body.spec.ports[0].nodePort, undefined);
  });

  it("prints kubectl get svc's columns", async () => {
    assertOk(
      await c.post(services(), svc("lb", { type: "LoadBalancer", ports: [{ port: 443, nodePort: 31443 }] })),
      201,
    );
    assertOk(
      await c.post(services(), svc("ext", { type: "ExternalName", externalName: "example.com" })),
      201,
    );
    assertOk(await c.post(services(), svc("headless", { clusterIP: "None", selector: { app: "db" } })), 201);
    const res = await c.get(services(), { Accept: TABLE_ACCEPT });
    assertOk(res);
    assert.deepEqual(
      res.body.columnDefinitions.map((d: { name: string }) => d.name),
      ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"],
    );
    const rows = new Map<unknown, unknown[]>(
      res.body.rows.map((r: { cells: unknown[] }) => [r.cells[0], r.cells.slice(1, 5)]),
    );
    assert.deepEqual(rows.get("lb")?.slice(2), ["<pending>", "443:31443/TCP"]);
    assert.deepEqual(rows.get("ext"), ["ExternalName", "<none>", "example.com", "<none>"]);
    assert.deepEqual(rows.get("headless"), ["ClusterIP", "None", "<none>", "<none>"]);
  });
});
