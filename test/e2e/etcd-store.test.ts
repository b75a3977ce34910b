// End-to-end: `everynode up --store etcd://…` keeps the whole cluster in a real etcd. The seed's DaemonSet rolls
// out, kill -9 and a restart resume every object at the same resourceVersion, a second cluster under another
// prefix of the same etcd starts empty, an etcd outage is a 503 until it is back, and an etcd that does not answer
// is reported before anything starts. An etcd that requires TLS and client certificates is reached with
// kube-apiserver's --etcd-cafile, --etcd-certfile and --etcd-keyfile. Two API servers over one etcd elect which
// of them runs the controllers, the scheduler and the nodes; the other takes over when the first dies.
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type EtcdServer, etcdUnavailable, startEtcd } from "../../src/storage/testing/etcd-server.js";
import { EverynodeProcess } from "../support/everynode-process.js";
import { Kubectl } from "../support/kubectl.js";
import { readyPods, rolledOut } from "./support/day2.js";
import { fixturePath } from "./support/manifests.js";
import { waitFor, waitForStable } from "./support/wait.js";

/** kind/namespace/name → resourceVersion of what a restart must keep exactly. */
async function versions(k: Kubectl): Promise<Record<string, string>> {
  const list = JSON.parse(
    await k.ok(["get", "ds,ns,sa,clusterroles,clusterrolebindings", "-A", "-o", "json"]),
  );
  return Object.fromEntries(
    list.items.map(
      (o: { kind: string; metadata: { namespace?: string; name: string; resourceVersion: string } }) => [
        `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`,
        o.metadata.resourceVersion,
      ],
    ),
  );
}

describe("everynode up --store etcd://", { skip: etcdUnavailable() }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "everynode-e2e-etcd-"));
  let etcd: EtcdServer;
  let server: EverynodeProcess;
  let k: Kubectl;

  before(async () => {
    etcd = await startEtcd();
    server = await EverynodeProcess.start(["--store", `${etcd.url}/e2e`], dataDir);
    k = new Kubectl(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    await etcd?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts a new cluster in etcd, with nothing stored in the data dir, and rolls out the seed's DaemonSet", async () => {
    assert.match(server.output(), /new cluster/);
    assert.ok(!existsSync(join(dataDir, "state.db")), readdirSync(dataDir).join(", "));
    await k.ok(["apply", "-f", fixturePath("seed-000-fluentd.yaml")]);
    assert.match(await rolledOut(k, "logging", "fluentd"), /successfully rolled out/);
    await readyPods(k, "logging", "name=fluentd", 2);
  });

  it("resumes every object at the same resourceVersion after kill -9 and a restart", async () => {
    const before = await waitForStable("the cluster", () => versions(k));
    assert.ok(before["DaemonSet/logging/fluentd"]);
    assert.equal(await server.stop("SIGKILL"), null, "killed by a signal");
    server = await EverynodeProcess.start(["--store", `${etcd.url}/e2e`], dataDir);
    assert.match(server.output(), /resumed/);
    assert.deepEqual(await versions(k), before);
    await readyPods(k, "logging", "name=fluentd", 2);
  });

  it("keeps a second cluster under another prefix of the same etcd apart", async () => {
    const other = await EverynodeProcess.start(["--store", `${etcd.url}/other`, "--nodes", "2"]);
    try {
      assert.match(other.output(), /new cluster/);
      const kOther = new Kubectl(other.kubeconfig);
      assert.equal((await kOther.run(["get", "ds", "-A"])).stderr, "No resources found\n");
      assert.equal(await kOther.ok(["get", "nodes", "-o", "name"]), "node/control-plane\nnode/node1\n");
    } finally {
      await other.stop();
      rmSync(other.dataDir, { recursive: true, force: true });
    }
    assert.match(await k.ok(["get", "ds", "-n", "logging", "-o", "name"]), /^daemonset.apps\/fluentd\n$/);
  });

  it("answers 503 while etcd is down, and serves writes again once it is back", async () => {
    await etcd.stop({ keepData: true });
    try {
      const refused = await k.run(["create", "namespace", "while-down"]);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /^Error from server \(ServiceUnavailable\): storage unavailable: etcd at http:\/\/127\.0\.0\.1:\d+ did not answer \(/,
      );
      // Reads are served from the watch cache meanwhile.
      assert.match(await k.ok(["get", "ds", "-n", "logging", "-o", "name"]), /^daemonset.apps\/fluentd\n$/);
    } finally {
      await etcd.restart();
    }
    // The client holds off a failed etcd for a second before trying it again.
    await waitFor(
      "a write to succeed",
      async () => (await k.run(["create", "namespace", "after-down"])).code === 0,
      {
        timeoutMs: 20_000,
        intervalMs: 500,
      },
    );
    // The cache's watch resumed: the namespace written after the outage is listed.
    await waitFor("the new namespace in a list", async () =>
      (await k.ok(["get", "namespaces", "-o", "name"])).includes("namespace/after-down\n"),
    );
    assert.equal((await k.run(["get", "namespace", "while-down"])).code, 1, "the refused write left nothing");
  });

  it("says when etcd does not answer, and exits before serving", async () => {
    await server.stop();
    await etcd.stop();
    await assert.rejects(
      EverynodeProcess.start(["--store", etcd.url], dataDir),
      /exited with 1:[\s\S]*cannot reach etcd at http:\/\/127\.0\.0\.1:\d+ .*start etcd there, or pass another --store/,
    );
  });
});

describe("everynode up --store etcd:// with --etcd-cafile, --etcd-certfile and --etcd-keyfile", {
  skip: etcdUnavailable(),
}, () => {
  let etcd: EtcdServer;
  before(async () => {
    etcd = await startEtcd({ tls: true });
  });
  after(() => etcd?.stop());

  it("serves a cluster from an etcd that requires TLS and client certificates", async () => {
    const files = etcd.tls!.files;
    const server = await EverynodeProcess.start([
      "--store",
      etcd.url,
      "--etcd-cafile",
      files.ca,
      "--etcd-certfile",
      files.cert,
      "--etcd-keyfile",
      files.key,
    ]);
    try {
      const k = new Kubectl(server.kubeconfig);
      assert.equal(await k.ok(["create", "namespace", "over-tls"]), "namespace/over-tls created\n");
      assert.match(await k.ok(["get", "namespace", "over-tls", "-o", "name"]), /^namespace\/over-tls\n$/);
    } finally {
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });

  const refused: [string, string[], RegExp][] = [
    ["without the TLS files", [], /cannot reach etcd at http:\/\/127\.0\.0\.1:\d+ /],
    [
      "with a certificate but no key",
      ["--etcd-cafile", "CA", "--etcd-certfile", "CERT"],
      /--etcd-certfile and --etcd-keyfile go together/,
    ],
    [
      "with a client certificate but no CA",
      ["--etcd-certfile", "CERT", "--etcd-keyfile", "KEY"],
      /need --etcd-cafile, the CA that signed etcd's certificate/,
    ],
    [
      "with a CA file that is not there",
      ["--etcd-cafile", "/nonexistent/ca.crt"],
      /--etcd-cafile \/nonexistent\/ca\.crt: ENOENT/,
    ],
  ];
  for (const [what, flags, message] of refused) {
    it(`says what is wrong ${what}, and exits`, async () => {
      const files = etcd.tls!.files;
      const args = flags.map((f) =>
        f === "CA" ? files.ca : f === "CERT" ? files.cert : f === "KEY" ? files.key : f,
      );
      const dataDir = mkdtempSync(join(tmpdir(), "everynode-e2e-etcd-refused-"));
      try {
        await assert.rejects(EverynodeProcess.start(["--store", etcd.url, ...args], dataDir), message);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }

  it("refuses etcd TLS files for a store that is not etcd", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "everynode-e2e-etcd-refused-"));
    try {
      await assert.rejects(
        EverynodeProcess.start(["--etcd-cafile", etcd.tls!.files.ca], dataDir),
        /the --etcd-\* TLS files are for an etcd:\/\/ --store/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("two everynode API servers over one etcd", { skip: etcdUnavailable() }, () => {
  // Roomy enough that the leader does not lose its Lease to a slow moment of a loaded machine.
  const election = [
    "--leader-elect-lease-duration=6s",
    "--leader-elect-renew-deadline=4s",
    "--leader-elect-retry-period=500ms",
  ];
  const dirA = mkdtempSync(join(tmpdir(), "everynode-e2e-ha-a-"));
  const dirB = mkdtempSync(join(tmpdir(), "everynode-e2e-ha-b-"));
  let etcd: EtcdServer;
  let a: EverynodeProcess;
  let b: EverynodeProcess;

  before(async () => {
    etcd = await startEtcd();
    a = await EverynodeProcess.start(["--store", `${etcd.url}/ha`, ...election], dirA);
    await waitFor("A to lead", () => a.output().includes("leading: running the controllers"), {
      detail: a.output,
    });
    // The second API server shares the first one's CA, certificates and keys: a copy of its data dir.
    cpSync(dirA, dirB, { recursive: true });
    b = await EverynodeProcess.start(["--store", `${etcd.url}/ha`, ...election], dirB);
  });
  after(async () => {
    await Promise.all([a?.stop("SIGKILL"), b?.stop("SIGKILL")]);
    await etcd?.stop();
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  });

  it("the second serves the same cluster on standby, and the first one's controllers act on what it is sent", async () => {
    assert.match(b.output(), /resumed/);
    assert.match(b.output(), /campaigning for the control plane's lease as \S+/);
    const kB = new Kubectl(b.kubeconfig);
    await kB.ok(["apply", "-f", fixturePath("seed-000-fluentd.yaml")]);
    assert.match(await rolledOut(kB, "logging", "fluentd"), /successfully rolled out/);
    assert.ok(!b.output().includes("leading:"), b.output());
    assert.equal(await kB.ok(["get", "nodes", "-o", "name"]), "node/control-plane\nnode/node1\nnode/node2\n");
  });

  it("when the leader dies, the standby takes the lease and runs the controllers and nodes", async () => {
    const kB = new Kubectl(b.kubeconfig);
    assert.equal(await a.stop("SIGKILL"), null);
    await waitFor("B to lead", () => b.output().includes("leading: running the controllers"), {
      detail: b.output,
    });
    const identity = /lease as (\S+)/.exec(b.output())![1];
    const lease = JSON.parse(
      await kB.ok(["get", "lease", "everynode-control-plane", "-n", "kube-system", "-o", "json"]),
    );
    assert.equal(lease.spec.holderIdentity, identity);
    const [pod] = await readyPods(kB, "logging", "name=fluentd", 2);
    await kB.ok(["delete", "pod", pod.metadata.name, "-n", "logging"]);
    const replaced = await readyPods(kB, "logging", "name=fluentd", 2);
    assert.ok(!replaced.some((p) => p.metadata.name === pod.metadata.name));
    // B's simulated kubelets heartbeat now: node1's Lease is renewed after the takeover.
    const renewTime = async () =>
      JSON.parse(await kB.ok(["get", "lease", "node1", "-n", "kube-node-lease", "-o", "json"])).spec
        .renewTime;
    const before = await renewTime();
    await waitFor("node1's Lease renewed by B's kubelets", async () => (await renewTime()) !== before, {
      timeoutMs: 20_000,
      intervalMs: 500,
    });
  });
});
