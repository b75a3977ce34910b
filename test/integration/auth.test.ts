// Authentication and RBAC over HTTPS against a real in-process control plane: every verb on every resource as
// anonymous (401), as an authenticated user bound to nothing (403 with upstream's message), and as the seeds'
// fluentd ServiceAccount (exactly get/list/watch on pods and namespaces); tokens from the TokenRequest API that
// expire and die with their ServiceAccount; impersonation; access reviews; and escalation attempts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { groupVersion, RESOURCES, type ResourceInfo } from "../../src/api/resources.js";
import type { CertAndKey } from "../../src/pki/certificates.js";
import { type Credentials, SecureCluster } from "../support/secure-cluster.js";

interface Probe {
  verb: string;
  info: ResourceInfo;
  subresource?: string;
  method: string;
  path: string;
  named: boolean;
}

const NAME = "x";
const NAMESPACE = "default";

/** One request per verb of every resource and subresource in the table, addressed as kubectl would. */
function probes(): Probe[] {
  const out: Probe[] = [];
  for (const info of RESOURCES) {
    const base = info.group ? `/apis/${groupVersion(info)}` : `/api/${info.version}`;
    const collection = info.namespaced
      ? `${base}/namespaces/${NAMESPACE}/${info.resource}`
      : `${base}/${info.resource}`;
    const named = `${collection}/${NAME}`;
    const add = (verb: string, method: string, path: string, isNamed: boolean, subresource?: string) =>
      out.push({ verb, info, method, path, named: isNamed, subresource });
    add("get", "GET", named, true);
    add("list", "GET", collection, false);
    add("watch", "GET", `${collection}?watch=true`, false);
    add("create", "POST", collection, false);
    add("update", "PUT", named, true);
    add("patch", "PATCH", named, true);
    add("delete", "DELETE", named, true);
    add("deletecollection", "DELETE", collection, false);
    for (const sub of info.subresources) {
      const path = `${named}/${sub.name}`;
      for (const verb of sub.verbs) {
        const method = { get: "GET", update: "PUT", patch: "PATCH", create: "POST" }[verb as string] ?? "GET";
        add(verb, method, path, true, sub.name);
      }
    }
  }
  return out;
}

const bodyFor = (p: Probe) => (p.method === "GET" || p.method === "DELETE" ? undefined : {});
const headersFor = (p: Probe) =>
  p.method === "PATCH" ? { "Content-Type": "application/merge-patch+json" } : undefined;

/** Upstream's 403 message for a probe made by `username`. */
function forbidden(p: Probe, username: string): string {
  const qualified = p.info.group ? `${p.info.resource}.${p.info.group}` : p.info.resource;
  const resource = p.subresource ? `${p.info.resource}/${p.subresource}` : p.info.resource;
  const namespace = p.info.namespaced ? NAMESPACE : p.info.resource === "namespaces" && p.named ? NAME : "";
  const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
  const who = p.named ? `${qualified} "${NAME}"` : qualified;
  return `${who} is forbidden: User "${username}" cannot ${p.verb} resource "${resource}" in API group "${p.info.group}" ${scope}`;
}

/** Runs `check` on every probe, several at a time (each request is its own TLS connection). */
async function forEachProbe(check: (p: Probe) => Promise<void>): Promise<void> {
  const all = probes();
  for (let i = 0; i < all.length; i += 32) await Promise.all(all.slice(i, i + 32).map(check));
}

const describeProbe = (p: Probe) => `${p.verb} ${p.info.resource}${p.subresource ? `/${p.subresource}` : ""}`;

describe("authentication and authorization over HTTPS", () => {
  let c: SecureCluster;
  let mallory: CertAndKey;
  let fluentdToken: string;
  const send = (p: Probe, as: Credentials) =>
    c.request(p.method, p.path, {
      as,
      body: bodyFor(p),
      headers: headersFor(p),
      headersOnly: p.verb === "watch",
    });

  before(async () => {
    c = await SecureCluster.start();
    mallory = await c.certificateFor("mallory", ["nobody"]);
    // Seed 000's RBAC: the fluentd ServiceAccount reads pods and namespaces everywhere.
    const admin = c.admin;
    const ok = async (path: string, body: unknown) => {
      const r = await c.request("POST", path, { as: admin, body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    await ok("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "logging" } });
    await ok("/api/v1/namespaces/logging/serviceaccounts", {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "fluentd" },
    });
    await ok("/apis/rbac.authorization.k8s.io/v1/clusterroles", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "fluentd" },
      rules: [{ apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] }],
    });
    await ok("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "fluentd" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "fluentd" },
      subjects: [{ kind: "ServiceAccount", name: "fluentd", namespace: "logging" }],
    });
    const tr = await ok("/api/v1/namespaces/logging/serviceaccounts/fluentd/token", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: {},
    });
    fluentdToken = tr.status.token;
  });
  after(() => c?.stop());

  describe("anonymous", () => {
    it("gets 401 Unauthorized for every verb on every resource", async () => {
      await forEachProbe(async (p) => {
        const r = await send(p, undefined);
        assert.equal(r.status, 401, describeProbe(p));
        assert.deepEqual(
          r.body,
          {
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Failure",
            message: "Unauthorized",
            reason: "Unauthorized",
            code: 401,
          },
          describeProbe(p),
        );
      });
    });

    it("reaches health and version endpoints only", async () => {
      for (const path of ["/healthz", "/livez", "/readyz", "/version"]) {
        assert.equal((await c.request("GET", path)).status, 200, path);
      }
      // Past authentication, subpaths are up to RBAC: system:public-info-viewer grants the paths themselves only.
      assert.equal((await c.request("GET", "/readyz/ping")).status, 403);
      for (const path of ["/api", "/apis", "/openapi/v2", "/metrics", "/", "/versions"]) {
        assert.equal((await c.request("GET", path)).status, 401, path);
      }
    });

    it("cannot pass with a bad token or a certificate from another CA", async () => {
      assert.equal((await c.request("GET", "/api", { as: { token: "nope" } })).status, 401);
      const other = await SecureCluster.start();
      try {
        const foreign = await other.certificateFor("admin", ["system:masters"]);
        assert.equal((await c.request("GET", "/api/v1/pods", { as: { cert: foreign } })).status, 401);
      } finally {
        await other.stop();
      }
    });
  });

  describe("an authenticated user bound to nothing", () => {
    it("gets 403 Forbidden with upstream's message for every verb on every resource", async () => {
      await forEachProbe(async (p) => {
        const r = await send(p, { cert: mallory });
        assert.equal(r.status, 403, describeProbe(p));
        assert.equal(r.body.message, forbidden(p, "mallory"), describeProbe(p));
        assert.equal(r.body.reason, "Forbidden");
      });
    });

    it("may discover the API and review itself, nothing more", async () => {
      for (const path of ["/api", "/apis", "/apis/apps/v1", "/version", "/openapi/v3", "/healthz"]) {
        assert.equal((await c.request("GET", path, { as: { cert: mallory } })).status, 200, path);
      }
      const metrics = await c.request("GET", "/metrics", { as: { cert: mallory } });
      assert.equal(metrics.status, 403);
      assert.equal(metrics.body.message, 'forbidden: User "mallory" cannot get path "/metrics"');
      const whoami = await c.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
        as: { cert: mallory },
        body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
      });
      assert.equal(whoami.status, 201);
      assert.deepEqual(whoami.body.status.userInfo, {
        username: "mallory",
        groups: ["nobody", "system:authenticated"],
      });
    });

    it("may not impersonate", async () => {
      const r = await c.request("GET", "/api/v1/pods", {
        as: { cert: mallory },
        headers: { "Impersonate-User": "admin", "Impersonate-Group": "system:masters" },
      });
      assert.equal(r.status, 403);
      assert.equal(
        r.body.message,
        'users "admin" is forbidden: User "mallory" cannot impersonate resource "users" in API group "" at the cluster scope',
      );
    });
  });

  describe("the fluentd ServiceAccount (seed 000)", () => {
    const readsPodsAndNamespaces = (p: Probe) =>
      p.info.group === "" &&
      (p.info.resource === "pods" || p.info.resource === "namespaces") &&
      !p.subresource &&
      ["get", "list", "watch"].includes(p.verb);

    it("is allowed exactly what its ClusterRole says", async () => {
      const user = "system:serviceaccount:logging:fluentd";
      await forEachProbe(async (p) => {
        const r = await send(p, { token: fluentdToken });
        if (readsPodsAndNamespaces(p)) {
          assert.ok(r.status !== 401 && r.status !== 403, `${describeProbe(p)}: ${r.status}`);
        } else {
          assert.equal(r.status, 403, describeProbe(p));
          assert.equal(r.body.message, forbidden(p, user), describeProbe(p));
        }
      });
    });

    it("agrees with its access reviews", async () => {
      const review = async (verb: string, resource: string, namespace = "") => {
        const r = await c.request("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
          as: { token: fluentdToken },
          body: {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: { verb, resource, namespace } },
          },
        });
        assert.equal(r.status, 201);
        return r.body.status;
      };
      assert.deepEqual(await review("list", "pods"), {
        allowed: true,
        reason:
          'RBAC: allowed by ClusterRoleBinding "fluentd" of ClusterRole "fluentd" to ServiceAccount "fluentd/logging"',
      });
      assert.deepEqual(await review("create", "pods", "default"), { allowed: false });
      assert.deepEqual(await review("get", "secrets", "logging"), { allowed: false });
    });

    it("lists its rules in a SelfSubjectRulesReview", async () => {
      const r = await c.request("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", {
        as: { token: fluentdToken },
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SelfSubjectRulesReview",
          spec: { namespace: "default" },
        },
      });
      assert.equal(r.status, 201);
      assert.ok(
        r.body.status.resourceRules.some(
          (rule: any) =>
            rule.resources.join() === "pods,namespaces" && rule.verbs.join() === "get,list,watch",
        ),
      );
      assert.equal(r.body.status.incomplete, false);
    });
  });

  describe("impersonation and reviews by the admin", () => {
    it("the admin may act as the ServiceAccount, and is then limited as it is", async () => {
      const as = { "Impersonate-User": "system:serviceaccount:logging:fluentd" };
      assert.equal((await c.request("GET", "/api/v1/pods", { as: c.admin, headers: as })).status, 200);
      const secrets = await c.request("GET", "/api/v1/namespaces/default/secrets", {
        as: c.admin,
        headers: as,
      });
      assert.equal(secrets.status, 403);
      assert.equal(
        secrets.body.message,
        'secrets is forbidden: User "system:serviceaccount:logging:fluentd" cannot list resource "secrets" in API group "" in the namespace "default"',
      );
    });

    it("answers SubjectAccessReviews about others", async () => {
      const r = await c.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
        as: c.admin,
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: {
            user: "mallory",
            groups: ["nobody"],
            resourceAttributes: { verb: "get", resource: "pods" },
          },
        },
      });
      assert.equal(r.status, 201);
      assert.equal(r.body.status.allowed, false);
      const invalid = await c.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
        as: c.admin,
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: { resourceAttributes: { verb: "get" } },
        },
      });
      assert.equal(invalid.status, 422);
    });

    it("the static admin token has full access", async () => {
      const r = await c.request("GET", "/api/v1/namespaces/default/secrets", { as: { token: c.adminToken } });
      assert.equal(r.status, 200);
    });
  });

  describe("ServiceAccount tokens from the TokenRequest API", () => {
    const requestToken = async (spec: Record<string, unknown>) =>
      c.request("POST", "/api/v1/namespaces/logging/serviceaccounts/fluentd/token", {
        as: c.admin,
        body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec },
      });

    it("last one hour by default, at least ten minutes", async () => {
      const r = await requestToken({});
      assert.equal(r.status, 201);
      assert.equal(r.body.spec.expirationSeconds, 3600);
      const lifetime =
        Date.parse(r.body.status.expirationTimestamp) - Date.parse(r.body.metadata.creationTimestamp);
      assert.equal(lifetime, 3600_000);
      const short = await requestToken({ expirationSeconds: 60 });
      assert.equal(short.status, 422);
      assert.match(short.body.message, /may not specify a duration less than 10 minutes/);
      const missing = await c.request("POST", "/api/v1/namespaces/logging/serviceaccounts/nobody/token", {
        as: c.admin,
        body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} },
      });
      assert.equal(missing.status, 404);
    });

    it("need create on serviceaccounts/token", async () => {
      const r = await c.request("POST", "/api/v1/namespaces/logging/serviceaccounts/fluentd/token", {
        as: { token: fluentdToken },
        body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} },
      });
      assert.equal(r.status, 403);
    });

    it("stop authenticating once expired", async () => {
      const token = (await requestToken({ expirationSeconds: 600 })).body.status.token;
      assert.equal((await c.request("GET", "/api/v1/pods", { as: { token } })).status, 200);
      c.advance(601_000);
      assert.equal((await c.request("GET", "/api/v1/pods", { as: { token } })).status, 401);
    });

    it("die with their ServiceAccount, even when one of the same name is created again", async () => {
      const token = (await requestToken({})).body.status.token;
      assert.equal((await c.request("GET", "/api/v1/pods", { as: { token } })).status, 200);
      assert.equal(
        (await c.request("DELETE", "/api/v1/namespaces/logging/serviceaccounts/fluentd", { as: c.admin }))
          .status,
        200,
      );
      assert.equal((await c.request("GET", "/api/v1/pods", { as: { token } })).status, 401);
      const again = await c.request("POST", "/api/v1/namespaces/logging/serviceaccounts", {
        as: c.admin,
        body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "fluentd" } },
      });
      assert.equal(again.status, 201);
      assert.equal((await c.request("GET", "/api/v1/pods", { as: { token } })).status, 401);
      assert.equal((await c.request("GET", "/api/v1/pods", { as: { token: fluentdToken } })).status, 401);
    });
  });

  describe("privilege escalation", () => {
    let rbacAdmin: CertAndKey;
    const RBAC = "/apis/rbac.authorization.k8s.io/v1";
    before(async () => {
      rbacAdmin = await c.certificateFor("rbac-admin");
      const grant = async (path: string, body: unknown) =>
        assert.equal((await c.request("POST", path, { as: c.admin, body })).status, 201);
      await grant(`${RBAC}/clusterroles`, {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "rbac-writer" },
        rules: [
          {
            apiGroups: ["rbac.authorization.k8s.io"],
            resources: ["clusterroles", "clusterrolebindings"],
            verbs: ["create", "get", "update"],
          },
          { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
        ],
      });
      await grant(`${RBAC}/clusterrolebindings`, {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "rbac-writer" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "rbac-writer" },
        subjects: [{ kind: "User", name: "rbac-admin", apiGroup: "rbac.authorization.k8s.io" }],
      });
    });

    it("refuses a ClusterRole granting what the creator does not hold", async () => {
      const r = await c.request("POST", `${RBAC}/clusterroles`, {
        as: { cert: rbacAdmin },
        body: {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          metadata: { name: "secrets" },
          rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
        },
      });
      assert.equal(r.status, 403);
      assert.equal(
        r.body.message,
        'clusterroles.rbac.authorization.k8s.io "secrets" is forbidden: user "rbac-admin" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
      );
    });

    it("allows a ClusterRole within the creator's permissions", async () => {
      const r = await c.request("POST", `${RBAC}/clusterroles`, {
        as: { cert: rbacAdmin },
        body: {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          metadata: { name: "configmap-reader" },
          rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
        },
      });
      assert.equal(r.status, 201);
    });

    it("refuses binding oneself to cluster-admin, until granted bind on it", async () => {
      const bind = () =>
        c.request("POST", `${RBAC}/clusterrolebindings`, {
          as: { cert: rbacAdmin },
          body: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: "me-admin" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
            subjects: [{ kind: "User", name: "rbac-admin", apiGroup: "rbac.authorization.k8s.io" }],
          },
        });
      const refused = await bind();
      assert.equal(refused.status, 403);
      assert.match(
        refused.body.message,
        /^clusterrolebindings.rbac.authorization.k8s.io "me-admin" is forbidden: user "rbac-admin"/,
      );
      assert.equal(
        (
          await c.request("POST", `${RBAC}/clusterroles`, {
            as: c.admin,
            body: {
              apiVersion: "rbac.authorization.k8s.io/v1",
              kind: "ClusterRole",
              metadata: { name: "bind-admin" },
              rules: [
                {
                  apiGroups: ["rbac.authorization.k8s.io"],
                  resources: ["clusterroles"],
                  verbs: ["bind"],
                  resourceNames: ["cluster-admin"],
                },
              ],
            },
          })
        ).status,
        201,
      );
      assert.equal(
        (
          await c.request("POST", `${RBAC}/clusterrolebindings`, {
            as: c.admin,
            body: {
              apiVersion: "rbac.authorization.k8s.io/v1",
              kind: "ClusterRoleBinding",
              metadata: { name: "bind-admin" },
              roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "bind-admin" },
              subjects: [{ kind: "User", name: "rbac-admin", apiGroup: "rbac.authorization.k8s.io" }],
            },
          })
        ).status,
        201,
      );
      assert.equal((await bind()).status, 201);
      // Now bound to cluster-admin: it holds everything.
      assert.equal(
        (await c.request("GET", "/api/v1/namespaces/default/secrets", { as: { cert: rbacAdmin } })).status,
        200,
      );
    });
  });
});
