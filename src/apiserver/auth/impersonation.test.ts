import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import { privilegedGroupAuthorizer, unionAuthorizer } from "./authz/authorizer.js";
import { RbacAuthorizer } from "./authz/rbac-authorizer.js";
import { staticRbacObjects } from "./authz/rbac-objects.js";
import { impersonate } from "./impersonation.js";
import type { UserInfo } from "./user-info.js";

const authorizer = unionAuthorizer([
  privilegedGroupAuthorizer,
  new RbacAuthorizer(
    staticRbacObjects([
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "impersonate-bob" },
        rules: [{ verbs: ["impersonate"], apiGroups: [""], resources: ["users"], resourceNames: ["bob"] }],
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "alice-as-bob" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "impersonate-bob" },
        subjects: [{ kind: "User", name: "alice", apiGroup: "rbac.authorization.k8s.io" }],
      },
    ]),
  ),
]);

const request = (headers: Record<string, string[]>) =>
  ({ headersDistinct: headers }) as unknown as IncomingMessage;
const admin: UserInfo = { username: "admin", groups: ["system:masters", "system:authenticated"] };
const alice: UserInfo = { username: "alice", groups: ["system:authenticated"] };

describe("impersonate", () => {
  it("leaves a request without impersonation headers as it is", () => {
    assert.equal(impersonate(request({}), alice, authorizer), alice);
  });

  it("acts as a ServiceAccount with its groups (kubectl --as=system:serviceaccount:ns:name)", () => {
    const user = impersonate(
      request({ "impersonate-user": ["system:serviceaccount:logging:fluentd"] }),
      admin,
      authorizer,
    );
    assert.deepEqual(user, {
      username: "system:serviceaccount:logging:fluentd",
      groups: ["system:serviceaccounts", "system:serviceaccounts:logging", "system:authenticated"],
    });
  });

  it("acts as a user with the given groups and extras", () => {
    const user = impersonate(
      request({
        "impersonate-user": ["jane"],
        "impersonate-group": ["devs", "ops"],
        "impersonate-extra-scopes": ["view"],
      }),
      admin,
      authorizer,
    );
    assert.deepEqual(user, {
      username: "jane",
      groups: ["devs", "ops", "system:authenticated"],
      extra: { scopes: ["view"] },
    });
  });

  it("needs the impersonate verb on what is impersonated", () => {
    assert.equal(impersonate(request({ "impersonate-user": ["bob"] }), alice, authorizer).username, "bob");
    assert.throws(
      () => impersonate(request({ "impersonate-user": ["carol"] }), alice, authorizer),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === 403 &&
        e.message ===
          'users "carol" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    assert.throws(
      () =>
        impersonate(
          request({ "impersonate-user": ["bob"], "impersonate-group": ["system:masters"] }),
          alice,
          authorizer,
        ),
      /cannot impersonate resource "groups"/,
    );
  });

  it("refuses groups without a user", () => {
    assert.throws(
      () => impersonate(request({ "impersonate-group": ["devs"] }), admin, authorizer),
      /without impersonating a user/,
    );
  });
});
