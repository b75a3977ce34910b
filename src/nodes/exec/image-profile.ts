// What an image holds, as far as `kubectl exec` can tell: which shell and tools it ships (busybox, Debian's dash
// and coreutils, or none at all for distroless and pause images), the environment its Dockerfile sets, the user
// it runs as, its /etc/os-release and the command its main process runs. A small table of the images DaemonSet
// tutorials use, and a generous Debian-like default for every other image.
import { imageName, imageTag, parseImage } from "../images.js";

/** How error messages and `ps` look: busybox applets, or GNU coreutils/procps. */
export type ToolStyle = "busybox" | "gnu";

/** The shell `sh` is; "none" when the image has no shell at all. */
export type ShellFlavour = "busybox" | "dash" | "none";

export interface ImageUser {
  uid: number;
  gid: number;
  name: string;
  group: string;
  home: string;
}

export interface ImageProfile {
  tools: ToolStyle;
  shell: ShellFlavour;
  /** Executables on $PATH besides the always-present ones of the tool style (e.g. bash, curl, wget). */
  extras: ReadonlySet<string>;
  /** The image's ENV (PATH first), as `docker inspect` lists it. */
  env: readonly (readonly [string, string])[];
  user: ImageUser;
  /** /etc/os-release, or undefined when the image has none (busybox). */
  osRelease?: string;
  /** ENTRYPOINT (a pod's `command` replaces it) and CMD (its `args` replace that). */
  entrypoint: readonly string[];
  cmd: readonly string[];
  /** Which simulated server the main process is (endpoints.ts), if any. */
  server?: "nginx" | "node-exporter" | "fluentd";
}

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const ROOT: ImageUser = { uid: 0, gid: 0, name: "root", group: "root", home: "/root" };
const NOBODY: ImageUser = { uid: 65534, gid: 65534, name: "nobody", group: "nobody", home: "/home" };

const osRelease = (fields: Record<string, string>): string =>
  `${Object.entries(fields)
    .map(([k, v]) => `${k}=${/^[A-Za-z0-9._-]+$/.test(v) ? v : JSON.stringify(v)}`)
    .join("\n")}\n`;

const DEBIAN = osRelease({
  PRETTY_NAME: "Debian GNU/Linux 12 (bookworm)",
  NAME: "Debian GNU/Linux",
  VERSION_ID: "12",
  VERSION: "12 (bookworm)",
  VERSION_CODENAME: "bookworm",
  ID: "debian",
  HOME_URL: "https://www.debian.org/",
  SUPPORT_URL: "https://www.debian.org/support",
  BUG_REPORT_URL: "https://bugs.debian.org/",
});

const UBUNTU = osRelease({
  PRETTY_NAME: "Ubuntu 24.04.1 LTS",
  NAME: "Ubuntu",
  VERSION_ID: "24.04",
  VERSION: "24.04.1 LTS (Noble Numbat)",
  VERSION_CODENAME: "noble",
  ID: "ubuntu",
  ID_LIKE: "debian",
  HOME_URL: "https://www.ubuntu.com/",
  SUPPORT_URL: "https://help.ubuntu.com/",
  BUG_REPORT_URL: "https://bugs.launchpad.net/ubuntu/",
  UBUNTU_CODENAME: "noble",
});

const ALPINE = osRelease({
  NAME: "Alpine Linux",
  ID: "alpine",
  VERSION_ID: "3.20.3",
  PRETTY_NAME: "Alpine Linux v3.20",
  HOME_URL: "https://alpinelinux.org/",
  BUG_REPORT_URL: "https://gitlab.alpinelinux.org/alpine/aports/-/issues",
});

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

function versionOf(image: string, fallback: string): string {
  const tag = imageTag(image).replace(/^v/, "");
  const match = /^\d+(\.\d+)*/.exec(tag);
  return match?.[0].includes(".") ? match[0] : fallback;
}

/** The profile of `image`. */
export function imageProfile(image: string): ImageProfile {
  const name = imageName(image);
  const path = parseImage(image).path;
  const tag = imageTag(image);
  const base = { env: [["PATH", DEFAULT_PATH]] as const, user: ROOT };
  if (name === "pause" || path.includes("distroless") || (name === "fluent-bit" && !tag.includes("debug"))) {
    return { ...base, tools: "gnu", shell: "none", extras: set(), entrypoint: [`/${name}`], cmd: [] };
  }
  if (name.includes("node-exporter")) {
    return {
      ...base,
      tools: "busybox",
      shell: "busybox",
      extras: set("wget", "nslookup"),
      user: NOBODY,
      entrypoint: ["/bin/node_exporter"],
      cmd: [],
      server: "node-exporter",
    };
  }
  const alpine = name === "alpine" || tag.includes("alpine");
  if (name === "nginx") {
    const version = versionOf(image, "1.27.3");
    const release = alpine ? "1" : "1~bookworm";
    return {
      tools: alpine ? "busybox" : "gnu",
      shell: alpine ? "busybox" : "dash",
      extras: alpine ? set("curl", "wget", "nslookup") : set("bash", "curl"),
      env: [
        ["PATH", DEFAULT_PATH],
        ["NGINX_VERSION", version],
        ["NJS_VERSION", "0.8.7"],
        ["NJS_RELEASE", release],
        ["PKG_RELEASE", release],
        ["DYNPKG_RELEASE", release],
      ],
      user: ROOT,
      osRelease: alpine ? ALPINE : DEBIAN,
      entrypoint: ["/docker-entrypoint.sh"],
      cmd: ["nginx", "-g", "daemon off;"],
      server: "nginx",
    };
  }
  if (name === "busybox" || name === "fluent-bit" || alpine) {
    return {
      ...base,
      tools: "busybox",
      shell: "busybox",
      extras: set("wget", "nslookup"),
      osRelease: alpine ? ALPINE : undefined,
      entrypoint: name === "busybox" || name === "alpine" ? [] : [`/${name}`],
      cmd: name === "busybox" ? ["sh"] : name === "alpine" ? ["/bin/sh"] : [],
    };
  }
  if (name === "ubuntu" || name === "debian") {
    return {
      ...base,
      tools: "gnu",
      shell: "dash",
      extras: set("bash"),
      osRelease: name === "ubuntu" ? UBUNTU : DEBIAN,
      entrypoint: [],
      cmd: ["bash"],
    };
  }
  const fluentd = name.includes("fluentd");
  return {
    ...base,
    tools: "gnu",
    shell: "dash",
    extras: set("bash", "curl", "wget"),
    osRelease: DEBIAN,
    entrypoint: fluentd ? ["tini", "--", "/fluentd/entrypoint.sh"] : [`/usr/local/bin/${name}`],
    cmd: [],
    server: fluentd ? "fluentd" : undefined,
  };
}
