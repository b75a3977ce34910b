import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { buildKubeconfig, writeKubeconfig } from "../cli/kubeconfig.js";
import { ControlPlane } from "../main/control-plane.js";
import { ensureClusterPki } from "../pki/certificates.js";
import { createLogger } from "../util/log.js";
import type { ResourceType } from "./client.js";
import { FakeTimer } from "./fake-timer.js";
import {
  clientFromKubeconfig,
  defaultKubeconfigPath,
  fileTokenSource,
  KubeconfigError,
  loadKubeconfig,
  parseKubeconfig,
} from "./kubeconfig.js";

const namespaces: ResourceType = {
  group: "",
  version: "v1",
  resource: "namespaces",
  namespaced: false,
  kind: "Namespace",
};

function config(overrides: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: "prod", cluster: { server: "https://prod:6443", "insecure-skip-tls-verify": true } },
      { name: "lab", cluster: { server: "https://lab:6443", "certificate-authority": "certs/ca.crt" } },
    ],
    users: [
      { name: "alice", user: { token: "secret-token" } },
      { name: "bob", user: { "client-certificate": "certs/bob.crt", "client-key": "/abs/ignored.key" } },
      { name: "plugin", user: { exec: { command: "aws" } } },
    ],
    contexts: [
      { name: "prod-alice", context: { cluster: "prod", user: "alice", namespace: "team-a" } },
      { name: "lab-bob", context: { cluster: "lab", user: "bob" } },
      { name: "prod-plugin", context: { cluster: "prod", user: "plugin" } },
    ],
    "current-context": "prod-alice",
    ...overrides,
  });
}

describe("parseKubeconfig", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "everynode-kubeconfig-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("resolves the file written by `everynode up` (CA and client certificate as base64 data)", () => {
    const text = buildKubeconfig({
      server: "https://127.0.0.1:6443",
      caData: "CA PEM",
      clientCertData: "CERT PEM",
      clientKeyData: "KEY PEM",
    });
    const c = parseKubeconfig(text, "/data/kubeconfig");
    assert.deepEqual(
      { ...c },
      {
        path: "/data/kubeconfig",
        context: "everynode",
        cluster: "everynode",
        user: "everynode-admin",
        server: "https://127.0.0.1:6443",
        namespace: "default",
        ca: "CA PEM",
        cert: "CERT PEM",
        key: "KEY PEM",
        insecureSkipTlsVerify: false,
        tlsServerName: undefined,
        token: undefined,
        tokenFile: undefined,
        username: undefined,
        password: undefined,
      },
    );
  });

  it("uses current-context, its namespace and its user's token", () => {
    const c = parseKubeconfig(config(), "/x/config");
    assert.equal(c.context, "prod-alice");
    assert.equal(c.server, "https://prod:6443");
    assert.equal(c.namespace, "team-a");
    assert.equal(c.token, "secret-token");
    assert.equal(c.insecureSkipTlsVerify, true);
  });

  it("reads relative certificate files from the kubeconfig's own directory", () => {
    mkdirSync(join(dir, "certs"), { recursive: true });
    writeFileSync(join(dir, "certs", "ca.crt"), "LAB CA");
    writeFileSync(join(dir, "certs", "bob.crt"), "BOB CERT");
    const text = config({
      users: [
        {
          name: "bob",
          user: {
            "client-certificate": "certs/bob.crt",
            "client-key-data": Buffer.from("BOB KEY").toString("base64"),
          },
        },
      ],
    });
    const c = parseKubeconfig(text, join(dir, "config"), "lab-bob");
    assert.deepEqual([c.ca, c.cert, c.key, c.namespace], ["LAB CA", "BOB CERT", "BOB KEY", "default"]);
  });

  const failures: [string, string, string | undefined, RegExp][] = [
    [
      "no current-context",
      config({ "current-context": undefined }),
      undefined,
      /^no current-context in \/x\/config; pass --context$/,
    ],
    [
      "an unknown context",
      config(),
      "nope",
      /context "nope" not found in \/x\/config \(contexts: prod-alice, lab-bob, prod-plugin\)/,
    ],
    ["an exec credential plugin", config(), "prod-plugin", /uses a credential plugin \(exec\)/],
    [
      "a missing certificate file",
      config(),
      "lab-bob",
      /certificate-authority \/x\/certs\/ca.crt \(from \/x\/config\) cannot be read/,
    ],
    ["a document that is not a mapping", "- a\n- b\n", undefined, /is not a YAML mapping/],
  ];
  for (const [what, text, context, message] of failures) {
    it(`explains ${what}`, () => {
      assert.throws(
        () => parseKubeconfig(text, "/x/config", context),
        (e: unknown) => {
          assert.ok(e instanceof KubeconfigError);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }

  it("says which file is missing", () => {
    assert.throws(
      () => loadKubeconfig(join(dir, "absent")),
      /absent does not exist; set KUBECONFIG or pass --kubeconfig/,
    );
  });
});

describe("defaultKubeconfigPath", () => {
  it("takes the first existing file of $KUBECONFIG", () => {
    const dir = mkdtempSync(join(tmpdir(), "everynode-kubeconfig-"));
    try {
      const second = join(dir, "second");
      writeFileSync(second, "");
      const env = { KUBECONFIG: [join(dir, "first"), second].join(delimiter) };
      assert.equal(defaultKubeconfigPath(env, "/home/u"), second);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("falls back to ~/.kube/config", () => {
    assert.equal(defaultKubeconfigPath({}, "/home/u"), "/home/u/.kube/config");
    assert.equal(defaultKubeconfigPath({ KUBECONFIG: "" }, "/home/u"), "/home/u/.kube/config");
  });
});

describe("fileTokenSource", () => {
  it("re-reads a rotating token file once a minute", () => {
    const dir = mkdtempSync(join(tmpdir(), "everynode-token-"));
    try {
      const file = join(dir, "token");
      writeFileSync(file, "one\n");
      const timer = new FakeTimer();
      const token = fileTokenSource(file, timer);
      assert.equal(token(), "one");
      writeFileSync(file, "two\n");
      timer.advance(59_000);
      assert.equal(token(), "one");
      timer.advance(1_000);
      assert.equal(token(), "two");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("clientFromKubeconfig over HTTPS", () => {
  let dir: string;
  let cp: ControlPlane;
  let path: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "everynode-tls-"));
    const pki = await ensureClusterPki(dir);
    cp = await ControlPlane.start({
      store: "memory://",
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      logger: createLogger("test", "silent"),
    });
    path = join(dir, "kubeconfig");
    writeKubeconfig(path, {
      server: cp.url,
      caData: pki.ca.cert,
      clientCertData: pki.admin.cert,
      clientKeyData: pki.admin.key,
    });
  });
  after(async () => {
    await cp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("talks to the API server with the CA and client certificate `everynode up` writes", async () => {
    const client = clientFromKubeconfig(path);
    try {
      assert.equal(client.defaultNamespace, "default");
      const list = await client.list(namespaces, undefined);
      assert.ok(list.items.some((ns) => ns.metadata.name === "kube-system"));
    } finally {
      client.close();
    }
  });

  it("refuses a server whose certificate does not chain to the configured CA", async () => {
    const stranger = await ensureClusterPki(join(dir, "other"));
    const client = clientFromKubeconfig(path, undefined, { ca: stranger.ca.cert });
    try {
      await assert.rejects(client.list(namespaces, undefined), (e: any) => {
        assert.equal(e.code, 503);
        assert.match(e.message, /certificate/i);
        return true;
      });
    } finally {
      client.close();
    }
  });
});
