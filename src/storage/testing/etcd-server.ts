// Test helper: runs a real single-member etcd (the `etcd` binary, Debian's etcd-server) on free local ports with a
// throwaway data directory. Where no etcd is installed the etcd tests are skipped with a note, unless
// EVERYNODE_REQUIRE_ETCD=1 (CI sets it) makes a missing etcd a failure.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
  readonly clientPort: number;
  /** Kills etcd (as a crash would) and, unless `keepData`, removes its data directory. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** Starts etcd again on the same ports and data directory (after stop with keepData). */
  restart(): Promise<void>;
}

export async function startEtcd(): Promise<EtcdServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "everynode-etcd-"));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const client = `http://127.0.0.1:${clientPort}`;
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
  ];
  let child: ChildProcess | undefined;
  let output = "";
  const launch = async () => {
    output = "";
    const proc = spawn(ETCD_BINARY, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    proc.stdout?.on("data", (d) => (output += d));
    proc.stderr?.on("data", (d) => (output += d));
    await waitHealthy(client, proc, () => output);
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
    clientPort,
    async stop(options = {}) {
      await kill();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
    restart: launch,
  };
}

async function waitHealthy(client: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`etcd exited with ${proc.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${client}/health`);
      if (res.ok && ((await res.json()) as { health?: string }).health === "true") return;
    } catch {
      // not listening yet
    }
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
