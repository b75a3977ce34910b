// `kubectl attach` — and `kubectl run -it` and `kubectl debug -it`, which attach after creating their pod — to a
// simulated container. A container whose own process is an interactive shell with its stdin kept open
// (`stdin: true`, as `kubectl run -it` sets) gets the simulated shell on the attached streams, and the container
// ends when that shell does. Any other container's output is streamed as it is written, until the client leaves
// or the container stops.
import type { Clock } from "../util/clock.js";
import type { ExecStreams } from "./container-exec.js";
import { advance, LOG_START } from "./container-log.js";
import { imageProfile } from "./exec/image-profile.js";
import { SHELLS } from "./exec/programs.js";
import { mainArgv } from "./exec/session-context.js";
import type { SimContainer } from "./sim-container.js";

/** Options a shell reads commands with (rather than running a script). */
const INTERACTIVE_FLAGS = new Set(["-i", "-l", "--login", "-s", "-"]);

/** PID 1's argv (the container's command and args over the image's) and its program's base name. */
export function ownProcess(c: SimContainer): { argv: string[]; program: string | undefined } {
  const argv = mainArgv(imageProfile(c.image), c.spec);
  return { argv, program: argv[0]?.slice(argv[0].lastIndexOf("/") + 1) };
}

/**
 * The argv of the container's own process when it is a shell reading commands from its stdin, which the container
 * keeps open: what an attach talks to. Undefined for anything else (a daemon, a shell running a script).
 */
export function interactiveShellArgv(c: SimContainer): string[] | undefined {
  if (c.spec.stdin !== true) return undefined;
  const { argv, program } = ownProcess(c);
  if (program === undefined || !SHELLS.has(program)) return undefined;
  return argv.slice(1).every((f) => INTERACTIVE_FLAGS.has(f)) ? argv : undefined;
}

/** A signal that aborts when `signal` does, or when the instance of `c` running now stops (its log ends). */
export function untilStopped(c: SimContainer, clock: Clock, signal: AbortSignal): AbortSignal {
  const stopped = new AbortController();
  const log = c.currentLog;
  if (log) {
    const from = advance(LOG_START, log.linesUntil(clock.now()));
    void (async () => {
      for await (const _ of log.follow(clock, signal, from)) {
        // Only the end matters.
      }
      if (!signal.aborted) stopped.abort();
    })();
  }
  return AbortSignal.any([signal, stopped.signal]);
}

/** Streams what the container writes from now on, until it stops or the client leaves. */
export async function streamOutput(c: SimContainer, streams: ExecStreams, clock: Clock): Promise<void> {
  // A process that does not read its stdin leaves the client's input unread: drain it, so it does not pile up.
  if (streams.stdin) void drain(streams.stdin);
  const log = c.currentLog;
  if (!log) return;
  const from = advance(LOG_START, log.linesUntil(clock.now()));
  const newline = streams.tty ? "\r\n" : "\n";
  for await (const line of log.follow(clock, streams.signal, from)) streams.stdout(line.text + newline);
}

async function drain(input: AsyncIterable<Uint8Array>): Promise<void> {
  try {
    for await (const _ of input) {
      // discarded
    }
  } catch {
    // The session ended.
  }
}
