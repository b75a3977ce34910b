// Parses the POSIX shell subset the simulated shell runs: lists joined by `;`, newlines, `&&` and `||`;
// pipelines with `|` and `!`; simple commands with VAR=value prefixes and redirections (`>`, `>>`, `<`,
// `2>&1`, `&>`); the compound commands if, while, until, for, case, `{ …; }` and `( … )`. Words come from the
// lexer (shell-lexer.ts). Functions, `select` and `[[` are refused with a clear message. An unterminated
// quote, a trailing `&&` or an open `for` reports `incomplete`, so an interactive shell can read another line.
import { Lexer, type RedirectOp, ShellSyntaxError, type Token, type Word } from "./shell-lexer.js";

export { ShellSyntaxError, type Word, type WordPart } from "./shell-lexer.js";

export interface Redirect {
  /** 0 stdin, 1 stdout, 2 stderr; -1 for `&>` (both). */
  fd: number;
  op: RedirectOp;
  target: Word;
}

export interface SimpleCommand {
  type: "simple";
  /** Line of the command's first word, from 1 (dash and bash print it in messages). */
  line: number;
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

export type CompoundCommand = { line: number; redirects: Redirect[] } & (
  | { type: "if"; clauses: { condition: Script; body: Script }[]; otherwise?: Script }
  | { type: "while"; until: boolean; condition: Script; body: Script }
  /** `words` is absent for `for NAME; do`, which walks the positional parameters. */
  | { type: "for"; name: string; words?: Word[]; body: Script }
  | { type: "case"; word: Word; items: { patterns: Word[]; body: Script }[] }
  | { type: "group"; body: Script }
  | { type: "subshell"; body: Script }
);

export type Command = SimpleCommand | CompoundCommand;

export interface Pipeline {
  negated: boolean;
  commands: Command[];
}

export interface AndOrList {
  /** Line the list starts on. */
  line: number;
  pipelines: Pipeline[];
  /** operators[i] joins pipelines[i] and pipelines[i + 1]. */
  operators: ("&&" | "||")[];
}

export type Script = AndOrList[];

/** Words that end a compound list: the parser of the enclosing command checks it got the one it expects. */
const CLOSERS = new Set(["then", "else", "elif", "fi", "do", "done", "esac", "}"]);
const UNSUPPORTED = new Set(["function", "select", "[["]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const describe = (t: Token): string =>
  t.type === "op"
    ? t.op === "\n"
      ? "newline"
      : t.op
    : t.type === "word"
      ? (t.plain ?? "word")
      : "redirection";

const unexpected = (t: Token | undefined): ShellSyntaxError =>
  t?.type === "word" && !(t.plain && CLOSERS.has(t.plain))
    ? new ShellSyntaxError("syntax error: unexpected word")
    : new ShellSyntaxError(`syntax error: unexpected "${t ? describe(t) : "end of file"}"`);

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  script(): Script {
    const lists = this.list();
    const t = this.peek();
    if (t) throw unexpected(t);
    return lists;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  /** The next token's text when it is an unquoted word (a reserved word can only be one). */
  private peekWord(): string | undefined {
    const t = this.peek();
    return t?.type === "word" ? t.plain : undefined;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t?.type === "op" && t.op === op;
  }

  /** And-or lists up to the end, a `)` or `;;`, or a word that closes a compound command. */
  private list(): Script {
    const lists: Script = [];
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (!t || (t.type === "op" && (t.op === ")" || t.op === ";;"))) return lists;
      if (t.type === "word" && t.plain && CLOSERS.has(t.plain)) return lists;
      lists.push(this.andOr());
      const after = this.peek();
      if (after?.type === "op" && (after.op === ";" || after.op === "\n" || after.op === "&")) continue;
      if (after?.type === "op" && (after.op === ")" || after.op === ";;")) return lists;
      // `done done`: a compound command may end the list without a separator.
      if (after?.type === "word" && after.plain && CLOSERS.has(after.plain)) return lists;
      if (after) throw unexpected(after);
    }
  }

  /** A compound list that must not be empty, followed by `closer` (one of several, when given a set). */
  private body(closers: string | readonly string[]): Script {
    const expected = typeof closers === "string" ? [closers] : closers;
    const lists = this.list();
    const t = this.peek();
    if (!t)
      throw new ShellSyntaxError(`syntax error: unexpected end of file (expecting "${expected[0]}")`, true);
    const closer = t.type === "word" ? t.plain : t.type === "op" ? t.op : undefined;
    if (lists.length === 0 || closer === undefined || !expected.includes(closer)) throw unexpected(t);
    return lists;
  }

  /** Consumes the reserved word (or operator) `what`, or fails as the real parser does. */
  private expect(what: string): void {
    const t = this.peek();
    if (!t) throw new ShellSyntaxError(`syntax error: unexpected end of file (expecting "${what}")`, true);
    const text = t.type === "word" ? t.plain : t.type === "op" ? t.op : undefined;
    if (text !== what) throw unexpected(t);
    this.pos++;
  }

  private skipSeparators(newlinesOnly = false): void {
    for (let t = this.peek(); t?.type === "op"; t = this.peek()) {
      if (t.op === "\n" || (!newlinesOnly && (t.op === ";" || t.op === "&"))) this.pos++;
      else return;
    }
  }

  private andOr(): AndOrList {
    const line = this.peek()?.line ?? 1;
    const list: AndOrList = { line, pipelines: [this.pipeline()], operators: [] };
    for (let t = this.peek(); t?.type === "op" && (t.op === "&&" || t.op === "||"); ) {
      this.pos++;
      this.skipSeparators(true);
      if (this.pos >= this.tokens.length) throw new ShellSyntaxError(`unexpected end after ${t.op}`, true);
      list.operators.push(t.op);
      list.pipelines.push(this.pipeline());
      t = this.peek();
    }
    return list;
  }

  private pipeline(): Pipeline {
    const pipeline: Pipeline = { negated: false, commands: [] };
    if (this.peekWord() === "!") {
      pipeline.negated = true;
      this.pos++;
    }
    pipeline.commands.push(this.command());
    while (this.isOp("|")) {
      this.pos++;
      this.skipSeparators(true);
      if (this.pos >= this.tokens.length) throw new ShellSyntaxError("unexpected end after |", true);
      pipeline.commands.push(this.command());
    }
    return pipeline;
  }

  private command(): Command {
    const t = this.peek();
    const line = t?.line ?? 1;
    if (t?.type === "op" && t.op === "(") {
      this.pos++;
      const body = this.body(")");
      this.pos++;
      return { type: "subshell", body, line, redirects: this.redirects() };
    }
    const word = this.peekWord();
    if (word !== undefined && CLOSERS.has(word)) throw unexpected(t);
    if (word !== undefined && UNSUPPORTED.has(word)) {
      throw new ShellSyntaxError(
        word === "function"
          ? "function: functions are not supported by the simulated shell"
          : `${word}: compound commands are not supported by the simulated shell`,
      );
    }
    let compound: CompoundCommand | undefined;
    if (word === "if") compound = this.ifCommand(line);
    else if (word === "while" || word === "until") compound = this.whileCommand(line, word === "until");
    else if (word === "for") compound = this.forCommand(line);
    else if (word === "case") compound = this.caseCommand(line);
    else if (word === "{") {
      this.pos++;
      const body = this.body("}");
      this.pos++;
      compound = { type: "group", body, line, redirects: [] };
    }
    if (!compound) return this.simpleCommand();
    compound.redirects = this.redirects();
    return compound;
  }

  private redirects(): Redirect[] {
    const redirects: Redirect[] = [];
    for (let t = this.peek(); t?.type === "redirect"; t = this.peek()) {
      this.pos++;
      redirects.push({ fd: t.fd, op: t.op, target: this.redirectTarget() });
    }
    return redirects;
  }

  private redirectTarget(): Word {
    const target = this.peek();
    if (target?.type !== "word") {
      throw new ShellSyntaxError(`syntax error: unexpected "${target ? describe(target) : "end of file"}"`);
    }
    this.pos++;
    return target.word;
  }

  private ifCommand(line: number): CompoundCommand {
    this.pos++;
    const clauses: { condition: Script; body: Script }[] = [];
    for (;;) {
      const condition = this.body("then");
      this.pos++;
      clauses.push({ condition, body: this.body(["fi", "elif", "else"]) });
      const closer = this.peekWord();
      this.pos++;
      if (closer === "fi") return { type: "if", clauses, line, redirects: [] };
      if (closer === "else") {
        const otherwise = this.body("fi");
        this.pos++;
        return { type: "if", clauses, otherwise, line, redirects: [] };
      }
    }
  }

  private whileCommand(line: number, until: boolean): CompoundCommand {
    this.pos++;
    const condition = this.body("do");
    this.pos++;
    const body = this.body("done");
    this.pos++;
    return { type: "while", until, condition, body, line, redirects: [] };
  }

  private forCommand(line: number): CompoundCommand {
    this.pos++;
    const name = this.peek();
    if (!name) throw new ShellSyntaxError('syntax error: unexpected end of file (expecting "do")', true);
    if (name.type !== "word" || !name.plain || !NAME.test(name.plain)) {
      throw new ShellSyntaxError("syntax error: bad for loop variable");
    }
    this.pos++;
    let words: Word[] | undefined;
    this.skipSeparators(true);
    if (this.peekWord() === "in") {
      this.pos++;
      words = [];
      for (let t = this.peek(); t?.type === "word"; t = this.peek()) {
        words.push(t.word);
        this.pos++;
      }
      if (!this.isOp(";") && !this.isOp("\n")) {
        const t = this.peek();
        if (!t) throw new ShellSyntaxError('syntax error: unexpected end of file (expecting "do")', true);
        throw unexpected(t);
      }
      this.pos++;
    } else if (this.isOp(";")) {
      this.pos++;
    }
    this.skipSeparators(true);
    this.expect("do");
    const body = this.body("done");
    this.pos++;
    return { type: "for", name: name.plain, words, body, line, redirects: [] };
  }

  private caseCommand(line: number): CompoundCommand {
    this.pos++;
    const subject = this.peek();
    if (!subject) throw new ShellSyntaxError('syntax error: unexpected end of file (expecting "in")', true);
    if (subject.type !== "word") throw unexpected(subject);
    this.pos++;
    this.skipSeparators(true);
    this.expect("in");
    const items: { patterns: Word[]; body: Script }[] = [];
    for (;;) {
      this.skipSeparators(true);
      if (!this.peek())
        throw new ShellSyntaxError('syntax error: unexpected end of file (expecting "esac")', true);
      if (this.peekWord() === "esac") {
        this.pos++;
        return { type: "case", word: subject.word, items, line, redirects: [] };
      }
      if (this.isOp("(")) this.pos++;
      const patterns = [this.pattern()];
      while (this.isOp("|")) {
        this.pos++;
        patterns.push(this.pattern());
      }
      this.expect(")");
      const body = this.list();
      items.push({ patterns, body });
      const t = this.peek();
      if (!t) throw new ShellSyntaxError('syntax error: unexpected end of file (expecting ";;")', true);
      if (t.type === "op" && t.op === ";;") this.pos++;
      else if (this.peekWord() !== "esac") throw unexpected(t);
    }
  }

  private pattern(): Word {
    const t = this.peek();
    if (!t) throw new ShellSyntaxError('syntax error: unexpected end of file (expecting ")")', true);
    if (t.type !== "word") throw unexpected(t);
    this.pos++;
    return t.word;
  }

  private simpleCommand(): SimpleCommand {
    const cmd: SimpleCommand = {
      type: "simple",
      line: this.peek()?.line ?? 1,
      assignments: [],
      words: [],
      redirects: [],
    };
    for (let t = this.peek(); t && t.type !== "op"; t = this.peek()) {
      this.pos++;
      if (t.type === "redirect") {
        cmd.redirects.push({ fd: t.fd, op: t.op, target: this.redirectTarget() });
        continue;
      }
      const assignment = cmd.words.length === 0 ? asAssignment(t.word) : undefined;
      if (assignment) cmd.assignments.push(assignment);
      else cmd.words.push(t.word);
    }
    if (cmd.words.length === 1 && cmd.assignments.length === 0 && this.isOp("(")) {
      throw new ShellSyntaxError("functions are not supported by the simulated shell");
    }
    if (cmd.words.length === 0 && cmd.assignments.length === 0 && cmd.redirects.length === 0) {
      const t = this.peek();
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
