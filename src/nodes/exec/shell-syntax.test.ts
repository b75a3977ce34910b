// The shell subset's parser: lists, pipelines, compound commands, words and quoting, expansions,
// redirections, and the errors (with `incomplete` when another line could finish the script).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Command, parseScript, type Script, ShellSyntaxError, type Word } from "./shell-syntax.js";

/** A word as text, expansions shown as <$name> / $(script) / $((expression)), quoted parts in «». */
function show(word: Word): string {
  return word
    .map((p) => {
      const text =
        p.type === "text"
          ? p.value
          : p.type === "param"
            ? `<$${p.name}>`
            : p.type === "command"
              ? `$(${p.script})`
              : `$((${show(p.expression)}))`;
      return p.quoted ? `«${text}»` : text;
    })
    .join("");
}

function showCommand(c: Command): string {
  const redirects = c.redirects.map((r) => ` ${r.fd}${r.op}${show(r.target)}`).join("");
  switch (c.type) {
    case "simple":
      return [
        ...c.assignments.map((a) => `${a.name}=${show(a.value)}`),
        ...c.words.map(show),
        ...c.redirects.map((r) => `${r.fd}${r.op}${show(r.target)}`),
      ].join(" ");
    case "if":
      return `${c.clauses
        .map((k, i) => `${i === 0 ? "if" : "elif"} ${showScript(k.condition)} then ${showScript(k.body)}`)
        .join(" ")}${c.otherwise ? ` else ${showScript(c.otherwise)}` : ""} fi${redirects}`;
    case "while":
      return `${c.until ? "until" : "while"} ${showScript(c.condition)} do ${showScript(c.body)} done${redirects}`;
    case "for":
      return `for ${c.name}${c.words ? ` in ${c.words.map(show).join(" ")}` : ""} do ${showScript(c.body)} done${redirects}`;
    case "case":
      return `case ${show(c.word)} in ${c.items
        .map((item) => `${item.patterns.map(show).join("|")}) ${showScript(item.body)} ;;`)
        .join(" ")} esac${redirects}`;
    case "group":
      return `{ ${showScript(c.body)} }${redirects}`;
    case "subshell":
      return `( ${showScript(c.body)} )${redirects}`;
  }
}

function showScript(script: Script): string {
  return script
    .map((list) =>
      list.pipelines
        .map((p, i) => {
          const cmds = p.commands.map(showCommand);
          return `${i > 0 ? `${list.operators[i - 1]} ` : ""}${p.negated ? "! " : ""}${cmds.join(" | ")}`;
        })
        .join(" "),
    )
    .join(" ; ");
}

const shape = (script: string): string => showScript(parseScript(script));

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
    ['echo $((1 + $X)) "$((i+1))"', "echo $((«1 + »«<$X>»)) «$((«i+1»))»"],
    ["echo $((echo a) )", "echo $((echo a) )"],
    ["echo \\* a\\?", "echo «*» a«?»"],
    ["if true; then echo y; fi", "if true then echo y fi"],
    [
      "if a\nthen b\nelif c; then d; else e\nfi > /dev/null",
      "if a then b elif c then d else e fi 1>/dev/null",
    ],
    ["while true; do echo x; done", "while true do echo x done"],
    ["until false\ndo\n  :\ndone", "until false do : done"],
    ["for i in 1 $X 'a b'; do echo $i; done", "for i in 1 <$X> «a b» do echo <$i> done"],
    ["for i\ndo echo $i; done", "for i do echo <$i> done"],
    ["for i; do :; done", "for i do : done"],
    ["for i in; do :; done", "for i in  do : done"],
    ["case $x in a|b) echo ab;; (*) echo other;; esac", "case <$x> in a|b) echo ab ;; *) echo other ;; esac"],
    ["case x in\n  x) ;;\n  y) echo y\nesac", "case x in x)  ;; y) echo y ;; esac"],
    ["{ echo a; echo b; } 2>&1 | wc -l", "{ echo a ; echo b } 2>&1 | wc -l"],
    ["(cd /; pwd) && echo done", "( cd / ; pwd ) && echo done"],
    [
      "for i in 1 2; do for j in 3; do echo $i$j; done done",
      "for i in 1 2 do for j in 3 do echo <$i><$j> done done",
    ],
    ["if ! grep -q x f; then exit 1; fi", "if ! grep -q x f then exit 1 fi"],
    ["echo if then fi done", "echo if then fi done"],
  ];
  for (const [script, expected] of cases) {
    it(JSON.stringify(script), () => assert.equal(shape(script), expected));
  }

  it("keeps the default word of X:-default", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    const cmd = parseScript("echo ${X:-a $Y}")[0].pipelines[0].commands[0];
    assert.equal(cmd.type, "simple");
    const part = cmd.type === "simple" ? cmd.words[1][0] : undefined;
    assert.equal(part?.type, "param");
    assert.equal(part?.type === "param" && part.fallback?.ifEmpty, true);
    assert.equal(part?.type === "param" && show(part.fallback?.word ?? []), "a <$Y>");
  });

  it("numbers each command's line", () => {
    const [first, loop] = parseScript("echo a\nfor i in 1\ndo\n  echo $i\ndone");
    assert.equal(first.line, 1);
    assert.equal(loop.line, 2);
    const cmd = loop.pipelines[0].commands[0];
    assert.equal(cmd.type === "for" && cmd.body[0].pipelines[0].commands[0].line, 4);
  });

  const errors: [string, RegExp, boolean][] = [
    ["echo 'open", /unterminated quoted string/, true],
    ['echo "open', /unterminated quoted string/, true],
    ["echo a &&", /unexpected end/, true],
    ["echo a |", /unexpected end/, true],
    ["echo $(date", /unterminated command substitution/, true],
    ["| echo", /syntax error: unexpected "\|"/, false],
    ["echo >", /syntax error: unexpected "end of file"/, false],
    ["echo a)", /syntax error: unexpected "\)"/, false],
    ["if true", /unexpected end of file \(expecting "then"\)/, true],
    ["if true; then echo", /unexpected end of file \(expecting "fi"\)/, true],
    ["for i in 1 2", /unexpected end of file \(expecting "do"\)/, true],
    ["for i in 1 2\ndo echo $i", /unexpected end of file \(expecting "done"\)/, true],
    ["while true; do", /unexpected end of file \(expecting "done"\)/, true],
    ["case x in", /unexpected end of file \(expecting "esac"\)/, true],
    ["case x in a) echo", /unexpected end of file \(expecting ";;"\)/, true],
    ["{ echo a }", /unexpected end of file \(expecting "}"\)/, true],
    ["(echo a", /unexpected end of file \(expecting "\)"\)/, true],
    ["echo $((1 +", /unterminated arithmetic expression/, true],
    ["if true; then fi", /syntax error: unexpected "fi"/, false],
    ["while true; do done", /syntax error: unexpected "done"/, false],
    ["for 1 in a; do :; done", /syntax error: bad for loop variable/, false],
    ["echo a; done", /syntax error: unexpected "done"/, false],
    ["true && fi", /syntax error: unexpected "fi"/, false],
    ["if true; then :; fi echo", /syntax error: unexpected word/, false],
    ["()", /syntax error: unexpected "\)"/, false],
    ["f() { :; }", /functions are not supported/, false],
    ["function f { :; }", /function: functions are not supported/, false],
    ["[[ -n x ]]", /\[\[: compound commands are not supported/, false],
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
