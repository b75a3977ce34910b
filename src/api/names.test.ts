// Unit tests for generated names and safe hash encoding.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateName, generateNameSuffix, MAX_GENERATED_NAME_LENGTH, safeEncodeString } from "./names.js";

/** A deterministic source that walks through the given fractions in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe("generateNameSuffix", () => {
  it("draws five characters from the vowel-free alphabet", () => {
    assert.equal(generateNameSuffix(sequence(0)), "bbbbb");
    assert.equal(generateNameSuffix(sequence(0.9999999)), "99999");
    // A source that returns exactly 1 must not run past the alphabet.
    assert.equal(generateNameSuffix(sequence(1)), "99999");
    assert.equal(generateNameSuffix(sequence(0, 1.5 / 27, 2.5 / 27, 26.5 / 27, 0.5)), "bcd9r");
  });

  it("uses Math.random by default", () => {
    for (let i = 0; i < 200; i++) assert.match(generateNameSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe("generateName", () => {
  it("appends the suffix to short bases", () => {
    assert.equal(generateName("fluentd-", sequence(0)), "fluentd-bbbbb");
    assert.equal(generateName("", sequence(0)), "bbbbb");
  });

  it("truncates bases to 58 characters so the name fits 63", () => {
    assert.equal(MAX_GENERATED_NAME_LENGTH, 58);
    const name = generateName("x".repeat(100), sequence(0));
    assert.equal(name, `${"x".repeat(58)}bbbbb`);
    assert.equal(name.length, 63);
    assert.equal(generateName("y".repeat(58), sequence(0)).length, 63);
  });
});

describe("safeEncodeString", () => {
  it("maps characters by code point onto the alphabet, like rand.SafeEncodeString", () => {
    // '0' is 48 and 48 % 27 = 21 → '4'; '6' is 54 % 27 = 0 → 'b'; '9' is 57 % 27 = 3 → 'f'.
    assert.equal(safeEncodeString("0123456789"), "456789bcdf");
    assert.equal(safeEncodeString("3858927341"), "7d9df6c785");
    assert.equal(safeEncodeString(""), "");
  });
});
