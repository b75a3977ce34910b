// A container's own process, where the simulation can follow it: a container whose command (or args) starts a
// shell or one of the simulated programs (sleep, echo, …) runs that command, ahead of time and in virtual time,
// through the same shell `kubectl exec` uses. What it prints becomes the container's log, each line at the time
// it would have been printed, and if it ends, the container exits then with its code — `sh -c "echo hi; exit 3"`
// exits 3 at once and crash-loops, `sleep 30` ends after 30 s, `while true; do …; sleep 5; done` runs on. A
// command that reaches a program the simulation does not know (a daemon such as nginx, or the app's own binary)
// is left running, as it would be; so are images' own entrypoints, which the simulation contract keeps running.
import { type Clock, FakeClock } from "../util/clock.js";
import { interactiveShellArgv, ownProcess } from "./container-attach.js";
import type { ContainerContext } from "./exec/container-context.js";
import { PROGRAMS, SHELLS } from "./exec/programs.js";
import type { LogLine } from "./log-profiles.js";
import type { SimContainer } from "./sim-container.js";

export type ProcessPlan =
  /** The process ends `afterMs` after it started, with `exitCode`, having printed `output`. */
  | { kind: "exits"; afterMs: number; exitCode: number; output: LogLine[] }
  /**
   * It keeps running (an endless loop, a long wait): nothing to plan. `certain` when it used up its budget of
   * waits or lines; not when it was only slow (blocked, or still computing when the real-time guard ran out).
   */
  | { kind: "runs"; certain: boolean }
  /** It reached something the simulation cannot follow: it is left running. */
  | { kind: "unknown" };

/** Programs a followed process may not use: their outcome depends on the cluster's network. */
const NETWORK_PROGRAMS = new Set(["wget", "curl", "nslookup"]);
/** How far ahead a process is followed: sleeps, lines printed, and real time spent. */
const MAX_SLEEPS = 64;
const MAX_LINES = 1000;
const MAX_REAL_MS = 200;
/** Turns of the event loop with nothing scheduled after which a process that has not ended is blocked. */
const IDLE_TURNS = 20;

/**
 * The argv of a container's process when the simulation follows it: the pod spec gives a command or args (the
 * image's own entrypoint is left alone), it starts a shell or a simulated program, and it is not an interactive
 * shell (one with stdin open is what `kubectl attach` and `run -it` talk to).
 */
export function followedArgv(c: SimContainer): string[] | undefined {
  if (c.kind === "ephemeral" || !(c.spec.command?.length || c.spec.args?.length)) return undefined;
  if (interactiveShellArgv(c)) return undefined;
  const { argv, program } = ownProcess(c);
  if (program === undefined) return undefined;
  return SHELLS.has(program) || (program in PROGRAMS && !NETWORK_PROGRAMS.has(program)) ? argv : undefined;
}

/**
 * A clock whose timers fire as soon as the event loop comes round: virtual time that runs ahead. Past
 * `maxSleeps` timers it calls `onBudget` and lets no more time pass.
 */
class RunAheadClock extends FakeClock implements Clock {
  private sleeps = 0;
  private pumping = false;

  constructor(
    start: number,
    private readonly maxSleeps: number,
    private readonly onBudget: () => void,
  ) {
    super(start);
  }

  override setTimeout(fn: () => void, ms: number) {
    const timer = super.setTimeout(fn, ms);
    if (++this.sleeps > this.maxSleeps || !Number.isFinite(ms)) {
      this.onBudget();
      return timer;
    }
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(() => {
        this.pumping = false;
        this.advanceToNextTimer();
      });
    }
    return timer;
  }
}

/** Runs `argv` in `ctx` with both output streams to `out`, stopping when `signal` aborts; resolves with its code. */
export type ProcessRunner = (
  ctx: ContainerContext,
  argv: string[],
  out: (text: string) => void,
  signal: AbortSignal,
) => Promise<number>;

/**
 * Follows `argv` from `startedAt`, with `contextAt` giving the container's context on a given clock (the process
 * sees the time pass as it would). A process still going after its budget — 64 waits, 1000 lines, 200 ms of
 * real time — or blocked with nothing to wait for (`sleep infinity`) runs on.
 */
export async function planProcess(
  argv: string[],
  startedAt: number,
  contextAt: (clock: Clock) => Promise<ContainerContext>,
  run: ProcessRunner,
): Promise<ProcessPlan> {
  const stop = new AbortController();
  let overBudget = false;
  const clock = new RunAheadClock(startedAt, MAX_SLEEPS, () => {
    overBudget = true;
    stop.abort();
  });
  let unknown = false;
  const output: LogLine[] = [];
  let partial = "";
  const write = (text: string) => {
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) output.push({ t: clock.now(), text: line });
    if (output.length > MAX_LINES) {
      overBudget = true;
      stop.abort();
    }
  };
  const guard = setTimeout(() => stop.abort(), MAX_REAL_MS);
  // A process with nothing scheduled and no output for a while is blocked (sleep infinity, reading a terminal
  // that never writes) or computing at length: either way it is taken to run on.
  let idleTurns = 0;
  let lastLines = 0;
  const watchIdle = () => {
    if (stop.signal.aborted) return;
    const progressed = output.length !== lastLines || clock.pendingTimers().length > 0;
    lastLines = output.length;
    idleTurns = progressed ? 0 : idleTurns + 1;
    if (idleTurns >= IDLE_TURNS) stop.abort();
    else setImmediate(watchIdle);
  };
  try {
    const base = await contextAt(clock);
    const ctx: ContainerContext = {
      ...base,
      binaries: new Set([...base.binaries].filter((b) => !NETWORK_PROGRAMS.has(b))),
      onMissingProgram: () => {
        unknown = true;
        stop.abort();
      },
    };
    setImmediate(watchIdle);
    const ended = run(ctx, argv, write, stop.signal).then((code) => ({ code }));
    const aborted = new Promise<undefined>((resolve) =>
      stop.signal.addEventListener("abort", () => resolve(undefined)),
    );
    const outcome = await Promise.race([ended, aborted]);
    if (unknown) return { kind: "unknown" };
    if (!outcome || stop.signal.aborted) return { kind: "runs", certain: overBudget };
    if (partial) output.push({ t: clock.now(), text: partial });
    return { kind: "exits", afterMs: clock.now() - startedAt, exitCode: outcome.code, output };
  } catch {
    // The context could not be built (the API server did not answer), or the runner failed: left running.
    return { kind: "unknown" };
  } finally {
    clearTimeout(guard);
    stop.abort();
  }
}
