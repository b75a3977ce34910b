// Everything a command run by `kubectl exec` may know about the container it runs in: identity, network
// addresses, environment, user, processes, files, the servers listening in the pod, and the node beneath.
// Built once per exec session (container-exec.ts); commands only read it.
import type { Clock } from "../../util/clock.js";
import type { ContainerFs } from "./container-fs.js";
import type { ImageProfile, ImageUser } from "./image-profile.js";

/** A process of the container as `ps` lists it. */
export interface Process {
  pid: number;
  user: string;
  /** argv; `title` replaces it in listings when the program renames itself (nginx workers). */
  argv: readonly string[];
  title?: string;
}

/** The node the pod runs on, as `uname`, /proc and node-exporter report it. */
export interface NodeFacts {
  name: string;
  kernelVersion: string;
  /** `uname -m`: x86_64, aarch64. */
  machine: string;
  cpus: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  /** When the node "booted" (epoch ms): its creation time. */
  bootTime: number;
  osImage: string;
}

/** What a simulated server answers for one request. */
export interface HttpResponse {
  status: number;
  headers: readonly (readonly [string, string])[];
  body: string;
}

/** The result of connecting to host:port inside the pod's network namespace. */
export type HttpOutcome = HttpResponse | "refused" | "unresolved";

export interface ContainerContext {
  namespace: string;
  pod: string;
  container: string;
  /** Runtime ID of the running instance (64 hex digits, without the runtime prefix). */
  containerID: string;
  hostname: string;
  podIP: string;
  hostIP: string;
  image: string;
  profile: ImageProfile;
  /** Who the exec'd process runs as (securityContext over the image's USER). */
  user: ImageUser;
  /** The process environment, in the order `env` prints it. */
  env: readonly (readonly [string, string])[];
  workingDir: string;
  /** Executables on $PATH (commands.ts implements each). */
  binaries: ReadonlySet<string>;
  processes: readonly Process[];
  fs: ContainerFs;
  /** An HTTP GET to host:port/path from inside the pod. */
  http(host: string, port: number, path: string): HttpOutcome;
  /** The cluster DNS's answer for a name (its FQDN and addresses; none: NXDOMAIN), or undefined if unknown. */
  dns?(name: string): { fqdn: string; addresses: string[] } | undefined;
  node: NodeFacts;
  /** When the container instance started (epoch ms). */
  startedAt: number;
  clock: Clock;
  /** A process ID for the next program the session starts. */
  allocatePid(): number;
  /** Told of a program that is not on the image (the shell then fails it as "not found"). */
  onMissingProgram?(name: string): void;
}

/** Where an executable lives: busybox images keep applets in /bin, Debian in /usr/bin. */
export function binaryPath(ctx: Pick<ContainerContext, "profile">, name: string): string {
  return ctx.profile.tools === "busybox" ? `/bin/${name}` : `/usr/bin/${name}`;
}
