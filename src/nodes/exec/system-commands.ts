// Programs that report on the process and the system: env, printenv, hostname, id, whoami, uname, ps, date,
// nproc, sleep, and the small utilities shells also build in (echo, printf, pwd, true, false, test / [, which).
import { sleep } from "../../util/clock.js";
import { unixDate } from "../log-profiles.js";
import { type Command, fail, type Invocation, parseFlags } from "./command.js";
import { binaryPath, type Process } from "./container-context.js";
import { resolvePath } from "./container-fs.js";

const printEnv = (inv: Invocation) => {
  for (const [k, v] of inv.env) inv.io.out(`${k}=${v}\n`);
};

const env: Command = (inv) => {
  const assignments = new Map(inv.env);
  let i = 0;
  for (; i < inv.args.length; i++) {
    const a = inv.args[i];
    if (a === "-i" || a === "-") assignments.clear();
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
      const eq = a.indexOf("=");
      assignments.set(a.slice(0, eq), a.slice(eq + 1));
    } else break;
  }
  if (i === inv.args.length) {
    for (const [k, v] of assignments) inv.io.out(`${k}=${v}\n`);
    return 0;
  }
  return inv.spawn(inv.args.slice(i), assignments);
};

const printenv: Command = (inv) => {
  if (inv.args.length === 0) {
    printEnv(inv);
    return 0;
  }
  let status = 0;
  for (const name of inv.args) {
    const value = inv.env.get(name);
    if (value === undefined) status = 1;
    else inv.io.out(`${value}\n`);
  }
  return status;
};

const hostname: Command = (inv) => {
  const { flags } = parseFlags(inv.args);
  if (flags.has("-i")) inv.io.out(`${inv.ctx.podIP}\n`);
  else if (flags.has("-I")) inv.io.out(`${inv.ctx.podIP} \n`);
  else inv.io.out(`${inv.ctx.hostname}\n`);
  return 0;
};

/** Name of a uid from the image's /etc/passwd. */
function userName(inv: Invocation, uid: number): string | undefined {
  const passwd = inv.ctx.fs.get("/etc/passwd");
  if (passwd?.type !== "file") return undefined;
  return passwd.content
    .split("\n")
    .map((l) => l.split(":"))
    .find((f) => Number(f[2]) === uid)?.[0];
}

const id: Command = (inv) => {
  const { flags } = parseFlags(inv.args);
  const { uid, gid } = inv.ctx.user;
  const user = userName(inv, uid);
  const group = userName(inv, gid);
  if (flags.has("-u")) inv.io.out(`${flags.has("-n") ? (user ?? uid) : uid}\n`);
  else if (flags.has("-g")) inv.io.out(`${flags.has("-n") ? (group ?? gid) : gid}\n`);
  else {
    const g = `${gid}${group ? `(${group})` : ""}`;
    inv.io.out(`uid=${uid}${user ? `(${user})` : ""} gid=${g} groups=${g}\n`);
  }
  return 0;
};

const whoami: Command = (inv) => {
  const { uid } = inv.ctx.user;
  const name = userName(inv, uid);
  if (name) {
    inv.io.out(`${name}\n`);
    return 0;
  }
  return fail(
    inv,
    inv.ctx.profile.tools === "busybox" ? `unknown uid ${uid}` : `cannot find name for user ID ${uid}`,
  );
};

const KERNEL_BUILD = "#1 SMP PREEMPT_DYNAMIC";

const uname: Command = (inv) => {
  const { flags } = parseFlags(inv.args);
  const n = inv.ctx.node;
  const fields: [string, string][] = [
    ["-s", "Linux"],
    ["-n", inv.ctx.hostname],
    ["-r", n.kernelVersion],
    ["-v", KERNEL_BUILD],
    ["-m", n.machine],
    ["-o", "GNU/Linux"],
  ];
  const all = flags.has("-a") || flags.has("--all");
  const picked = fields.filter(([f]) => all || flags.has(f));
  inv.io.out(`${(picked.length > 0 ? picked : [fields[0]]).map(([, v]) => v).join(" ")}\n`);
  return 0;
};

const commandLine = (p: Process): string => p.title ?? p.argv.join(" ");

const ps: Command = (inv) => {
  const all: Process[] = [...inv.ctx.processes, ...inv.ancestors, inv.self];
  const parent = (p: Process, i: number): number => {
    if (p.pid === 1) return 0;
    if (i < inv.ctx.processes.length) return 1;
    const chainIndex = i - inv.ctx.processes.length;
    return chainIndex === 0 ? 0 : all[i - 1].pid;
  };
  if (inv.ctx.profile.tools === "busybox") {
    inv.io.out("PID   USER     TIME  COMMAND\n");
    for (const p of all)
      inv.io.out(`${String(p.pid).padStart(5)} ${p.user.padEnd(8)}  0:00 ${commandLine(p)}\n`);
    return 0;
  }
  const d = new Date(inv.ctx.startedAt);
  const start = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  const args = inv.args.join(" ");
  if (/(^|\s)-?[a-z]*e[a-z]*f|(^|\s)-ef/.test(args)) {
    inv.io.out("UID          PID    PPID  C STIME TTY          TIME CMD\n");
    all.forEach((p, i) => {
      inv.io.out(
        `${p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${String(parent(p, i)).padStart(7)}  0 ${start} ?        00:00:00 ${commandLine(p)}\n`,
      );
    });
  } else if (/aux|-aux|axu/.test(args)) {
    inv.io.out("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
    for (const p of all) {
      inv.io.out(
        `${p.user.padEnd(8)} ${String(p.pid).padStart(7)}  0.0  0.1  11404  7424 ?        Ss   ${start}   0:00 ${commandLine(p)}\n`,
      );
    }
  } else {
    inv.io.out("    PID TTY          TIME CMD\n");
    for (const p of all) {
      const exe = p.argv[0]?.slice(p.argv[0].lastIndexOf("/") + 1) ?? "";
      inv.io.out(`${String(p.pid).padStart(7)} ?        00:00:00 ${exe}\n`);
    }
  }
  return 0;
};

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** strftime in UTC for the conversions `date +FORMAT` scripts use. */
export function formatDate(ms: number, format: string): string {
  const d = new Date(ms);
  const conversions: Record<string, () => string> = {
    Y: () => String(d.getUTCFullYear()),
    y: () => p2(d.getUTCFullYear() % 100),
    m: () => p2(d.getUTCMonth() + 1),
    d: () => p2(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2),
    H: () => p2(d.getUTCHours()),
    M: () => p2(d.getUTCMinutes()),
    S: () => p2(d.getUTCSeconds()),
    N: () => String(d.getUTCMilliseconds() * 1_000_000).padStart(9, "0"),
    s: () => String(Math.floor(ms / 1000)),
    a: () => DAYS[d.getUTCDay()],
    b: () => MONTHS[d.getUTCMonth()],
    F: () => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`,
    T: () => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
    Z: () => "UTC",
    z: () => "+0000",
    "%": () => "%",
  };
  return format.replace(/%(.)/g, (all, c: string) => conversions[c]?.() ?? all);
}

const date: Command = (inv) => {
  const now = inv.ctx.clock.now();
  const format = inv.args.find((a) => a.startsWith("+"));
  let text: string;
  if (format) text = formatDate(now, format.slice(1));
  else if (inv.args.some((a) => a === "-I" || a.startsWith("--iso-8601"))) text = formatDate(now, "%F");
  else if (inv.args.some((a) => a === "-R" || a === "--rfc-email"))
    text = formatDate(now, "%a, %d %b %Y %T +0000");
  else text = unixDate(now);
  inv.io.out(`${text}\n`);
  return 0;
};

const nproc: Command = (inv) => {
  inv.io.out(`${inv.ctx.node.cpus}\n`);
  return 0;
};

const DURATION = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/;
const UNIT_MS: Record<string, number> = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const sleepCommand: Command = async (inv) => {
  if (inv.args.length === 0) return fail(inv, "missing operand");
  let ms = 0;
  for (const a of inv.args) {
    // GNU and busybox sleep both read their numbers with strtod, which takes "inf" and "infinity".
    if (/^inf(inity)?$/i.test(a)) {
      ms = Number.POSITIVE_INFINITY;
      continue;
    }
    const m = DURATION.exec(a);
    if (!m) {
      return fail(
        inv,
        inv.ctx.profile.tools === "busybox" ? `invalid number '${a}'` : `invalid time interval '${a}'`,
      );
    }
    ms += Number(m[1]) * UNIT_MS[m[2]];
  }
  if (ms <= 0) return 0;
  if (ms === Number.POSITIVE_INFINITY) {
    // Until interrupted: no timer, so a clock that runs ahead (main-process.ts) is not asked to wait forever.
    await new Promise<void>((resolve) => {
      if (inv.io.signal.aborted) resolve();
      else inv.io.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    return 130;
  }
  // Interrupted (Ctrl-C, or the client left): the shell reports 128 + SIGINT.
  return (await sleep(inv.ctx.clock, ms, inv.io.signal)) ? 0 : 130;
};

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  v: "\v",
  f: "\f",
};

/** Backslash escapes of echo -e and printf; `\c` ends the output (returned as `stop`). */
function interpretEscapes(text: string): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "\\" || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === "c") return { text: out, stop: true };
    if (next === "0") {
      const octal = /^[0-7]{0,3}/.exec(text.slice(i + 1))?.[0] ?? "";
      out += String.fromCharCode(Number.parseInt(octal || "0", 8));
      i += octal.length;
    } else out += ESCAPES[next] ?? `\\${next}`;
  }
  return { text: out, stop: false };
}

const echo: Command = (inv) => {
  let args = inv.args;
  let newline = true;
  // dash's echo always interprets escapes; busybox, bash and coreutils only with -e.
  let escapes = inv.ctx.profile.shell === "dash";
  while (args.length > 0 && /^-[neE]+$/.test(args[0])) {
    for (const f of args[0].slice(1)) {
      if (f === "n") newline = false;
      else escapes = f === "e";
    }
    args = args.slice(1);
  }
  const joined = args.join(" ");
  const { text, stop } = escapes ? interpretEscapes(joined) : { text: joined, stop: false };
  inv.io.out(text + (newline && !stop ? "\n" : ""));
  return 0;
};

const printf: Command = (inv) => {
  const [format, ...values] = inv.args;
  if (format === undefined) return fail(inv, "usage: printf format [arg ...]", 2);
  let out = "";
  let rest = values;
  do {
    let used = 0;
    const piece = format.replace(/%([-0 #+]*\d*(?:\.\d+)?)([sdicxXo%])/g, (_, spec: string, conv: string) => {
      if (conv === "%") return "%";
      const v = rest[used++] ?? "";
      const width = Number(/\d+/.exec(spec.replace(/\..*/, ""))?.[0] ?? 0);
      const num = Number.parseInt(v, 10) || 0;
      const text =
        conv === "s"
          ? v
          : conv === "c"
            ? v.slice(0, 1)
            : conv === "x"
              ? num.toString(16)
              : conv === "X"
                ? num.toString(16).toUpperCase()
                : conv === "o"
                  ? num.toString(8)
                  : String(num);
      return spec.startsWith("-")
        ? text.padEnd(width)
        : text.padStart(width, spec.startsWith("0") && conv !== "s" ? "0" : " ");
    });
    out += interpretEscapes(piece).text;
    rest = rest.slice(used);
    if (used === 0) break;
  } while (rest.length > 0);
  inv.io.out(out);
  return 0;
};

const pwd: Command = (inv) => {
  inv.io.out(`${inv.cwd}\n`);
  return 0;
};

const which: Command = (inv) => {
  let status = 0;
  for (const name of inv.args.filter((a) => !a.startsWith("-"))) {
    if (inv.ctx.binaries.has(name)) inv.io.out(`${binaryPath(inv.ctx, name)}\n`);
    else status = 1;
  }
  return status;
};

/** test / [ with the unary file and string tests and the binary comparisons scripts use. */
function evaluateTest(inv: Invocation, args: string[]): boolean | string {
  if (args.length === 0) return false;
  if (args[0] === "!") {
    const inner = evaluateTest(inv, args.slice(1));
    return typeof inner === "string" ? inner : !inner;
  }
  if (args.length === 1) return args[0] !== "";
  if (args.length === 2) {
    const [op, operand] = args;
    const entry = inv.ctx.fs.get(resolvePath(inv.cwd, operand));
    switch (op) {
      case "-n":
        return operand !== "";
      case "-z":
        return operand === "";
      case "-e":
      case "-r":
        return entry !== undefined;
      case "-f":
        return entry?.type === "file";
      case "-d":
        return entry?.type === "dir";
      case "-s":
        return entry?.type === "file" && entry.content.length > 0;
      case "-x":
        return entry?.type === "dir" || (entry?.type === "file" && entry.executable);
      case "-w":
        return false;
    }
    return `${op}: unexpected operator`;
  }
  if (args.length === 3) {
    const [a, op, b] = args;
    const x = Number(a);
    const y = Number(b);
    switch (op) {
      case "=":
      case "==":
        return a === b;
      case "!=":
        return a !== b;
      case "-eq":
        return x === y;
      case "-ne":
        return x !== y;
      case "-lt":
        return x < y;
      case "-le":
        return x <= y;
      case "-gt":
        return x > y;
      case "-ge":
        return x >= y;
    }
    return `${op}: unexpected operator`;
  }
  return "too many arguments";
}

const test: Command = (inv) => {
  let args = inv.args;
  if (inv.name === "[") {
    if (args[args.length - 1] !== "]") return fail(inv, "missing ]", 2);
    args = args.slice(0, -1);
  }
  const result = evaluateTest(inv, args);
  if (typeof result === "string") return fail(inv, result, 2);
  return result ? 0 : 1;
};

export const SYSTEM_COMMANDS: Readonly<Record<string, Command>> = {
  env,
  printenv,
  hostname,
  id,
  whoami,
  uname,
  ps,
  date,
  nproc,
  sleep: sleepCommand,
  echo,
  printf,
  pwd,
  true: () => 0,
  false: () => 1,
  test,
  "[": test,
  which,
};
