// Table tests for toleration matching, untolerated-taint lookup and toleration add-or-update.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addOrUpdateToleration,
  findMatchingUntoleratedTaint,
  isNoExecute,
  isNoScheduleOrNoExecute,
  isPreferNoSchedule,
  type Taint,
  type Toleration,
  taintMatches,
  taintToString,
  tolerationsTolerateTaint,
  tolerationToleratesTaint,
} from "./taints.js";

describe("tolerationToleratesTaint", () => {
  const taint: Taint = { key: "dedicated", value: "gpu", effect: "NoSchedule" };
  const cases: { name: string; toleration: Toleration; taint?: Taint; want: boolean }[] = [
    {
      name: "Equal with same key, value, effect",
      toleration: { key: "dedicated", value: "gpu", effect: "NoSchedule" },
      want: true,
    },
    {
      name: "operator Equal spelled out",
      toleration: { key: "dedicated", operator: "Equal", value: "gpu" },
      want: true,
    },
    {
      name: "Equal with another value",
      toleration: { key: "dedicated", operator: "Equal", value: "cpu" },
      want: false,
    },
    { name: "Equal without value against a valued taint", toleration: { key: "dedicated" }, want: false },
    {
      name: "Equal without value against an unvalued taint",
      toleration: { key: "k" },
      taint: { key: "k", effect: "NoSchedule" },
      want: true,
    },
    { name: "Exists ignores the value", toleration: { key: "dedicated", operator: "Exists" }, want: true },
    {
      name: "empty effect matches every effect",
      toleration: { key: "dedicated", operator: "Exists" },
      taint: { key: "dedicated", effect: "NoExecute" },
      want: true,
    },
    {
      name: "another effect",
      toleration: { key: "dedicated", operator: "Exists", effect: "NoExecute" },
      want: false,
    },
    { name: "another key", toleration: { key: "other", operator: "Exists" }, want: false },
    { name: "Exists with empty key matches every taint", toleration: { operator: "Exists" }, want: true },
    {
      name: "Exists with empty key but an effect",
      toleration: { operator: "Exists", effect: "NoExecute" },
      want: false,
    },
    {
      name: "tolerationSeconds plays no part",
      toleration: { key: "dedicated", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 0 },
      want: true,
    },
    {
      name: "unknown operator",
      toleration: { key: "dedicated", operator: "Contains", value: "gpu" },
      want: false,
    },
    {
      name: "Gt is off by default",
      toleration: { key: "level", operator: "Gt", value: "1" },
      taint: { key: "level", value: "5", effect: "NoSchedule" },
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(tolerationToleratesTaint(c.toleration, c.taint ?? taint), c.want));
  }

  it("compares numerically with the comparison operators enabled", () => {
    const t = (op: string, value: string, taintValue: string) =>
      tolerationToleratesTaint(
        { key: "level", operator: op, value },
        { key: "level", value: taintValue, effect: "NoSchedule" },
        { comparisonOperators: true },
      );
    assert.equal(t("Gt", "3", "5"), true);
    assert.equal(t("Gt", "5", "5"), false);
    assert.equal(t("Lt", "10", "5"), true);
    assert.equal(t("Lt", "x", "5"), false);
    assert.equal(t("Lt", "10", "high"), false);
  });
});

describe("findMatchingUntoleratedTaint", () => {
  const taints: Taint[] = [
    { key: "soft", effect: "PreferNoSchedule" },
    { key: "gpu", value: "true", effect: "NoSchedule" },
    { key: "evict", effect: "NoExecute" },
  ];
  it("returns the first untolerated taint among those the filter keeps", () => {
    assert.deepEqual(findMatchingUntoleratedTaint(taints, [], isNoScheduleOrNoExecute), taints[1]);
    assert.deepEqual(findMatchingUntoleratedTaint(taints, [], isNoExecute), taints[2]);
    assert.deepEqual(findMatchingUntoleratedTaint(taints, []), taints[0]);
  });
  it("returns undefined when all filtered taints are tolerated", () => {
    const tolerations: Toleration[] = [
      { key: "gpu", operator: "Exists" },
      { key: "evict", operator: "Exists" },
    ];
    assert.equal(findMatchingUntoleratedTaint(taints, tolerations, isNoScheduleOrNoExecute), undefined);
    assert.equal(findMatchingUntoleratedTaint(undefined, undefined), undefined);
  });
  it("skips tolerated taints and reports the next one", () => {
    assert.deepEqual(
      findMatchingUntoleratedTaint(taints, [{ key: "gpu", operator: "Exists" }], isNoScheduleOrNoExecute),
      taints[2],
    );
  });
  it("tolerationsTolerateTaint is any-of", () => {
    assert.equal(
      tolerationsTolerateTaint([{ key: "x", operator: "Exists" }, { operator: "Exists" }], taints[1]),
      true,
    );
    assert.equal(tolerationsTolerateTaint([], taints[1]), false);
  });
});

describe("taint helpers", () => {
  it("classifies effects", () => {
    assert.equal(isNoScheduleOrNoExecute({ key: "a", effect: "PreferNoSchedule" }), false);
    assert.equal(isPreferNoSchedule({ key: "a", effect: "PreferNoSchedule" }), true);
    assert.equal(isNoExecute({ key: "a", effect: "NoSchedule" }), false);
  });
  it("matches taints by key and effect", () => {
    assert.equal(
      taintMatches(
        { key: "a", value: "1", effect: "NoSchedule" },
        { key: "a", value: "2", effect: "NoSchedule" },
      ),
      true,
    );
    assert.equal(taintMatches({ key: "a", effect: "NoSchedule" }, { key: "a", effect: "NoExecute" }), false);
  });
  it("prints taints as kubectl does", () => {
    assert.equal(taintToString({ key: "a", value: "1", effect: "NoSchedule" }), "a=1:NoSchedule");
    assert.equal(taintToString({ key: "a", effect: "NoSchedule" }), "a:NoSchedule");
    assert.equal(taintToString({ key: "a", value: "1", effect: "" }), "a=1:");
    assert.equal(taintToString({ key: "a", effect: "" }), "a");
  });
});

describe("addOrUpdateToleration", () => {
  const notReady: Toleration = {
    key: "node.kubernetes.io/not-ready",
    operator: "Exists",
    effect: "NoExecute",
  };
  it("appends when nothing matches", () => {
    assert.deepEqual(addOrUpdateToleration([{ key: "a", operator: "Exists" }], notReady), [
      { key: "a", operator: "Exists" },
      notReady,
    ]);
    assert.deepEqual(addOrUpdateToleration(undefined, notReady), [notReady]);
  });
  it("replaces a match in place, dropping its tolerationSeconds", () => {
    const existing: Toleration[] = [
      { key: "z", operator: "Exists" },
      { ...notReady, tolerationSeconds: 300 },
    ];
    assert.deepEqual(addOrUpdateToleration(existing, notReady), [{ key: "z", operator: "Exists" }, notReady]);
    assert.equal(existing[1].tolerationSeconds, 300, "input untouched");
  });
  it("treats another operator or value as a different toleration", () => {
    const equal = { key: notReady.key, operator: "Equal", value: "", effect: "NoExecute" };
    assert.deepEqual(addOrUpdateToleration([equal], notReady), [equal, notReady]);
  });
  it("leaves an identical list as it is", () => {
    assert.deepEqual(addOrUpdateToleration([notReady], notReady), [notReady]);
  });
});
