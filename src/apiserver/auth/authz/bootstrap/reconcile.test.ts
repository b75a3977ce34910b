import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../api/object.js";
import { aggregatedRules } from "../aggregation-controller.js";
import { clusterRoleBinding } from "./bindings.js";
import { AUTOUPDATE_ANNOTATION, clusterRole } from "./cluster-roles.js";
import { reconcileClusterRole, reconcileClusterRoleBinding } from "./reconcile.js";

const getPods = { verbs: ["get"], apiGroups: [""], resources: ["pods"] };
const listPods = { verbs: ["list"], apiGroups: [""], resources: ["pods"] };
const user = (name: string) => ({ kind: "User", apiGroup: "rbac.authorization.k8s.io", name });

describe("reconcileClusterRole", () => {
  const expected = clusterRole("reader", [getPods]);

  it("changes nothing when the stored role already holds everything", () => {
    assert.equal(reconcileClusterRole(expected, structuredClone(expected)), undefined);
  });

  it("keeps rules a user added and adds back what is missing", () => {
    const existing = { ...structuredClone(expected), rules: [listPods] };
    existing.metadata.labels = { team: "x" };
    const result = reconcileClusterRole(expected, existing)!;
    assert.deepEqual(result.rules, [listPods, getPods]);
    assert.equal(result.metadata.labels?.team, "x");
    assert.equal(result.metadata.labels?.["kubernetes.io/bootstrapping"], "rbac-defaults");
  });

  it("leaves a role with autoupdate=false alone", () => {
    const existing = { ...structuredClone(expected), rules: [] };
    existing.metadata.annotations = { [AUTOUPDATE_ANNOTATION]: "false" };
    assert.equal(reconcileClusterRole(expected, existing), undefined);
  });

  it("restores a missing aggregation selector but never touches aggregated rules", () => {
    const view = clusterRole("view", [], { aggregateFrom: "agg" });
    const existing: KubeObject = { ...structuredClone(view), rules: [getPods] };
    delete existing.aggregationRule;
    const result = reconcileClusterRole(view, existing)!;
    assert.deepEqual(result.aggregationRule, view.aggregationRule);
    assert.deepEqual(result.rules, [getPods]);
  });
});

describe("reconcileClusterRoleBinding", () => {
  const expected = clusterRoleBinding("b", [user("alice")], "reader");

  it("adds missing subjects, keeping extra ones", () => {
    const existing = { ...structuredClone(expected), subjects: [user("bob")] };
    const change = reconcileClusterRoleBinding(expected, existing)!;
    assert.deepEqual(change.binding.subjects, [user("bob"), user("alice")]);
    assert.equal(change.recreate, false);
  });

  it("recreates a binding whose roleRef changed", () => {
    const existing = structuredClone(expected);
    existing.roleRef.name = "other";
    assert.equal(reconcileClusterRoleBinding(expected, existing)?.recreate, true);
  });

  it("changes nothing on an up-to-date binding", () => {
    assert.equal(reconcileClusterRoleBinding(expected, structuredClone(expected)), undefined);
  });
});

describe("aggregatedRules", () => {
  it("gathers the rules of matching roles by name, each once, never from itself", () => {
    const agg = clusterRole("agg", [], { aggregateFrom: "to-agg", labels: { "to-agg": "true" } });
    const b = clusterRole("b", [listPods, getPods], { labels: { "to-agg": "true" } });
    const a = clusterRole("a", [getPods], { labels: { "to-agg": "true" } });
    const other = clusterRole("c", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]);
    assert.deepEqual(aggregatedRules(agg, [b, other, agg, a]), [getPods, listPods]);
    assert.equal(aggregatedRules(other, [a, b]), undefined);
  });
});
