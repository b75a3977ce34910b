// End-to-end: authentication and RBAC with the real kubectl against `everynode up` — `auth whoami`, `auth can-i`
// (with --as and --list) agreeing with what the server enforces, `create token` and the token's life and
// death, anonymous access, escalation refused, and the built-in components running the seeds' DaemonSet
// under their own least-privilege identities.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { Kubectl } from "../support/kubectl.js";
import { WHOAMI_NOT_ENABLED, whoamiAsksV1 } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import { fixturePath } from "./support/manifests.js";
import { waitFor } from "./support/wait.js";

const FLUENTD = "system:serviceaccount:logging:fluentd";

/** A kubeconfig for the same server and CA with another user (a token, or nobody: anonymous). */
function kubeconfigWith(cluster: E2eCluster, name: string, user: Record<string, string>): string {
  const config = parse(readFileSync(cluster.server.kubeconfig, "utf8"));
  config.users = [{ name: "everynode-admin", user }];
  const path = join(cluster.server.dataDir, `${name}.kubeconfig`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

/**
 * Who the server says the client is: `kubectl auth whoami`, or, with a kubectl that asks only for the beta API a
 * 1.32 server does not serve (1.27), the same SelfSubjectReview created directly, once whoami failed as upstream.
 */
async function whoami(k: Kubectl): Promise<Record<string, unknown>> {
  if (whoamiAsksV1(await k.clientMinor())) {
    return JSON.parse(await k.ok(["auth", "whoami", "-o", "json"])).status.userInfo;
  }
  const refused = await k.run(["auth", "whoami"]);
  assert.deepEqual([refused.code, refused.stderr], [1, WHOAMI_NOT_ENABLED]);
  const review = { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" };
  // Without --validate=false kubectl would list CRDs to validate the kind, which a ServiceAccount may not do.
  const created = await k.ok(["create", "--validate=false", "-f", "-", "-o", "json"], {
    stdin: JSON.stringify(review),
  });
  return JSON.parse(created).status.userInfo;
}

describe("kubectl auth and tokens", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  let tokenUser: Kubectl;
  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", fixturePath("seed-000-fluentd.yaml")]);
  });
  after(async () => {
    tokenUser?.dispose();
    await cluster?.stop();
  });

  it("auth whoami names the kubeconfig's admin, in system:masters", async () => {
    assert.deepEqual(await whoami(k), {
      username: "kubernetes-admin",
      groups: ["system:masters", "system:authenticated"],
    });
  });

  it("the built-in components run the seed's DaemonSet under their own identities", async () => {
    await waitFor("fluentd to be ready on every node", async () => {
      const ds = await getJson(k, "ds", "fluentd", "-n", "logging");
      return (
        ds.status?.desiredNumberScheduled > 0 && ds.status.numberReady === ds.status.desiredNumberScheduled
      );
    });
  });

  it("auth can-i --as the fluentd ServiceAccount answers what its ClusterRole grants", async () => {
    const canI = (...args: string[]) => k.run(["auth", "can-i", ...args, `--as=${FLUENTD}`]);
    const yes = await canI("list", "pods");
    assert.deepEqual([yes.code, yes.stdout], [0, "yes\n"]);
    assert.equal((await canI("watch", "namespaces")).stdout, "yes\n");
    assert.equal((await canI("get", "pods", "-n", "kube-system")).stdout, "yes\n");
    const no = await canI("create", "pods");
    assert.deepEqual([no.code, no.stdout], [1, "no\n"]);
    assert.equal((await canI("get", "secrets", "-n", "logging")).stdout, "no\n");
    assert.equal((await canI("delete", "daemonsets.apps", "-n", "logging")).stdout, "no\n");
  });

  it("auth can-i --list shows the ServiceAccount's rules", async () => {
    const out = await k.ok(["auth", "can-i", "--list", "-n", "logging", `--as=${FLUENTD}`]);
    const lines = out.split("\n");
    assert.match(lines[0], /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    assert.ok(
      lines.some((l) => /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/.test(l)),
      out,
    );
    assert.ok(
      lines.some((l) => /^selfsubjectaccessreviews.authorization.k8s.io\s+\[\]\s+\[\]\s+\[create\]$/.test(l)),
      out,
    );
    assert.ok(!lines.some((l) => l.startsWith("secrets")), out);
  });

  it("create token issues a token kubectl can use, for the duration asked", async () => {
    const token = (await k.ok(["create", "token", "fluentd", "-n", "logging", "--duration=20m"])).trim();
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
    assert.equal(claims.sub, FLUENTD);
    assert.equal(claims.exp - claims.iat, 1200);
    tokenUser = new Kubectl(kubeconfigWith(cluster, "fluentd", { token }));
    assert.equal((await whoami(tokenUser)).username, FLUENTD);
    assert.match(await tokenUser.ok(["get", "pods", "-n", "logging"]), /^NAME\s+READY\s+STATUS/);
    const secrets = await tokenUser.run(["get", "secrets", "-n", "logging"]);
    assert.equal(secrets.code, 1);
    assert.equal(
      secrets.stderr.trim(),
      `Error from server (Forbidden): secrets is forbidden: User "${FLUENTD}" cannot list resource "secrets" in API group "" in the namespace "logging"`,
    );
  });

  it("create -f of a SubjectAccessReview answers for another user; there are no CRDs to find", async () => {
    const review = (verb: string, resource: string) => ({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user: FLUENTD, resourceAttributes: { verb, resource, namespace: "logging" } },
    });
    const ask = async (verb: string, resource: string) =>
      JSON.parse(
        await k.ok(["create", "-f", "-", "-o", "json"], { stdin: JSON.stringify(review(verb, resource)) }),
      ).status;
    assert.equal((await ask("list", "pods")).allowed, true);
    assert.equal((await ask("list", "secrets")).allowed, false);
    const crds = await k.run(["get", "crd"]);
    assert.deepEqual([crds.code, crds.stdout, crds.stderr], [0, "", "No resources found\n"]);
  });

  it("auth can-i agrees with what the server enforces", async () => {
    const cases: [string[], string[]][] = [
      [
        ["get", "pods", "-n", "logging"],
        ["get", "pods", "-n", "logging"],
      ],
      [
        ["list", "namespaces"],
        ["get", "namespaces"],
      ],
      [
        ["list", "secrets", "-n", "logging"],
        ["get", "secrets", "-n", "logging"],
      ],
      [
        ["list", "daemonsets.apps", "-n", "logging"],
        ["get", "daemonsets", "-n", "logging"],
      ],
      [
        ["create", "configmaps", "-n", "logging"],
        ["create", "configmap", "probe", "-n", "logging"],
      ],
      [
        ["delete", "pods", "-n", "logging"],
        ["delete", "pods", "--all", "-n", "logging", "--dry-run=server"],
      ],
      [
        ["list", "nodes"],
        ["get", "nodes"],
      ],
    ];
    for (const [question, action] of cases) {
      const answer = await tokenUser.run(["auth", "can-i", ...question]);
      const done = await tokenUser.run(action);
      assert.equal(
        answer.code === 0,
        done.code === 0,
        `can-i ${question.join(" ")}: ${answer.stdout} / ${done.stderr}`,
      );
      if (done.code !== 0)
        assert.match(done.stderr, /is forbidden: User "system:serviceaccount:logging:fluentd"/);
    }
  });

  it("a token dies with its ServiceAccount", async () => {
    await k.ok(["delete", "serviceaccount", "fluentd", "-n", "logging"]);
    const r = await tokenUser.run(["get", "pods", "-n", "logging"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /You must be logged in to the server \(Unauthorized\)/);
  });

  it("anonymous requests get 401 except health and version; a bad token gets 401", async () => {
    const config = parse(readFileSync(cluster.server.kubeconfig, "utf8"));
    const ca = Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString();
    const anonymous = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpsRequest(new URL(path, cluster.server.url), { ca }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
    for (const path of ["/api/v1/pods", "/apis", "/metrics"]) assert.equal(await anonymous(path), 401, path);
    for (const path of ["/healthz", "/livez", "/readyz", "/version"])
      assert.equal(await anonymous(path), 200, path);
    const badToken = new Kubectl(kubeconfigWith(cluster, "bad-token", { token: "not-a-token" }));
    try {
      const r = await badToken.run(["get", "pods"]);
      assert.equal(r.code, 1);
      // Discovery is refused first: kubectl words a 401 there as "the server has asked for … credentials".
      assert.match(r.stderr, /error: You must be logged in to the server/);
    } finally {
      badToken.dispose();
    }
  });

  it("refuses a binding that escalates, with upstream's message", async () => {
    // alice may create ClusterRoleBindings, but holds nothing she could grant.
    await k.ok(["create", "clusterrole", "binder", "--verb=create", "--resource=clusterrolebindings"]);
    await k.ok(["create", "clusterrolebinding", "alice-binder", "--clusterrole=binder", "--user=alice"]);
    const denied = await k.run([
      "create",
      "clusterrolebinding",
      "alice-admin",
      "--clusterrole=cluster-admin",
      "--user=alice",
      "--as=alice",
    ]);
    assert.equal(denied.code, 1);
    assert.match(
      denied.stderr,
      /clusterrolebindings.rbac.authorization.k8s.io "alice-admin" is forbidden: user "alice" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:/,
    );
    const unbound = await k.run(["get", "pods", "--as=alice"]);
    assert.match(
      unbound.stderr,
      /pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"/,
    );
  });
});
