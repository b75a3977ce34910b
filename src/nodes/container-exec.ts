// `kubectl exec` into a simulated container: the kubelet's check that the container runs, then the command,
// started the way a container runtime starts it — a program found on the image's $PATH, or the runtime's
// "executable file not found" failure (an InternalError on the error channel, as containerd reports it
// through the kubelet). `sh`/`bash` run the simulated shell: with -c a script, with no script the commands
// the client types or pipes. Commands and files are documented in exec/ (programs.ts lists them).
import { randomBytes } from "node:crypto";
import { ApiError, isNotFound } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import type { Client, ResourceType } from "../client/client.js";
import type { Clock } from "../util/clock.js";
import type { ClusterNetwork } from "./cluster-network.js";
import { type CommandIO, emptyInput, type Invocation, streamInput } from "./exec/command.js";
import type { ContainerContext, Process } from "./exec/container-context.js";
import type { ConfigLookups } from "./exec/container-env.js";
import { readCommands } from "./exec/interactive.js";
import { findProgram, PROGRAMS, SHELLS } from "./exec/programs.js";
import { sessionContext } from "./exec/session-context.js";
import { runShell } from "./exec/shell.js";
import { type ProcessPlan, planProcess } from "./main-process.js";
import type { SimContainer } from "./sim-container.js";
import type { SimPod } from "./sim-pod.js";

/** The streams of one exec (the API server's ExecIO). */
export interface ExecStreams {
  stdin?: AsyncIterable<Uint8Array>;
  stdout(data: string | Uint8Array): void;
  stderr(data: string | Uint8Array): void;
  tty: boolean;
  signal: AbortSignal;
}

const CONFIG_MAPS: ResourceType = {
  group: "",
  version: "v1",
  resource: "configmaps",
  namespaced: true,
  kind: "ConfigMap",
};
const SECRETS: ResourceType = {
  group: "",
  version: "v1",
  resource: "secrets",
  namespaced: true,
  kind: "Secret",
};

/** The container of `pod` that can run commands now; the kubelet's error otherwise. */
export function runningContainer(pod: SimPod, name: string): SimContainer {
  const c = pod.container(name);
  if (!c?.running || !c.containerID) {
    throw ApiError.badRequest(`unable to upgrade connection: container not found ("${name}")`);
  }
  return c;
}

/** What containerd (via runc) answers when the program to exec is not in the image. */
export function missingExecutableError(name: string): ApiError {
  const execID = randomBytes(32).toString("hex");
  // runc looks a bare name up on $PATH, and stats a path.
  const why = name.includes("/")
    ? `stat ${name}: no such file or directory`
    : "executable file not found in $PATH";
  return ApiError.internal(
    "error executing command in container: failed to exec in container: " +
      `failed to start exec "${execID}": OCI runtime exec failed: exec failed: ` +
      `unable to start container process: exec: "${name}": ${why}: unknown`,
  );
}

/** ConfigMaps and Secrets of `namespace` through the client (Secret values decoded). */
export function clientLookups(client: Client, namespace: string): ConfigLookups {
  const read = async (type: ResourceType, name: string): Promise<KubeObject | undefined> => {
    try {
      return await client.get(type, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const decode = (data: Record<string, string> | undefined) =>
    Object.fromEntries(
      Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
    );
  return {
    configMap: async (name) => {
      const cm = await read(CONFIG_MAPS, name);
      return cm && { ...(cm.data ?? {}), ...decode(cm.binaryData) };
    },
    secret: async (name) => {
      const secret = await read(SECRETS, name);
      return secret && { ...decode(secret.data), ...(secret.stringData ?? {}) };
    },
  };
}

/** Runs `command` in the container described by `ctx`; resolves with its exit code. */
export async function execInContainer(
  ctx: ContainerContext,
  command: string[],
  streams: ExecStreams,
): Promise<number> {
  // A terminal turns every newline into CR LF (the pty's onlcr); kubectl put the local one in raw mode.
  const write = (sink: (data: string) => void) => (text: string) =>
    sink(streams.tty ? text.replace(/\r?\n/g, "\r\n") : text);
  const out = write((d) => streams.stdout(d));
  const err = write((d) => streams.stderr(d));
  const env = new Map(ctx.env);
  const [name, ...args] = command;
  const program = name === undefined ? undefined : findProgram(ctx, name, ctx.workingDir);
  if (name === undefined || !program) throw missingExecutableError(name ?? "");
  const io: CommandIO = {
    stdin: streams.stdin && !SHELLS.has(program) ? streamInput(streams.stdin) : emptyInput,
    out,
    err,
    signal: streams.signal,
  };
  if (SHELLS.has(program)) {
    return runShell({
      ctx,
      flavour: program === "bash" ? "bash" : ctx.profile.shell === "busybox" ? "busybox" : "dash",
      argv0: name,
      args,
      env,
      cwd: ctx.workingDir,
      io: { ...io, stdin: streams.stdin ? streamInput(streams.stdin) : emptyInput },
      ancestors: [],
      tty: streams.tty,
      repl: (shell) =>
        readCommands(shell, { stdin: streams.stdin, out, err, tty: streams.tty, signal: streams.signal }),
    });
  }
  const self: Process = { pid: ctx.allocatePid(), user: ctx.user.name, argv: command };
  return PROGRAMS[program](invocation(ctx, name, args, env, io, self));
}

function invocation(
  ctx: ContainerContext,
  name: string,
  args: string[],
  env: ReadonlyMap<string, string>,
  io: CommandIO,
  self: Process,
): Invocation {
  return {
    name,
    args,
    ctx,
    env,
    cwd: ctx.workingDir,
    io,
    self,
    ancestors: [],
    // `env NAME=value program`: env execs the program in place, as coreutils and busybox do.
    spawn: async ([child, ...childArgs], childEnv) => {
      const program = child === undefined ? undefined : findProgram(ctx, child, ctx.workingDir);
      if (!program || SHELLS.has(program)) {
        if (program) {
          return runShell({
            ctx,
            flavour: program === "bash" ? "bash" : ctx.profile.shell === "busybox" ? "busybox" : "dash",
            argv0: child,
            args: childArgs,
            env: childEnv,
            cwd: ctx.workingDir,
            io,
            ancestors: [],
          });
        }
        io.err(`${name}: '${child}': No such file or directory\n`);
        return 127;
      }
      return PROGRAMS[program](
        invocation(ctx, child, childArgs, childEnv, io, { ...self, argv: [child, ...childArgs] }),
      );
    },
  };
}

export interface ContainerExecOptions {
  client: Client;
  clock: Clock;
  /** The cluster beyond each pod, for wget, curl and nslookup. */
  network?: ClusterNetwork;
}

/** How many commands' "runs on" verdicts are remembered, so that a DaemonSet's pods follow their loop once. */
const REMEMBERED_VERDICTS = 1024;
/** Commands followed at once (each builds a container context and runs a shell). */
const MAX_FOLLOWING = 8;

/** A container instance's process to follow: its pod, the node beneath, its argv and when it started. */
export interface FollowRequest {
  pod: SimPod;
  container: SimContainer;
  node: KubeObject | undefined;
  argv: string[];
  startedAt: number;
}

/** The fleet's exec service: finds the session's facts and runs the command. */
export class ContainerExec {
  private readonly verdicts = new Map<string, ProcessPlan>();
  /** Commands being followed now, by image and argv. */
  private readonly following = new Map<string, Promise<ProcessPlan>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly o: ContainerExecOptions) {}

  /**
   * Follows a container's own process ahead of time (main-process.ts). A command found to run on (or to reach
   * programs the simulation does not know) is not followed again for the next container with the same image and
   * argv: a DaemonSet's pods share it.
   */
  async plan(request: FollowRequest): Promise<ProcessPlan> {
    const key = JSON.stringify([request.container.image, request.argv]);
    const known = this.verdicts.get(key);
    if (known) return known;
    // A DaemonSet's pods start together: they wait for the first to be followed, and follow their own only if
    // that one ended (an ending depends on the pod: its output, its time).
    const first = this.following.get(key);
    if (first) {
      const plan = await first;
      if (plan.kind !== "exits") return plan;
    }
    const following = this.follow(request);
    if (!first) this.following.set(key, following);
    try {
      const plan = await following;
      // Only a verdict that does not depend on how busy the process was is remembered for others.
      if (plan.kind === "unknown" || (plan.kind === "runs" && plan.certain)) {
        if (this.verdicts.size >= REMEMBERED_VERDICTS) this.verdicts.clear();
        this.verdicts.set(key, plan);
      }
      return plan;
    } finally {
      if (this.following.get(key) === following) this.following.delete(key);
    }
  }

  /** At most MAX_FOLLOWING commands are followed at once; the others wait their turn. */
  private async follow(request: FollowRequest): Promise<ProcessPlan> {
    while (this.active >= MAX_FOLLOWING) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await this.followNow(request);
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private followNow({ pod, container, node, argv, startedAt }: FollowRequest): Promise<ProcessPlan> {
    return planProcess(
      argv,
      startedAt,
      (clock) =>
        sessionContext({
          pod,
          container,
          node,
          tty: false,
          clock,
          lookups: clientLookups(this.o.client, pod.namespace),
        }),
      (ctx, command, out, signal) =>
        execInContainer(ctx, command, {
          stdout: (d) => out(typeof d === "string" ? d : Buffer.from(d).toString()),
          stderr: (d) => out(typeof d === "string" ? d : Buffer.from(d).toString()),
          tty: false,
          signal,
        }),
    );
  }

  async run(
    pod: SimPod,
    container: SimContainer,
    node: KubeObject | undefined,
    command: string[],
    streams: ExecStreams,
  ): Promise<number> {
    const ctx = await sessionContext({
      pod,
      container,
      node,
      tty: streams.tty,
      clock: this.o.clock,
      lookups: clientLookups(this.o.client, pod.namespace),
      network: this.o.network,
    });
    return execInContainer(ctx, command, streams);
  }
}
