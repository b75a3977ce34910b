// Runs the shell's compound commands (if, while / until, for, case, `{ …; }`, `( … )`) with POSIX exit
// statuses and break / continue. The shell runs inside the API server, so a loop hands the event loop back
// every few milliseconds and stops when the session's signal fires (Ctrl-C, or the client left).
import type { CommandIO } from "./command.js";
import type { Shell } from "./shell.js";
import { matchPattern } from "./shell-pattern.js";
import type { CompoundCommand } from "./shell-syntax.js";

type Of<T extends CompoundCommand["type"]> = Extract<CompoundCommand, { type: T }>;

/** The longest a loop holds the thread before other sessions, requests and timers get a turn. */
const SLICE_MS = 5;
/** A loop the session's end stopped reports what a shell killed by SIGINT would. */
const INTERRUPTED = 130;

let lastYield = performance.now();

/** Yields to the event loop once the current slice is used up; every loop iteration calls it. */
async function pace(): Promise<void> {
  if (performance.now() - lastYield < SLICE_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield = performance.now();
}

/**
 * After a loop's condition or body stopped early: whether the loop goes on (`continue`) or ends (`break`, an
 * `exit`, the session's end). A `break 2` leaves one level to the enclosing loop.
 */
function goesOn(shell: Shell, io: CommandIO): boolean {
  const control = shell.loopControl;
  if (!control || shell.exitCode !== undefined || io.signal.aborted) return false;
  if (control.levels > 1) {
    control.levels--;
    return false;
  }
  shell.loopControl = undefined;
  return control.kind === "continue";
}

async function runIf(shell: Shell, cmd: Of<"if">, io: CommandIO): Promise<number> {
  for (const clause of cmd.clauses) {
    const test = await shell.condition(clause.condition, io);
    if (shell.interrupted(io)) return test;
    if (test === 0) return shell.runScript(clause.body, io);
  }
  return cmd.otherwise ? shell.runScript(cmd.otherwise, io) : 0;
}

/** A loop's status: its last body's, or 0 when the body never ran. */
async function runWhile(shell: Shell, cmd: Of<"while">, io: CommandIO): Promise<number> {
  let status = 0;
  shell.loopDepth++;
  try {
    for (;;) {
      await pace();
      if (io.signal.aborted) return INTERRUPTED;
      const test = await shell.condition(cmd.condition, io);
      if (shell.interrupted(io)) {
        if (goesOn(shell, io)) continue;
        return io.signal.aborted ? INTERRUPTED : status;
      }
      if ((test === 0) === cmd.until) return status;
      status = await shell.runScript(cmd.body, io);
      if (shell.interrupted(io) && !goesOn(shell, io)) return io.signal.aborted ? INTERRUPTED : status;
    }
  } finally {
    shell.loopDepth--;
  }
}

async function runFor(shell: Shell, cmd: Of<"for">, io: CommandIO): Promise<number> {
  let values = shell.positional;
  if (cmd.words) {
    values = [];
    for (const word of cmd.words) values.push(...(await shell.expand(word, io)));
  }
  let status = 0;
  shell.loopDepth++;
  try {
    for (const value of [...values]) {
      await pace();
      if (io.signal.aborted) return INTERRUPTED;
      shell.vars.set(cmd.name, value);
      status = await shell.runScript(cmd.body, io);
      if (shell.interrupted(io) && !goesOn(shell, io)) return io.signal.aborted ? INTERRUPTED : status;
    }
  } finally {
    shell.loopDepth--;
  }
  return status;
}

/** The first item with a matching pattern runs; without one the status is 0. */
async function runCase(shell: Shell, cmd: Of<"case">, io: CommandIO): Promise<number> {
  const subject = (await shell.expand(cmd.word, io, false)).join("");
  for (const item of cmd.items) {
    for (const pattern of item.patterns) {
      if (!matchPattern(await shell.expandPattern(pattern, io), subject)) continue;
      return item.body.length > 0 ? shell.runScript(item.body, io) : 0;
    }
  }
  return 0;
}

export async function runCompound(shell: Shell, cmd: CompoundCommand, io: CommandIO): Promise<number> {
  const redirected = cmd.redirects.length > 0 ? await shell.redirect(cmd.redirects, io) : io;
  if (typeof redirected === "number") return redirected;
  switch (cmd.type) {
    case "if":
      return runIf(shell, cmd, redirected);
    case "while":
      return runWhile(shell, cmd, redirected);
    case "for":
      return runFor(shell, cmd, redirected);
    case "case":
      return runCase(shell, cmd, redirected);
    case "group":
      return shell.runScript(cmd.body, redirected);
    case "subshell":
      return shell.runSubshell(cmd.body, redirected);
  }
}
