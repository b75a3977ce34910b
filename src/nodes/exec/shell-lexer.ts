// Splits shell text into tokens for the parser (shell-syntax.ts): operators, redirections, and words built of
// single- and double-quoted text, backslash escapes, `$NAME`, `${NAME}`, `${NAME:-default}`, special
// parameters, `$(…)` / backquote command substitution and `$((…))` arithmetic. Each token knows its line.

export type WordPart =
  | { type: "text"; value: string; quoted: boolean }
  | { type: "param"; name: string; quoted: boolean; fallback?: { word: Word; ifEmpty: boolean } }
  | { type: "command"; script: string; quoted: boolean }
  /** `$((expression))`: the expression is expanded like double-quoted text, then evaluated. */
  | { type: "arith"; expression: Word; quoted: boolean };

export type Word = WordPart[];

export type RedirectOp = ">" | ">>" | "<" | ">&";

export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    /** More input could complete the script (an open quote, a trailing `&&` or `|`, an open `if`). */
    readonly incomplete = false,
  ) {
    super(message);
    this.name = "ShellSyntaxError";
  }
}

export type Operator = "&&" | "||" | "|" | ";" | "&" | "\n" | "(" | ")" | ";;";

export type Token = { line: number } & (
  | { type: "word"; word: Word; plain?: string }
  | { type: "op"; op: Operator }
  | { type: "redirect"; fd: number; op: RedirectOp }
);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const SPECIAL_PARAMS = "?$#@*!-0123456789";
/** Characters a backslash keeps literal in a `case` pattern; elsewhere an escape only drops the backslash. */
const GLOB_CHARS = "*?[]\\";

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

/**
 * Index just past the `))` closing a `$((` whose expression starts at `start`, or undefined when the first
 * unbalanced `)` is not doubled: then `$((…)…)` is a command substitution starting with a subshell.
 */
function arithmeticEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")") {
      if (depth > 0) depth--;
      else return text[i + 1] === ")" ? i + 2 : undefined;
    }
  }
  throw new ShellSyntaxError("unterminated arithmetic expression", true);
}

/** Reads a `$` expansion at `i` (pointing at `$`); returns the part and the index after it, or undefined. */
function readDollar(text: string, i: number, quoted: boolean): [WordPart, number] | undefined {
  const next = text[i + 1];
  if (next === "(" && text[i + 2] === "(") {
    const end = arithmeticEnd(text, i + 3);
    if (end !== undefined) {
      return [{ type: "arith", expression: parseQuotedText(text.slice(i + 3, end - 2), true), quoted }, end];
    }
  }
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
export function parseQuotedText(text: string, quoted = true): Word {
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

export class Lexer {
  private i = 0;
  /** Line of `counted`; advanced lazily as tokens start further on. */
  private line = 1;
  private counted = 0;

  constructor(private readonly text: string) {}

  tokens(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const t = this.next();
      if (!t) return out;
      out.push(t);
    }
  }

  private lineAt(pos: number): number {
    for (; this.counted < pos; this.counted++) if (this.text[this.counted] === "\n") this.line++;
    return this.line;
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
    const line = this.lineAt(this.i);
    const rest = s.slice(this.i, this.i + 3);
    const op = /^(&&|\|\||;;|&>|[|;&\n()])/.exec(rest)?.[0];
    if (op === "&>") {
      this.i += 2;
      return { type: "redirect", fd: -1, op: ">", line };
    }
    const redirect = /^(\d*)(>>|>&|>|<)/.exec(s.slice(this.i, this.i + 24));
    if (redirect) {
      this.i += redirect[0].length;
      const fd = redirect[1] ? Number(redirect[1]) : redirect[2] === "<" ? 0 : 1;
      return { type: "redirect", fd, op: redirect[2] as RedirectOp, line };
    }
    if (op) {
      this.i += op.length;
      return { type: "op", op: op as Operator, line };
    }
    return { ...this.word(), line };
  }

  private word(): { type: "word"; word: Word; plain?: string } {
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
        const escaped = s[this.i + 1];
        if (GLOB_CHARS.includes(escaped)) {
          flush();
          parts.push({ type: "text", value: escaped, quoted: true });
        } else if (escaped !== "\n") literal += escaped;
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
    if (!plain) return { type: "word", word: parts };
    return {
      type: "word",
      word: parts,
      plain: parts.map((p) => (p.type === "text" ? p.value : "")).join(""),
    };
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
