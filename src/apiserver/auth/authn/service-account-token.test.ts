import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../api/object.js";
import { generateServiceAccountKey } from "./credential-files.js";
import { signJwt } from "./jwt.js";
import { DEFAULT_ISSUER, ServiceAccountTokens } from "./service-account-token.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");

function setup() {
  let now = T0;
  const accounts = new Map<string, KubeObject>([
    [
      "logging/fluentd",
      {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "fluentd", namespace: "logging", uid: "sa-1" },
      },
    ],
  ]);
  const pods = new Map<string, KubeObject>([
    [
      "logging/agent",
      { apiVersion: "v1", kind: "Pod", metadata: { name: "agent", namespace: "logging", uid: "pod-1" } },
    ],
  ]);
  const key = generateServiceAccountKey();
  const tokens = new ServiceAccountTokens({
    key,
    now: () => now,
    binding: {
      serviceAccount: (ns, name) => accounts.get(`${ns}/${name}`),
      pod: (ns, name) => pods.get(`${ns}/${name}`),
    },
  });
  const issue = (extra: { audiences?: string[]; pod?: { name: string; uid: string } } = {}) =>
    tokens.issue({
      namespace: "logging",
      serviceAccount: { name: "fluentd", uid: "sa-1" },
      audiences: extra.audiences ?? [DEFAULT_ISSUER],
      expirationSeconds: 3600,
      pod: extra.pod,
    }).token;
  return { tokens, issue, accounts, pods, key, advance: (ms: number) => (now += ms) };
}

describe("ServiceAccount tokens", () => {
  it("authenticate as the ServiceAccount, with its groups and uid", () => {
    const { tokens, issue } = setup();
    const result = tokens.authenticate(issue());
    assert.ok("user" in result);
    assert.equal(result.user.username, "system:serviceaccount:logging:fluentd");
    assert.equal(result.user.uid, "sa-1");
    assert.deepEqual(result.user.groups, [
      "system:serviceaccounts",
      "system:serviceaccounts:logging",
      "system:authenticated",
    ]);
    assert.match(result.user.extra?.["authentication.kubernetes.io/credential-id"]?.[0] ?? "", /^JTI=/);
  });

  it("carry upstream's claims", () => {
    const { issue } = setup();
    const claims = JSON.parse(Buffer.from(issue().split(".")[1], "base64url").toString());
    assert.equal(claims.iss, DEFAULT_ISSUER);
    assert.equal(claims.sub, "system:serviceaccount:logging:fluentd");
    assert.deepEqual(claims.aud, [DEFAULT_ISSUER]);
    assert.equal(claims.exp - claims.iat, 3600);
    assert.deepEqual(claims["kubernetes.io"], {
      namespace: "logging",
      serviceaccount: { name: "fluentd", uid: "sa-1" },
    });
  });

  it("expire", () => {
    const { tokens, issue, advance } = setup();
    const token = issue();
    advance(3599_000);
    assert.ok("user" in tokens.authenticate(token));
    advance(1000);
    assert.deepEqual(tokens.authenticate(token), { error: "token has expired" });
  });

  it("die with their ServiceAccount, and stay dead when one of the same name comes back", () => {
    const { tokens, issue, accounts } = setup();
    const token = issue();
    const sa = accounts.get("logging/fluentd")!;
    accounts.delete("logging/fluentd");
    assert.deepEqual(tokens.authenticate(token), { error: "service account has been deleted" });
    accounts.set("logging/fluentd", { ...sa, metadata: { ...sa.metadata, uid: "sa-2" } });
    const replaced = tokens.authenticate(token);
    assert.ok("error" in replaced);
    assert.match(replaced.error, /does not match/);
  });

  it("bound to a pod die with the pod", () => {
    const { tokens, issue, pods } = setup();
    const token = issue({ pod: { name: "agent", uid: "pod-1" } });
    const ok = tokens.authenticate(token);
    assert.ok("user" in ok);
    assert.deepEqual(ok.user.extra?.["authentication.kubernetes.io/pod-name"], ["agent"]);
    pods.delete("logging/agent");
    assert.deepEqual(tokens.authenticate(token), { error: "pod has been deleted" });
  });

  it("for another audience do not authenticate to the API", () => {
    const { tokens, issue } = setup();
    assert.deepEqual(tokens.authenticate(issue({ audiences: ["vault"] })), {
      error: "token audiences is invalid",
    });
  });

  it("signed by another key, or tampered with, are rejected", () => {
    const { tokens, issue } = setup();
    const [h, p, s] = issue().split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    claims.sub = "system:serviceaccount:kube-system:admin";
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    assert.deepEqual(tokens.authenticate(forged), { error: "invalid bearer token" });
    const foreign = signJwt(claims, generateServiceAccountKey());
    assert.deepEqual(tokens.authenticate(foreign), { error: "invalid bearer token" });
    assert.equal(tokens.authenticateToken("not-a-jwt"), undefined);
  });
});
