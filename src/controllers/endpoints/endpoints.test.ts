// Tests for what the endpoint controllers compute from a service and its namespace's pods: selection, which pods
// count (ShouldPodBeInEndpoints), named target ports, subsets by port set, ready and not-ready addresses, slices
// of at most 100 endpoints with their conditions.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { backendsOf } from "../../api/service-backends.js";
import { endpointSubsets } from "./endpoints-controller.js";
import { MAX_ENDPOINTS_PER_SLICE, planSlices } from "./endpointslice-controller.js";

function service(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "ns", uid: "svc-uid" },
    spec,
  };
}

function pod(
  name: string,
  ip: string | undefined,
  o: {
    ready?: boolean;
    labels?: Record<string, string>;
    phase?: string;
    deleting?: boolean;
    port?: number;
  } = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "ns",
      uid: `uid-${name}`,
      labels: o.labels ?? { app: "web" },
      ...(o.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: {
      nodeName: `node-${name}`,
      containers: [{ name: "c", ports: [{ name: "http", containerPort: o.port ?? 8080, protocol: "TCP" }] }],
    },
    status: {
      phase: o.phase ?? "Running",
      ...(ip ? { podIP: ip } : {}),
      conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }],
    },
  };
}

const web = service({
  selector: { app: "web" },
  ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }],
});

describe("endpoint controllers' computations", () => {
  it("take the selected pods with an address that have not finished, sorted by IP", () => {
    const pods = [
      pod("b", "10.244.0.10"),
      pod("a", "10.244.0.9"),
      pod("other", "10.244.0.2", { labels: { app: "db" } }),
      pod("pending", undefined),
      pod("done", "10.244.0.3", { phase: "Succeeded" }),
      pod("leaving", "10.244.0.4", { deleting: true }),
    ];
    assert.deepEqual(
      backendsOf(web, pods, false).map((b) => b.pod.metadata.name),
      ["a", "b"],
      "by IP (10.244.0.10 after 10.244.0.9); a finished pod is no endpoint, whatever its restart policy",
    );
    assert.deepEqual(
      backendsOf(web, pods, true).map((b) => b.pod.metadata.name),
      ["leaving", "a", "b"],
    );
  });

  it("groups addresses into subsets by the ports a named target port resolves to", () => {
    const pods = [
      pod("a", "10.244.0.1"),
      pod("b", "10.244.0.2", { ready: false }),
      pod("c", "10.244.0.3", { port: 9090 }),
    ];
    assert.deepEqual(endpointSubsets(web, backendsOf(web, pods, false)), [
      {
        addresses: [
          {
            ip: "10.244.0.1",
            nodeName: "node-a",
            targetRef: { kind: "Pod", namespace: "ns", name: "a", uid: "uid-a" },
          },
        ],
        notReadyAddresses: [
          {
            ip: "10.244.0.2",
            nodeName: "node-b",
            targetRef: { kind: "Pod", namespace: "ns", name: "b", uid: "uid-b" },
          },
        ],
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      },
      {
        addresses: [
          {
            ip: "10.244.0.3",
            nodeName: "node-c",
            targetRef: { kind: "Pod", namespace: "ns", name: "c", uid: "uid-c" },
          },
        ],
        ports: [{ name: "http", port: 9090, protocol: "TCP" }],
      },
    ]);
  });

  it("slices endpoints by 100 with ready, serving and terminating conditions", () => {
    const pods = Array.from({ length: 150 }, (_, i) =>
      pod(`p${i}`, `10.244.${Math.floor(i / 250)}.${(i % 250) + 1}`),
    );
    pods.push(pod("leaving", "10.244.9.9", { deleting: true }));
    const slices = planSlices(web, backendsOf(web, pods, true), []);
    assert.deepEqual(
      slices.map((s) => s.endpoints.length),
      [MAX_ENDPOINTS_PER_SLICE, 51],
    );
    assert.deepEqual(slices[0].ports, [{ name: "http", port: 8080, protocol: "TCP" }]);
    assert.deepEqual(slices[0].endpoints[0], {
      addresses: ["10.244.0.1"],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: "Pod", namespace: "ns", name: "p0", uid: "uid-p0" },
      nodeName: "node-p0",
    });
    assert.deepEqual(slices[1].endpoints.at(-1)?.conditions, {
      ready: false,
      serving: true,
      terminating: true,
    });
    assert.deepEqual(
      planSlices(web, [], []),
      [{ have: undefined, ports: [], endpoints: [] }],
      "a placeholder",
    );
  });

  it("keeps endpoints in the slices that list them: a new pod fills room instead of shifting every slice", () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(`p${i}`, `10.244.1.${i + 10}`));
    const first = planSlices(web, backendsOf(web, pods, true), []);
    const stored = first.map((plan, i) => ({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: `web-${i}`, namespace: "ns" },
      addressType: "IPv4",
      ports: plan.ports,
      endpoints: plan.endpoints,
    }));
    // A pod with the lowest IP arrives, and one of the first slice's pods goes.
    const next = [pod("newcomer", "10.244.1.1"), ...pods.filter((p) => p.metadata.name !== "p3")];
    const plans = planSlices(web, backendsOf(web, next, true), stored);
    assert.deepEqual(
      plans.map((p) => [p.have?.metadata.name, p.endpoints.length]),
      [
        ["web-0", 100],
        ["web-1", 50],
      ],
    );
    assert.deepEqual(plans[1].endpoints, stored[1].endpoints, "the second slice is left as it was");
    assert.equal((plans[0].endpoints[99] as any).targetRef.name, "newcomer", "the newcomer fills p3's room");
  });
});
