// Table tests for the RollingUpdate limits: ints, percentages rounded up, defaults and the both-zero rule.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  allowsSurge,
  rollingUpdateLimits,
  scaledValueFromIntOrPercent,
  surgeCount,
  unavailableCount,
} from "./strategy.js";
import { daemonSet, type StrategyOption } from "./testing.js";

describe("scaledValueFromIntOrPercent", () => {
  const cases: { value: number | string; total: number; want: number }[] = [
    { value: 3, total: 100, want: 3 },
    { value: "10%", total: 25, want: 3 },
    { value: "10%", total: 20, want: 2 },
    { value: "33%", total: 3, want: 1 },
    { value: "1%", total: 1, want: 1 },
    { value: "0%", total: 50, want: 0 },
    { value: "100%", total: 7, want: 7 },
    { value: "20%", total: 0, want: 0 },
    { value: "+50%", total: 3, want: 2 },
  ];
  for (const c of cases) {
    it(`${c.value} of ${c.total} → ${c.want}`, () =>
      assert.equal(scaledValueFromIntOrPercent(c.value, c.total), c.want));
  }
  it("rejects strings that are not percentages, with upstream's words", () => {
    assert.throws(() => scaledValueFromIntOrPercent("5", 10), {
      message: "invalid value for IntOrString: invalid type: string is not a percentage",
    });
    assert.throws(() => scaledValueFromIntOrPercent("x%", 10), {
      message: 'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax',
    });
  });
});

describe("surgeCount / unavailableCount / allowsSurge", () => {
  const cases: {
    name: string;
    strategy: StrategyOption | "none" | "no-rolling-update";
    desired: number;
    surge: number;
    unavailable: number;
    allows: boolean;
  }[] = [
    {
      name: "defaults (1, 0)",
      strategy: { maxUnavailable: 1, maxSurge: 0 },
      desired: 10,
      surge: 0,
      unavailable: 1,
      allows: false,
    },
    {
      name: "maxUnavailable unset takes 1",
      strategy: { maxSurge: 0 },
      desired: 10,
      surge: 0,
      unavailable: 1,
      allows: false,
    },
    {
      name: "percent unavailable",
      strategy: { maxUnavailable: "30%" },
      desired: 10,
      surge: 0,
      unavailable: 3,
      allows: false,
    },
    {
      name: "percent rounds up",
      strategy: { maxUnavailable: "30%" },
      desired: 11,
      surge: 0,
      unavailable: 4,
      allows: false,
    },
    {
      name: "percent surge",
      strategy: { maxUnavailable: 0, maxSurge: "20%" },
      desired: 12,
      surge: 3,
      unavailable: 0,
      allows: true,
    },
    {
      name: "tiny surge percent still allows surge",
      strategy: { maxUnavailable: 0, maxSurge: "1%" },
      desired: 1,
      surge: 1,
      unavailable: 0,
      allows: true,
    },
    {
      name: "int surge",
      strategy: { maxUnavailable: 0, maxSurge: 2 },
      desired: 5,
      surge: 2,
      unavailable: 0,
      allows: true,
    },
    {
      name: "zero percent surge",
      strategy: { maxUnavailable: 1, maxSurge: "0%" },
      desired: 5,
      surge: 0,
      unavailable: 1,
      allows: false,
    },
    { name: "OnDelete", strategy: "OnDelete", desired: 5, surge: 0, unavailable: 0, allows: false },
    {
      name: "RollingUpdate without parameters",
      strategy: "no-rolling-update",
      desired: 5,
      surge: 0,
      unavailable: 0,
      allows: false,
    },
    { name: "no strategy at all", strategy: "none", desired: 5, surge: 0, unavailable: 0, allows: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ds = daemonSet();
      if (c.strategy === "none") delete ds.spec.updateStrategy;
      else if (c.strategy === "no-rolling-update") ds.spec.updateStrategy = { type: "RollingUpdate" };
      else ds.spec.updateStrategy = daemonSet({ strategy: c.strategy }).spec.updateStrategy;
      assert.equal(surgeCount(ds, c.desired), c.surge);
      assert.equal(unavailableCount(ds, c.desired), c.unavailable);
      assert.equal(allowsSurge(ds), c.allows);
    });
  }
  it("an invalid maxSurge does not allow surge", () => {
    assert.equal(allowsSurge(daemonSet({ strategy: { maxSurge: "lots" } })), false);
  });
});

describe("rollingUpdateLimits", () => {
  it("takes maxUnavailable 1 when both resolve to 0 on a non-empty DaemonSet", () => {
    const ds = daemonSet({ strategy: { maxUnavailable: "10%", maxSurge: "0%" } });
    assert.deepEqual(rollingUpdateLimits(ds, 5), { maxSurge: 0, maxUnavailable: 1 });
    assert.deepEqual(rollingUpdateLimits(ds, 0), { maxSurge: 0, maxUnavailable: 0 });
    assert.deepEqual(rollingUpdateLimits(daemonSet({ strategy: "OnDelete" }), 3), {
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });
  it("keeps configured values", () => {
    const ds = daemonSet({ strategy: { maxUnavailable: 0, maxSurge: "25%" } });
    assert.deepEqual(rollingUpdateLimits(ds, 10), { maxSurge: 3, maxUnavailable: 0 });
  });
  it("names the field in errors", () => {
    assert.throws(
      () => rollingUpdateLimits(daemonSet({ strategy: { maxUnavailable: "1" } }), 3),
      /^Error: invalid value for MaxUnavailable: /,
    );
    assert.throws(
      () => rollingUpdateLimits(daemonSet({ strategy: { maxUnavailable: 0, maxSurge: "a%" } }), 3),
      /invalid value for MaxSurge/,
    );
  });
});
