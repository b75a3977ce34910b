// Spawns the real `everynode` command (the compiled bin) and keeps what it prints: `EverynodeProcess` runs `up` on
// a free port and a temporary data dir and waits for its KUBECONFIG= line; `CliProcess` runs any subcommand. Both
// can stop their process cleanly or kill -9 it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve(import.meta.dirname, "../../bin/everynode.js");
const START_TIMEOUT_MS = 20_000;

/** One running `everynode <args>` and everything it has printed on stdout and stderr. */
export class CliProcess {
  readonly child: ChildProcess;
  private out = "";
  private readonly exitCode: Promise<number | null>;
  /** Told of every chunk of output and of the exit. */
  private readonly listeners = new Set<() => void>();

  constructor(readonly args: string[]) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, EVERYNODE_LOG_LEVEL: process.env.EVERYNODE_LOG_LEVEL ?? "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      this.out += chunk;
      for (const listener of this.listeners) listener();
    };
    this.child.stdout!.on("data", collect);
    this.child.stderr!.on("data", collect);
    this.exitCode = new Promise((r) =>
      this.child.on("exit", (code) => {
        r(code);
        for (const listener of this.listeners) listener();
      }),
    );
  }

  /** What the process has printed so far (an arrow, so it can be handed around unbound). */
  readonly output = (): string => this.out;

  /**
   * Resolves with the match once the output matches `pattern`; rejects, showing the output, if the process exits
   * first or nothing matches within `timeoutMs`.
   */
  waitForOutput(pattern: RegExp, what: string, timeoutMs = START_TIMEOUT_MS): Promise<RegExpExecArray> {
    const command = `everynode ${this.args[0]}`;
    return new Promise((resolveMatch, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      const check = () => {
        const match = pattern.exec(this.out);
        if (match) {
          done();
          resolveMatch(match);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done();
          reject(new Error(`${command} exited with ${this.child.exitCode}:\n${this.out}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${command} did not print ${what} within ${timeoutMs / 1000}s:\n${this.out}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Sends `signal` unless the process has ended already; resolves with its exit code (null when killed). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exitCode;
  }
}

export class EverynodeProcess {
  private constructor(
    private readonly cli: CliProcess,
    readonly dataDir: string,
    readonly kubeconfig: string,
    readonly url: string,
  ) {}

  static async start(
    args: string[] = [],
    dataDir = mkdtempSync(join(tmpdir(), "everynode-e2e-")),
  ): Promise<EverynodeProcess> {
    const proc = new CliProcess(["up", "--port", "0", "--data-dir", dataDir, ...args]);
    // One write prints both lines: the API's address, then the KUBECONFIG= line.
    const [, url, kubeconfig] = await proc.waitForOutput(
      /API at (\S+)[\s\S]*KUBECONFIG=(\S+)/,
      "its KUBECONFIG= line",
    );
    return new EverynodeProcess(proc, dataDir, kubeconfig, url);
  }

  readonly output = (): string => this.cli.output();

  stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    return this.cli.stop(signal);
  }
}
