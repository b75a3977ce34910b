// Table tests for RBAC rows: CREATED AT for roles, role reference and subjects for bindings.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RoleBinding } from "kubernetes-types/rbac/v1.js";
import { bindingPrinter, createdAtPrinter } from "./rbac.js";
import { ago, DAY, NOW } from "./testing.js";

describe("RBAC rows", () => {
  it("Role and ClusterRole: name and creation time in RFC 3339 UTC", () => {
    const role = { metadata: { name: "pod-reader", creationTimestamp: "2024-05-30T09:15:42.250+02:00" } };
    assert.deepEqual(createdAtPrinter.cells(role, NOW), ["pod-reader", "2024-05-30T07:15:42Z"]);
    assert.deepEqual(createdAtPrinter.cells({ metadata: { name: "unset" } }, NOW), [
      "unset",
      "0001-01-01T00:00:00Z",
    ]);
    assert.deepEqual(
      createdAtPrinter.columns.map((c) => `${c.name}:${c.type}`),
      ["Name:string", "Created At:date"],
    );
  });

  it("RoleBinding: role reference and subjects by kind", () => {
    const binding: RoleBinding = {
      metadata: { name: "read-pods", namespace: "default", creationTimestamp: ago(3 * DAY) },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
      subjects: [
        { kind: "User", name: "jane", apiGroup: "rbac.authorization.k8s.io" },
        { kind: "Group", name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" },
        { kind: "ServiceAccount", name: "fluentd", namespace: "kube-system" },
        { kind: "User", name: "joe", apiGroup: "rbac.authorization.k8s.io" },
        { kind: "ServiceAccount", name: "default", namespace: "default" },
      ],
    };
    assert.deepEqual(bindingPrinter.cells(binding, NOW), [
      "read-pods",
      "Role/pod-reader",
      "3d",
      "jane, joe",
      "system:authenticated",
      "kube-system/fluentd, default/default",
    ]);
  });

  it("ClusterRoleBinding without subjects prints empty subject cells", () => {
    const binding = {
      metadata: { name: "system:node", creationTimestamp: ago(DAY) },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:node" },
    };
    assert.deepEqual(bindingPrinter.cells(binding, NOW), [
      "system:node",
      "ClusterRole/system:node",
      "24h",
      "",
      "",
      "",
    ]);
    assert.deepEqual(
      bindingPrinter.columns.map((c) => `${c.name}:${c.priority}`),
      ["Name:0", "Role:0", "Age:0", "Users:1", "Groups:1", "ServiceAccounts:1"],
    );
  });
});
