// Tests of PriorityClass validation: the reserved "system-" names, the user value ceiling, preemptionPolicy
// values, and the update rules (value and preemptionPolicy are immutable).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldError } from "./field-errors.js";
import { kindKey, validateCreate, validateUpdate } from "./index.js";

const KEY = kindKey("scheduling.k8s.io", "PriorityClass");
const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());
const pc = (name: string, fields: Record<string, unknown>) => ({
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name, resourceVersion: "3" },
  ...fields,
});

describe("PriorityClass create", () => {
  const reserved =
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: ";
  const cases: [string, ReturnType<typeof pc>, string[]][] = [
    ["a user class at the ceiling", pc("high", { value: 1_000_000_000 }), []],
    ["a negative value", pc("low", { value: -10, preemptionPolicy: "Never" }), []],
    ["a system class with its own value", pc("system-node-critical", { value: 2000001000 }), []],
    [
      "a user class above the ceiling",
      pc("too-high", { value: 1_000_000_001 }),
      ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"],
    ],
    [
      "an unknown system- name",
      pc("system-mine", { value: 5 }),
      [`${reserved}system-mine is not a known system priority class`],
    ],
    [
      "a system class with another value",
      pc("system-cluster-critical", { value: 5 }),
      [`${reserved}value of system-cluster-critical PriorityClass must be 2000000000`],
    ],
    [
      "a system class as global default",
      pc("system-cluster-critical", { value: 2000000000, globalDefault: true }),
      [`${reserved}globalDefault of system-cluster-critical PriorityClass must be false`],
    ],
    [
      "an unknown preemption policy",
      pc("odd", { value: 1, preemptionPolicy: "Sometimes" }),
      ['preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"'],
    ],
    [
      "an empty preemption policy",
      pc("odd", { value: 1, preemptionPolicy: "" }),
      ["preemptionPolicy: Required value"],
    ],
    [
      "an invalid name",
      pc("Not_A_Name", { value: 1 }),
      [
        "metadata.name: Invalid value: \"Not_A_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    ],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => assert.deepEqual(messages(validateCreate(KEY, obj)), want));
  }
});

describe("PriorityClass update", () => {
  const old = pc("high", { value: 100, preemptionPolicy: "PreemptLowerPriority", description: "old" });
  const cases: [string, ReturnType<typeof pc>, string[]][] = [
    [
      "description and globalDefault may change",
      pc("high", {
        value: 100,
        preemptionPolicy: "PreemptLowerPriority",
        description: "new",
        globalDefault: true,
      }),
      [],
    ],
    [
      "value may not",
      pc("high", { value: 101, preemptionPolicy: "PreemptLowerPriority" }),
      ["value: Forbidden: may not be changed in an update."],
    ],
    [
      "preemptionPolicy may not",
      pc("high", { value: 100, preemptionPolicy: "Never" }),
      ['preemptionPolicy: Invalid value: "Never": field is immutable'],
    ],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => assert.deepEqual(messages(validateUpdate(KEY, obj, old)), want));
  }
});
