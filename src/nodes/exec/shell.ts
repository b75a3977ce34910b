// The simulated shell: runs parsed scripts (shell-syntax.ts) — expansions with field splitting, command
// substitution and arithmetic (shell-arithmetic.ts), pipelines (each stage's output feeds the next), && / ||
// short-circuits, `set -e`, redirections to /dev/null and between stdout and stderr, VAR=value prefixes —
// dispatching to compound commands (shell-compound.ts), shell builtins (shell-builtins.ts) and the image's
// programs (programs.ts). Messages follow the flavour the image ships: busybox ash, dash, bash.
import { type CommandIO, emptyInput, type Invocation, textInput } from "./command.js";
import type { ContainerContext, Process } from "./container-context.js";
import { resolvePath } from "./container-fs.js";
import { findProgram, PROGRAMS, SHELL_UTILITIES, SHELLS } from "./programs.js";
import { ArithmeticError, evaluateArithmetic } from "./shell-arithmetic.js";
import { SHELL_BUILTINS } from "./shell-builtins.js";
import { runCompound } from "./shell-compound.js";
import type { PatternPiece } from "./shell-pattern.js";
import { Pipe } from "./shell-pipe.js";
import {
  type AndOrList,
  type Command,
  type Pipeline,
  parseScript,
  type Redirect,
  type Script,
  ShellSyntaxError,
  type SimpleCommand,
  type Word,
  type WordPart,
} from "./shell-syntax.js";

export type ShellFlavourName = "busybox" | "dash" | "bash";

export interface ShellOptions {
  flavour: ShellFlavourName;
  /** $0, as the shell was invoked ("sh", "/bin/sh", "bash") or named after -c. */
  argv0: string;
  positional: string[];
  /** Reading commands from a terminal (prompts; bash words its errors differently). */
  interactive: boolean;
  /** The shell's own process, and the processes above it. */
  process: Process;
  ancestors: readonly Process[];
}

/** Hands control of the session's stdin to an interactive loop (container-exec.ts). */
export type ReplRunner = (shell: Shell) => Promise<number>;

const drop = () => {};

/** An expansion failed (its message is printed): the shell abandons the command, as real shells do. */
class ExpansionError extends Error {}

/** Set by `break` / `continue`: how many enclosing loops it still has to reach. */
export interface LoopControl {
  kind: "break" | "continue";
  levels: number;
}

export class Shell {
  readonly vars: Map<string, string>;
  cwd: string;
  /** $? */
  status = 0;
  /** Set by `exit`: the shell stops with this code. */
  exitCode: number | undefined;
  /** Line number in messages (dash and bash print it). */
  line = 1;
  errexit = false;
  /** $1…: `set --` and `shift` change them. */
  positional: string[];
  /** Loops the running command is inside, for break and continue. */
  loopDepth = 0;
  loopControl: LoopControl | undefined;
  /** Inside an if / while condition, a `!` pipeline or before `&&` / `||`: `set -e` does not apply there. */
  private errexitIgnored = 0;
  /** The line the running script's first line is (a script's line numbers count from it). */
  private lineBase = 1;
  /** Nested `run`s (eval, `.`): only the outermost one recovers from a failed expansion. */
  private runs = 0;

  constructor(
    readonly ctx: ContainerContext,
    env: ReadonlyMap<string, string>,
    cwd: string,
    readonly options: ShellOptions,
  ) {
    this.vars = new Map(env);
    this.cwd = cwd;
    this.positional = [...options.positional];
  }

  get flavour(): ShellFlavourName {
    return this.options.flavour;
  }

  /** Parses and runs a script; returns the shell's status (or its exit code once `exit` ran). */
  async run(script: string, io: CommandIO): Promise<number> {
    let parsed: Script;
    try {
      parsed = parseScript(script);
    } catch (err) {
      if (!(err instanceof ShellSyntaxError)) throw err;
      this.error(io, err.message);
      this.status = 2;
      return 2;
    }
    const outermost = this.runs++ === 0;
    const lineBase = this.lineBase;
    this.lineBase = this.line;
    try {
      for (let k = 0; k < parsed.length; k++) {
        try {
          await this.runList(parsed[k], io);
        } catch (err) {
          if (!(err instanceof ExpansionError) || !outermost) throw err;
          this.loopControl = undefined;
          if (this.flavour === "bash") {
            // bash drops the rest of the line it was running, and goes on with the next one.
            this.status = 1;
            while (parsed[k + 1]?.line === parsed[k].line) k++;
          } else {
            // dash and busybox: a non-interactive shell exits; a prompt drops the line.
            this.status = 2;
            if (!this.options.interactive) this.exitCode = 2;
            break;
          }
        }
        if (this.exitCode !== undefined || io.signal.aborted) break;
      }
    } finally {
      this.runs--;
      this.line = this.lineBase;
      this.lineBase = lineBase;
      if (outermost) this.loopControl = undefined;
    }
    return this.exitCode ?? this.status;
  }

  /** Runs parsed lists until they end or one stops them (exit, break / continue, the session's end). */
  async runScript(script: Script, io: CommandIO): Promise<number> {
    for (const list of script) {
      await this.runList(list, io);
      if (this.interrupted(io)) break;
    }
    return this.status;
  }

  /** Runs an if / while / until condition, where `set -e` does not apply. */
  async condition(script: Script, io: CommandIO): Promise<number> {
    this.errexitIgnored++;
    try {
      return await this.runScript(script, io);
    } finally {
      this.errexitIgnored--;
    }
  }

  /** `( … )`: the commands run in a copy of the shell, so nothing they change or `exit` reaches this one. */
  async runSubshell(script: Script, io: CommandIO): Promise<number> {
    const sub = this.subshell();
    sub.errexit = this.errexit;
    try {
      await sub.runScript(script, io);
    } catch (err) {
      if (!(err instanceof ExpansionError)) throw err;
      return this.flavour === "bash" ? 1 : 2;
    }
    return sub.exitCode ?? sub.status;
  }

  /** An `exit`, a `break` or `continue` on its way out, or the session's end stops what follows. */
  interrupted(io: CommandIO): boolean {
    return this.exitCode !== undefined || this.loopControl !== undefined || io.signal.aborted;
  }

  /** `<shell>: <message>` on stderr, with the line number dash and non-interactive bash print. */
  error(io: CommandIO, message: string): void {
    const { flavour, argv0, interactive } = this.options;
    const prefix =
      flavour === "busybox"
        ? "sh"
        : flavour === "dash"
          ? `${argv0}: ${this.line}`
          : interactive
            ? "bash"
            : `${argv0}: line ${this.line}`;
    io.err(`${prefix}: ${message}\n`);
  }

  /** A copy for `$(…)` and `( … )`: same variables, parameters and directory, its own status. */
  subshell(): Shell {
    const sub = new Shell(this.ctx, this.vars, this.cwd, this.options);
    sub.status = this.status;
    sub.positional = [...this.positional];
    sub.line = this.line;
    sub.lineBase = this.lineBase;
    return sub;
  }

  /** Runs one command line's words: a builtin, a shell utility, or a program of the image. */
  async invoke(argv: string[], env: ReadonlyMap<string, string>, io: CommandIO): Promise<number> {
    const [name, ...args] = argv;
    const builtin = SHELL_BUILTINS[name];
    if (builtin) return builtin(this, args, io);
    if (SHELL_UTILITIES.has(name)) return PROGRAMS[name](this.invocation(name, args, env, io));
    const program = findProgram(this.ctx, name, this.cwd);
    if (!program) {
      this.ctx.onMissingProgram?.(name);
      const missingPath = name.includes("/") && this.flavour === "bash";
      this.error(
        io,
        missingPath
          ? `${name}: No such file or directory`
          : `${name}: ${this.flavour === "bash" ? "command not found" : "not found"}`,
      );
      return 127;
    }
    if (SHELLS.has(program)) {
      return runShell({
        ctx: this.ctx,
        flavour: program === "bash" ? "bash" : this.ctx.profile.shell === "busybox" ? "busybox" : "dash",
        argv0: name,
        args,
        env,
        cwd: this.cwd,
        io,
        ancestors: [...this.options.ancestors, this.options.process],
      });
    }
    return PROGRAMS[program](this.invocation(name, args, env, io));
  }

  private invocation(
    name: string,
    args: string[],
    env: ReadonlyMap<string, string>,
    io: CommandIO,
  ): Invocation {
    const ancestors = [...this.options.ancestors, this.options.process];
    const self: Process = { pid: this.ctx.allocatePid(), user: this.ctx.user.name, argv: [name, ...args] };
    return {
      name,
      args,
      ctx: this.ctx,
      env,
      cwd: this.cwd,
      io,
      self,
      ancestors,
      spawn: (argv, childEnv) => this.invoke(argv, childEnv, io),
    };
  }

  private async runList(list: AndOrList, io: CommandIO): Promise<void> {
    for (let i = 0; i < list.pipelines.length; i++) {
      const op = list.operators[i - 1];
      if ((op === "&&" && this.status !== 0) || (op === "||" && this.status === 0)) continue;
      const last = i === list.pipelines.length - 1;
      const pipeline = list.pipelines[i];
      if (!last) this.errexitIgnored++;
      try {
        this.status = await this.runPipeline(pipeline, io);
      } finally {
        if (!last) this.errexitIgnored--;
      }
      if (this.interrupted(io)) return;
      if (
        last &&
        this.status !== 0 &&
        this.errexit &&
        this.errexitIgnored === 0 &&
        errexitApplies(pipeline)
      ) {
        this.exitCode = this.status;
      }
    }
  }

  private async runPipeline(p: Pipeline, io: CommandIO): Promise<number> {
    let stdin = io.stdin;
    let status = 0;
    if (p.negated) this.errexitIgnored++;
    try {
      for (let k = 0; k < p.commands.length; k++) {
        if (k === p.commands.length - 1) {
          status = await this.runCommand(p.commands[k], { ...io, stdin });
          break;
        }
        const pipe = new Pipe({ ...io, stdin });
        try {
          status = await this.runCommand(p.commands[k], pipe.io);
        } finally {
          stdin = textInput(pipe.close());
        }
        if (io.signal.aborted) break;
      }
    } finally {
      if (p.negated) this.errexitIgnored--;
    }
    // The stages of a real pipeline run in subshells: an `exit` or `break` there does not reach this shell.
    if (p.commands.length > 1) {
      this.exitCode = undefined;
      this.loopControl = undefined;
    }
    return p.negated ? (status === 0 ? 1 : 0) : status;
  }

  private async runCommand(cmd: Command, io: CommandIO): Promise<number> {
    this.line = this.lineBase + cmd.line - 1;
    if (cmd.type !== "simple") return runCompound(this, cmd, io);
    return this.runSimple(cmd, io);
  }

  private async runSimple(cmd: SimpleCommand, io: CommandIO): Promise<number> {
    this.substitutionStatus = undefined;
    const argv: string[] = [];
    for (const word of cmd.words) argv.push(...(await this.expand(word, io)));
    const assigned = new Map<string, string>();
    for (const a of cmd.assignments) assigned.set(a.name, (await this.expand(a.value, io, false)).join(""));
    const redirected = await this.redirect(cmd.redirects, io);
    if (typeof redirected === "number") return redirected;
    if (argv.length === 0) {
      for (const [k, v] of assigned) this.vars.set(k, v);
      return this.substitutionStatus ?? 0;
    }
    const env = assigned.size > 0 ? new Map([...this.vars, ...assigned]) : this.vars;
    return this.invoke(argv, env, redirected);
  }

  private substitutionStatus: number | undefined;

  /** A word's fields after parameter expansion, command substitution and (for unquoted parts) splitting. */
  async expand(word: Word, io: CommandIO, split = true): Promise<string[]> {
    const fields: string[] = [];
    let current = "";
    let started = false;
    const first = word[0];
    if (first?.type === "text" && !first.quoted && /^~(\/|$)/.test(first.value)) {
      word = [{ ...first, value: (this.vars.get("HOME") ?? "/") + first.value.slice(1) }, ...word.slice(1)];
    }
    for (const part of word) {
      if (part.type === "text") {
        current += part.value;
        started = true;
        continue;
      }
      if (part.type === "param" && part.name === "@" && part.quoted && split) {
        // "$@" is one field per parameter (none at all without parameters), joined to the text around it.
        this.positional.forEach((arg, k) => {
          if (k > 0) fields.push(current);
          current = k === 0 ? current + arg : arg;
          started = true;
        });
        continue;
      }
      const value = await this.partValue(part, io);
      if (part.quoted || !split) {
        current += value;
        started = true;
        continue;
      }
      value.split(/[ \t\n]+/).forEach((piece, k) => {
        if (k > 0) {
          if (started) fields.push(current);
          current = "";
          started = false;
        }
        if (piece) {
          current += piece;
          started = true;
        }
      });
    }
    if (started) fields.push(current);
    return fields;
  }

  /** A `case` pattern's pieces: what its expansions give, and which of it was quoted. */
  async expandPattern(word: Word, io: CommandIO): Promise<PatternPiece[]> {
    const pieces: PatternPiece[] = [];
    for (const part of word) {
      const text = part.type === "text" ? part.value : await this.partValue(part, io);
      pieces.push({ text, quoted: part.quoted });
    }
    return pieces;
  }

  private async partValue(part: Exclude<WordPart, { type: "text" }>, io: CommandIO): Promise<string> {
    if (part.type === "param") return this.parameter(part, io);
    if (part.type === "command") return this.substitute(part.script, io);
    return this.arithmetic(part.expression, io);
  }

  /** `$((…))`: the expression's expansions first, then its value; a bad one abandons the command. */
  private async arithmetic(expression: Word, io: CommandIO): Promise<string> {
    const text = (await this.expand(expression, io, false)).join("");
    try {
      return String(evaluateArithmetic(text, this.vars, this.flavour));
    } catch (err) {
      if (!(err instanceof ArithmeticError)) throw err;
      this.error(io, err.message);
      throw new ExpansionError(err.message);
    }
  }

  private async parameter(part: Extract<WordPart, { type: "param" }>, io: CommandIO): Promise<string> {
    const { positional } = this;
    const { argv0 } = this.options;
    let value: string | undefined;
    switch (part.name) {
      case "?":
        value = String(this.status);
        break;
      case "$":
        value = String(this.options.process.pid);
        break;
      case "#":
        value = String(positional.length);
        break;
      case "@":
      case "*":
        value = positional.join(" ");
        break;
      case "0":
        value = argv0;
        break;
      case "!":
      case "-":
        value = "";
        break;
      default:
        value = /^\d$/.test(part.name) ? positional[Number(part.name) - 1] : this.vars.get(part.name);
    }
    const fallback = part.fallback;
    if (fallback && (value === undefined || (fallback.ifEmpty && value === ""))) {
      return (await this.expand(fallback.word, io, false)).join("");
    }
    return value ?? "";
  }

  /** `$(script)`: its output without trailing newlines; its status becomes `$?` of an assignment. */
  private async substitute(script: string, io: CommandIO): Promise<string> {
    const sub = this.subshell();
    const pipe = new Pipe({ ...io, stdin: emptyInput });
    let out: string;
    try {
      this.substitutionStatus = await sub.run(script, pipe.io);
    } finally {
      out = pipe.close();
    }
    return out.replace(/\n+$/, "");
  }

  /** The streams after `redirects`, or the status of a redirection that failed (its message printed). */
  async redirect(redirects: Redirect[], io: CommandIO): Promise<CommandIO | number> {
    let { out, err, stdin } = io;
    for (const r of redirects) {
      const target = (await this.expand(r.target, io, false)).join("");
      if (r.op === ">&") {
        const sink = target === "1" ? out : target === "2" ? err : target === "-" ? drop : undefined;
        if (!sink) {
          this.error(io, `${target}: bad file descriptor`);
          return this.flavour === "busybox" ? 1 : 2;
        }
        if (r.fd === 2) err = sink;
        else out = sink;
        continue;
      }
      const path = resolvePath(this.cwd, target);
      if (r.op === "<") {
        const entry = this.ctx.fs.get(path);
        if (entry?.type !== "file") {
          this.error(io, this.cannot("open", target, "No such file or directory"));
          return this.flavour === "dash" ? 2 : 1;
        }
        stdin = textInput(entry.content);
        continue;
      }
      const sink =
        path === "/dev/null"
          ? drop
          : path === "/dev/stdout"
            ? io.out
            : path === "/dev/stderr"
              ? io.err
              : undefined;
      if (!sink) {
        this.error(io, this.cannot("create", target, "Read-only file system"));
        return this.flavour === "dash" ? 2 : 1;
      }
      if (r.fd === 1 || r.fd === -1) out = sink;
      if (r.fd === 2 || r.fd === -1) err = sink;
    }
    return { ...io, out, err, stdin };
  }

  /** "cannot create x: …" in the flavour's words. */
  private cannot(verb: "open" | "create", target: string, why: string): string {
    if (this.flavour === "bash") return `${target}: ${why}`;
    if (this.flavour === "busybox")
      return `can't ${verb} ${verb === "open" ? `'${target}'` : target}: ${why}`;
    return `cannot ${verb} ${target}: ${verb === "open" ? "No such file" : why}`;
  }
}

/**
 * Whether a failed pipeline ends a `set -e` shell: not when it is one compound command other than `( … )`,
 * whose status came from commands that were themselves exempt (`if false; then …`).
 */
function errexitApplies(p: Pipeline): boolean {
  const only = p.commands.length === 1 ? p.commands[0] : undefined;
  return !p.negated && (only === undefined || only.type === "simple" || only.type === "subshell");
}

export interface RunShellOptions {
  ctx: ContainerContext;
  flavour: ShellFlavourName;
  argv0: string;
  args: string[];
  env: ReadonlyMap<string, string>;
  cwd: string;
  io: CommandIO;
  ancestors: readonly Process[];
  /** Given for the exec'd process itself: without -c or a script file it reads commands from the client. */
  repl?: ReplRunner;
  /** The client asked for a terminal (the shell is interactive when it reads commands from it). */
  tty?: boolean;
}

/** `sh [-ec] [script | file] [name [args…]]`: the shell program, as exec'd or started from a script. */
export async function runShell(o: RunShellOptions): Promise<number> {
  const { args } = o;
  let commandMode = false;
  let errexit = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      i++;
      break;
    }
    if (a.startsWith("--") && a.length > 2) continue;
    if (!/^[-+][a-zA-Z]+$/.test(a)) break;
    if (a[0] === "-" && a.includes("c")) commandMode = true;
    if (a[0] === "-" && a.includes("e")) errexit = true;
  }
  const operands = args.slice(i);
  const process: Process = { pid: o.ctx.allocatePid(), user: o.ctx.user.name, argv: [o.argv0, ...args] };
  const shellFor = (argv0: string, positional: string[], interactive: boolean) => {
    const shell = new Shell(o.ctx, o.env, o.cwd, {
      flavour: o.flavour,
      argv0,
      positional,
      interactive,
      process,
      ancestors: o.ancestors,
    });
    shell.errexit = errexit;
    return shell;
  };
  if (commandMode) {
    const script = operands[0];
    if (script === undefined) {
      const message =
        o.flavour === "bash"
          ? `${o.argv0}: -c: option requires an argument\n`
          : o.flavour === "dash"
            ? `${o.argv0}: 0: -c requires an argument\n`
            : "sh: -c requires an argument\n";
      o.io.err(message);
      return 2;
    }
    return shellFor(operands[1] ?? o.argv0, operands.slice(2), false).run(script, o.io);
  }
  if (operands.length > 0) {
    const [file, ...positional] = operands;
    const entry = o.ctx.fs.get(resolvePath(o.cwd, file));
    if (entry?.type !== "file") {
      const message =
        o.flavour === "bash"
          ? `${o.argv0}: ${file}: No such file or directory\n`
          : o.flavour === "dash"
            ? `${o.argv0}: 0: cannot open ${file}: No such file\n`
            : `sh: can't open '${file}': No such file or directory\n`;
      o.io.err(message);
      return o.flavour === "bash" ? 127 : 2;
    }
    return shellFor(file, positional, false).run(entry.content, { ...o.io, stdin: emptyInput });
  }
  if (o.repl) return o.repl(shellFor(o.argv0, [], o.tty === true));
  // `echo 'cmd' | sh`: the script is the input.
  return shellFor(o.argv0, [], false).run(await o.io.stdin.text(), { ...o.io, stdin: emptyInput });
}
