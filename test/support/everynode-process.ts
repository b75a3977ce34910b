// Spawns the real `everynode up` (the compiled bin) on a free port and a temporary data dir, waits for its
// KUBECONFIG= line, and can stop it cleanly or kill -9 it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve(import.meta.dirname, "../../bin/everynode.js");

export class EverynodeProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
    readonly kubeconfig: string,
    readonly url: string,
    readonly output: () => string,
  ) {}

  static async start(
    args: string[] = [],
    dataDir = mkdtempSync(join(tmpdir(), "everynode-e2e-")),
  ): Promise<EverynodeProcess> {
    const child = spawn(process.execPath, [BIN, "up", "--port", "0", "--data-dir", dataDir, ...args], {
      env: { ...process.env, EVERYNODE_LOG_LEVEL: process.env.EVERYNODE_LOG_LEVEL ?? "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stderr!.on("data", (d) => (out += d));
    const { kubeconfig, url } = await new Promise<{ kubeconfig: string; url: string }>(
      (resolveLine, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`everynode up did not start within 20s:\n${out}`)),
          20_000,
        );
        child.stdout!.on("data", (d) => {
          out += d;
          const kc = /KUBECONFIG=(\S+)/.exec(out);
          const u = /API at (\S+)/.exec(out);
          if (kc && u) {
            clearTimeout(timer);
            resolveLine({ kubeconfig: kc[1], url: u[1] });
          }
        });
        child.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`everynode up exited with ${code}:\n${out}`));
        });
      },
    );
    return new EverynodeProcess(child, dataDir, kubeconfig, url, () => out);
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    // Already ended (exited, or killed by a signal): there is no exit event left to wait for.
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.on("exit", (code) => r(code)));
    this.child.kill(signal);
    return exited;
  }
}
