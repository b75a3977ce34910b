// Matches a `case` pattern against a word: `*`, `?` and bracket expressions (`[a-z]`, `[!x]`, `[[:digit:]]`),
// where quoted characters, and those a backslash escaped, stand for themselves.

/** A stretch of the expanded pattern: quoted text matches literally. */
export interface PatternPiece {
  text: string;
  quoted: boolean;
}

interface PatternChar {
  c: string;
  quoted: boolean;
}

const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  cntrl: "\\x00-\\x1f\\x7f",
  print: "\\x20-\\x7e",
  graph: "\\x21-\\x7e",
};

const escapeOutside = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const escapeInside = (c: string): string => c.replace(/[\\\]^[-]/g, "\\$&");

/** The regex class of the bracket expression opening at `start`, and where it ends; undefined if unclosed. */
function bracket(chars: PatternChar[], start: number): [string, number] | undefined {
  let i = start + 1;
  let negate = false;
  if (!chars[i]?.quoted && (chars[i]?.c === "!" || chars[i]?.c === "^")) {
    negate = true;
    i++;
  }
  const first = i;
  let body = "";
  for (; i < chars.length; i++) {
    const { c, quoted } = chars[i];
    // A `]` right after the opening (or its `!`) is a member, not the end.
    if (c === "]" && !quoted && i > first) return [`[${negate ? "^" : ""}${body}]`, i];
    if (c === "[" && !quoted && chars[i + 1]?.c === ":") {
      const rest = chars
        .slice(i + 2)
        .map((p) => p.c)
        .join("");
      const m = /^([a-z]+):\]/.exec(rest);
      if (m && m[1] in CLASSES) {
        body += CLASSES[m[1]];
        i += m[0].length + 1;
        continue;
      }
    }
    const isRange = c === "-" && !quoted && body !== "" && chars[i + 1] && chars[i + 1].c !== "]";
    body += isRange ? "-" : escapeInside(c);
  }
  return undefined;
}

/** The pattern as an anchored regular expression. */
export function patternRegExp(pieces: readonly PatternPiece[]): RegExp {
  const chars: PatternChar[] = pieces.flatMap((p) => [...p.text].map((c) => ({ c, quoted: p.quoted })));
  let source = "";
  for (let i = 0; i < chars.length; i++) {
    const { c, quoted } = chars[i];
    if (quoted) source += escapeOutside(c);
    else if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const klass = bracket(chars, i);
      if (klass) {
        source += klass[0];
        i = klass[1];
      } else source += "\\[";
    } else source += escapeOutside(c);
  }
  return new RegExp(`^${source}$`, "su");
}

export function matchPattern(pieces: readonly PatternPiece[], subject: string): boolean {
  return patternRegExp(pieces).test(subject);
}
