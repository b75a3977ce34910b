// Parses the POSIX shell subset the simulated shell runs: lists joined by `;`, newlines, `&&` and `||`;
// pipelines with `|` and `!`; simple commands with VAR=value prefixes, words built of single- and double-quoted
// text, backslash escapes, `$NAME`, `${NAME}`, `${NAME:-default}`, special parameters and `$(…)` / backquote
// command substitution; redirections (`>`, `>>`, `<`, `2>&1`, `&>`). Compound commands (if, for, while,
// case, functions, subshells) are refused with a clear message. An unterminated quote or a trailing `&&`
// reports `incomplete`, so an interactive shell can read another line.

export type WordPart =
  | { type: "text"; value: string; quoted: boolean }
  | { type: "param"; name: string; quoted: boolean; fallback?: { word: Word; ifEmpty: boolean } }
  | { type: "command"; script: string; quoted: boolean };

export type Word = WordPart[];

export interface Redirect {
  /** 0 stdin, 1 stdout, 2 stderr; -1 for `&>` (both). */
  fd: number;
  op: ">" | ">>" | "<" | ">&";
  target: Word;
}

export interface SimpleCommand {
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  negated: boolean;
  commands: SimpleCommand[];
}

export interface AndOrList {
  pipelines: Pipeline[];
  /** operators[i] joins pipelines[i] and pipelines[i + 1]. */
  operators: ("&&" | "||")[];
}

export type Script = AndOrList[];

export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    /** More input could complete the script (an open quote, a trailing `&&` or `|`). */
    readonly incomplete = false,
  ) {
    super(message);
    this.name = "ShellSyntaxError";
  }
}

const UNSUPPORTED_KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "for",
  "while",
  "until",
  "do",
  "done",
  "case",
  "esac",
  "function",
  "select",
  "{",
  "}",
  "[[",
]);

type Token =
  | { type: "word"; word: Word; plain?: string }
  | { type: "op"; op: "&&" | "||" | "|" | ";" | "&" | "\n" }
  | { type: "redirect"; fd: number; op: Redirect["op"] };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const SPECIAL_PARAMS = "?$#@*!-0123456789";

/** Index just past the `)` closing a `$(` whose content starts at `start`. */
function commandEnd(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) break;
      i = close;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i + 1;
  }
  throw new ShellSyntaxError("unterminated command substitution", true);
}

/** Reads a `$` expansion at `i` (pointing at `$`); returns the part and the index after it, or undefined. */
function readDollar(text: string, i: number, quoted: boolean): [WordPart, number] | undefined {
  const next = text[i + 1];
  if (next === "(") {
    const end = commandEnd(text, i + 2);
    return [{ type: "command", script: text.slice(i + 2, end - 1), quoted }, end];
  }
  if (next === "{") {
    const close = text.indexOf("}", i + 2);
    if (close < 0) throw new ShellSyntaxError("missing '}'", true);
    const body = text.slice(i + 2, close);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#@*!0-9])(?:(:?)-(.*))?$/s.exec(body);
    if (!m) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
    const part: WordPart = { type: "param", name: m[1], quoted };
    if (m[3] !== undefined) part.fallback = { word: parseQuotedText(m[3], quoted), ifEmpty: m[2] === ":" };
    return [part, close + 1];
  }
  const name = NAME.exec(text.slice(i + 1));
  if (name) return [{ type: "param", name: name[0], quoted }, i + 1 + name[0].length];
  if (next !== undefined && SPECIAL_PARAMS.includes(next))
    return [{ type: "param", name: next, quoted }, i + 2];
  return undefined;
}

/** The parts of double-quoted text (also a `${X:-…}` default): `$` expansions and `\` before $ ` " \ newline. */
function parseQuotedText(text: string, quoted = true): Word {
  const parts: Word = [];
  let literal = "";
  const flush = () => {
    if (literal) parts.push({ type: "text", value: literal, quoted });
    literal = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1])) {
      if (text[i + 1] !== "\n") literal += text[i + 1];
      i++;
    } else if (c === "$") {
      const read = readDollar(text, i, quoted);
      if (!read) {
        literal += c;
        continue;
      }
      flush();
      parts.push(read[0]);
      i = read[1] - 1;
    } else if (c === "`") {
      const close = text.indexOf("`", i + 1);
      if (close < 0) throw new ShellSyntaxError("unterminated quoted string", true);
      flush();
      parts.push({ type: "command", script: text.slice(i + 1, close), quoted });
      i = close;
    } else {
      literal += c;
    }
  }
  flush();
  return parts;
}

class Lexer {
  private i = 0;
  constructor(private readonly text: string) {}

  tokens(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const t = this.next();
      if (!t) return out;
      out.push(t);
    }
  }

  private next(): Token | undefined {
    const s = this.text;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === " " || c === "\t") this.i++;
      else if (c === "\\" && s[this.i + 1] === "\n") this.i += 2;
      else if (c === "#") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
      } else break;
    }
    if (this.i >= s.length) return undefined;
    const rest = s.slice(this.i);
    const op = /^(&&|\|\||;;|&>|[|;&\n()])/.exec(rest)?.[0];
    const redirect = /^(\d*)(>>|>&|>|<)/.exec(rest);
    if (op === "&>") {
      this.i += 2;
      return { type: "redirect", fd: -1, op: ">" };
    }
    if (redirect) {
      this.i += redirect[0].length;
      const fd = redirect[1] ? Number(redirect[1]) : redirect[2] === "<" ? 0 : 1;
      return { type: "redirect", fd, op: redirect[2] as Redirect["op"] };
    }
    if (op === "(" || op === ")")
      throw new ShellSyntaxError("subshells are not supported by the simulated shell");
    if (op === ";;") throw new ShellSyntaxError('syntax error: unexpected ";;"');
    if (op) {
      this.i += op.length;
      return { type: "op", op: op as "&&" };
    }
    return this.word();
  }

  private word(): Token {
    const s = this.text;
    const parts: Word = [];
    let literal = "";
    let plain = true;
    const flush = () => {
      if (literal) parts.push({ type: "text", value: literal, quoted: false });
      literal = "";
    };
    while (this.i < s.length) {
      const c = s[this.i];
      if (" \t\n|&;<>()".includes(c)) break;
      if (c === "'") {
        const close = s.indexOf("'", this.i + 1);
        if (close < 0) throw new ShellSyntaxError("unterminated quoted string", true);
        flush();
        parts.push({ type: "text", value: s.slice(this.i + 1, close), quoted: true });
        plain = false;
        this.i = close + 1;
      } else if (c === '"') {
        const close = this.closingQuote(this.i + 1);
        flush();
        const inner = parseQuotedText(s.slice(this.i + 1, close));
        parts.push(...(inner.length > 0 ? inner : [{ type: "text" as const, value: "", quoted: true }]));
        plain = false;
        this.i = close + 1;
      } else if (c === "\\") {
        if (this.i + 1 >= s.length) throw new ShellSyntaxError("unexpected end of input after \\", true);
        if (s[this.i + 1] !== "\n") literal += s[this.i + 1];
        plain = false;
        this.i += 2;
      } else if (c === "`") {
        const close = this.closingBackquote();
        flush();
        parts.push({ type: "command", script: s.slice(this.i + 1, close - 1), quoted: false });
        plain = false;
        this.i = close;
      } else {
        const expansion = c === "$" ? readDollar(s, this.i, false) : undefined;
        if (expansion) {
          flush();
          parts.push(expansion[0]);
          plain = false;
          this.i = expansion[1];
        } else {
          literal += c;
          this.i++;
        }
      }
    }
    flush();
    const token: Token = { type: "word", word: parts };
    if (plain) token.plain = parts.map((p) => (p.type === "text" ? p.value : "")).join("");
    return token;
  }

  /** Index of the `"` closing a double-quoted string whose content starts at `from`. */
  private closingQuote(from: number): number {
    const s = this.text;
    for (let i = from; i < s.length; i++) {
      if (s[i] === "\\") i++;
      else if (s[i] === '"') return i;
      else if (s[i] === "$" && s[i + 1] === "(") i = commandEnd(s, i + 2) - 1;
    }
    throw new ShellSyntaxError("unterminated quoted string", true);
  }

  /** Index just past the backquote closing the one at the cursor. */
  private closingBackquote(): number {
    const close = this.text.indexOf("`", this.i + 1);
    if (close < 0) throw new ShellSyntaxError("unterminated quoted string", true);
    return close + 1;
  }
}

const describe = (t: Token): string => (t.type === "op" ? (t.op === "\n" ? "newline" : t.op) : "redirection");

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  script(): Script {
    const lists: Script = [];
    for (;;) {
      this.skipSeparators();
      if (this.pos >= this.tokens.length) return lists;
      lists.push(this.andOr());
      const t = this.tokens[this.pos];
      if (t && !(t.type === "op" && (t.op === ";" || t.op === "\n" || t.op === "&"))) {
        throw new ShellSyntaxError(`syntax error: unexpected "${describe(t)}"`);
      }
    }
  }

  private skipSeparators(newlinesOnly = false): void {
    for (let t = this.tokens[this.pos]; t?.type === "op"; t = this.tokens[this.pos]) {
      if (t.op === "\n" || (!newlinesOnly && (t.op === ";" || t.op === "&"))) this.pos++;
      else return;
    }
  }

  private andOr(): AndOrList {
    const list: AndOrList = { pipelines: [this.pipeline()], operators: [] };
    for (let t = this.tokens[this.pos]; t?.type === "op" && (t.op === "&&" || t.op === "||"); ) {
      this.pos++;
      this.skipSeparators(true);
      if (this.pos >= this.tokens.length) throw new ShellSyntaxError(`unexpected end after ${t.op}`, true);
      list.operators.push(t.op);
      list.pipelines.push(this.pipeline());
      t = this.tokens[this.pos];
    }
    return list;
  }

  private pipeline(): Pipeline {
    const pipeline: Pipeline = { negated: false, commands: [] };
    const first = this.tokens[this.pos];
    if (first?.type === "word" && first.plain === "!") {
      pipeline.negated = true;
      this.pos++;
    }
    pipeline.commands.push(this.command());
    while (this.tokens[this.pos]?.type === "op" && (this.tokens[this.pos] as { op: string }).op === "|") {
      this.pos++;
      this.skipSeparators(true);
      if (this.pos >= this.tokens.length) throw new ShellSyntaxError("unexpected end after |", true);
      pipeline.commands.push(this.command());
    }
    return pipeline;
  }

  private command(): SimpleCommand {
    const cmd: SimpleCommand = { assignments: [], words: [], redirects: [] };
    for (let t = this.tokens[this.pos]; t && t.type !== "op"; t = this.tokens[this.pos]) {
      this.pos++;
      if (t.type === "redirect") {
        const target = this.tokens[this.pos];
        if (target?.type !== "word") {
          throw new ShellSyntaxError(
            `syntax error: unexpected "${target ? describe(target) : "end of file"}"`,
          );
        }
        this.pos++;
        cmd.redirects.push({ fd: t.fd, op: t.op, target: target.word });
        continue;
      }
      const assignment = cmd.words.length === 0 ? asAssignment(t.word) : undefined;
      if (assignment) {
        cmd.assignments.push(assignment);
        continue;
      }
      if (cmd.words.length === 0 && t.plain !== undefined && UNSUPPORTED_KEYWORDS.has(t.plain)) {
        throw new ShellSyntaxError(`${t.plain}: compound commands are not supported by the simulated shell`);
      }
      cmd.words.push(t.word);
    }
    if (cmd.words.length === 0 && cmd.assignments.length === 0 && cmd.redirects.length === 0) {
      const t = this.tokens[this.pos];
      throw new ShellSyntaxError(`syntax error: unexpected "${t ? describe(t) : "end of file"}"`);
    }
    return cmd;
  }
}

/** `NAME=value` at the start of a command. */
function asAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word[0];
  if (first?.type !== "text" || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.value);
  if (!m) return undefined;
  const rest = first.value.slice(m[0].length);
  const value: Word = rest ? [{ type: "text", value: rest, quoted: false }, ...word.slice(1)] : word.slice(1);
  return { name: m[1], value };
}

/** Parses a script; throws ShellSyntaxError. */
export function parseScript(text: string): Script {
  return new Parser(new Lexer(text).tokens()).script();
}
