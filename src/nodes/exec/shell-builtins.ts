// The builtins that change the shell itself or run other commands in it: cd, exit, export, unset, set, shift,
// `:`, break, continue, type, command, exec, eval and `.` / source.
import type { CommandIO } from "./command.js";
import { binaryPath } from "./container-context.js";
import { resolvePath } from "./container-fs.js";
import { findProgram, SHELL_UTILITIES } from "./programs.js";
import type { Shell } from "./shell.js";

export type ShellBuiltin = (shell: Shell, args: string[], io: CommandIO) => Promise<number> | number;

const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

const cd: ShellBuiltin = (shell, args, io) => {
  const arg = args[0] ?? shell.vars.get("HOME") ?? "/";
  const target = arg === "-" ? (shell.vars.get("OLDPWD") ?? shell.cwd) : arg;
  const path = resolvePath(shell.cwd, target);
  if (shell.ctx.fs.get(path)?.type !== "dir") {
    const message =
      shell.flavour === "dash"
        ? `cd: can't cd to ${target}`
        : shell.flavour === "busybox"
          ? `cd: can't cd to ${target}: No such file or directory`
          : `cd: ${target}: No such file or directory`;
    shell.error(io, message);
    return shell.flavour === "dash" ? 2 : 1;
  }
  shell.vars.set("OLDPWD", shell.cwd);
  shell.vars.set("PWD", path);
  shell.cwd = path;
  if (arg === "-") io.out(`${path}\n`);
  return 0;
};

const exit: ShellBuiltin = (shell, args, io) => {
  const arg = args[0];
  if (arg !== undefined && !/^-?\d+$/.test(arg)) {
    shell.error(
      io,
      shell.flavour === "bash" ? `exit: ${arg}: numeric argument required` : `exit: Illegal number: ${arg}`,
    );
    shell.exitCode = 2;
    return 2;
  }
  shell.exitCode = arg === undefined ? shell.status : ((Number(arg) % 256) + 256) % 256;
  return shell.exitCode;
};

const assign = (shell: Shell, text: string): void => {
  const eq = text.indexOf("=");
  if (eq > 0) shell.vars.set(text.slice(0, eq), text.slice(eq + 1));
};

const exportBuiltin: ShellBuiltin = (shell, args, io) => {
  const names = args.filter((a) => a !== "-p");
  if (names.length === 0) {
    for (const [k, v] of shell.vars) io.out(`export ${k}=${quote(v)}\n`);
    return 0;
  }
  for (const a of names) assign(shell, a);
  return 0;
};

const unset: ShellBuiltin = (shell, args) => {
  for (const name of args.filter((a) => !a.startsWith("-"))) shell.vars.delete(name);
  return 0;
};

const set: ShellBuiltin = (shell, args, io) => {
  if (args.length === 0) {
    for (const [k, v] of shell.vars) io.out(`${k}=${quote(v)}\n`);
    return 0;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // `set -- a b` and `set a b` replace the positional parameters.
    if (a === "--" || !/^[-+][a-zA-Z]+$/.test(a)) {
      shell.positional = args.slice(a === "--" ? i + 1 : i);
      break;
    }
    const on = a[0] === "-";
    if (a.includes("e")) shell.errexit = on;
    // `-o name` (`set -o pipefail`): the option's long name follows, and is no parameter.
    if (a.includes("o") && args[++i] === "errexit") shell.errexit = on;
  }
  return 0;
};

const shift: ShellBuiltin = (shell, args, io) => {
  const arg = args[0] ?? "1";
  if (!/^\d+$/.test(arg)) {
    shell.error(
      io,
      shell.flavour === "bash" ? `shift: ${arg}: numeric argument required` : `shift: Illegal number: ${arg}`,
    );
    return shell.flavour === "bash" ? 1 : 2;
  }
  const n = Number(arg);
  if (n > shell.positional.length) {
    // dash refuses aloud; bash and busybox only fail.
    if (shell.flavour !== "dash") return 1;
    shell.error(io, "shift: can't shift that many");
    // A special builtin's error ends a non-interactive dash.
    if (!shell.options.interactive) shell.exitCode = 2;
    return 2;
  }
  shell.positional = shell.positional.slice(n);
  return 0;
};

/** break and continue: they mark how many loops to leave; the loops act on it (shell-compound.ts). */
const loopControl =
  (kind: "break" | "continue"): ShellBuiltin =>
  (shell, args, io) => {
    const arg = args[0];
    const levels = arg === undefined ? 1 : /^\d+$/.test(arg) ? Number(arg) : Number.NaN;
    if (!(levels >= 1)) {
      if (shell.flavour === "bash") {
        shell.error(
          io,
          Number.isNaN(levels)
            ? `${kind}: ${arg}: numeric argument required`
            : `${kind}: ${arg}: loop count out of range`,
        );
        // bash leaves every loop it is in.
        if (shell.loopDepth > 0) shell.loopControl = { kind: "break", levels: shell.loopDepth };
        return 1;
      }
      shell.error(io, `${kind}: Illegal number: ${arg}`);
      // A special builtin's error ends a non-interactive dash or busybox.
      if (!shell.options.interactive) shell.exitCode = 2;
      return 2;
    }
    if (shell.loopDepth === 0) {
      if (shell.flavour === "bash")
        shell.error(io, `${kind}: only meaningful in a \`for', \`while', or \`until' loop`);
      return 0;
    }
    shell.loopControl = { kind, levels: Math.min(levels, shell.loopDepth) };
    return 0;
  };

/** How `type` and `command -v` describe a name: builtin, a program's path, or nothing. */
function describe(
  shell: Shell,
  name: string,
): { kind: "builtin" } | { kind: "file"; path: string } | undefined {
  if (name in SHELL_BUILTINS || SHELL_UTILITIES.has(name)) return { kind: "builtin" };
  const program = findProgram(shell.ctx, name, shell.cwd);
  if (!program) return undefined;
  return { kind: "file", path: name.includes("/") ? name : binaryPath(shell.ctx, program) };
}

const type: ShellBuiltin = (shell, args, io) => {
  let status = 0;
  for (const name of args) {
    const found = describe(shell, name);
    if (!found) {
      shell.error(io, `type: ${name}: not found`);
      status = 1;
    } else {
      io.out(found.kind === "builtin" ? `${name} is a shell builtin\n` : `${name} is ${found.path}\n`);
    }
  }
  return status;
};

const command: ShellBuiltin = async (shell, args, io) => {
  if (args[0] === "-v" || args[0] === "-V") {
    let status = 0;
    for (const name of args.slice(1)) {
      const found = describe(shell, name);
      if (!found) status = 1;
      else io.out(`${found.kind === "builtin" ? name : found.path}\n`);
    }
    return status;
  }
  return args.length === 0 ? 0 : shell.invoke(args, shell.vars, io);
};

const exec: ShellBuiltin = async (shell, args, io) => {
  if (args.length === 0) return 0;
  shell.exitCode = await shell.invoke(args, shell.vars, io);
  return shell.exitCode;
};

const evalBuiltin: ShellBuiltin = (shell, args, io) => shell.run(args.join(" "), io);

const source: ShellBuiltin = (shell, args, io) => {
  const file = args[0];
  const entry = file === undefined ? undefined : shell.ctx.fs.get(resolvePath(shell.cwd, file));
  if (entry?.type !== "file") {
    shell.error(io, `.: cannot open ${file ?? ""}: No such file`);
    return 2;
  }
  return shell.run(entry.content, io);
};

export const SHELL_BUILTINS: Readonly<Record<string, ShellBuiltin>> = {
  cd,
  exit,
  export: exportBuiltin,
  unset,
  set,
  shift,
  ":": () => 0,
  break: loopControl("break"),
  continue: loopControl("continue"),
  type,
  command,
  exec,
  eval: evalBuiltin,
  ".": source,
  source,
};
