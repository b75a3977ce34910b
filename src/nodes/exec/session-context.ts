// Builds the ContainerContext of one exec session from what the fleet knows: the pod and its running
// containers, the Node beneath, the ConfigMaps and Secrets it references (read through the client), the clock.
import type { KubeObject } from "../../api/object.js";
import { parseQuantity } from "../../api/quantity.js";
import type { Clock } from "../../util/clock.js";
import { type ClusterNetwork, IPV4 } from "../cluster-network.js";
import { DEFAULT_NODE_CAPACITY } from "../node-template.js";
import type { SimContainer } from "../sim-container.js";
import type { SimPod } from "../sim-pod.js";
import type { ContainerContext, HttpOutcome, NodeFacts, Process } from "./container-context.js";
import { type ConfigLookups, containerEnvironment } from "./container-env.js";
import { containerFiles } from "./container-files.js";
import { type ImageProfile, type ImageUser, imageProfile } from "./image-profile.js";
import { podServers, serveRequest } from "./pod-servers.js";
import { imageBinaries } from "./programs.js";

const quantity = (text: string | undefined, fallback: string): number => {
  try {
    return parseQuantity(text ?? fallback).toNumber();
  } catch {
    return parseQuantity(fallback).toNumber();
  }
};

/**
 * The node's kernel, architecture, capacity and boot time as the exec'd programs see them; a Node without a
 * creation time "booted" at `fallbackBoot`.
 */
export function nodeFacts(node: KubeObject | undefined, nodeName: string, fallbackBoot: number): NodeFacts {
  const capacity = node?.status?.capacity ?? {};
  const arch = node?.metadata.labels?.["kubernetes.io/arch"] ?? "amd64";
  const created = Date.parse(node?.metadata.creationTimestamp ?? "");
  return {
    name: nodeName,
    kernelVersion: node?.status?.nodeInfo?.kernelVersion || "6.1.0-everynode",
    machine: arch === "arm64" ? "aarch64" : arch === "amd64" ? "x86_64" : arch,
    cpus: Math.max(1, Math.ceil(quantity(capacity.cpu, DEFAULT_NODE_CAPACITY.cpu))),
    memoryBytes: Math.round(quantity(capacity.memory, DEFAULT_NODE_CAPACITY.memory)),
    ephemeralStorageBytes: Math.round(
      quantity(capacity["ephemeral-storage"], DEFAULT_NODE_CAPACITY["ephemeral-storage"]),
    ),
    bootTime: Number.isNaN(created) ? fallbackBoot : created,
    osImage: node?.status?.nodeInfo?.osImage ?? "",
  };
}

const KNOWN_USERS: Record<number, Omit<ImageUser, "uid" | "gid">> = {
  0: { name: "root", group: "root", home: "/root" },
  101: { name: "nginx", group: "nginx", home: "/nonexistent" },
  65534: { name: "nobody", group: "nobody", home: "/home" },
};

/** Who exec'd processes run as: runAsUser/runAsGroup (container over pod) over the image's USER. */
export function effectiveUser(profile: ImageProfile, pod: KubeObject, spec: Record<string, any>): ImageUser {
  const uid: number =
    spec.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser ?? profile.user.uid;
  const gid: number =
    spec.securityContext?.runAsGroup ??
    pod.spec?.securityContext?.runAsGroup ??
    (uid === profile.user.uid ? profile.user.gid : KNOWN_USERS[uid] ? uid : 0);
  const known = KNOWN_USERS[uid];
  return {
    uid,
    gid,
    name: known?.name ?? String(uid),
    group: KNOWN_USERS[gid]?.group ?? String(gid),
    home: known?.home ?? "/",
  };
}

/** PID 1's argv: `command` replaces the image's ENTRYPOINT, `args` its CMD. */
export function mainArgv(profile: ImageProfile, spec: Record<string, any>): string[] {
  const command: string[] | undefined = spec.command?.map(String);
  const args: string[] | undefined = spec.args?.map(String);
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...profile.entrypoint, ...(args ?? profile.cmd)];
}

/** The container's own processes: PID 1, and nginx's worker. */
export function mainProcesses(profile: ImageProfile, argv: readonly string[], user: string): Process[] {
  const nginx = argv.indexOf("nginx");
  if (profile.server === "nginx" && nginx >= 0) {
    const program = argv.slice(nginx);
    return [
      { pid: 1, user, argv: program, title: `nginx: master process ${program.join(" ")}` },
      { pid: 29, user: "nginx", argv: program, title: "nginx: worker process" },
    ];
  }
  return [{ pid: 1, user, argv }];
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "0.0.0.0", "ip6-localhost"]);

export interface SessionInput {
  pod: SimPod;
  container: SimContainer;
  node: KubeObject | undefined;
  tty: boolean;
  clock: Clock;
  lookups: ConfigLookups;
  /** The cluster beyond the pod (services, other pods); without it only the pod's own servers answer. */
  network?: ClusterNetwork;
}

export async function sessionContext(input: SessionInput): Promise<ContainerContext> {
  const { pod: sim, container: c, clock } = input;
  const pod = sim.pod;
  const profile = imageProfile(c.image);
  const nodeName = pod.spec?.nodeName ?? "";
  const now = clock.now();
  // Without a Node creation time, the node booted a minute before the pod started.
  const node = nodeFacts(input.node, nodeName, sim.startTime - 60_000);
  const hostNetwork = pod.spec?.hostNetwork === true;
  const hostname = hostNetwork
    ? nodeName
    : String(pod.spec?.hostname ?? pod.metadata.name ?? "").slice(0, 63);
  const user = effectiveUser(profile, pod, c.spec);
  const env = await containerEnvironment({
    pod,
    spec: c.spec,
    profile,
    hostname,
    podIP: sim.podIP,
    hostIP: sim.hostIP,
    allocatable: input.node?.status?.allocatable ?? DEFAULT_NODE_CAPACITY,
    home: user.home,
    tty: input.tty,
    lookups: input.lookups,
  });
  const binaries = imageBinaries(profile);
  const argv = mainArgv(profile, c.spec);
  const processes = mainProcesses(profile, argv, user.name);
  const fs = await containerFiles({
    pod,
    spec: c.spec,
    profile,
    hostname,
    podIP: sim.podIP,
    hostIP: sim.hostIP,
    pid1: argv,
    binaries,
    node,
    now,
    lookups: input.lookups,
  });
  const servers = podServers(
    [...sim.init, ...sim.containers]
      .filter((other) => other.running)
      .map((other) => ({
        spec: other.spec,
        profile: imageProfile(other.image),
        startedAt: other.running?.startedAt ?? now,
      })),
  );
  const local = new Set([...LOCAL_HOSTS, sim.podIP, hostname, ...(hostNetwork ? [sim.hostIP] : [])]);
  const http = (host: string, port: number, path: string): HttpOutcome => {
    if (!local.has(host)) {
      if (input.network) return input.network.get(host, port, path, sim.namespace);
      return IPV4.test(host) ? "refused" : "unresolved";
    }
    const server = servers.find((s) => s.port === port);
    return server ? serveRequest(server, path, clock.now(), node) : "refused";
  };
  let nextPid = Math.max(...processes.map((p) => p.pid)) + 6;
  return {
    namespace: sim.namespace,
    pod: sim.name,
    container: c.name,
    containerID: (c.containerID ?? "").replace(/^[a-z]+:\/\//, ""),
    hostname,
    podIP: sim.podIP,
    hostIP: sim.hostIP,
    image: c.image,
    profile,
    user,
    env,
    workingDir: typeof c.spec.workingDir === "string" && c.spec.workingDir ? c.spec.workingDir : "/",
    binaries,
    processes,
    fs,
    http,
    dns: input.network ? (name) => input.network?.resolve(name, sim.namespace) : undefined,
    node,
    startedAt: c.running?.startedAt ?? now,
    clock,
    allocatePid: () => nextPid++,
  };
}
