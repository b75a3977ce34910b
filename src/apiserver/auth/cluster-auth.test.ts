import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { openBackend } from "../../storage/registry.js";
import { Registry } from "../registry/registry.js";
import { resourceAttributes } from "./authz/attributes.js";
import { AUTOUPDATE_ANNOTATION } from "./authz/bootstrap/cluster-roles.js";
import { ClusterAuth } from "./cluster-auth.js";
import { runAsUser } from "./request-user.js";
import { NODES_GROUP, serviceAccountUser, type UserInfo } from "./user-info.js";

const RBAC = "rbac.authorization.k8s.io";
const clusterRole = (name: string, rules: unknown[], extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: "ClusterRole",
  metadata: { name },
  rules,
  ...extra,
});
const role = (namespace: string, name: string, rules: unknown[]): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: "Role",
  metadata: { name, namespace },
  rules,
});
const binding = (
  kind: "ClusterRoleBinding" | "RoleBinding",
  name: string,
  roleRef: { kind: string; name: string },
  subjects: unknown[],
  namespace?: string,
): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind,
  metadata: namespace ? { name, namespace } : { name },
  roleRef: { apiGroup: RBAC, ...roleRef },
  subjects,
});
const userSubject = (name: string) => ({ kind: "User", apiGroup: RBAC, name });

/** Runs `fn` as `user` and returns the error it throws (or undefined). */
async function as(user: UserInfo, fn: () => Promise<unknown>): Promise<ApiError | undefined> {
  try {
    await runAsUser(user, fn);
    return undefined;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
}

describe("ClusterAuth over a registry", () => {
  let registry: Registry;
  let auth: ClusterAuth;
  const store = (resource: string, group = RBAC) => registry.store({ group, resource });
  const admin: UserInfo = { username: "admin", groups: ["system:masters", "system:authenticated"] };
  const alice: UserInfo = { username: "alice", groups: ["system:authenticated"] };

  before(async () => {
    registry = await Registry.open(await openBackend("memory://"));
    auth = await ClusterAuth.start(registry, { enforce: true });
    // alice may manage RBAC objects in team-a and read pods there; nothing else.
    await store("namespaces", "").create("", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-a" },
    });
    await store("roles").create(
      "team-a",
      role("team-a", "rbac-manager", [
        // Not "*": that would include the escalate and bind verbs.
        {
          verbs: ["create", "get", "list", "update", "patch", "delete"],
          apiGroups: [RBAC],
          resources: ["roles", "rolebindings"],
        },
        { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] },
      ]),
    );
    await store("rolebindings").create(
      "team-a",
      binding(
        "RoleBinding",
        "alice",
        { kind: "Role", name: "rbac-manager" },
        [userSubject("alice")],
        "team-a",
      ),
    );
  });
  after(() => {
    auth.stop();
    registry.stop();
  });

  describe("bootstrap policy", () => {
    it("creates the default roles, with the aggregated ones filled", () => {
      for (const name of ["cluster-admin", "admin", "edit", "view", "system:basic-user", "system:node"]) {
        assert.ok(store("clusterroles").getOrUndefined("", name), name);
      }
      const view = store("clusterroles").get("", "view");
      assert.ok(view.rules.some((r: any) => r.resources.includes("pods") && r.verbs.includes("list")));
      const edit = store("clusterroles").get("", "edit");
      // edit aggregates view, admin aggregates edit: the chain settled.
      assert.ok(edit.rules.some((r: any) => r.resources.includes("pods/log")));
      const admin = store("clusterroles").get("", "admin");
      assert.ok(admin.rules.some((r: any) => r.resources.includes("rolebindings")));
      assert.ok(admin.rules.some((r: any) => r.resources.includes("pods/log")));
    });

    it("writes nothing on a restart of an unchanged cluster", async () => {
      const before = registry.cacher.revision;
      const again = await ClusterAuth.start(registry, { enforce: true });
      again.stop();
      assert.equal(registry.cacher.revision, before);
    });

    it("puts back what a user removed, but respects autoupdate=false", async () => {
      const basic = store("clusterroles").get("", "system:basic-user");
      await store("clusterroles").update("", "system:basic-user", { ...basic, rules: [] });
      const discovery = store("clusterroles").get("", "system:discovery");
      await store("clusterroles").update("", "system:discovery", {
        ...discovery,
        metadata: { ...discovery.metadata, annotations: { [AUTOUPDATE_ANNOTATION]: "false" } },
        rules: [],
      });
      const again = await ClusterAuth.start(registry, { enforce: true });
      again.stop();
      assert.ok(store("clusterroles").get("", "system:basic-user").rules.length > 0);
      assert.deepEqual(store("clusterroles").get("", "system:discovery").rules, []);
    });

    it("aggregates a labelled role into view as soon as it appears", async () => {
      await store("clusterroles").create(
        "",
        clusterRole(
          "widgets-view",
          [{ verbs: ["get"], apiGroups: ["example.com"], resources: ["widgets"] }],
          {
            metadata: {
              name: "widgets-view",
              labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" },
            },
          },
        ),
      );
      await auth.aggregationIdle();
      const view = store("clusterroles").get("", "view");
      assert.ok(view.rules.some((r: any) => r.resources.includes("widgets")));
      // edit and admin aggregate view, so they follow.
      assert.ok(
        store("clusterroles")
          .get("", "admin")
          .rules.some((r: any) => r.resources.includes("widgets")),
      );
    });
  });

  describe("escalation prevention", () => {
    it("lets a user create a role within their own permissions", async () => {
      const err = await as(alice, () =>
        store("roles").create(
          "team-a",
          role("team-a", "pod-reader", [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]),
        ),
      );
      assert.equal(err, undefined);
    });

    it("refuses a role granting more, listing what is missing", async () => {
      const err = await as(alice, () =>
        store("roles").create(
          "team-a",
          role("team-a", "secret-reader", [
            { verbs: ["get", "list"], apiGroups: [""], resources: ["secrets"] },
          ]),
        ),
      );
      assert.equal(err?.code, 403);
      assert.equal(
        err?.message,
        'roles.rbac.authorization.k8s.io "secret-reader" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
      );
    });

    it("refuses widening an existing role by update", async () => {
      const existing = store("roles").get("team-a", "pod-reader");
      const err = await as(alice, () =>
        store("roles").update("team-a", "pod-reader", {
          ...existing,
          rules: [{ verbs: ["delete"], apiGroups: [""], resources: ["pods"] }],
        }),
      );
      assert.equal(err?.code, 403);
    });

    it("refuses binding a role whose permissions the user lacks, allows one within them", async () => {
      const tooMuch = await as(alice, () =>
        store("rolebindings").create(
          "team-a",
          binding(
            "RoleBinding",
            "bob-edit",
            { kind: "ClusterRole", name: "edit" },
            [userSubject("bob")],
            "team-a",
          ),
        ),
      );
      assert.equal(tooMuch?.code, 403);
      assert.match(
        tooMuch?.message ?? "",
        /^rolebindings.rbac.authorization.k8s.io "bob-edit" is forbidden: user "alice"/,
      );
      const fine = await as(alice, () =>
        store("rolebindings").create(
          "team-a",
          binding(
            "RoleBinding",
            "bob-read",
            { kind: "Role", name: "pod-reader" },
            [userSubject("bob")],
            "team-a",
          ),
        ),
      );
      assert.equal(fine, undefined);
    });

    it("answers 404 for a binding to a role that does not exist", async () => {
      const err = await as(alice, () =>
        store("rolebindings").create(
          "team-a",
          binding("RoleBinding", "ghost", { kind: "Role", name: "ghost" }, [userSubject("bob")], "team-a"),
        ),
      );
      assert.equal(err?.code, 404);
    });

    it("allows binding with the bind verb, and granting with the escalate verb", async () => {
      await store("roles").create(
        "team-a",
        role("team-a", "delegate", [
          { verbs: ["bind"], apiGroups: [RBAC], resources: ["clusterroles"], resourceNames: ["edit"] },
          { verbs: ["escalate"], apiGroups: [RBAC], resources: ["roles"] },
        ]),
      );
      const carol: UserInfo = { username: "carol", groups: ["system:authenticated"] };
      await store("rolebindings").create(
        "team-a",
        binding(
          "RoleBinding",
          "carol-delegate",
          { kind: "Role", name: "delegate" },
          [userSubject("carol")],
          "team-a",
        ),
      );
      assert.equal(
        await as(carol, () =>
          store("rolebindings").create(
            "team-a",
            binding(
              "RoleBinding",
              "dan-edit",
              { kind: "ClusterRole", name: "edit" },
              [userSubject("dan")],
              "team-a",
            ),
          ),
        ),
        undefined,
      );
      assert.equal(
        await as(carol, () =>
          store("roles").create(
            "team-a",
            role("team-a", "everything", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]),
          ),
        ),
        undefined,
      );
    });

    it("refuses an aggregationRule to anyone short of cluster-admin", async () => {
      const bootstrapper = serviceAccountUser("kube-system", "bootstrapper");
      await store("clusterrolebindings").create(
        "",
        binding("ClusterRoleBinding", "bootstrapper", { kind: "ClusterRole", name: "edit" }, [
          { kind: "ServiceAccount", name: "bootstrapper", namespace: "kube-system" },
        ]),
      );
      const err = await as(bootstrapper, () =>
        store("clusterroles").create(
          "",
          clusterRole("sneaky", [], {
            aggregationRule: {
              clusterRoleSelectors: [
                { matchLabels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } },
              ],
            },
          }),
        ),
      );
      assert.match(err?.message ?? "", /must have cluster-admin privileges to use the aggregationRule/);
      assert.equal(
        await as(admin, () =>
          store("clusterroles").create(
            "",
            clusterRole("fine", [], {
              aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: "y" } }] },
            }),
          ),
        ),
        undefined,
      );
    });
  });

  describe("authorization follows RBAC changes at once", () => {
    it("a new binding allows, its deletion forbids again", async () => {
      const erin: UserInfo = { username: "erin", groups: ["system:authenticated"] };
      const canListNodes = () =>
        auth.authorizer.authorize(resourceAttributes(erin, { verb: "list", group: "", resource: "nodes" }))
          .decision;
      assert.equal(canListNodes(), "NoOpinion");
      await store("clusterrolebindings").create(
        "",
        binding("ClusterRoleBinding", "erin-view-nodes", { kind: "ClusterRole", name: "system:node" }, [
          userSubject("erin"),
        ]),
      );
      assert.equal(canListNodes(), "Allow");
      await store("clusterrolebindings").delete("", "erin-view-nodes");
      assert.equal(canListNodes(), "NoOpinion");
    });
  });

  describe("node restriction on create", () => {
    it("lets a kubelet create only its own Lease", async () => {
      const kubelet: UserInfo = { username: "system:node:n1", groups: [NODES_GROUP, "system:authenticated"] };
      const lease = (name: string): KubeObject => ({
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name, namespace: "kube-node-lease" },
        spec: {},
      });
      const leases = store("leases", "coordination.k8s.io");
      assert.equal(await as(kubelet, () => leases.create("kube-node-lease", lease("n1"))), undefined);
      const err = await as(kubelet, () => leases.create("kube-node-lease", lease("n2")));
      assert.equal(
        err?.message,
        'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node',
      );
    });
  });
});
