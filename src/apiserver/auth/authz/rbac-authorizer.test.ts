import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../api/object.js";
import { serviceAccountUser, type UserInfo } from "../user-info.js";
import { resourceAttributes } from "./attributes.js";
import { RbacAuthorizer } from "./rbac-authorizer.js";
import { staticRbacObjects } from "./rbac-objects.js";

const RBAC = "rbac.authorization.k8s.io/v1";
const objects: KubeObject[] = [
  {
    apiVersion: RBAC,
    kind: "ClusterRole",
    metadata: { name: "pod-reader" },
    rules: [{ verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "namespaces"] }],
  },
  {
    apiVersion: RBAC,
    kind: "ClusterRoleBinding",
    metadata: { name: "fluentd" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "pod-reader" },
    subjects: [{ kind: "ServiceAccount", name: "fluentd", namespace: "logging" }],
  },
  {
    apiVersion: RBAC,
    kind: "Role",
    metadata: { name: "ds-admin", namespace: "team-a" },
    rules: [{ verbs: ["*"], apiGroups: ["apps"], resources: ["daemonsets"] }],
  },
  {
    apiVersion: RBAC,
    kind: "RoleBinding",
    metadata: { name: "devs", namespace: "team-a" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "ds-admin" },
    subjects: [
      { kind: "Group", name: "devs", apiGroup: "rbac.authorization.k8s.io" },
      // No namespace: the binding's own namespace.
      { kind: "ServiceAccount", name: "deployer" },
    ],
  },
  {
    apiVersion: RBAC,
    kind: "RoleBinding",
    metadata: { name: "reader", namespace: "team-a" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "pod-reader" },
    subjects: [{ kind: "User", name: "bob", apiGroup: "rbac.authorization.k8s.io" }],
  },
  {
    apiVersion: RBAC,
    kind: "ClusterRoleBinding",
    metadata: { name: "dangling" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "gone" },
    subjects: [{ kind: "User", name: "carol", apiGroup: "rbac.authorization.k8s.io" }],
  },
];

const rbac = new RbacAuthorizer(staticRbacObjects(objects));
const fluentd = serviceAccountUser("logging", "fluentd");
const dev: UserInfo = { username: "dave", groups: ["devs", "system:authenticated"] };
const bob: UserInfo = { username: "bob", groups: [] };

const decide = (user: UserInfo, verb: string, group: string, resource: string, namespace = "") =>
  rbac.authorize(resourceAttributes(user, { verb, group, resource, namespace })).decision;

describe("RbacAuthorizer", () => {
  const cases: [string, UserInfo, string, string, string, string, string][] = [
    [
      "cluster binding to a ServiceAccount, any namespace",
      fluentd,
      "list",
      "",
      "pods",
      "kube-system",
      "Allow",
    ],
    ["cluster binding, cluster-wide list", fluentd, "watch", "", "pods", "", "Allow"],
    ["cluster binding, verb outside the role", fluentd, "delete", "", "pods", "logging", "NoOpinion"],
    ["cluster binding, resource outside the role", fluentd, "get", "", "secrets", "logging", "NoOpinion"],
    [
      "another ServiceAccount of the same name",
      serviceAccountUser("other", "fluentd"),
      "list",
      "",
      "pods",
      "",
      "NoOpinion",
    ],
    ["role binding to a group, in its namespace", dev, "delete", "apps", "daemonsets", "team-a", "Allow"],
    ["role binding, outside its namespace", dev, "delete", "apps", "daemonsets", "team-b", "NoOpinion"],
    ["role binding, cluster-wide", dev, "list", "apps", "daemonsets", "", "NoOpinion"],
    [
      "ServiceAccount subject defaults to the binding namespace",
      serviceAccountUser("team-a", "deployer"),
      "create",
      "apps",
      "daemonsets",
      "team-a",
      "Allow",
    ],
    [
      "ClusterRole through a RoleBinding applies in that namespace only",
      bob,
      "get",
      "",
      "pods",
      "team-a",
      "Allow",
    ],
    ["… and not elsewhere", bob, "get", "", "pods", "default", "NoOpinion"],
  ];
  for (const [name, user, verb, group, resource, namespace, want] of cases) {
    it(name, () => assert.equal(decide(user, verb, group, resource, namespace), want));
  }

  it("names the binding that allowed, as upstream's reason", () => {
    const r = rbac.authorize(resourceAttributes(fluentd, { verb: "list", group: "", resource: "pods" }));
    assert.equal(
      r.reason,
      'RBAC: allowed by ClusterRoleBinding "fluentd" of ClusterRole "pod-reader" to ServiceAccount "fluentd/logging"',
    );
    const b = rbac.authorize(
      resourceAttributes(bob, { verb: "get", group: "", resource: "pods", namespace: "team-a" }),
    );
    assert.equal(
      b.reason,
      'RBAC: allowed by RoleBinding "reader/team-a" of ClusterRole "pod-reader" to User "bob"',
    );
  });

  it("reports a binding to a missing role", () => {
    const carol: UserInfo = { username: "carol", groups: [] };
    const r = rbac.authorize(resourceAttributes(carol, { verb: "get", group: "", resource: "pods" }));
    assert.deepEqual(r, {
      decision: "NoOpinion",
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
    assert.equal(rbac.rulesFor(carol, "").incomplete, true);
  });

  it("lists the rules of a user in a namespace", () => {
    const set = rbac.rulesFor(bob, "team-a");
    assert.deepEqual(set.resourceRules, [
      { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "namespaces"] },
    ]);
    assert.deepEqual(rbac.rulesFor(bob, "default").resourceRules, []);
  });
});
