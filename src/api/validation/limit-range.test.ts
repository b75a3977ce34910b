// Tests of LimitRange validation (after defaulting, as the registry runs it): item types, duplicate types,
// resource names per type, Pod items without defaults, claim items with a storage bound, the ordering of min,
// defaultRequest, default and max, the ratio rules, and quantities printed as Go's %#v prints them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyDefaults } from "../defaults/index.js";
import type { FieldError } from "./field-errors.js";
import { goQuantity } from "./go-format.js";
import { kindKey, validateCreate, validateUpdate } from "./index.js";

const KEY = kindKey("", "LimitRange");
const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());
const limitRange = (limits: unknown[]) =>
  applyDefaults("", "LimitRange", {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "limits", namespace: "default", resourceVersion: "3" },
    spec: { limits },
  });
const q = (text: string): string => goQuantity(text).repr;

describe("LimitRange spec", () => {
  const cases: [string, unknown[], string[]][] = [
    [
      "the documentation's cpu and memory ranges",
      [
        {
          type: "Container",
          min: { cpu: "100m", memory: "64Mi" },
          max: { cpu: "1", memory: "1Gi" },
          default: { cpu: "500m", memory: "512Mi" },
          defaultRequest: { cpu: "200m", memory: "128Mi" },
          maxLimitRequestRatio: { cpu: "5" },
        },
        { type: "Pod", max: { cpu: "2", memory: "2Gi" } },
        { type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "10Gi" } },
        { type: "example.com/widget", max: { "example.com/gpu": "1" } },
      ],
      [],
    ],
    [
      "unknown, empty and duplicate types",
      [{ type: "Container" }, { type: "Container" }, { type: "Widget" }, { type: "" }],
      [
        'spec.limits[1].type: Duplicate value: "Container"',
        'spec.limits[2].type: Invalid value: "Widget": must be a standard limit type or fully qualified',
        'spec.limits[3].type: Invalid value: "": name part must be non-empty',
        `spec.limits[3].type: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
    [
      "container items bound container resources only; other types any standard resource",
      [
        { type: "Container", max: { storage: "1Gi", pods: "2" } },
        { type: "PersistentVolumeClaim", max: { storage: "1Gi", widgets: "2" } },
      ],
      [
        'spec.limits[0].max[pods]: Invalid value: "pods": must be a standard resource for containers',
        'spec.limits[0].max[storage]: Invalid value: "storage": must be a standard resource for containers',
        'spec.limits[0].default[pods]: Invalid value: "pods": must be a standard resource for containers',
        'spec.limits[0].default[storage]: Invalid value: "storage": must be a standard resource for containers',
        'spec.limits[0].defaultRequest[pods]: Invalid value: "pods": must be a standard resource for containers',
        'spec.limits[0].defaultRequest[storage]: Invalid value: "storage": must be a standard resource for containers',
        'spec.limits[1].max[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified',
      ],
    ],
    [
      "Pod items take no defaults",
      [{ type: "Pod", default: { cpu: "1" }, defaultRequest: { cpu: "1" } }],
      [
        "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
        "spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod'",
      ],
    ],
    [
      "claim items need a storage bound",
      [{ type: "PersistentVolumeClaim", max: { "requests.storage": "1Gi" } }],
      [
        "spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided",
      ],
    ],
    [
      "min above max, and the defaults taken from max fall below min",
      [{ type: "Container", min: { cpu: "2" }, max: { cpu: "1" } }],
      [
        `spec.limits[0].min[cpu]: Invalid value: ${q("2")}: min value 2 is greater than max value 1`,
        `spec.limits[0].defaultRequest[cpu]: Invalid value: ${q("1")}: min value 2 is greater than default request value 1`,
        `spec.limits[0].default[cpu]: Invalid value: ${q("2")}: min value 2 is greater than default value 1`,
      ],
    ],
    [
      "defaults above max and a default request above the default limit",
      [
        {
          type: "Container",
          max: { memory: "1Gi" },
          default: { memory: "2Gi" },
          defaultRequest: { memory: "1536Mi" },
        },
      ],
      [
        `spec.limits[0].defaultRequest[memory]: Invalid value: ${q("1536Mi")}: default request value 1536Mi is greater than max value 1Gi`,
        `spec.limits[0].default[memory]: Invalid value: ${q("1Gi")}: default value 2Gi is greater than max value 1Gi`,
      ],
    ],
    [
      "a default request above the default limit",
      [{ type: "Container", default: { cpu: "500m" }, defaultRequest: { cpu: "1" } }],
      [
        `spec.limits[0].defaultRequest[cpu]: Invalid value: ${q("1")}: default request value 1 is greater than default limit value 500m`,
      ],
    ],
    [
      "a ratio below 1, and one that max/min leaves no room for",
      [
        { type: "Container", maxLimitRequestRatio: { memory: "500m" } },
        { type: "Pod", min: { cpu: "250m" }, max: { cpu: "1" }, maxLimitRequestRatio: { cpu: "4500m" } },
      ],
      [
        `spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: ${q("500m")}: ratio 500m is less than 1`,
        `spec.limits[1].maxLimitRequestRatio[cpu]: Invalid value: ${q("4500m")}: ratio 4500m is greater than max/min = 4.000000`,
      ],
    ],
    [
      "resources that cannot be overcommitted need equal defaults",
      [
        {
          type: "Container",
          default: { "example.com/gpu": "2" },
          defaultRequest: { "example.com/gpu": "1" },
        },
      ],
      [
        `spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: ${q("1")}: default value 2 must equal to defaultRequest value 1 in example.com/gpu`,
      ],
    ],
  ];
  for (const [name, limits, want] of cases) {
    it(name, () => assert.deepEqual(messages(validateCreate(KEY, limitRange(limits))), want));
  }

  it("checks metadata like any namespaced object", () => {
    const lr: Record<string, unknown> = { ...limitRange([]), metadata: { name: "Bad_Name" } };
    assert.deepEqual(messages(validateCreate(KEY, lr)), [
      `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      "metadata.namespace: Required value",
    ]);
  });

  it("applies the same rules on update", () => {
    const old = limitRange([{ type: "Container", max: { cpu: "1" } }]);
    const next = limitRange([{ type: "Container", max: { cpu: "1" }, min: { cpu: "2" } }]);
    assert.equal(validateUpdate(KEY, next, old).length, 3);
    assert.deepEqual(validateUpdate(KEY, old, old), []);
  });
});

describe("Quantity as a bad value", () => {
  const cases: [string, string][] = [
    [
      "100m",
      'resource.Quantity{i:resource.int64Amount{value:100, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"100m", Format:"DecimalSI"}',
    ],
    [
      "1Gi",
      'resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1Gi", Format:"BinarySI"}',
    ],
    [
      "0.5",
      'resource.Quantity{i:resource.int64Amount{value:5, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"500m", Format:"DecimalSI"}',
    ],
    [
      "1.5Gi",
      'resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(0xc000000000)}, s:"1536Mi", Format:"BinarySI"}',
    ],
    [
      "0",
      'resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"0", Format:"DecimalSI"}',
    ],
  ];
  for (const [text, want] of cases) it(text, () => assert.equal(goQuantity(text).repr, want));
});
