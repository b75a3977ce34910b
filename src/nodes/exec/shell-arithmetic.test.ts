// Arithmetic expansion's evaluator: operators and precedence, 64-bit wrap-around, variables (dash's plain
// numbers, bash's and busybox's nested expressions), assignments, short-circuits, and each shell's errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArithmeticError, type ArithmeticFlavour, evaluateArithmetic } from "./shell-arithmetic.js";

const FLAVOURS: ArithmeticFlavour[] = ["busybox", "dash", "bash"];

function evaluate(expression: string, flavour: ArithmeticFlavour, vars = new Map<string, string>()): string {
  return String(evaluateArithmetic(expression, vars, flavour));
}

function failure(expression: string, flavour: ArithmeticFlavour, vars = new Map<string, string>()): string {
  try {
    evaluateArithmetic(expression, vars, flavour);
  } catch (err) {
    assert.ok(err instanceof ArithmeticError);
    return err.message;
  }
  assert.fail(`${expression} evaluated`);
}

describe("evaluateArithmetic", () => {
  const common: [string, string][] = [
    ["1+2", "3"],
    [" 2 * (3 + 4) ", "14"],
    ["7 / 2", "3"],
    ["-7 / 2", "-3"],
    ["-7 % 3", "-1"],
    ["2 + 3 * 4 - 6 / 2", "11"],
    ["1 < 2", "1"],
    ["2 <= 1", "0"],
    ["3 > 2 == 1", "1"],
    ["2 >= 3", "0"],
    ["4 != 4", "0"],
    ["1 && 0 || 1", "1"],
    ["!0 + !5", "1"],
    ["-(-3)", "3"],
    ["~0", "-1"],
    ["1 << 4 | 3 & 1 ^ 2", "19"],
    ["0x1f + 010", "39"],
    ["1 ? 2 : 3", "2"],
    ["0 ? 2 : 0 ? 3 : 4", "4"],
    ["9223372036854775807 + 1", "-9223372036854775808"],
    ["1 << 64", "1"],
    ["", "0"],
    ["   ", "0"],
  ];
  for (const flavour of FLAVOURS) {
    for (const [expression, value] of common) {
      it(`${flavour}: ${JSON.stringify(expression)} = ${value}`, () =>
        assert.equal(evaluate(expression, flavour), value));
    }
  }

  it("reads variables by name: unset and empty are 0", () => {
    const vars = new Map([
      ["i", "41"],
      ["e", ""],
      ["n", " -3 "],
    ]);
    for (const flavour of FLAVOURS) assert.equal(evaluate("i + 1 + e + unset + n", flavour, vars), "39");
  });

  it("assigns with = and op=, and only on the branch taken", () => {
    for (const flavour of FLAVOURS) {
      const vars = new Map([["i", "5"]]);
      assert.equal(evaluate("i += 2", flavour, vars), "7");
      assert.equal(evaluate("j = i * 2", flavour, vars), "14");
      assert.equal(evaluate("0 && (i = 100)", flavour, vars), "0");
      assert.equal(evaluate("1 || (i = 100)", flavour, vars), "1");
      assert.equal(evaluate("0 && 1 / 0", flavour, vars), "0");
      assert.deepEqual([vars.get("i"), vars.get("j")], ["7", "14"]);
    }
  });

  it("bash and busybox know ** and ++ / --; dash reads ++i as +(+i)", () => {
    for (const flavour of ["bash", "busybox"] as const) {
      const vars = new Map([["i", "1"]]);
      assert.equal(evaluate("2 ** 10", flavour, vars), "1024");
      assert.equal(evaluate("-2 ** 2", flavour, vars), "4");
      assert.equal(evaluate("i++ + ++i", flavour, vars), "4");
      assert.equal(evaluate("i--, i", flavour, vars), "2");
    }
    const vars = new Map([["i", "1"]]);
    assert.equal(evaluate("++i", "dash", vars), "1");
    assert.equal(vars.get("i"), "1");
  });

  it("bash and busybox evaluate a variable's value as an expression; dash wants a number", () => {
    const vars = new Map([
      ["a", "b + 1"],
      ["b", "2"],
      ["word", "abc"],
    ]);
    assert.equal(evaluate("a * 2", "bash", vars), "6");
    assert.equal(evaluate("a * 2", "busybox", vars), "6");
    assert.equal(evaluate("word", "bash", vars), "0");
    assert.equal(failure("a", "dash", vars), "Illegal number: b + 1");
    assert.equal(failure("word + 1", "dash", vars), "Illegal number: abc");
  });

  it("2 ** a huge exponent wraps in 64 bits without building a huge number", () => {
    assert.equal(evaluate("3 ** 1000000000000", "bash"), "8078920949372764161");
    assert.equal(evaluate("2 ** 64", "busybox"), "0");
  });

  const errors: [string, ArithmeticFlavour, string][] = [
    ["1/0", "busybox", "divide by zero"],
    ["1/0", "dash", 'arithmetic expression: division by zero: "1/0"'],
    ["1/0", "bash", '1/0: division by 0 (error token is "0")'],
    [" 5 % (2-2) + 1", "bash", '5 % (2-2) + 1: division by 0 (error token is "(2-2) + 1")'],
    ["1 +", "busybox", "arithmetic syntax error"],
    ["1 +", "dash", 'arithmetic expression: expecting primary: "1 +"'],
    ["1 +", "bash", '1 +: syntax error: operand expected (error token is "+")'],
    ["1 2", "dash", 'arithmetic expression: expecting EOF: "1 2"'],
    ["1 2", "bash", '1 2: syntax error in expression (error token is "2")'],
    ["(1 + 2", "dash", "arithmetic expression: expecting ')': \"(1 + 2\""],
    ["(1 + 2", "bash", '(1 + 2: missing `)\' (error token is "2")'],
    ["1 ? 2", "bash", '1 ? 2: `:\' expected for conditional expression (error token is "2")'],
    ["2 ** 3", "dash", 'arithmetic expression: expecting primary: "2 ** 3"'],
    ["2 ** -1", "bash", '2 ** -1: exponent less than 0 (error token is "1")'],
    ["2 ** -1", "busybox", "exponent less than 0"],
    ["1a", "bash", '1a: value too great for base (error token is "1a")'],
    ["1 = 2", "bash", '1 = 2: attempted assignment to non-variable (error token is "= 2")'],
  ];
  for (const [expression, flavour, message] of errors) {
    it(`${flavour}: ${JSON.stringify(expression)} fails`, () =>
      assert.equal(failure(expression, flavour), message));
  }

  it("a variable that names itself is a loop (busybox) or too deep (bash)", () => {
    const vars = new Map([
      ["a", "b"],
      ["b", "a"],
    ]);
    assert.equal(failure("a", "busybox", vars), "expression recursion loop detected");
    assert.match(
      failure("a", "bash", vars),
      /^[ab]: expression recursion level exceeded \(error token is "[ab]"\)$/,
    );
  });
});
