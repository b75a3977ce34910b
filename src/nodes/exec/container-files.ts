// The files an exec session can read: the usual directories, the kubelet-managed /etc/hosts, /etc/hostname and
// /etc/resolv.conf, the image's /etc/os-release, /etc/passwd and binaries, /proc/1/cmdline, /proc/version and
// /proc/uptime, nginx's pages, and the pod's volumes at their mount paths (ConfigMap and Secret keys, downward
// API items, empty emptyDir and hostPath directories).
import type { KubeObject } from "../../api/object.js";
import { binaryPath, type NodeFacts } from "./container-context.js";
import { type ConfigLookups, podFieldValue } from "./container-env.js";
import { ContainerFs, resolvePath } from "./container-fs.js";
import type { ImageProfile } from "./image-profile.js";
import { NGINX_HTML } from "./pod-servers.js";

/** The cluster DNS Service's ClusterIP and domain. */
/** The cluster DNS service's address and the cluster's domain, as kubeadm sets them up. */
export const CLUSTER_DNS = "10.96.0.10";
export const CLUSTER_DOMAIN = "cluster.local";

const STANDARD_DIRS = [
  "/bin",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/media",
  "/mnt",
  "/opt",
  "/proc/1",
  "/root",
  "/run",
  "/sbin",
  "/srv",
  "/sys",
  "/tmp",
  "/usr/bin",
  "/usr/lib",
  "/usr/local/bin",
  "/usr/sbin",
  "/usr/share",
  "/var/log",
  "/var/run",
];

/** /etc/hosts as the kubelet writes it for a pod on the pod network. */
export function etcHosts(pod: KubeObject, hostname: string, podIP: string): string {
  const subdomain = pod.spec?.subdomain;
  const names = subdomain
    ? `${hostname}.${subdomain}.${pod.metadata.namespace}.svc.${CLUSTER_DOMAIN}\t${hostname}`
    : hostname;
  let text =
    "# Kubernetes-managed hosts file.\n" +
    "127.0.0.1\tlocalhost\n" +
    "::1\tlocalhost ip6-localhost ip6-loopback\n" +
    "fe00::0\tip6-localnet\n" +
    "fe00::0\tip6-mcastprefix\n" +
    "fe00::1\tip6-allnodes\n" +
    "fe00::2\tip6-allrouters\n" +
    `${podIP}\t${names}\n`;
  const aliases: any[] = pod.spec?.hostAliases ?? [];
  if (aliases.length > 0) {
    text += "\n# Entries added by HostAliases.\n";
    for (const a of aliases) text += `${a.ip}\t${(a.hostnames ?? []).join("\t")}\n`;
  }
  return text;
}

/** /etc/resolv.conf for the pod's dnsPolicy and dnsConfig. */
export function resolvConf(pod: KubeObject): string {
  const spec = pod.spec ?? {};
  const policy = spec.dnsPolicy ?? "ClusterFirst";
  const clusterFirst =
    policy === "ClusterFirstWithHostNet" || (policy === "ClusterFirst" && !spec.hostNetwork);
  const ns = pod.metadata.namespace;
  const searches: string[] = clusterFirst
    ? [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN]
    : policy === "None"
      ? []
      : ["."];
  const nameservers: string[] = clusterFirst ? [CLUSTER_DNS] : policy === "None" ? [] : ["10.0.0.1"];
  const options: string[] = clusterFirst ? ["ndots:5"] : [];
  const config = spec.dnsConfig ?? {};
  nameservers.push(...(config.nameservers ?? []));
  searches.push(...(config.searches ?? []));
  for (const o of config.options ?? []) options.push(o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  let text = "";
  if (searches.length > 0) text += `search ${searches.join(" ")}\n`;
  for (const n of nameservers) text += `nameserver ${n}\n`;
  if (options.length > 0) text += `options ${options.join(" ")}\n`;
  return text;
}

export interface FilesInput {
  pod: KubeObject;
  /** The container's spec (its volumeMounts). */
  spec: Record<string, any>;
  profile: ImageProfile;
  hostname: string;
  podIP: string;
  hostIP: string;
  /** PID 1's argv. */
  pid1: readonly string[];
  binaries: ReadonlySet<string>;
  node: NodeFacts;
  now: number;
  lookups: ConfigLookups;
}

function passwd(profile: ImageProfile): { passwd: string; group: string } {
  const users: [string, number, string, string][] = [["root", 0, "/root", "/bin/sh"]];
  if (profile.server === "nginx") users.push(["nginx", 101, "/nonexistent", "/bin/false"]);
  users.push(["nobody", 65534, profile.tools === "busybox" ? "/home" : "/nonexistent", "/bin/false"]);
  return {
    passwd: users.map(([n, id, home, shell]) => `${n}:x:${id}:${id}:${n}:${home}:${shell}\n`).join(""),
    group: users.map(([n, id]) => `${n}:x:${id}:\n`).join(""),
  };
}

/** The key → content files a volume holds (undefined: nothing to show, e.g. a missing optional ConfigMap). */
async function volumeFiles(
  volume: Record<string, any>,
  input: FilesInput,
): Promise<Record<string, string> | undefined> {
  const pick = (data: Record<string, string> | undefined, items: any[] | undefined) => {
    if (!data) return undefined;
    if (!Array.isArray(items) || items.length === 0) return data;
    const out: Record<string, string> = {};
    for (const item of items) if (item?.key in data) out[item.path ?? item.key] = data[item.key];
    return out;
  };
  if (volume.configMap)
    return pick(await input.lookups.configMap(volume.configMap.name), volume.configMap.items);
  if (volume.secret) return pick(await input.lookups.secret(volume.secret.secretName), volume.secret.items);
  if (volume.downwardAPI) return downwardFiles(volume.downwardAPI.items, input);
  if (volume.projected) {
    const out: Record<string, string> = {};
    for (const source of volume.projected.sources ?? [])
      Object.assign(out, (await volumeFiles(source, input)) ?? {});
    return out;
  }
  return {};
}

function downwardFiles(items: any[] | undefined, input: FilesInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const value = item?.fieldRef
      ? podFieldValue(input.pod, item.fieldRef.fieldPath ?? "", input.podIP, input.hostIP)
      : undefined;
    if (typeof item?.path === "string" && value !== undefined) out[item.path] = value;
  }
  return out;
}

async function mountVolumes(fs: ContainerFs, input: FilesInput): Promise<void> {
  const volumes = new Map<string, Record<string, any>>();
  for (const v of input.pod.spec?.volumes ?? []) if (typeof v?.name === "string") volumes.set(v.name, v);
  for (const mount of input.spec.volumeMounts ?? []) {
    const volume = volumes.get(mount?.name);
    if (!volume || typeof mount.mountPath !== "string") continue;
    const target = resolvePath("/", mount.mountPath);
    const files = await volumeFiles(volume, input);
    if (mount.subPath) {
      const content = files?.[mount.subPath];
      if (content !== undefined) fs.addFile(target, content);
      else fs.addDir(target);
      continue;
    }
    fs.addDir(target);
    for (const [path, content] of Object.entries(files ?? {})) fs.addFile(`${target}/${path}`, content);
  }
}

/** Builds the file tree of one exec session. */
export async function containerFiles(input: FilesInput): Promise<ContainerFs> {
  const fs = new ContainerFs();
  for (const dir of STANDARD_DIRS) fs.addDir(dir);
  const { profile, node } = input;
  fs.addFile("/dev/null", "");
  fs.addFile("/etc/hostname", `${input.hostname}\n`);
  fs.addFile("/etc/hosts", etcHosts(input.pod, input.hostname, input.podIP));
  fs.addFile("/etc/resolv.conf", resolvConf(input.pod));
  if (profile.osRelease) fs.addFile("/etc/os-release", profile.osRelease);
  const users = passwd(profile);
  fs.addFile("/etc/passwd", users.passwd);
  fs.addFile("/etc/group", users.group);
  fs.addFile("/proc/1/cmdline", input.pid1.map((a) => `${a}\0`).join(""));
  fs.addFile(
    "/proc/version",
    `Linux version ${node.kernelVersion} (everynode@simulated) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC\n`,
  );
  const uptime = Math.max(0, (input.now - node.bootTime) / 1000);
  fs.addFile("/proc/uptime", `${uptime.toFixed(2)} ${(uptime * node.cpus * 0.9).toFixed(2)}\n`);
  for (const name of input.binaries) {
    fs.addFile(binaryPath({ profile }, name), "", true);
    // Debian merged /bin into /usr/bin: both paths name the same programs.
    if (profile.tools === "gnu") fs.addFile(`/bin/${name}`, "", true);
  }
  if (profile.server === "nginx") {
    for (const [name, page] of Object.entries(NGINX_HTML)) fs.addFile(`/usr/share/nginx/html/${name}`, page);
  }
  await mountVolumes(fs, input);
  return fs;
}
