// A shell reading its commands from the exec client (`kubectl exec -i … -- sh`): line by line from piped
// stdin, or through the line discipline with prompts when a TTY was asked for (`-it`), where a command that
// goes on over several lines (`for i in 1 2` ⏎ `do …`) gets the `> ` prompt until it is complete, Ctrl-C
// interrupts the running command and Ctrl-D or `exit` ends the session. Commands run with no stdin of their own.
import { AsyncQueue } from "../../util/async-queue.js";
import { emptyInput } from "./command.js";
import { LineDiscipline } from "./line-discipline.js";
import type { Shell } from "./shell.js";
import { parseScript, ShellSyntaxError } from "./shell-syntax.js";

export interface InteractiveIO {
  stdin?: AsyncIterable<Uint8Array>;
  out(text: string): void;
  err(text: string): void;
  tty: boolean;
  signal: AbortSignal;
}

type Event = { kind: "line"; text: string } | { kind: "interrupt" } | { kind: "eof" };

/** The prompt the shell prints: busybox `/ # `, dash `# `, bash `root@host:/# ` (`$` for other users). */
export function prompt(shell: Shell): string {
  const root = shell.ctx.user.uid === 0;
  const home = shell.vars.get("HOME");
  const where =
    home && home !== "/" && shell.cwd.startsWith(home) ? `~${shell.cwd.slice(home.length)}` : shell.cwd;
  switch (shell.flavour) {
    case "busybox":
      return `${where} ${root ? "#" : "$"} `;
    case "dash":
      return root ? "# " : "$ ";
    case "bash":
      return `${shell.ctx.user.name}@${shell.ctx.hostname}:${where}${root ? "#" : "$"} `;
  }
}

/** More input could complete `text` (an open quote, a trailing `&&` or `|`, an unfinished `if` or loop). */
function incomplete(text: string): boolean {
  try {
    parseScript(text);
    return false;
  } catch (err) {
    return err instanceof ShellSyntaxError && err.incomplete;
  }
}

/** Feeds the client's stdin into `events` as lines (through the line discipline with a TTY). */
async function pump(io: InteractiveIO, events: AsyncQueue<Event>, interrupt: () => void): Promise<void> {
  if (!io.stdin) {
    events.end();
    return;
  }
  const discipline = io.tty
    ? new LineDiscipline({
        echo: io.out,
        line: (text) => events.push({ kind: "line", text }),
        interrupt,
        eof: () => events.push({ kind: "eof" }),
      })
    : undefined;
  const decoder = new TextDecoder();
  let partial = "";
  for await (const bytes of io.stdin) {
    const text = decoder.decode(bytes, { stream: true });
    if (discipline) {
      discipline.feed(text);
      continue;
    }
    partial += text;
    for (let nl = partial.indexOf("\n"); nl >= 0; nl = partial.indexOf("\n")) {
      events.push({ kind: "line", text: partial.slice(0, nl) });
      partial = partial.slice(nl + 1);
    }
  }
  if (partial) events.push({ kind: "line", text: partial });
  events.end();
}

/** Runs commands from the client until `exit`, end of input, or the client leaving; returns the exit code. */
export async function readCommands(shell: Shell, io: InteractiveIO): Promise<number> {
  const events = new AsyncQueue<Event>();
  let running: AbortController | undefined;
  // Ctrl-C stops the running command at once; at the prompt it only discards the line.
  const interrupt = () => (running ? running.abort() : events.push({ kind: "interrupt" }));
  void pump(io, events, interrupt).catch(() => events.end());
  // The session ending (the client left, or the container stopped under an attach) ends the input too.
  const hangUp = () => events.end();
  if (io.signal.aborted) hangUp();
  else io.signal.addEventListener("abort", hangUp, { once: true });
  let pending = "";
  const showPrompt = () => {
    if (io.tty) io.out(pending ? "> " : prompt(shell));
  };
  showPrompt();
  let endedByEof = false;
  for (;;) {
    const next = await events.next();
    if (next.done || next.value.kind === "eof") {
      endedByEof = true;
      break;
    }
    const event = next.value;
    if (event.kind === "interrupt") {
      pending = "";
      shell.status = 130;
      showPrompt();
      continue;
    }
    const source = pending ? `${pending}\n${event.text}` : event.text;
    if (incomplete(source)) {
      pending = source;
      showPrompt();
      continue;
    }
    pending = "";
    const controller = new AbortController();
    const leave = () => controller.abort();
    io.signal.addEventListener("abort", leave, { once: true });
    running = controller;
    try {
      await shell.run(source, { stdin: emptyInput, out: io.out, err: io.err, signal: controller.signal });
    } finally {
      running = undefined;
      io.signal.removeEventListener("abort", leave);
    }
    shell.line += source.split("\n").length;
    if (shell.exitCode !== undefined || io.signal.aborted) break;
    showPrompt();
  }
  io.signal.removeEventListener("abort", hangUp);
  // An unfinished command at the end of piped input is a syntax error, as the shell would report.
  if (pending && shell.exitCode === undefined) await shell.run(pending, { ...io, stdin: emptyInput });
  if (endedByEof && io.tty && shell.flavour === "bash") io.out("exit\n");
  return shell.exitCode ?? shell.status;
}
