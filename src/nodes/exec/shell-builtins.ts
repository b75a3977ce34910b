// The builtins that change the shell itself or run other commands in it: cd, exit, export, unset, set, `:`,
// type, command, exec, eval and `.` / source.
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
  for (const a of args) {
    if (/^[-+][a-z]+$/.test(a) && a.includes("e")) shell.errexit = a[0] === "-";
  }
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
  ":": () => 0,
  type,
  command,
  exec,
  eval: evalBuiltin,
  ".": source,
  source,
};
