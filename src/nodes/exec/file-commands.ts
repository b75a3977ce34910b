// Programs that read files and text: cat, ls, head, tail, grep and wc, over the session's read-only file tree
// and stdin, with the options scripts and tutorials use and busybox's or GNU's error wording.
import { type Command, cannotOpen, fail, type Invocation, parseFlags } from "./command.js";
import { resolvePath } from "./container-fs.js";

/** A file's text, or undefined after printing why it cannot be read. */
function readFile(inv: Invocation, path: string): string | undefined {
  const entry = inv.ctx.fs.get(resolvePath(inv.cwd, path));
  if (!entry) {
    fail(inv, cannotOpen(inv, path));
    return undefined;
  }
  if (entry.type === "dir") {
    fail(inv, inv.ctx.profile.tools === "busybox" ? "read error: Is a directory" : `${path}: Is a directory`);
    return undefined;
  }
  return entry.content;
}

/** The text of every operand (stdin for none or `-`), in order; `ok` is false if one could not be read. */
async function inputs(
  inv: Invocation,
  operands: string[],
): Promise<{ texts: [string, string][]; ok: boolean }> {
  if (operands.length === 0) return { texts: [["-", await inv.io.stdin.text()]], ok: true };
  const texts: [string, string][] = [];
  let ok = true;
  for (const path of operands) {
    const text = path === "-" ? await inv.io.stdin.text() : readFile(inv, path);
    if (text === undefined) ok = false;
    else texts.push([path, text]);
  }
  return { texts, ok };
}

const splitLines = (text: string): string[] => {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
};

const cat: Command = async (inv) => {
  const { operands } = parseFlags(inv.args);
  let status = 0;
  for (const path of operands.length === 0 ? ["-"] : operands) {
    if (path === "-") {
      for await (const chunk of inv.io.stdin.chunks()) inv.io.out(chunk);
      continue;
    }
    const text = readFile(inv, path);
    if (text === undefined) status = 1;
    else inv.io.out(text);
  }
  return status;
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function longListing(inv: Invocation, path: string, name: string): string {
  const entry = inv.ctx.fs.get(path);
  const d = new Date(inv.ctx.startedAt);
  const when = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  const isDir = entry?.type === "dir";
  const mode = isDir ? "drwxr-xr-x" : entry?.executable ? "-rwxr-xr-x" : "-rw-r--r--";
  const size = isDir ? 4096 : Buffer.byteLength(entry?.content ?? "");
  return `${mode} ${isDir ? 2 : 1} root root ${String(size).padStart(5)} ${when} ${name}`;
}

const ls: Command = (inv) => {
  const { flags, operands } = parseFlags(inv.args);
  const long = flags.has("-l");
  const all = flags.has("-a");
  const almostAll = flags.has("-A");
  const targets = operands.length > 0 ? operands : ["."];
  const busybox = inv.ctx.profile.tools === "busybox";
  let status = 0;
  const files: string[] = [];
  const dirs: [string, string][] = [];
  for (const t of targets) {
    const path = resolvePath(inv.cwd, t);
    const entry = inv.ctx.fs.get(path);
    if (!entry) {
      inv.io.err(
        busybox
          ? `ls: ${t}: No such file or directory\n`
          : `ls: cannot access '${t}': No such file or directory\n`,
      );
      status = busybox ? 1 : 2;
    } else if (entry.type === "dir") dirs.push([t, path]);
    else files.push(long ? longListing(inv, path, t) : t);
  }
  const blocks: string[] = [];
  if (files.length > 0) blocks.push(files.map((f) => `${f}\n`).join(""));
  for (const [shown, path] of dirs) {
    let names = inv.ctx.fs.list(path).filter((n) => all || almostAll || !n.startsWith("."));
    if (all) names = [".", "..", ...names];
    const lines = names.map((n) =>
      long ? longListing(inv, n === "." || n === ".." ? path : resolvePath(path, n), n) : n,
    );
    const header = targets.length > 1 ? `${shown}:\n` : "";
    const total = long ? `total ${names.length * 4}\n` : "";
    blocks.push(header + total + lines.map((l) => `${l}\n`).join(""));
  }
  inv.io.out(blocks.join("\n"));
  return status;
};

/** `-n N`, `-N` or `+N`-less counts of head and tail; returns undefined (after a message) when invalid. */
function lineCount(inv: Invocation, flags: Map<string, string>, operands: string[]): number | undefined {
  const numeric = operands.find((o) => /^-\d+$/.test(o));
  if (numeric) operands.splice(operands.indexOf(numeric), 1);
  const text = flags.get("-n") ?? (numeric ? numeric.slice(1) : "10");
  const n = Number(text);
  if (!Number.isInteger(Math.abs(n))) {
    fail(inv, `invalid number '${text}'`);
    return undefined;
  }
  return Math.abs(n);
}

function headOrTail(fromEnd: boolean): Command {
  return async (inv) => {
    const { flags, operands } = parseFlags(inv.args, ["-n", "-c"]);
    const count = lineCount(inv, flags, operands);
    if (count === undefined) return 1;
    const { texts, ok } = await inputs(inv, operands);
    const bytes = flags.has("-c") ? Number(flags.get("-c")) : undefined;
    texts.forEach(([path, text], i) => {
      if (texts.length > 1) inv.io.out(`${i > 0 ? "\n" : ""}==> ${path} <==\n`);
      if (bytes !== undefined) {
        inv.io.out(fromEnd ? text.slice(Math.max(0, text.length - bytes)) : text.slice(0, bytes));
        return;
      }
      const lines = splitLines(text);
      const picked = fromEnd ? lines.slice(Math.max(0, lines.length - count)) : lines.slice(0, count);
      inv.io.out(picked.map((l) => `${l}\n`).join(""));
    });
    return ok ? 0 : 1;
  };
}

/** A grep pattern as a JavaScript RegExp (basic regular expressions swap the meaning of `\(` and `(` etc). */
function grepRegExp(pattern: string, flags: Map<string, string>): RegExp {
  let source: string;
  if (flags.has("-F")) source = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  else if (flags.has("-E")) source = pattern;
  else source = pattern.replace(/\\([(){}|+?])|([(){}|+?])/g, (_, escaped, plain) => escaped ?? `\\${plain}`);
  if (flags.has("-w")) source = `\\b(?:${source})\\b`;
  return new RegExp(source, flags.has("-i") ? "i" : "");
}

const grep: Command = async (inv) => {
  const { flags, operands } = parseFlags(inv.args, ["-e"]);
  const pattern = flags.get("-e") ?? operands.shift();
  if (pattern === undefined) {
    inv.io.err(
      inv.ctx.profile.tools === "busybox"
        ? "grep: no pattern\n"
        : "Usage: grep [OPTION]... PATTERNS [FILE]...\n",
    );
    return 2;
  }
  let re: RegExp;
  try {
    re = grepRegExp(pattern, flags);
  } catch {
    return fail(inv, `invalid regular expression '${pattern}'`, 2);
  }
  const { texts, ok } = await inputs(inv, operands);
  const invert = flags.has("-v");
  let matched = 0;
  for (const [path, text] of texts) {
    const prefix = texts.length > 1 ? `${path}:` : "";
    let count = 0;
    splitLines(text).forEach((line, i) => {
      if (re.test(line) === invert) return;
      count++;
      if (!flags.has("-c") && !flags.has("-q")) {
        inv.io.out(`${prefix}${flags.has("-n") ? `${i + 1}:` : ""}${line}\n`);
      }
    });
    if (flags.has("-c") && !flags.has("-q")) inv.io.out(`${prefix}${count}\n`);
    matched += count;
  }
  if (!ok) return 2;
  return matched > 0 ? 0 : 1;
};

const wc: Command = async (inv) => {
  const { flags, operands } = parseFlags(inv.args);
  const { texts, ok } = await inputs(inv, operands);
  const wanted = ["-l", "-w", "-c"].filter((f) => flags.has(f) || (f === "-c" && flags.has("-m")));
  const show = wanted.length > 0 ? wanted : ["-l", "-w", "-c"];
  const rows = texts.map(([path, text]): [string, number[]] => {
    const counts: Record<string, number> = {
      "-l": (text.match(/\n/g) ?? []).length,
      "-w": text.split(/\s+/).filter((w) => w !== "").length,
      "-c": Buffer.byteLength(text),
    };
    return [path, show.map((f) => counts[f])];
  });
  if (rows.length > 1) rows.push(["total", show.map((_, i) => rows.reduce((s, [, c]) => s + c[i], 0))]);
  // One count of stdin prints bare; otherwise columns are padded as GNU and busybox pad them.
  const bare = show.length === 1 && operands.length === 0;
  for (const [path, counts] of rows) {
    const cells = counts.map((c) => (bare ? String(c) : String(c).padStart(7)));
    inv.io.out(`${cells.join(" ")}${path === "-" ? "" : ` ${path}`}\n`);
  }
  return ok ? 0 : 1;
};

export const FILE_COMMANDS: Readonly<Record<string, Command>> = {
  cat,
  ls,
  head: headOrTail(false),
  tail: headOrTail(true),
  grep,
  wc,
};
