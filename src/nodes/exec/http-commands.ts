// wget and curl against the servers listening in the pod (pod-servers.ts): `wget -qO- URL`, `curl -s URL` and
// the usual flags (-i, -I, -f, -o, -w '%{http_code}', -S, --spider), with the messages busybox wget, GNU wget
// and curl print for refused connections, unknown hosts and HTTP errors. Files cannot be written: downloads
// to a file fail as on a read-only root filesystem.
import { STATUS_CODES } from "node:http";
import { type Command, fail, type Invocation, parseFlags } from "./command.js";
import type { HttpResponse } from "./container-context.js";
import { CLUSTER_DNS } from "./container-files.js";
import { formatDate } from "./system-commands.js";

interface Url {
  text: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(text: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#\s]+)(?::(\d+))?([^#]*)/.exec(text);
  if (!m) return undefined;
  const port = m[3] ? Number(m[3]) : m[1] === "https" ? 443 : 80;
  return { text, host: m[2].replace(/^\[|\]$/g, ""), port, path: m[4] || "/" };
}

/** The address a host name resolves to inside the pod. */
function addressOf(inv: Invocation, host: string): string {
  if (host === "localhost") return "127.0.0.1";
  if (host === inv.ctx.hostname) return inv.ctx.podIP;
  return inv.ctx.dns?.(host)?.addresses[0] ?? host;
}

const reason = (status: number): string => STATUS_CODES[status] ?? "Unknown";

function headerBlock(res: HttpResponse): string {
  return `HTTP/1.1 ${res.status} ${reason(res.status)}\r\n${res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
}

const READ_ONLY = "Read-only file system";

/** The file name wget saves to when not told: the last path segment, or index.html. */
function defaultFileName(path: string): string {
  const last = path.split("?")[0].split("/").pop();
  return last || "index.html";
}

const wget: Command = (inv) => {
  const { flags, operands } = parseFlags(inv.args, ["-O", "-T", "-t", "-U", "--header", "-o"]);
  const busybox = inv.ctx.profile.tools === "busybox";
  const quiet = flags.has("-q") || flags.has("--quiet");
  const url = operands[0] ? parseUrl(operands[0]) : undefined;
  if (!url) return fail(inv, "missing URL");
  const output = flags.get("-O") ?? (flags.has("--spider") ? "-" : defaultFileName(url.path));
  const ip = addressOf(inv, url.host);
  if (!quiet) {
    if (busybox) inv.io.err(`Connecting to ${url.host}:${url.port} (${ip}:${url.port})\n`);
    else inv.io.err(`--${formatDate(inv.ctx.clock.now(), "%F %T")}--  ${url.text}\n`);
  }
  const outcome = inv.ctx.http(url.host, url.port, url.path);
  if (outcome === "unresolved") {
    return busybox
      ? fail(inv, `bad address '${url.host}'`)
      : fail(inv, `unable to resolve host address '${url.host}'`, 4);
  }
  if (outcome === "refused") {
    if (busybox) return fail(inv, `can't connect to remote host (${ip}): Connection refused`);
    if (!quiet)
      inv.io.err(
        `Connecting to ${url.host} (${url.host})|${ip}|:${url.port}... failed: Connection refused.\n`,
      );
    return 4;
  }
  if (!busybox && !quiet) {
    inv.io.err(`Connecting to ${url.host} (${url.host})|${ip}|:${url.port}... connected.\n`);
    inv.io.err(`HTTP request sent, awaiting response... ${outcome.status} ${reason(outcome.status)}\n`);
  }
  if (flags.has("-S")) inv.io.err(headerBlock(outcome).replace(/\r\n$/, "").replace(/^/gm, "  "));
  if (outcome.status >= 400) {
    if (busybox)
      return fail(inv, `server returned error: HTTP/1.1 ${outcome.status} ${reason(outcome.status)}`);
    if (!quiet)
      inv.io.err(
        `${formatDate(inv.ctx.clock.now(), "%F %T")} ERROR ${outcome.status}: ${reason(outcome.status)}.\n\n`,
      );
    return 8;
  }
  if (flags.has("--spider")) return 0;
  if (output !== "-" && output !== "/dev/stdout") {
    if (output === "/dev/null") return 0;
    return fail(
      inv,
      busybox ? `can't open '${output}': ${READ_ONLY}` : `${output}: ${READ_ONLY}`,
      busybox ? 1 : 3,
    );
  }
  if (!quiet && busybox) inv.io.err("writing to stdout\n");
  inv.io.out(outcome.body);
  if (!quiet && busybox) {
    const size = String(Buffer.byteLength(outcome.body)).padStart(7);
    inv.io.err(`-                    100% |${"*".repeat(32)}|${size}  0:00:00 ETA\nwritten to stdout\n`);
  }
  return 0;
};

/** curl's -w variables. */
function writeOut(format: string, res: HttpResponse): string {
  const vars: Record<string, string> = {
    http_code: String(res.status),
    response_code: String(res.status),
    size_download: String(Buffer.byteLength(res.body)),
    content_type: res.headers.find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "",
  };
  return format.replace(/%\{(\w+)\}/g, (all, name: string) => vars[name] ?? all).replace(/\\n/g, "\n");
}

const curl: Command = (inv) => {
  const { flags, operands } = parseFlags(inv.args, [
    "-o",
    "-w",
    "-H",
    "-X",
    "-m",
    "-A",
    "-u",
    "-d",
    "--max-time",
    "--connect-timeout",
    "--header",
    "--output",
    "--write-out",
    "--request",
    "--retry",
  ]);
  const silent = flags.has("-s") || flags.has("--silent");
  const showError = flags.has("-S") || flags.has("--show-error");
  const report = (code: number, message: string) => {
    if (!silent || showError) inv.io.err(`curl: (${code}) ${message}\n`);
    return code;
  };
  const url = operands[0] ? parseUrl(operands[0]) : undefined;
  if (!url) return report(2, "no URL specified");
  const outcome = inv.ctx.http(url.host, url.port, url.path);
  if (outcome === "unresolved") return report(6, `Could not resolve host: ${url.host}`);
  if (outcome === "refused") {
    return report(
      7,
      `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`,
    );
  }
  if ((flags.has("-f") || flags.has("--fail")) && outcome.status >= 400) {
    return report(22, `The requested URL returned error: ${outcome.status}`);
  }
  const head = flags.has("-I") || flags.has("--head");
  const output = flags.get("-o") ?? flags.get("--output") ?? "-";
  let text = head || flags.has("-i") || flags.has("--include") ? headerBlock(outcome) : "";
  if (!head) text += outcome.body;
  if (output === "-" || output === "/dev/stdout") inv.io.out(text);
  else if (output !== "/dev/null") {
    if (!silent) inv.io.err(`Warning: Failed to open the file ${output}: ${READ_ONLY}\n`);
    return report(23, "Failure writing output to destination");
  }
  const format = flags.get("-w") ?? flags.get("--write-out");
  if (format !== undefined) inv.io.out(writeOut(format, outcome));
  return 0;
};

/** The resolver a pod asks: the first nameserver of its /etc/resolv.conf. */
function nameserver(inv: Invocation): string {
  const conf = inv.ctx.fs.get("/etc/resolv.conf");
  const line = conf?.type === "file" ? /^nameserver\s+(\S+)/m.exec(conf.content) : null;
  return line?.[1] ?? CLUSTER_DNS;
}

/** busybox nslookup against the cluster DNS: the FQDN a name resolved as and its addresses, or NXDOMAIN. */
const nslookup: Command = (inv) => {
  const name = inv.args.find((a) => !a.startsWith("-"));
  if (!name) return fail(inv, "missing hostname");
  const server = nameserver(inv);
  inv.io.out(`Server:\t\t${server}\nAddress:\t${server}:53\n\n`);
  const answer = inv.ctx.dns?.(name);
  if (!answer || answer.addresses.length === 0) {
    inv.io.out(`** server can't find ${answer?.fqdn ?? name}: NXDOMAIN\n\n`);
    return 1;
  }
  inv.io.out(`Name:\t${answer.fqdn}\n${answer.addresses.map((a) => `Address: ${a}\n`).join("")}\n`);
  return 0;
};

export const HTTP_COMMANDS: Readonly<Record<string, Command>> = { wget, curl, nslookup };
