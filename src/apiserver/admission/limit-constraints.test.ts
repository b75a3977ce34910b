// Tests of the LimitRange checks: each of min, max and limit/request ratio with upstream's messages, the
// milli-unit comparison (amounts finer than a milli round up), and the order checkBounds reports in.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseQuantity } from "../../api/quantity.js";
import { parseResourceList } from "../../api/quota/resource-list.js";
import {
  boundsOf,
  type ConstraintInput,
  checkBounds,
  limitRequestRatioConstraint,
  maxConstraint,
  minConstraint,
} from "./limit-constraints.js";

type Check = (c: ConstraintInput) => string | undefined;

const input = (
  limitType: string,
  resource: string,
  enforced: string,
  requests: Record<string, string> = {},
  limits: Record<string, string> = {},
): ConstraintInput => ({
  limitType,
  resource,
  enforced: parseQuantity(enforced),
  requests: parseResourceList(requests),
  limits: parseResourceList(limits),
});

describe("LimitRange constraints", () => {
  const cases: [string, Check, ConstraintInput, string | undefined][] = [
    [
      "min without a request",
      minConstraint,
      input("Container", "cpu", "100m"),
      "minimum cpu usage per Container is 100m.  No request is specified",
    ],
    [
      "min above the request",
      minConstraint,
      input("Container", "cpu", "100m", { cpu: "50m" }, { cpu: "1" }),
      "minimum cpu usage per Container is 100m, but request is 50m",
    ],
    [
      "min above the limit",
      minConstraint,
      input("Pod", "memory", "1Gi", { memory: "2Gi" }, { memory: "512Mi" }),
      "minimum memory usage per Pod is 1Gi, but limit is 512Mi",
    ],
    ["min met", minConstraint, input("Container", "cpu", "100m", { cpu: "0.1" }), undefined],
    [
      "min met once rounded up to a milli",
      minConstraint,
      input("Container", "cpu", "100m", { cpu: "99500u" }),
      undefined,
    ],
    [
      "max without a limit",
      maxConstraint,
      input("Container", "memory", "1Gi", { memory: "128Mi" }),
      "maximum memory usage per Container is 1Gi.  No limit is specified",
    ],
    [
      "max below the limit",
      maxConstraint,
      input("Container", "memory", "1Gi", {}, { memory: "2Gi" }),
      "maximum memory usage per Container is 1Gi, but limit is 2Gi",
    ],
    [
      "max below the request",
      maxConstraint,
      input("Pod", "cpu", "1", { cpu: "1500m" }, { cpu: "1" }),
      "maximum cpu usage per Pod is 1, but request is 1500m",
    ],
    ["max met", maxConstraint, input("Container", "cpu", "1", { cpu: "1" }, { cpu: "1000m" }), undefined],
    [
      "ratio without a request",
      limitRequestRatioConstraint,
      input("Container", "cpu", "2", {}, { cpu: "1" }),
      "cpu max limit to request ratio per Container is 2, but no request is specified or request is 0",
    ],
    [
      "ratio with a zero request",
      limitRequestRatioConstraint,
      input("Container", "cpu", "2", { cpu: "0" }, { cpu: "1" }),
      "cpu max limit to request ratio per Container is 2, but no request is specified or request is 0",
    ],
    [
      "ratio without a limit",
      limitRequestRatioConstraint,
      input("Container", "cpu", "2", { cpu: "100m" }),
      "cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0",
    ],
    [
      "ratio exceeded",
      limitRequestRatioConstraint,
      input("Container", "memory", "1500m", { memory: "300Mi" }, { memory: "1Gi" }),
      "memory max limit to request ratio per Container is 1500m, but provided ratio is 3.413333",
    ],
    [
      "ratio met exactly",
      limitRequestRatioConstraint,
      input("Container", "cpu", "4", { cpu: "250m" }, { cpu: "1" }),
      undefined,
    ],
  ];
  for (const [name, check, c, want] of cases) it(name, () => assert.equal(check(c), want));
});

describe("checkBounds", () => {
  it("reports min, then max, then ratio failures, each in resource name order", () => {
    const item = boundsOf({
      type: "Container",
      min: { memory: "64Mi", cpu: "100m" },
      max: { cpu: "1" },
      maxLimitRequestRatio: { cpu: "2" },
    });
    assert.deepEqual(checkBounds(item, parseResourceList({ cpu: "50m" }), parseResourceList({})), [
      "minimum cpu usage per Container is 100m, but request is 50m",
      "minimum memory usage per Container is 64Mi.  No request is specified",
      "maximum cpu usage per Container is 1.  No limit is specified",
      "cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0",
    ]);
  });

  it("passes what meets every bound", () => {
    const item = boundsOf({ type: "Pod", min: { cpu: "100m" }, max: { cpu: "2" } });
    assert.deepEqual(checkBounds(item, parseResourceList({ cpu: "1" }), parseResourceList({ cpu: "2" })), []);
  });
});
