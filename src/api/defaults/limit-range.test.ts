// Tests of LimitRange defaults: Container items fill default from max and defaultRequest from default, else
// from min, without overriding what was given; other item types are left as sent.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyDefaults } from "./index.js";

type Item = Record<string, unknown>;
const defaulted = (item: Item): Item => {
  const lr = applyDefaults("", "LimitRange", { metadata: { name: "l" }, spec: { limits: [item] } });
  return lr.spec.limits[0];
};

describe("LimitRange defaults", () => {
  const cases: [string, Item, Item][] = [
    [
      "max becomes the default limit, and that the default request",
      { type: "Container", max: { cpu: "2", memory: "1Gi" } },
      {
        type: "Container",
        max: { cpu: "2", memory: "1Gi" },
        default: { cpu: "2", memory: "1Gi" },
        defaultRequest: { cpu: "2", memory: "1Gi" },
      },
    ],
    [
      "min becomes the default request where no default limit exists",
      { type: "Container", min: { cpu: "100m" }, default: { memory: "256Mi" } },
      {
        type: "Container",
        min: { cpu: "100m" },
        default: { memory: "256Mi" },
        defaultRequest: { memory: "256Mi", cpu: "100m" },
      },
    ],
    [
      "given defaults win over max and min",
      {
        type: "Container",
        min: { cpu: "100m" },
        max: { cpu: "2" },
        default: { cpu: "500m" },
        defaultRequest: { cpu: "200m" },
      },
      {
        type: "Container",
        min: { cpu: "100m" },
        max: { cpu: "2" },
        default: { cpu: "500m" },
        defaultRequest: { cpu: "200m" },
      },
    ],
    ["a Container item without bounds stays as sent", { type: "Container" }, { type: "Container" }],
    [
      "Pod items get no defaults",
      { type: "Pod", max: { cpu: "2" }, min: { cpu: "1" } },
      { type: "Pod", max: { cpu: "2" }, min: { cpu: "1" } },
    ],
  ];
  for (const [name, item, want] of cases) it(name, () => assert.deepEqual(defaulted(item), want));

  it("is idempotent", () => {
    const once = defaulted({ type: "Container", max: { cpu: "2" }, min: { memory: "1Mi" } });
    assert.deepEqual(defaulted(structuredClone(once)), once);
  });
});
