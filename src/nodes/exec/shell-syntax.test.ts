// The shell subset's parser: lists, pipelines, words and quoting, expansions, redirections, and the errors
// (with `incomplete` when another line could finish the script).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseScript, ShellSyntaxError, type Word } from "./shell-syntax.js";

/** A word as text, expansions shown as <$name> / $(script), quoted parts in «». */
function show(word: Word): string {
  return word
    .map((p) => {
      const text = p.type === "text" ? p.value : p.type === "param" ? `<$${p.name}>` : `$(${p.script})`;
      return p.quoted ? `«${text}»` : text;
    })
    .join("");
}

function shape(script: string): string {
  return parseScript(script)
    .map((list) =>
      list.pipelines
        .map((p, i) => {
          const cmds = p.commands.map((c) =>
            [
              ...c.assignments.map((a) => `${a.name}=${show(a.value)}`),
              ...c.words.map(show),
              ...c.redirects.map((r) => `${r.fd}${r.op}${show(r.target)}`),
            ].join(" "),
          );
          return `${i > 0 ? `${list.operators[i - 1]} ` : ""}${p.negated ? "! " : ""}${cmds.join(" | ")}`;
        })
        .join(" "),
    )
    .join(" ; ");
}

describe("parseScript", () => {
  const cases: [string, string][] = [
    ["echo a b", "echo a b"],
    ["echo a; echo b\necho c", "echo a ; echo b ; echo c"],
    ["true && echo y || echo n", "true && echo y || echo n"],
    ["! grep x f | wc -l", "! grep x f | wc -l"],
    [`echo 'a b' "c $HOME d" e\\ f`, "echo «a b» «c »«<$HOME>»« d» e f"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    ['echo "${X:-dflt}" $? $1', "echo «<$X>» <$?> <$1>"],
    ["echo $(hostname) `date`", "echo $(hostname) $(date)"],
    ['echo "$(echo "(nested)")"', 'echo «$(echo "(nested)")»'],
    ["A=1 B='x y' env", "A=1 B=«x y» env"],
    ["cmd >/dev/null 2>&1 <in", "cmd 1>/dev/null 2>&1 0<in"],
    ["cmd &> out >> log", "cmd -1>out 1>>log"],
    ["echo a # comment\necho b", "echo a ; echo b"],
    ["echo a\\\nb", "echo ab"],
  ];
  for (const [script, expected] of cases) {
    it(JSON.stringify(script), () => assert.equal(shape(script), expected));
  }

  it("keeps the default word of X:-default", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    const part = parseScript("echo ${X:-a $Y}")[0].pipelines[0].commands[0].words[1][0];
    assert.equal(part.type, "param");
    assert.equal(part.type === "param" && part.fallback?.ifEmpty, true);
    assert.equal(part.type === "param" && show(part.fallback?.word ?? []), "a <$Y>");
  });

  const errors: [string, RegExp, boolean][] = [
    ["echo 'open", /unterminated quoted string/, true],
    ['echo "open', /unterminated quoted string/, true],
    ["echo a &&", /unexpected end/, true],
    ["echo a |", /unexpected end/, true],
    ["echo $(date", /unterminated command substitution/, true],
    ["| echo", /syntax error: unexpected "\|"/, false],
    ["echo >", /syntax error: unexpected "end of file"/, false],
    ["if true; then echo; fi", /if: compound commands are not supported/, false],
    ["(echo a)", /subshells are not supported/, false],
  ];
  for (const [script, message, incomplete] of errors) {
    it(`rejects ${JSON.stringify(script)}`, () => {
      assert.throws(
        () => parseScript(script),
        (err: unknown) =>
          err instanceof ShellSyntaxError && message.test(err.message) && err.incomplete === incomplete,
      );
    });
  }
});
