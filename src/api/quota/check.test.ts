// Tests of the quota evaluators and the admission decision: which names each kind is measured under, how
// quotas match objects (resources and scopes), aggregate usage, and the exact refusal messages upstream prints.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../object.js";
import { checkCreate } from "./check.js";
import {
  calculateUsage,
  evaluatorFor,
  objectCountName,
  podEvaluator,
  quotaMatches,
  resourceForQuotaName,
} from "./evaluators.js";
import { parseResourceList, toWire } from "./resource-list.js";

const NOW = Date.parse("2024-06-01T12:00:00Z");

function quota(name: string, hard: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name, namespace: "ns" },
    spec: { hard, ...spec },
  };
}

function pod(name: string, requests?: Record<string, string>, limits?: Record<string, string>): KubeObject {
  const resources = { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "ns", uid: name },
    spec: { containers: [{ name: "main", image: "i", resources }] },
  };
}

const DAEMON_SETS = evaluatorFor({ group: "apps", resource: "daemonsets" });
const CONFIG_MAPS = evaluatorFor({ group: "", resource: "configmaps" });
const ds: KubeObject = {
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "ds", namespace: "ns" },
};

describe("quota evaluators", () => {
  it("names object counts count/<resource>[.<group>]", () => {
    assert.equal(objectCountName({ group: "", resource: "pods" }), "count/pods");
    assert.equal(objectCountName({ group: "apps", resource: "daemonsets" }), "count/daemonsets.apps");
  });

  const names: [string, { group: string; resource: string } | undefined][] = [
    ["count/daemonsets.apps", { group: "apps", resource: "daemonsets" }],
    ["count/leases.coordination.k8s.io", { group: "coordination.k8s.io", resource: "leases" }],
    ["count/secrets", { group: "", resource: "secrets" }],
    ["configmaps", { group: "", resource: "configmaps" }],
    ["requests.memory", { group: "", resource: "pods" }],
    ["requests.example.com/gpu", { group: "", resource: "pods" }],
    ["hugepages-1Gi", { group: "", resource: "pods" }],
    ["requests.storage", undefined],
    ["count/", undefined],
  ];
  for (const [name, gr] of names) {
    it(`${name} is measured on ${gr ? `${gr.resource}.${gr.group}` : "nothing"}`, () =>
      assert.deepEqual(resourceForQuotaName(name), gr));
  }

  it("lets each evaluator pick the names it measures", () => {
    const hard = ["pods", "requests.cpu", "count/pods", "configmaps", "count/configmaps", "requests.storage"];
    assert.deepEqual(podEvaluator.matchingResources(hard), ["pods", "requests.cpu", "count/pods"]);
    assert.deepEqual(CONFIG_MAPS.matchingResources(hard), ["configmaps", "count/configmaps"]);
    assert.deepEqual(DAEMON_SETS.matchingResources(hard), []);
  });

  it("matches a quota on its resources and, for pods only, its scopes", () => {
    assert.ok(quotaMatches(DAEMON_SETS, quota("q", { "count/daemonsets.apps": "1" }), ds));
    assert.ok(!quotaMatches(DAEMON_SETS, quota("q", { pods: "1" }), ds));
    // Object counts match no scope, so a scoped quota never counts them.
    assert.ok(
      !quotaMatches(
        DAEMON_SETS,
        quota("q", { "count/daemonsets.apps": "1" }, { scopes: ["NotTerminating"] }),
        ds,
      ),
    );
    const scoped = quota("q", { pods: "1" }, { scopes: ["BestEffort"] });
    assert.ok(quotaMatches(podEvaluator, scoped, pod("be")));
    assert.ok(!quotaMatches(podEvaluator, scoped, pod("burst", { cpu: "1" })));
  });

  it("sums the usage of the objects a quota selects, starting every name at zero", () => {
    const q = quota("q", { pods: "10", "requests.cpu": "4", "limits.memory": "1Gi", "count/pods": "10" });
    const pods = [pod("a", { cpu: "100m" }), pod("b", { cpu: "250m" }, { memory: "128Mi" })];
    assert.deepEqual(toWire(calculateUsage(podEvaluator, q, pods, NOW)), {
      "count/pods": "2",
      "limits.memory": "128Mi",
      pods: "2",
      "requests.cpu": "350m",
    });
    assert.deepEqual(toWire(calculateUsage(podEvaluator, q, [], NOW)), {
      "count/pods": "0",
      "limits.memory": "0",
      pods: "0",
      "requests.cpu": "0",
    });
  });
});

describe("quota admission decisions", () => {
  const used = (wire: Record<string, string>) => () => parseResourceList(wire);

  it("allows and charges what fits", () => {
    const d = checkCreate(
      podEvaluator,
      [quota("q", { pods: "5", "requests.cpu": "1" })],
      pod("p", { cpu: "100m" }),
      NOW,
      used({ pods: "4", "requests.cpu": "900m" }),
    );
    assert.ok(d.allowed);
    assert.deepEqual(
      d.charges.map((c) => [c.quota.metadata.name, toWire(c.requested), toWire(c.newUsage)]),
      [["q", { pods: "1", "requests.cpu": "100m" }, { pods: "5", "requests.cpu": "1" }]],
    );
  });

  const refusals: [string, KubeObject[], KubeObject, Record<string, string>, string][] = [
    [
      "one exceeded name",
      [quota("logging-quota", { pods: "5", "requests.cpu": "2" })],
      pod("p", { cpu: "100m" }),
      { pods: "5", "requests.cpu": "500m" },
      "exceeded quota: logging-quota, requested: pods=1, used: pods=5, limited: pods=5",
    ],
    [
      "several exceeded names, sorted",
      [quota("q", { pods: "1", "requests.memory": "1Gi", "requests.cpu": "1" })],
      pod("p", { cpu: "500m", memory: "600Mi" }),
      { pods: "1", "requests.cpu": "200m", "requests.memory": "512Mi" },
      "exceeded quota: q, requested: pods=1,requests.memory=600Mi, used: pods=1,requests.memory=512Mi, limited: pods=1,requests.memory=1Gi",
    ],
    [
      "missing requests, before any usage is looked at",
      [quota("compute", { "limits.cpu": "1", "requests.memory": "1Gi" })],
      pod("p"),
      {},
      "failed quota: compute: must specify limits.cpu for: main; requests.memory for: main",
    ],
    [
      "the first quota by name that refuses",
      [quota("b", { pods: "1" }), quota("a", { pods: "2" })],
      pod("p"),
      { pods: "2" },
      "exceeded quota: a, requested: pods=1, used: pods=2, limited: pods=2",
    ],
  ];
  for (const [name, quotas, obj, usage, message] of refusals) {
    it(`refuses with ${name}`, () => {
      assert.deepEqual(checkCreate(podEvaluator, quotas, obj, NOW, used(usage)), { allowed: false, message });
    });
  }

  it("refuses a count over its alias too", () => {
    const d = checkCreate(
      CONFIG_MAPS,
      [quota("objects", { configmaps: "2", "count/configmaps": "3" })],
      { metadata: { name: "cm", namespace: "ns" } },
      NOW,
      used({ configmaps: "2", "count/configmaps": "2" }),
    );
    assert.deepEqual(d, {
      allowed: false,
      message: "exceeded quota: objects, requested: configmaps=1, used: configmaps=2, limited: configmaps=2",
    });
  });

  it("charges nothing when no quota tracks the object or a scope leaves it out", () => {
    assert.deepEqual(checkCreate(DAEMON_SETS, [quota("q", { pods: "0" })], ds, NOW, used({})), {
      allowed: true,
      charges: [],
    });
    const terminating = quota("q", { pods: "0" }, { scopes: ["Terminating"] });
    assert.deepEqual(checkCreate(podEvaluator, [terminating], pod("p"), NOW, used({ pods: "0" })), {
      allowed: true,
      charges: [],
    });
  });

  it("lets a quota lowered below its usage refuse new objects but keep what exists", () => {
    const d = checkCreate(podEvaluator, [quota("q", { pods: "3" })], pod("p"), NOW, used({ pods: "7" }));
    assert.deepEqual(d, {
      allowed: false,
      message: "exceeded quota: q, requested: pods=1, used: pods=7, limited: pods=3",
    });
  });
});
