// Tests of ResourceQuota validation: resource names and amounts in spec.hard and status, scopes (known, valid for
// the limited resources, not conflicting), scope selector expressions, and the update rules.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldError } from "./field-errors.js";
import { kindKey, validateCreate, validateStatusUpdate, validateUpdate } from "./index.js";

const KEY = kindKey("", "ResourceQuota");
const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());
const meta = { name: "q", namespace: "default", resourceVersion: "7" };
const quota = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: meta,
  spec,
  ...(status ? { status } : {}),
});
const expr = (scopeName: string, operator: string, values?: string[]) => ({
  scopeName,
  operator,
  ...(values ? { values } : {}),
});

describe("ResourceQuota spec", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["the seed's quota", { hard: { pods: "5", "requests.cpu": "2", "requests.memory": "4Gi" } }, []],
    [
      "object counts, aliases, hugepages and extended resources",
      {
        hard: {
          "count/daemonsets.apps": "3",
          configmaps: "10",
          "requests.hugepages-2Mi": "1Gi",
          "requests.example.com/gpu": "2",
        },
      },
      [],
    ],
    [
      "an unknown unprefixed name",
      { hard: { foo: "1" } },
      [
        'spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified',
        'spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota',
      ],
    ],
    [
      "a standard resource that quotas cannot limit",
      { hard: { storage: "1Gi" } },
      ['spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota'],
    ],
    [
      "a name that is not qualified",
      { hard: { "count/Foo_": "1" } },
      [
        `spec.hard[count/Foo_]: Invalid value: "count/Foo_": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
    [
      "negative and fractional counts",
      { hard: { pods: "-1", secrets: "1500m" } },
      [
        'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
        'spec.hard[secrets]: Invalid value: "1500m": must be an integer',
      ],
    ],
    ["fractional cpu", { hard: { "requests.cpu": "1500m" } }, []],
    [
      "an unknown scope",
      { hard: { pods: "1" }, scopes: ["Sometimes"] },
      ['spec.scopes: Invalid value: []core.ResourceQuotaScope{"Sometimes"}: unsupported scope'],
    ],
    [
      "a scope on a resource it cannot limit",
      { hard: { pods: "1", "requests.cpu": "1" }, scopes: ["BestEffort"] },
      [
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource',
      ],
    ],
    [
      "conflicting scopes",
      { hard: { pods: "1" }, scopes: ["Terminating", "NotTerminating"] },
      [
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating", "NotTerminating"}: conflicting scopes',
      ],
    ],
    [
      "scopes with counts they do not apply to (only standard names are checked)",
      { hard: { "count/daemonsets.apps": "1" }, scopes: ["NotBestEffort"] },
      [],
    ],
    [
      "a valid priority class selector",
      { hard: { pods: "10" }, scopeSelector: { matchExpressions: [expr("PriorityClass", "In", ["high"])] } },
      [],
    ],
    [
      "In without values",
      { hard: { pods: "1" }, scopeSelector: { matchExpressions: [expr("PriorityClass", "NotIn")] } },
      [
        "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
      ],
    ],
    [
      "Exists with values",
      { hard: { pods: "1" }, scopeSelector: { matchExpressions: [expr("PriorityClass", "Exists", ["x"])] } },
      [
        `spec.scopeSelector.matchExpressions.values: Invalid value: []string{"x"}: must be no value when \`operator\` is 'Exist' or 'DoesNotExist' for scope selector`,
      ],
    ],
    [
      "a scope that only takes Exists, and an unknown operator",
      { hard: { pods: "1" }, scopeSelector: { matchExpressions: [expr("BestEffort", "Has")] } },
      [
        `spec.scopeSelector.matchExpressions.operator: Invalid value: "Has": must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity`,
        'spec.scopeSelector.matchExpressions.operator: Invalid value: "Has": not a valid selector operator',
      ],
    ],
    [
      "an unknown scope name and a scope on a resource it cannot limit",
      {
        hard: { "requests.cpu": "1" },
        scopeSelector: { matchExpressions: [expr("Nope", "Exists"), expr("BestEffort", "Exists")] },
      },
      [
        'spec.scopeSelector.matchExpressions.scopeName: Invalid value: "Nope": unsupported scope',
        'spec.scopeSelector.matchExpressions: Invalid value: &core.ScopeSelector{MatchExpressions:[]core.ScopedResourceSelectorRequirement{core.ScopedResourceSelectorRequirement{ScopeName:"Nope", Operator:"Exists", Values:[]string(nil)}, core.ScopedResourceSelectorRequirement{ScopeName:"BestEffort", Operator:"Exists", Values:[]string(nil)}}}: unsupported scope applied to resource',
      ],
    ],
    [
      "conflicting selector scopes",
      {
        hard: { pods: "1" },
        scopeSelector: { matchExpressions: [expr("BestEffort", "Exists"), expr("NotBestEffort", "Exists")] },
      },
      [
        "spec.scopeSelector.matchExpressions: Invalid value: []core.ResourceQuotaScope(nil): conflicting scopes",
      ],
    ],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => assert.deepEqual(messages(validateCreate(KEY, quota(spec))), expected));
  }

  it("checks metadata like any namespaced kind", () => {
    const bad = { ...quota({ hard: { pods: "1" } }), metadata: { name: "Q!" } };
    assert.deepEqual(messages(validateCreate(KEY, bad)), [
      `metadata.name: Invalid value: "Q!": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      "metadata.namespace: Required value",
    ]);
  });
});

describe("ResourceQuota updates", () => {
  it("keeps scopes as they were created", () => {
    const old = quota({ hard: { pods: "1" }, scopes: ["BestEffort"] });
    assert.deepEqual(
      messages(validateUpdate(KEY, quota({ hard: { pods: "2" }, scopes: ["BestEffort"] }), old)),
      [],
    );
    assert.deepEqual(messages(validateUpdate(KEY, quota({ hard: { pods: "2" } }), old)), [
      "spec.scopes: Invalid value: []core.ResourceQuotaScope(nil): field is immutable",
    ]);
  });

  it("checks the names and amounts of status.hard and status.used", () => {
    const old = quota({ hard: { pods: "1" } });
    const next = quota({ hard: { pods: "1" } }, { hard: { pods: "1" }, used: { pods: "-1", bogus: "1" } });
    assert.deepEqual(messages(validateStatusUpdate(KEY, next, old)), [
      'status.used[bogus]: Invalid value: "bogus": must be a standard resource type or fully qualified',
      'status.used[bogus]: Invalid value: "bogus": must be a standard resource for quota',
      'status.used[pods]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });
});
