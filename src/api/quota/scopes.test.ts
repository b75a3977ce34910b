// Table tests for quota scopes on pods: terminating, best-effort (from status or computed), priority class with
// every operator, and cross-namespace pod affinity; and how a quota's scopes become requirements.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../object.js";
import { isBestEffort, podMatchesScope, type ScopeRequirement, scopeSelectorsOf } from "./scopes.js";

function pod(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [{ name: "c", image: "i" }], ...spec },
    ...(status ? { status } : {}),
  };
}

const withResources = (resources: Record<string, unknown>) =>
  pod({ containers: [{ name: "c", image: "i", resources }] });

describe("quota scopes", () => {
  it("turns scopes into Exists requirements followed by the selector's expressions", () => {
    const quota: KubeObject = {
      metadata: { name: "q" },
      spec: {
        scopes: ["NotTerminating"],
        scopeSelector: {
          matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: ["high"] }],
        },
      },
    };
    assert.deepEqual(scopeSelectorsOf(quota), [
      { scopeName: "NotTerminating", operator: "Exists" },
      { scopeName: "PriorityClass", operator: "In", values: ["high"] },
    ]);
  });

  const bestEffort: [string, KubeObject, boolean][] = [
    ["no resources", pod({}), true],
    ["a zero request", withResources({ requests: { cpu: "0" } }), true],
    ["only a non-QoS resource", withResources({ requests: { "ephemeral-storage": "1Gi" } }), true],
    ["a cpu request", withResources({ requests: { cpu: "10m" } }), false],
    ["a memory limit", withResources({ limits: { memory: "1Mi" } }), false],
    ["the class the server recorded", pod({}, { qosClass: "Burstable" }), false],
  ];
  for (const [name, p, expected] of bestEffort) {
    it(`best effort with ${name}: ${expected}`, () => assert.equal(isBestEffort(p), expected));
  }

  const matches: [string, ScopeRequirement, KubeObject, boolean][] = [
    [
      "Terminating with a deadline",
      { scopeName: "Terminating", operator: "Exists" },
      pod({ activeDeadlineSeconds: 30 }),
      true,
    ],
    ["Terminating without one", { scopeName: "Terminating", operator: "Exists" }, pod({}), false],
    ["NotTerminating without one", { scopeName: "NotTerminating", operator: "Exists" }, pod({}), true],
    [
      "NotBestEffort with requests",
      { scopeName: "NotBestEffort", operator: "Exists" },
      withResources({ requests: { cpu: "1" } }),
      true,
    ],
    [
      "PriorityClass Exists with a class",
      { scopeName: "PriorityClass", operator: "Exists" },
      pod({ priorityClassName: "high" }),
      true,
    ],
    ["PriorityClass Exists without", { scopeName: "PriorityClass", operator: "Exists" }, pod({}), false],
    [
      "PriorityClass In, listed",
      { scopeName: "PriorityClass", operator: "In", values: ["high", "low"] },
      pod({ priorityClassName: "low" }),
      true,
    ],
    [
      "PriorityClass In, unlisted",
      { scopeName: "PriorityClass", operator: "In", values: ["high"] },
      pod({ priorityClassName: "low" }),
      false,
    ],
    [
      "PriorityClass In, no class",
      { scopeName: "PriorityClass", operator: "In", values: ["high"] },
      pod({}),
      false,
    ],
    [
      "PriorityClass NotIn, no class",
      { scopeName: "PriorityClass", operator: "NotIn", values: ["high"] },
      pod({}),
      true,
    ],
    [
      "PriorityClass NotIn, listed",
      { scopeName: "PriorityClass", operator: "NotIn", values: ["high"] },
      pod({ priorityClassName: "high" }),
      false,
    ],
    [
      "PriorityClass DoesNotExist, no class",
      { scopeName: "PriorityClass", operator: "DoesNotExist" },
      pod({}),
      true,
    ],
    [
      "PriorityClass DoesNotExist, a class",
      { scopeName: "PriorityClass", operator: "DoesNotExist" },
      pod({ priorityClassName: "x" }),
      false,
    ],
    [
      "CrossNamespacePodAffinity with namespaces",
      { scopeName: "CrossNamespacePodAffinity", operator: "Exists" },
      pod({
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ namespaces: ["other"], topologyKey: "k" }],
          },
        },
      }),
      true,
    ],
    [
      "CrossNamespacePodAffinity with a preferred namespace selector",
      { scopeName: "CrossNamespacePodAffinity", operator: "Exists" },
      pod({
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 1, podAffinityTerm: { namespaceSelector: {}, topologyKey: "k" } },
            ],
          },
        },
      }),
      true,
    ],
    [
      "CrossNamespacePodAffinity with same-namespace terms",
      { scopeName: "CrossNamespacePodAffinity", operator: "Exists" },
      pod({
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "k" }] } },
      }),
      false,
    ],
    ["an unknown scope", { scopeName: "VolumeAttributesClass", operator: "Exists" }, pod({}), false],
  ];
  for (const [name, req, p, expected] of matches) {
    it(`${name}: ${expected}`, () => assert.equal(podMatchesScope(req, p), expected));
  }
});
