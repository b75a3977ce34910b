// The shape of a simulated program: it gets its name and arguments, the container it runs in, its environment
// and working directory, and three streams; it resolves with an exit code. Also the stdin sources a program
// reads (text, a live byte stream, nothing) and the error wording that differs between busybox and GNU tools.
import type { ContainerContext, Process } from "./container-context.js";

/** A program's standard input. */
export interface Input {
  /** Everything until end of input. */
  text(): Promise<string>;
  /** Text as it arrives (for programs that copy input through, like `cat`). */
  chunks(): AsyncIterable<string>;
}

export interface CommandIO {
  stdin: Input;
  out(text: string): void;
  err(text: string): void;
  /** Aborted on Ctrl-C or when the client goes away. */
  signal: AbortSignal;
}

export interface Invocation {
  /** argv[0] as given (messages use it). */
  name: string;
  args: string[];
  ctx: ContainerContext;
  env: ReadonlyMap<string, string>;
  cwd: string;
  io: CommandIO;
  /** This process, and the chain of processes that started it (for `ps`). */
  self: Process;
  ancestors: readonly Process[];
  /** Runs another program as a child (for `env NAME=value program`). */
  spawn(argv: string[], env: ReadonlyMap<string, string>): Promise<number>;
}

export type Command = (inv: Invocation) => Promise<number> | number;

export const emptyInput: Input = {
  text: async () => "",
  async *chunks() {},
};

export function textInput(text: string): Input {
  return {
    text: async () => text,
    async *chunks() {
      if (text) yield text;
    },
  };
}

/** Bytes from the exec client as text; one reader consumes them. */
export function streamInput(source: AsyncIterable<Uint8Array>): Input {
  const chunks = async function* () {
    const decoder = new TextDecoder();
    for await (const bytes of source) {
      const text = decoder.decode(bytes, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  };
  return {
    async text() {
      let all = "";
      for await (const t of chunks()) all += t;
      return all;
    },
    chunks,
  };
}

/** `name: message` on stderr; returns `code`. */
export function fail(inv: Invocation, message: string, code = 1): number {
  inv.io.err(`${inv.name}: ${message}\n`);
  return code;
}

/** The message a tool prints for a file it cannot open, in busybox's or GNU's words. */
export function cannotOpen(inv: Invocation, path: string, why = "No such file or directory"): string {
  if (inv.ctx.profile.tools === "busybox") return `can't open '${path}': ${why}`;
  if (inv.name === "head" || inv.name === "tail") return `cannot open '${path}' for reading: ${why}`;
  return `${path}: ${why}`;
}

/** Splits `-abc` into flags and collects operands; `--` ends options; `-N` (digits) is kept as an operand. */
export function parseFlags(
  args: readonly string[],
  withValue: readonly string[] = [],
): { flags: Map<string, string>; operands: string[] } {
  const flags = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (withValue.includes(name)) flags.set(name, args[++i] ?? "");
      else flags.set(name, "");
      continue;
    }
    if (!a.startsWith("-") || a === "-" || /^-\d+$/.test(a)) {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const flag = `-${a[j]}`;
      if (withValue.includes(flag)) {
        flags.set(flag, j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? ""));
        break;
      }
      flags.set(flag, "");
    }
  }
  return { flags, operands };
}
