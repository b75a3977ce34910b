// Runs the real kubectl (whatever `kubectl` is on PATH, or KUBECTL) against a kubeconfig, with its own
// discovery cache so tests never see each other's servers.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  private readonly cacheDir = mkdtempSync(join(tmpdir(), "everynode-kubectl-cache-"));

  /** Removes this kubectl's private discovery cache. */
  dispose(): void {
    rmSync(this.cacheDir, { recursive: true, force: true });
  }

  constructor(
    readonly kubeconfig: string,
    private readonly binary = process.env.KUBECTL ?? "kubectl",
  ) {}

  run(
    args: string[],
    options: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, {
        env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: this.cacheDir, ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      // kubectl may exit before reading stdin; the write then fails with EPIPE, which is no test failure.
      child.stdin.on("error", () => {});
      child.stdin.end(options.stdin ?? "");
    });
  }

  private minor?: Promise<number>;

  /**
   * The minor version of this kubectl (27 … 33); the dispatcher on PATH reports the one it runs ("32+"). Tests
   * that compare exact text ask it which wording to expect (see kubectl-texts.ts).
   */
  clientMinor(): Promise<number> {
    this.minor ??= this.ok(["version", "--client", "-o", "json"]).then((out) =>
      Number.parseInt(JSON.parse(out).clientVersion.minor, 10),
    );
    return this.minor;
  }

  /** Runs kubectl and fails with its output unless it exits 0. */
  async ok(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<string> {
    const r = await this.run(args, options);
    if (r.code !== 0) {
      throw new Error(`kubectl ${args.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    }
    return r.stdout;
  }

  /**
   * Starts a long-running kubectl (e.g. `get -w`) and collects its output until stopped; `exited` resolves with
   * its exit code when it ends by itself.
   */
  start(args: string[]): { output: () => string; stop: () => Promise<string>; exited: Promise<number> } {
    const child = spawn(this.binary, args, {
      env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: this.cacheDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number>((r) => child.on("close", (code) => r(code ?? -1)));
    const done = exited.then(() => undefined);
    return {
      exited,
      output: () => out,
      stop: async () => {
        child.kill("SIGTERM");
        await done;
        return out;
      },
    };
  }
}
