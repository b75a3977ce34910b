// Evaluates the expression of an arithmetic expansion `$((…))` with 64-bit integers and C's operators and
// precedence, the way the image's shell does: dash reads a variable as a plain number, bash and busybox
// evaluate its value as an expression; each words its errors its own way.

export type ArithmeticFlavour = "busybox" | "dash" | "bash";

export interface ArithmeticVariables {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

/** An invalid expression; the message is what the shell prints after its `sh: ` prefix. */
export class ArithmeticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArithmeticError";
  }
}

type Failure =
  | "divide"
  | "operand"
  | "trailing"
  | "paren"
  | "colon"
  | "exponent"
  | "recursion"
  | "number"
  | "assign";

const BASH_WORDS: Record<Failure, string> = {
  divide: "division by 0",
  operand: "syntax error: operand expected",
  trailing: "syntax error in expression",
  paren: "missing `)'",
  colon: "`:' expected for conditional expression",
  exponent: "exponent less than 0",
  recursion: "expression recursion level exceeded",
  number: "value too great for base",
  assign: "attempted assignment to non-variable",
};

const DASH_WORDS: Partial<Record<Failure, string>> = {
  divide: "division by zero",
  paren: "expecting ')'",
  colon: "expecting ':'",
  trailing: "expecting EOF",
};

/**
 * How deep bash follows variables whose values name other variables (`a=b b=a`) before it gives up. bash
 * allows 1024 levels; each costs this evaluator a score of stack frames, so it stops sooner, with bash's words.
 */
const BASH_MAX_RECURSION = 100;

type Tok =
  | { type: "num"; value: bigint; start: number; end: number }
  | { type: "name"; name: string; start: number; end: number }
  | { type: "op"; op: string; start: number; end: number }
  | { type: "end"; start: number; end: number };

/** Longest first, so `<<=` is not read as `<` `<=`. */
const OPERATORS = [
  "<<=",
  ">>=",
  "**",
  "<<",
  ">>",
  "<=",
  ">=",
  "==",
  "!=",
  "&&",
  "||",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "^=",
  "|=",
  "++",
  "--",
  ..."+-*/%<>=!~&^|?:(),",
];
/** Operators dash's arithmetic does not know: it reads `**` as `*` `*` and `++` as `+` `+`. */
const BASH_ONLY = new Set(["**", "++", "--", ","]);
const ASSIGNMENTS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="]);

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const truth = (v: boolean): bigint => (v ? 1n : 0n);

interface Context {
  flavour: ArithmeticFlavour;
  vars: ArithmeticVariables;
  /** Variables being evaluated for their values (busybox stops at a repeat, bash at a depth). */
  resolving: string[];
}

/** A number as the shells read it: decimal, 0x hex or 0 octal; undefined when it is not one. */
function parseNumber(text: string): bigint | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text) || /^[1-9][0-9]*$/.test(text)) return wrap(BigInt(text));
  if (/^0[0-7]*$/.test(text)) return wrap(BigInt(`0o${text.slice(1) || "0"}`));
  return undefined;
}

class Evaluator {
  private scan = 0;
  private tok: Tok = { type: "end", start: 0, end: 0 };
  /** Start of the last token that was not the end: bash quotes the expression from there. */
  private lastStart = 0;

  constructor(
    private readonly text: string,
    private readonly ctx: Context,
  ) {
    this.advance();
  }

  evaluate(): bigint {
    if (this.atEnd()) return 0n;
    const value = this.comma(false);
    if (!this.atEnd()) throw this.fail("trailing");
    return value;
  }

  private atEnd(): boolean {
    return this.tok.type === "end";
  }

  private fail(kind: Failure, token = this.text.slice(this.lastStart)): ArithmeticError {
    const expression = this.text.replace(/^\s+/, "");
    switch (this.ctx.flavour) {
      case "busybox":
        if (kind === "divide") return new ArithmeticError("divide by zero");
        if (kind === "exponent") return new ArithmeticError("exponent less than 0");
        if (kind === "recursion") return new ArithmeticError("expression recursion loop detected");
        return new ArithmeticError("arithmetic syntax error");
      case "dash":
        return new ArithmeticError(
          `arithmetic expression: ${DASH_WORDS[kind] ?? "expecting primary"}: "${this.text}"`,
        );
      case "bash":
        return new ArithmeticError(`${expression}: ${BASH_WORDS[kind]} (error token is "${token}")`);
    }
  }

  private advance(): void {
    const s = this.text;
    let i = this.scan;
    while (i < s.length && " \t\n\r".includes(s[i])) i++;
    if (i >= s.length) {
      this.tok = { type: "end", start: i, end: i };
      this.scan = i;
      return;
    }
    this.lastStart = i;
    const rest = s.slice(i);
    const dash = this.ctx.flavour === "dash";
    // dash reads a number with strtoimax, which stops at the first character that cannot continue it.
    const number = dash
      ? /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(rest)
      : /^[0-9][0-9A-Za-z_]*/.exec(rest);
    if (number) {
      const value = parseNumber(number[0]);
      if (value === undefined) throw this.fail("number", number[0]);
      this.tok = { type: "num", value, start: i, end: i + number[0].length };
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
      const op = name ? undefined : OPERATORS.find((o) => rest.startsWith(o) && !(dash && BASH_ONLY.has(o)));
      if (name) this.tok = { type: "name", name: name[0], start: i, end: i + name[0].length };
      else if (op) this.tok = { type: "op", op, start: i, end: i + op.length };
      else {
        // A character no operator starts with: whatever expects an operand or operator here fails.
        this.tok = { type: "op", op: rest[0], start: i, end: i + 1 };
      }
    }
    this.scan = this.tok.end;
  }

  private isOp(...ops: string[]): string | undefined {
    return this.tok.type === "op" && ops.includes(this.tok.op) ? this.tok.op : undefined;
  }

  private lookup(name: string): bigint {
    const value = this.ctx.vars.get(name);
    if (value === undefined || value.trim() === "") return 0n;
    if (this.ctx.flavour === "dash") {
      const n = /^\s*([+-]?)(\S+)\s*$/.exec(value);
      const parsed = n ? parseNumber(n[2]) : undefined;
      if (parsed === undefined) throw new ArithmeticError(`Illegal number: ${value}`);
      return n?.[1] === "-" ? wrap(-parsed) : parsed;
    }
    const { resolving } = this.ctx;
    if (this.ctx.flavour === "busybox" ? resolving.includes(name) : resolving.length >= BASH_MAX_RECURSION) {
      throw this.fail("recursion", name);
    }
    resolving.push(name);
    try {
      return new Evaluator(value, this.ctx).evaluate();
    } finally {
      resolving.pop();
    }
  }

  private store(name: string, value: bigint): bigint {
    this.ctx.vars.set(name, value.toString());
    return value;
  }

  private comma(noeval: boolean): bigint {
    let value = this.assignment(noeval);
    while (this.isOp(",")) {
      this.advance();
      value = this.assignment(noeval);
    }
    return value;
  }

  private assignment(noeval: boolean): bigint {
    if (this.tok.type === "name") {
      const { scan, tok, lastStart } = this;
      const name = tok.name;
      this.advance();
      const op = this.isOp(...ASSIGNMENTS);
      if (op) {
        const afterOp = this.tok.end;
        this.advance();
        const right = this.assignment(noeval);
        if (noeval) return right;
        if (op === "=") return this.store(name, right);
        return this.store(name, this.binary(op.slice(0, -1), this.lookup(name), right, afterOp));
      }
      // Not an assignment: read the name again as an operand.
      this.scan = scan;
      this.tok = tok;
      this.lastStart = lastStart;
    }
    const value = this.conditional(noeval);
    if (this.isOp(...ASSIGNMENTS)) throw this.fail(this.ctx.flavour === "dash" ? "trailing" : "assign");
    return value;
  }

  private conditional(noeval: boolean): bigint {
    const test = this.logical("||", noeval);
    if (!this.isOp("?")) return test;
    this.advance();
    const yes = this.comma(noeval || test === 0n);
    if (!this.isOp(":")) throw this.fail("colon");
    this.advance();
    const no = this.conditional(noeval || test !== 0n);
    return test !== 0n ? yes : no;
  }

  private logical(op: "||" | "&&", noeval: boolean): bigint {
    const operand = (skip: boolean) => (op === "||" ? this.logical("&&", skip) : this.binaryLevel(0, skip));
    let value = operand(noeval);
    while (this.isOp(op)) {
      this.advance();
      const decided = op === "||" ? value !== 0n : value === 0n;
      const right = operand(noeval || decided);
      value = truth(op === "||" ? value !== 0n || right !== 0n : value !== 0n && right !== 0n);
    }
    return value;
  }

  /** The left-associative binary operators, loosest first. */
  private static readonly LEVELS: readonly string[][] = [
    ["|"],
    ["^"],
    ["&"],
    ["==", "!="],
    ["<", "<=", ">", ">="],
    ["<<", ">>"],
    ["+", "-"],
    ["*", "/", "%"],
  ];

  private binaryLevel(level: number, noeval: boolean): bigint {
    if (level === Evaluator.LEVELS.length) return this.power(noeval);
    let value = this.binaryLevel(level + 1, noeval);
    for (let op = this.isOp(...Evaluator.LEVELS[level]); op; op = this.isOp(...Evaluator.LEVELS[level])) {
      const afterOp = this.tok.end;
      this.advance();
      const right = this.binaryLevel(level + 1, noeval);
      value = noeval ? right : this.binary(op, value, right, afterOp);
    }
    return value;
  }

  private binary(op: string, a: bigint, b: bigint, afterOp: number): bigint {
    switch (op) {
      case "/":
      case "%":
        if (b === 0n) throw this.fail("divide", this.text.slice(afterOp).replace(/^\s+/, ""));
        return wrap(op === "/" ? a / b : a % b);
      case "*":
        return wrap(a * b);
      case "+":
        return wrap(a + b);
      case "-":
        return wrap(a - b);
      // The CPU takes a shift count modulo 64; a BigInt would grow without bound instead.
      case "<<":
        return wrap(a << (b & 63n));
      case ">>":
        return a >> (b & 63n);
      case "<":
        return truth(a < b);
      case "<=":
        return truth(a <= b);
      case ">":
        return truth(a > b);
      case ">=":
        return truth(a >= b);
      case "==":
        return truth(a === b);
      case "!=":
        return truth(a !== b);
      case "&":
        return a & b;
      case "^":
        return a ^ b;
      default:
        return a | b;
    }
  }

  private power(noeval: boolean): bigint {
    const base = this.unary(noeval);
    if (!this.isOp("**")) return base;
    this.advance();
    const exponent = this.power(noeval);
    if (noeval) return exponent;
    if (exponent < 0n) throw this.fail("exponent");
    // Square and multiply in 64 bits: `2**1000000000` must not build a huge BigInt.
    let result = 1n;
    let square = base;
    for (let e = exponent; e > 0n; e >>= 1n) {
      if (e & 1n) result = wrap(result * square);
      square = wrap(square * square);
    }
    return result;
  }

  private unary(noeval: boolean): bigint {
    const op = this.isOp("-", "+", "!", "~", "++", "--");
    if (!op) return this.postfix(noeval);
    this.advance();
    if (op === "++" || op === "--") {
      if (this.tok.type !== "name") throw this.fail("operand");
      const name = this.tok.name;
      this.advance();
      return noeval ? 0n : this.store(name, wrap(this.lookup(name) + (op === "++" ? 1n : -1n)));
    }
    const value = this.unary(noeval);
    if (op === "-") return wrap(-value);
    if (op === "!") return truth(value === 0n);
    if (op === "~") return ~value;
    return value;
  }

  private postfix(noeval: boolean): bigint {
    const t = this.tok;
    if (t.type === "num") {
      this.advance();
      return t.value;
    }
    if (t.type === "name") {
      this.advance();
      const op = this.isOp("++", "--");
      const value = noeval ? 0n : this.lookup(t.name);
      if (!op) return value;
      this.advance();
      if (!noeval) this.store(t.name, wrap(value + (op === "++" ? 1n : -1n)));
      return value;
    }
    if (this.isOp("(")) {
      this.advance();
      const value = this.comma(noeval);
      if (!this.isOp(")")) throw this.fail("paren");
      this.advance();
      return value;
    }
    throw this.fail("operand");
  }
}

/** The value of `expression` (already expanded: parameters and substitutions replaced); throws ArithmeticError. */
export function evaluateArithmetic(
  expression: string,
  vars: ArithmeticVariables,
  flavour: ArithmeticFlavour,
): bigint {
  return new Evaluator(expression, { flavour, vars, resolving: [] }).evaluate();
}
