// Tests of PodDisruptionBudget validation: the budget fields, the selector, the eviction policy enum, status
// counts and conditions, and the update rules (tolerated legacy selectors).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldError } from "./field-errors.js";
import { kindKey, validateCreate, validateStatusUpdate, validateUpdate } from "./index.js";
import {
  validatePodDisruptionBudget,
  validatePodDisruptionBudgetStatusUpdate,
  validatePodDisruptionBudgetUpdate,
} from "./policy.js";

const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());
const meta = { name: "web", namespace: "default", resourceVersion: "7", generation: 1 };
const pdb = (spec: Record<string, unknown>, metadata: Record<string, unknown> = meta) => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata,
  spec,
});
const selector = { matchLabels: { app: "web" } };

describe("PodDisruptionBudget spec", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["minAvailable as a count", { minAvailable: 2, selector }, []],
    ["maxUnavailable as a percentage", { maxUnavailable: "25%", selector }, []],
    ["neither budget (allowed: nothing is protected)", { selector }, []],
    ["an empty selector", { minAvailable: 1, selector: {} }, []],
    [
      "a known unhealthy pod eviction policy",
      { minAvailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" },
      [],
    ],
    [
      "both budgets",
      { minAvailable: 1, maxUnavailable: 1, selector },
      [
        "spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set",
      ],
    ],
    [
      "a negative count",
      { minAvailable: -1 },
      ["spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"],
    ],
    [
      "a string that is no percentage",
      { maxUnavailable: "two" },
      [
        `spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"two"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      ],
    ],
    [
      "a percentage above 100",
      { minAvailable: "150%" },
      [
        `spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%`,
      ],
    ],
    [
      "a bad selector operator",
      { minAvailable: 1, selector: { matchExpressions: [{ key: "app", operator: "Near" }] } },
      ['spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator'],
    ],
    [
      "an unknown unhealthy pod eviction policy",
      { minAvailable: 1, unhealthyPodEvictionPolicy: "Sometimes" },
      [
        'spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"',
      ],
    ],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => assert.deepEqual(messages(validatePodDisruptionBudget(pdb(spec))), expected));
  }

  it("checks names as path segments, and metadata only once the spec is valid", () => {
    const named = (name: string) => ({ name, namespace: "default" });
    assert.deepEqual(
      messages(validatePodDisruptionBudget(pdb({ minAvailable: 1 }, named("Web_Budget")))),
      [],
    );
    assert.deepEqual(messages(validatePodDisruptionBudget(pdb({ minAvailable: 1 }, named("a/b")))), [
      `metadata.name: Invalid value: "a/b": may not contain '/'`,
    ]);
    assert.deepEqual(messages(validatePodDisruptionBudget(pdb({ minAvailable: -1 }, named("a/b")))), [
      "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });

  it("is what the by-kind entry points run", () => {
    const key = kindKey("policy", "PodDisruptionBudget");
    assert.equal(validateCreate(key, pdb({ minAvailable: -1 })).length, 1);
    assert.equal(validateUpdate(key, pdb({ minAvailable: -1 }), pdb({ minAvailable: 1 })).length, 1);
    assert.equal(validateStatusUpdate(key, { ...pdb({}), status: { expectedPods: -1 } }, pdb({})).length, 1);
  });
});

describe("PodDisruptionBudget update", () => {
  const legacy = { matchExpressions: [{ key: "app", operator: "In", values: ["bad value!"] }] };

  it("allows changing the budget and selector (policy/v1 specs are mutable)", () => {
    const old = pdb({ minAvailable: 1, selector });
    assert.deepEqual(
      messages(validatePodDisruptionBudgetUpdate(pdb({ maxUnavailable: "50%", selector: {} }), old)),
      [],
    );
  });

  it("tolerates a stored selector value that is invalid today, and only then", () => {
    const stored = pdb({ minAvailable: 1, selector: legacy });
    assert.deepEqual(
      messages(validatePodDisruptionBudgetUpdate(pdb({ minAvailable: 2, selector: legacy }), stored)),
      [],
    );
    const fresh = messages(validatePodDisruptionBudget(pdb({ minAvailable: 2, selector: legacy })));
    assert.equal(fresh.length, 1);
    assert.match(
      fresh[0],
      /^spec\.selector\.matchExpressions\[0\]\.values\[0\]: Invalid value: "bad value!"/,
    );
  });

  it("keeps metadata rules", () => {
    const old = pdb({ minAvailable: 1 });
    const renamed = pdb({ minAvailable: 1 }, { ...meta, name: "other" });
    assert.deepEqual(messages(validatePodDisruptionBudgetUpdate(renamed, old)), [
      'metadata.name: Invalid value: "other": field is immutable',
    ]);
  });
});

describe("PodDisruptionBudget status", () => {
  const old = pdb({ minAvailable: 1 });
  const withStatus = (status: Record<string, unknown>) => ({ ...old, status });
  const condition = {
    type: "DisruptionAllowed",
    status: "False",
    reason: "InsufficientPods",
    message: "",
    observedGeneration: 1,
    lastTransitionTime: "2024-06-01T12:00:00Z",
  };

  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      "a controller-written status",
      {
        observedGeneration: 1,
        disruptionsAllowed: 0,
        currentHealthy: 1,
        desiredHealthy: 1,
        expectedPods: 1,
        conditions: [condition],
      },
      [],
    ],
    [
      "negative counts",
      { disruptionsAllowed: -1, currentHealthy: -2, desiredHealthy: 0, expectedPods: -3 },
      [
        "status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0",
        "status.currentHealthy: Invalid value: -2: must be greater than or equal to 0",
        "status.expectedPods: Invalid value: -3: must be greater than or equal to 0",
      ],
    ],
    [
      "a duplicated condition type",
      { conditions: [condition, condition] },
      ['status.conditions[1].type: Duplicate value: "DisruptionAllowed"'],
    ],
    [
      "a condition without reason, time or known status",
      { conditions: [{ type: "DisruptionAllowed", status: "Maybe", message: "" }] },
      [
        'status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
        "status.conditions[0].lastTransitionTime: Required value: must be set",
        "status.conditions[0].reason: Required value: must be set",
      ],
    ],
    [
      "a reason that is not CamelCase-like",
      { conditions: [{ ...condition, reason: "not ok" }] },
      [
        `status.conditions[0].reason: Invalid value: "not ok": a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')`,
      ],
    ],
    [
      "a negative observedGeneration on a condition",
      { conditions: [{ ...condition, observedGeneration: -1 }] },
      ["status.conditions[0].observedGeneration: Invalid value: -1: must be greater than or equal to zero"],
    ],
  ];
  for (const [name, status, expected] of cases) {
    it(name, () =>
      assert.deepEqual(messages(validatePodDisruptionBudgetStatusUpdate(withStatus(status), old)), expected),
    );
  }
});
