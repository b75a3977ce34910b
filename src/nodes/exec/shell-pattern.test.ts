// `case` patterns: wildcards, bracket expressions and classes, and quoted characters that match themselves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchPattern, type PatternPiece } from "./shell-pattern.js";

const unquoted = (text: string): PatternPiece[] => [{ text, quoted: false }];

describe("matchPattern", () => {
  const cases: [string, string, boolean][] = [
    ["*", "", true],
    ["*", "anything at all\nand more", true],
    ["a*", "abc", true],
    ["a*", "bac", false],
    ["*.txt", "notes.txt", true],
    ["*.txt", "notes.txt.bak", false],
    ["?", "x", true],
    ["?", "xy", false],
    ["h?llo", "hello", true],
    ["[abc]", "b", true],
    ["[abc]", "d", false],
    ["[a-c]x", "bx", true],
    ["[!a-c]", "d", true],
    ["[^a-c]", "a", false],
    ["[]]", "]", true],
    ["[a-]", "-", true],
    ["[[:digit:]][[:alpha:]]", "1x", true],
    ["[[:digit:]]", "x", false],
    ["[[:space:]]", " ", true],
    ["[unclosed", "[unclosed", true],
    ["a.b", "axb", false],
    ["(x)|y", "(x)|y", true],
    ["start|stop", "start|stop", true],
  ];
  for (const [pattern, subject, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? "matches" : "does not match"} ${JSON.stringify(subject)}`, () =>
      assert.equal(matchPattern(unquoted(pattern), subject), expected));
  }

  it("quoted characters stand for themselves", () => {
    assert.equal(matchPattern([{ text: "*", quoted: true }], "*"), true);
    assert.equal(matchPattern([{ text: "*", quoted: true }], "x"), false);
    assert.equal(
      matchPattern(
        [
          { text: "a?", quoted: true },
          { text: "*", quoted: false },
        ],
        "a?bc",
      ),
      true,
    );
    assert.equal(matchPattern([{ text: "[ab]", quoted: true }], "a"), false);
  });
});
