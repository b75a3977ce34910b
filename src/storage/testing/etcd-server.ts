// Test helper: runs a real single-member etcd (the `etcd` binary, Debian's etcd-server) on free local ports with a
// throwaway data directory, over plain HTTP or over TLS with client certificates from a new CA. Where no etcd is
// installed the etcd tests are skipped with a note, unless EVERYNODE_REQUIRE_ETCD=1 (CI sets it) makes a missing
// etcd a failure.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CertAndKey,
  createCa,
  issueClientCertificate,
  issueServerCertificate,
} from "../../pki/certificates.js";
import type { EtcdTls } from "../etcd/etcd-backend.js";

const ETCD_BINARY = process.env.EVERYNODE_ETCD ?? "etcd";
const START_TIMEOUT_MS = 15_000;

/** Why etcd tests cannot run here, or undefined when they can; throws when CI requires etcd. */
export function etcdUnavailable(): string | undefined {
  const probe = spawnSync(ETCD_BINARY, ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return undefined;
  const why = `no etcd binary ("${ETCD_BINARY}"): install Debian's etcd-server, or set EVERYNODE_ETCD`;
  if (process.env.EVERYNODE_REQUIRE_ETCD === "1") throw new Error(`EVERYNODE_REQUIRE_ETCD=1 but ${why}`);
  return why;
}

export interface EtcdServer {
  /** The storage URL of this etcd, e.g. etcd://127.0.0.1:41234. */
  readonly url: string;
  /** With `tls`: what a client needs (the CA, and a client certificate etcd accepts), and the files holding it. */
  readonly tls?: EtcdTls & { files: { ca: string; cert: string; key: string } };
  /** Kills etcd (as a crash would) and, unless `keepData`, removes its data directory. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** Starts etcd again on the same ports and data directory (after stop with keepData). */
  restart(): Promise<void>;
}

/**
 * Starts etcd on free ports. With `tls`, etcd serves its clients over TLS with a certificate from a new CA and
 * accepts only clients with a certificate from that CA (--client-cert-auth), as kubeadm sets etcd up.
 */
export async function startEtcd(options: { tls?: boolean } = {}): Promise<EtcdServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "everynode-etcd-"));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const tls = options.tls ? await writeTlsFiles(dataDir) : undefined;
  const client = `${tls ? "https" : "http"}://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    "--name=everynode-test",
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=everynode-test=${peer}`,
    "--logger=zap",
    "--log-level=error",
    ...(tls
      ? [
          `--cert-file=${tls.files.serverCert}`,
          `--key-file=${tls.files.serverKey}`,
          `--trusted-ca-file=${tls.files.ca}`,
          "--client-cert-auth",
        ]
      : []),
  ];
  let child: ChildProcess | undefined;
  let output = "";
  const launch = async () => {
    output = "";
    const proc = spawn(ETCD_BINARY, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    proc.stdout?.on("data", (d) => (output += d));
    proc.stderr?.on("data", (d) => (output += d));
    await waitHealthy(client, proc, () => output, tls);
  };
  const kill = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    url: `etcd://127.0.0.1:${clientPort}`,
    tls: tls && {
      ca: tls.ca.cert,
      cert: tls.client.cert,
      key: tls.client.key,
      files: { ca: tls.files.ca, cert: tls.files.clientCert, key: tls.files.clientKey },
    },
    async stop(options = {}) {
      await kill();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
    restart: launch,
  };
}

interface TlsFiles {
  ca: CertAndKey;
  client: CertAndKey;
  files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
}

async function writeTlsFiles(dir: string): Promise<TlsFiles> {
  const ca = await createCa();
  const server = await issueServerCertificate(ca, "etcd");
  const client = await issueClientCertificate(ca, { username: "kube-apiserver-etcd-client" });
  const files = {
    ca: join(dir, "ca.crt"),
    serverCert: join(dir, "server.crt"),
    serverKey: join(dir, "server.key"),
    clientCert: join(dir, "client.crt"),
    clientKey: join(dir, "client.key"),
  };
  writeFileSync(files.ca, ca.cert);
  writeFileSync(files.serverCert, server.cert);
  writeFileSync(files.serverKey, server.key, { mode: 0o600 });
  writeFileSync(files.clientCert, client.cert);
  writeFileSync(files.clientKey, client.key, { mode: 0o600 });
  return { ca, client, files };
}

/** etcd's /health, over TLS with the client certificate when etcd requires one. */
function healthy(client: string, tls: TlsFiles | undefined): Promise<boolean> {
  const get = tls ? httpsRequest : httpRequest;
  const credentials = tls ? { ca: tls.ca.cert, cert: tls.client.cert, key: tls.client.key } : {};
  return new Promise((resolve) => {
    const req = get(`${client}/health`, credentials, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(res.statusCode === 200 && body.includes('"health":"true"')));
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

async function waitHealthy(
  client: string,
  proc: ChildProcess,
  output: () => string,
  tls: TlsFiles | undefined,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`etcd exited with ${proc.exitCode}:\n${output()}`);
    if (await healthy(client, tls)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill("SIGKILL");
  throw new Error(`etcd did not become healthy within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
