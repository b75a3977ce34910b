// What a simulated container writes to its log: start-up lines that look like the real program's for a few
// images DaemonSet tutorials use (nginx, fluentd, node-exporter), the output of simple shell scripts (echo,
// and `while true; do echo …; sleep N; done` loops, printed as time passes), and one generic line otherwise.
import { imageName, imageTag } from "./images.js";

export interface LogLine {
  /** Epoch milliseconds. */
  t: number;
  text: string;
}

/** What the log generator may know about the container instance it writes for. */
export interface LogContext {
  image: string;
  command: readonly string[];
  args: readonly string[];
  /** Resolved environment (literal values and the usual downward-API fields). */
  env: Readonly<Record<string, string>>;
  podName: string;
  podNamespace: string;
  containerName: string;
  startedAt: number;
}

/** A container's output: lines at start, optionally one repeated line every `everyMs`, lines when it stops. */
export interface LogScript {
  startup: LogLine[];
  periodic?: { everyMs: number; render: (t: number) => string[] };
  onStop(t: number, exitCode: number): LogLine[];
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function utcParts(ms: number) {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    mo: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    h: pad(d.getUTCHours()),
    mi: pad(d.getUTCMinutes()),
    s: pad(d.getUTCSeconds()),
  };
}

/** `date` as busybox prints it: "Wed May  1 10:00:00 UTC 2024". */
export function unixDate(ms: number): string {
  const d = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
    d.getUTCMonth()
  ];
  const { h, mi, s, y } = utcParts(ms);
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, " ")} ${h}:${mi}:${s} UTC ${y}`;
}

const lines = (t: number, texts: string[]): LogLine[] => texts.map((text) => ({ t, text }));
const noStopLines = (): LogLine[] => [];

function versionFromTag(image: string, fallback: string): string {
  const tag = imageTag(image).replace(/^v/, "");
  return /^\d+(\.\d+)*$/.test(tag) ? tag : fallback;
}

function nginx(ctx: LogContext): LogScript {
  const version = versionFromTag(ctx.image, "1.27.3");
  const stamp = (t: number) => {
    const { y, mo, d, h, mi, s } = utcParts(t);
    return `${y}/${mo}/${d} ${h}:${mi}:${s}`;
  };
  const at = ctx.startedAt;
  const entry = "/docker-entrypoint.sh";
  return {
    startup: lines(at, [
      `${entry}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
      `${entry}: Looking for shell scripts in /docker-entrypoint.d/`,
      `${entry}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`,
      "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
      "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
      `${entry}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`,
      `${entry}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
      `${entry}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`,
      `${entry}: Configuration complete; ready for start up`,
      `${stamp(at)} [notice] 1#1: using the "epoll" event method`,
      `${stamp(at)} [notice] 1#1: nginx/${version}`,
      `${stamp(at)} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)`,
      `${stamp(at)} [notice] 1#1: OS: Linux 6.1.0-everynode`,
      `${stamp(at)} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      `${stamp(at)} [notice] 1#1: start worker processes`,
      `${stamp(at)} [notice] 1#1: start worker process 29`,
    ]),
    onStop: (t, code) =>
      code === 0
        ? lines(t, [
            `${stamp(t)} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`,
            `${stamp(t)} [notice] 29#29: gracefully shutting down`,
            `${stamp(t)} [notice] 1#1: exit`,
          ])
        : [],
  };
}

function fluentd(ctx: LogContext): LogScript {
  const stamp = (t: number) => {
    const { y, mo, d, h, mi, s } = utcParts(t);
    return `${y}-${mo}-${d} ${h}:${mi}:${s} +0000`;
  };
  const at = ctx.startedAt;
  return {
    startup: lines(at, [
      `${stamp(at)} [info]: init supervisor logger path=nil rotate_age=nil rotate_size=nil`,
      `${stamp(at)} [info]: parsing config file is succeeded path="/etc/fluent/fluent.conf"`,
      `${stamp(at)} [info]: gem 'fluent-plugin-elasticsearch' version '5.2.4'`,
      `${stamp(at)} [info]: gem 'fluent-plugin-kubernetes_metadata_filter' version '3.1.3'`,
      `${stamp(at)} [info]: gem 'fluentd' version '1.15.3'`,
      `${stamp(at)} [info]: starting fluentd-1.15.3 pid=7 ruby="3.1.2"`,
      `${stamp(at)} [info]: spawn command to main:  cmdline=["/usr/local/bin/ruby", "-Eascii-8bit:ascii-8bit", "/usr/local/bundle/bin/fluentd", "--config", "/etc/fluent/fluent.conf", "--under-supervisor"]`,
      `${stamp(at)} [info]: #0 init worker0 logger path=nil rotate_age=nil rotate_size=nil`,
      `${stamp(at)} [info]: adding match pattern="fluent.**" type="null"`,
      `${stamp(at)} [info]: adding source type="tail"`,
      `${stamp(at)} [info]: #0 starting fluentd worker pid=16 ppid=7 worker=0`,
      `${stamp(at)} [info]: #0 following tail of /var/log/containers/${ctx.podName}_${ctx.podNamespace}_${ctx.containerName}.log`,
      `${stamp(at)} [info]: #0 fluentd worker is now running worker=0`,
    ]),
    onStop: (t) =>
      lines(t, [
        `${stamp(t)} [info]: Received graceful stop`,
        `${stamp(t)} [info]: #0 fluentd worker is now stopping worker=0`,
        `${stamp(t)} [info]: Worker 0 finished with status 0`,
      ]),
  };
}

function nodeExporter(ctx: LogContext): LogScript {
  const version = versionFromTag(ctx.image, "1.8.2");
  const at = ctx.startedAt;
  const ts = `ts=${new Date(at).toISOString()}`;
  return {
    startup: lines(at, [
      `${ts} caller=node_exporter.go:193 level=info msg="Starting node_exporter" version="(version=${version}, branch=HEAD, revision=f1e0e8360aa60b6cb5e5cc1560bed348fc2c1895)"`,
      `${ts} caller=node_exporter.go:194 level=info msg="Build context" build_context="(go=go1.22.5, platform=linux/amd64, user=root@03d440803209, date=20240714-11:53:45, tags=unknown)"`,
      `${ts} caller=filesystem_common.go:111 level=info collector=filesystem msg="Parsed flag --collector.filesystem.mount-points-exclude" flag=^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)`,
      `${ts} caller=node_exporter.go:111 level=info msg="Enabled collectors"`,
      ...["cpu", "diskstats", "filesystem", "loadavg", "meminfo", "netdev", "stat", "time", "uname"].map(
        (c) => `${ts} caller=node_exporter.go:118 level=info collector=${c}`,
      ),
      `${ts} caller=tls_config.go:313 level=info msg="Listening on" address=[::]:9100`,
      `${ts} caller=tls_config.go:316 level=info msg="TLS is disabled." http2=false address=[::]:9100`,
    ]),
    onStop: noStopLines,
  };
}

/** Replaces $VAR, ${VAR}, $(date) and $(hostname) the way the shell would, from what the simulation knows. */
function expand(text: string, ctx: LogContext, t: number): string {
  return text
    .replace(/\$\(\s*date[^)]*\)/g, () => unixDate(t))
    .replace(/\$\(\s*hostname\s*\)/g, ctx.podName)
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string, bare: string) => {
      const name = braced ?? bare;
      if (name === "HOSTNAME") return ctx.env.HOSTNAME ?? ctx.podName;
      return ctx.env[name] ?? "";
    });
}

const ECHO = /\becho\s+(?:-[neE]+\s+)?(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^;&|\n]*))/g;
const LOOP = /\bwhile\s+(?:true|:|\[\s*1\s*\])\s*;?\s*do\b([\s\S]*?)\bdone\b/;
const SLEEP = /\bsleep\s+(\d+(?:\.\d+)?)/;

function echoes(script: string): string[] {
  return [...script.matchAll(ECHO)].map((m) => (m[1] ?? m[2] ?? m[3] ?? "").trim());
}

/** Output of `sh -c` scripts: echoes before a loop print once, echoes inside `while true` print every sleep. */
function shell(ctx: LogContext): LogScript | undefined {
  const script = [...ctx.command, ...ctx.args].join(" ");
  const loop = LOOP.exec(script);
  const before = loop ? script.slice(0, loop.index) : script;
  const once = echoes(before);
  const repeated = loop ? echoes(loop[1]) : [];
  if (once.length === 0 && repeated.length === 0) return undefined;
  const at = ctx.startedAt;
  const script_: LogScript = {
    startup: once.map((text) => ({ t: at, text: expand(text, ctx, at) })),
    onStop: noStopLines,
  };
  if (repeated.length > 0) {
    const seconds = Number(SLEEP.exec(loop?.[1] ?? "")?.[1] ?? "1");
    // A loop without sleep would flood the log; the simulation prints it once a second.
    script_.periodic = {
      everyMs: Math.max(1000, seconds * 1000),
      render: (t) => repeated.map((text) => expand(text, ctx, t)),
    };
  }
  return script_;
}

function generic(ctx: LogContext): LogScript {
  const name = imageName(ctx.image);
  const at = ctx.startedAt;
  return {
    startup: [
      {
        t: at,
        text: `time="${new Date(at).toISOString()}" level=info msg="starting ${name}" version=${imageTag(ctx.image)}`,
      },
    ],
    onStop: noStopLines,
  };
}

const SILENT_IMAGES = new Set(["pause"]);

/** The log script of one container instance. */
export function logScriptFor(ctx: LogContext): LogScript {
  const name = imageName(ctx.image);
  const fromShell = shell(ctx);
  if (fromShell) return fromShell;
  if (name.includes("nginx")) return nginx(ctx);
  if (name.includes("fluentd") || name.includes("fluent-bit")) return fluentd(ctx);
  if (name.includes("node-exporter")) return nodeExporter(ctx);
  if (SILENT_IMAGES.has(name) || ["busybox", "alpine", "ubuntu", "debian"].includes(name)) {
    return { startup: [], onStop: noStopLines };
  }
  return generic(ctx);
}
