// The TTY line discipline: echo, erase, lines on CR or LF, Ctrl-C, Ctrl-D and ignored escape sequences.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LineDiscipline } from "./line-discipline.js";

function feed(...chunks: string[]) {
  const seen = { echo: "", events: [] as string[] };
  const d = new LineDiscipline({
    echo: (t) => (seen.echo += t),
    line: (t) => seen.events.push(`line:${t}`),
    interrupt: () => seen.events.push("interrupt"),
    eof: () => seen.events.push("eof"),
  });
  for (const c of chunks) d.feed(c);
  return seen;
}

describe("LineDiscipline", () => {
  const cases: [string, string[], string, string[]][] = [
    ["a line on CR", ["ls -l\r"], "ls -l\r\n", ["line:ls -l"]],
    ["a line split over chunks", ["ec", "ho\n"], "echo\r\n", ["line:echo"]],
    ["backspace erases one character", ["ab\x7f\x7f\x7fc\r"], "ab\b \b\b \bc\r\n", ["line:c"]],
    ["Ctrl-U erases the line", ["abc\x15d\r"], "abc\b \b\b \b\b \bd\r\n", ["line:d"]],
    ["Ctrl-C discards the line", ["abc\x03"], "abc^C\r\n", ["interrupt"]],
    ["Ctrl-D ends input only on an empty line", ["a\x04\r\x04"], "a\r\n", ["line:a", "eof"]],
    ["arrow keys are ignored", ["a\x1b[A\x1bOBb\r"], "ab\r\n", ["line:ab"]],
  ];
  for (const [name, chunks, echo, events] of cases) {
    it(name, () => assert.deepEqual(feed(...chunks), { echo, events }));
  }
});
