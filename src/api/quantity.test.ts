// Unit tests for resource quantities: parsing, rounding, canonical printing and arithmetic, with tables taken
// from upstream's api/resource/quantity_test.go.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseQuantity,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_SUFFIX_ERROR,
  Quantity,
  type QuantityFormat,
  quantityFromMilli,
  quantityFromValue,
} from "./quantity.js";

/** The nano-unit count of i × 10^exponent (upstream's decQuantity), which must be a whole number of nanos. */
function nanosOf(i: bigint | number, exponent: number): bigint {
  const shift = exponent + 9;
  if (shift >= 0) return BigInt(i) * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  assert.equal(BigInt(i) % divisor, 0n, "test value finer than a nano");
  return BigInt(i) / divisor;
}

const MAX_INT64 = 2n ** 63n - 1n;

describe("parseQuantity", () => {
  // [input, mantissa, exponent, format] — the exact amount mantissa × 10^exponent.
  const table: [string, bigint | number, number, QuantityFormat][] = [
    ["0", 0, 0, "DecimalSI"],
    ["0n", 0, 0, "DecimalSI"],
    ["0u", 0, 0, "DecimalSI"],
    ["0m", 0, 0, "DecimalSI"],
    ["0Ki", 0, 0, "BinarySI"],
    ["0k", 0, 0, "DecimalSI"],
    ["0Mi", 0, 0, "BinarySI"],
    ["0M", 0, 0, "DecimalSI"],
    ["0Gi", 0, 0, "BinarySI"],
    ["0G", 0, 0, "DecimalSI"],
    ["0Ti", 0, 0, "BinarySI"],
    ["0T", 0, 0, "DecimalSI"],
    ["1", 1, 0, "DecimalSI"],
    ["1Ki", 1024, 0, "BinarySI"],
    ["8Ki", 8 * 1024, 0, "BinarySI"],
    ["7Mi", 7 * 1024 * 1024, 0, "BinarySI"],
    ["6Gi", 6 * 1024 ** 3, 0, "BinarySI"],
    ["5Ti", 5 * 1024 ** 4, 0, "BinarySI"],
    ["4Pi", 4n * 1024n ** 5n, 0, "BinarySI"],
    ["3Ei", 3n * 1024n ** 6n, 0, "BinarySI"],
    ["10Ti", 10 * 1024 ** 4, 0, "BinarySI"],
    ["100Ti", 100 * 1024 ** 4, 0, "BinarySI"],
    ["5n", 5, -9, "DecimalSI"],
    ["4u", 4, -6, "DecimalSI"],
    ["3m", 3, -3, "DecimalSI"],
    ["9", 9, 0, "DecimalSI"],
    ["8k", 8, 3, "DecimalSI"],
    ["50k", 5, 4, "DecimalSI"],
    ["7M", 7, 6, "DecimalSI"],
    ["6G", 6, 9, "DecimalSI"],
    ["5T", 5, 12, "DecimalSI"],
    ["40T", 4, 13, "DecimalSI"],
    ["300T", 3, 14, "DecimalSI"],
    ["2P", 2, 15, "DecimalSI"],
    ["1E", 1, 18, "DecimalSI"],
    ["1E-3", 1, -3, "DecimalExponent"],
    ["1e3", 1, 3, "DecimalExponent"],
    ["1E6", 1, 6, "DecimalExponent"],
    ["1e9", 1, 9, "DecimalExponent"],
    ["1E12", 1, 12, "DecimalExponent"],
    ["1e15", 1, 15, "DecimalExponent"],
    ["1E18", 1, 18, "DecimalExponent"],
    ["1e14", 1, 14, "DecimalExponent"],
    ["1e13", 1, 13, "DecimalExponent"],
    ["100.035k", 100035, 0, "DecimalSI"],
    ["0.001", 1, -3, "DecimalSI"],
    ["0.0005k", 5, -1, "DecimalSI"],
    ["0.005", 5, -3, "DecimalSI"],
    ["0.05", 5, -2, "DecimalSI"],
    ["0.5", 5, -1, "DecimalSI"],
    ["0.00050k", 5, -1, "DecimalSI"],
    ["0.00500", 5, -3, "DecimalSI"],
    ["0.05000", 5, -2, "DecimalSI"],
    ["0.50000", 5, -1, "DecimalSI"],
    ["0.5e0", 5, -1, "DecimalExponent"],
    ["0.5e-1", 5, -2, "DecimalExponent"],
    ["0.5e-2", 5, -3, "DecimalExponent"],
    ["10.035M", 10035, 3, "DecimalSI"],
    ["1.2e3", 12, 2, "DecimalExponent"],
    ["1.3E+6", 13, 5, "DecimalExponent"],
    ["1.40e9", 14, 8, "DecimalExponent"],
    ["1.53E12", 153, 10, "DecimalExponent"],
    ["1.6e15", 16, 14, "DecimalExponent"],
    ["1.7E18", 17, 17, "DecimalExponent"],
    ["9.01", 901, -2, "DecimalSI"],
    ["8.1k", 81, 2, "DecimalSI"],
    ["7.123456M", 7123456, 0, "DecimalSI"],
    ["6.987654321G", 6987654321, 0, "DecimalSI"],
    ["5.444T", 5444, 9, "DecimalSI"],
    ["40.1T", 401, 11, "DecimalSI"],
    ["300.2T", 3002, 11, "DecimalSI"],
    ["2.5P", 25, 14, "DecimalSI"],
    ["1.01E", 101, 16, "DecimalSI"],
    // Values finer than a nano round up (away from zero).
    ["3.001n", 4, -9, "DecimalSI"],
    ["1.1E-9", 2, -9, "DecimalExponent"],
    ["0.0000000001", 1, -9, "DecimalSI"],
    ["0.0000000005", 1, -9, "DecimalSI"],
    ["0.00000000050", 1, -9, "DecimalSI"],
    ["0.5e-9", 1, -9, "DecimalExponent"],
    ["0.9n", 1, -9, "DecimalSI"],
    ["0.00000012345", 124, -9, "DecimalSI"],
    ["0.00000012354", 124, -9, "DecimalSI"],
    ["1e-99999", 1, -9, "DecimalExponent"],
    // Binary amounts saturate at the largest int64.
    ["9Ei", MAX_INT64, 0, "BinarySI"],
    ["9223372036854775807Ki", MAX_INT64, 0, "BinarySI"],
    ["12E", 12, 18, "DecimalSI"],
    ["100.035Ki", 10243584, -2, "BinarySI"],
    ["0.5Mi", 0.5 * 1024 * 1024, 0, "BinarySI"],
    ["0.05Gi", 536870912, -1, "BinarySI"],
    ["0.025Ti", 274877906944, -1, "BinarySI"],
    // A binary amount below one changes format.
    ["0.000000000001Ki", 2, -9, "DecimalSI"],
    [".001", 1, -3, "DecimalSI"],
    [".0001k", 100, -3, "DecimalSI"],
    ["1.", 1, 0, "DecimalSI"],
    ["1.G", 1, 9, "DecimalSI"],
    [".", 0, 0, "DecimalSI"],
  ];

  for (const [input, mantissa, exponent, format] of table) {
    it(`${input} (and its signed forms)`, () => {
      const want = nanosOf(mantissa, exponent);
      const got = parseQuantity(input);
      assert.equal(got.nanos, want);
      assert.equal(got.format, format);
      const negative = parseQuantity(`-${input}`);
      assert.equal(negative.nanos, -want);
      assert.equal(negative.format, format);
      assert.equal(parseQuantity(`+${input}`).nanos, want);
    });
  }

  it("rejects malformed input with upstream's messages", () => {
    const invalid: [string, string][] = [
      ["", QUANTITY_FORMAT_ERROR],
      ["1.1.M", QUANTITY_FORMAT_ERROR],
      ["1+1.0M", QUANTITY_FORMAT_ERROR],
      ["0.1mi", QUANTITY_SUFFIX_ERROR],
      ["0.1am", QUANTITY_FORMAT_ERROR],
      ["aoeu", QUANTITY_FORMAT_ERROR],
      [".5i", QUANTITY_SUFFIX_ERROR],
      ["1i", QUANTITY_SUFFIX_ERROR],
      ["-3.01i", QUANTITY_SUFFIX_ERROR],
      ["-3.01e-", QUANTITY_SUFFIX_ERROR],
      ["1e", QUANTITY_SUFFIX_ERROR],
      ["Non-Numeric", QUANTITY_FORMAT_ERROR],
      [" 1", QUANTITY_FORMAT_ERROR],
      ["1 ", QUANTITY_FORMAT_ERROR],
    ];
    for (const [input, message] of invalid) {
      assert.throws(() => parseQuantity(input), { message }, JSON.stringify(input));
    }
    assert.equal(
      QUANTITY_FORMAT_ERROR,
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });
});

describe("Quantity.toString", () => {
  // [mantissa, exponent, format, canonical, an alternate spelling that canonicalises to it]
  const table: [bigint | number, number, QuantityFormat, string, string][] = [
    [1024 * 1024 * 1024, 0, "BinarySI", "1Gi", "1024Mi"],
    [300 * 1024 * 1024, 0, "BinarySI", "300Mi", "307200Ki"],
    [6 * 1024, 0, "BinarySI", "6Ki", ""],
    [1001 * 1024 * 1024 * 1024, 0, "BinarySI", "1001Gi", "1025024Mi"],
    [1024 ** 4, 0, "BinarySI", "1Ti", "1024Gi"],
    [5, 0, "BinarySI", "5", "5000m"],
    [500, -3, "BinarySI", "500m", "0.5"],
    [1, 9, "DecimalSI", "1G", "1000M"],
    [1000, 6, "DecimalSI", "1G", "0.001T"],
    [1000000, 3, "DecimalSI", "1G", ""],
    [1000000000, 0, "DecimalSI", "1G", ""],
    [1, -3, "DecimalSI", "1m", "1000u"],
    [80, -3, "DecimalSI", "80m", ""],
    [1080, -3, "DecimalSI", "1080m", "1.08"],
    [108, -2, "DecimalSI", "1080m", "1080000000n"],
    [10800, -4, "DecimalSI", "1080m", ""],
    [300, 6, "DecimalSI", "300M", ""],
    [1, 12, "DecimalSI", "1T", ""],
    [1234567, 6, "DecimalSI", "1234567M", ""],
    [1234567, -3, "BinarySI", "1234567m", ""],
    [3, 3, "DecimalSI", "3k", ""],
    [1025, 0, "BinarySI", "1025", ""],
    [0, 0, "DecimalSI", "0", ""],
    [0, 0, "BinarySI", "0", ""],
    [1, 9, "DecimalExponent", "1e9", ".001e12"],
    [1, -3, "DecimalExponent", "1e-3", "0.001e0"],
    [1, -9, "DecimalExponent", "1e-9", "1000e-12"],
    [80, -3, "DecimalExponent", "80e-3", ""],
    [300, 6, "DecimalExponent", "300e6", ""],
    [1, 12, "DecimalExponent", "1e12", ""],
    [1, 3, "DecimalExponent", "1e3", ""],
    [3, 3, "DecimalExponent", "3e3", ""],
    [0, 0, "DecimalExponent", "0", "00"],
    [1, -9, "DecimalSI", "1n", ""],
    [80, -9, "DecimalSI", "80n", ""],
    [1080, -9, "DecimalSI", "1080n", ""],
    [108, -8, "DecimalSI", "1080n", ""],
    [1, -6, "DecimalSI", "1u", ""],
    [80, -6, "DecimalSI", "80u", ""],
    [1080, -6, "DecimalSI", "1080u", ""],
  ];

  for (const [mantissa, exponent, format, canonical, alternate] of table) {
    it(`${mantissa}e${exponent} ${format} prints ${canonical}`, () => {
      const q = new Quantity(nanosOf(mantissa, exponent), format);
      assert.equal(q.toString(), canonical);
      assert.equal(parseQuantity(canonical).toString(), canonical);
      if (alternate) assert.equal(parseQuantity(alternate).toString(), canonical);
      if (!q.isZero()) assert.equal(q.neg().toString(), `-${canonical}`);
    });
  }

  it("re-emits parsed input in canonical form", () => {
    const cases: [string, string][] = [
      ["1Ki", "1Ki"],
      ["1Mi", "1Mi"],
      ["1Gi", "1Gi"],
      ["1024Mi", "1Gi"],
      ["1.5Gi", "1536Mi"],
      ["1000M", "1G"],
      ["1000m", "1"],
      ["0.1", "100m"],
      ["1.5", "1500m"],
      ["1e3", "1e3"],
      [".001Ki", "1024m"],
      [".000001Ki", "1024u"],
      [".000000001Ki", "1024n"],
      [".000000000001Ki", "2n"],
      ["-999999999999999999.1", "-999999999999999999100m"],
      ["-1.0E", "-1E"],
      ["1000000000000000000", "1E"],
      ["10000000000000000000", "10E"],
      ["9223372036854775807Ki", "9223372036854775807"],
      ["8Ei", "9223372036854775807"],
      ["1.0000000000000000001E", "1000000000000000000100m"],
      ["-10.0E", "-10E"],
      ["9223372036854775808.1", "9223372036854775808100m"],
    ];
    for (const [input, canonical] of cases) {
      assert.equal(parseQuantity(input).toString(), canonical, input);
      if (canonical !== "0" && !input.startsWith("-")) {
        assert.equal(parseQuantity(`-${input}`).toString(), `-${canonical}`, `-${input}`);
      }
    }
  });

  it("keeps the input text where upstream's fast path keeps it", () => {
    for (const text of ["+1", "01", "1.500k", "1E3", "100Ki", "-999999999999999999", "-10E", "1.500"]) {
      assert.equal(parseQuantity(text).toString(), text);
    }
    assert.equal(JSON.stringify({ cpu: parseQuantity("+1") }), '{"cpu":"+1"}');
  });

  it("keeps exa amounts exact beyond the largest suffix", () => {
    assert.equal(parseQuantity("1000E").toString(), "1000E");
    assert.equal(parseQuantity("1e21").toString(), "1e21");
  });
});

describe("Quantity values and arithmetic", () => {
  it("rounds value() and milliValue() away from zero", () => {
    const cases: [string, bigint, bigint][] = [
      ["1", 1n, 1000n],
      ["1100m", 2n, 1100n],
      ["0.5", 1n, 500n],
      ["1n", 1n, 1n],
      ["-1.5", -2n, -1500n],
      ["-1n", -1n, -1n],
      ["1Gi", 1073741824n, 1073741824000n],
      ["0", 0n, 0n],
    ];
    for (const [text, value, milli] of cases) {
      const q = parseQuantity(text);
      assert.equal(q.value(), value, text);
      assert.equal(q.milliValue(), milli, text);
    }
  });

  it("scales like upstream's ScaledValue", () => {
    const cases: [number, number, bigint][] = [
      [-9, -9, 1n],
      [-9, -6, 1n],
      [-9, -3, 1n],
      [-9, 0, 1n],
      [-6, -9, 1000n],
      [-6, 0, 1n],
      [-3, -9, 1000000n],
      [-3, -6, 1000n],
      [0, -9, 1000000000n],
      [0, -3, 1000n],
      [2, -2, 10000n],
    ];
    for (const [from, to, expected] of cases) {
      assert.equal(new Quantity(nanosOf(1, from)).scaledValue(to), expected, `${from}→${to}`);
    }
  });

  it("compares exactly across formats", () => {
    const cases: [string, string, number][] = [
      ["0", "0", 0],
      ["100m", "50m", 1],
      ["50m", "100m", -1],
      ["10000T", "100Gi", 1],
      ["1Ki", "1024", 0],
      ["1k", "1e3", 0],
      ["-1", "0", -1],
    ];
    for (const [a, b, expected] of cases) {
      assert.equal(parseQuantity(a).cmp(parseQuantity(b)), expected, `${a} vs ${b}`);
      assert.equal(parseQuantity(b).cmp(parseQuantity(a)), -expected || 0, `${b} vs ${a}`);
    }
    assert.equal(parseQuantity("1Ki").equals(parseQuantity("1024")), true);
  });

  it("adds and subtracts, a zero receiver adopting the other format", () => {
    const q = (m: number, f: QuantityFormat = "DecimalSI") => new Quantity(nanosOf(m, 0), f);
    const add: [Quantity, Quantity, bigint, QuantityFormat][] = [
      [q(10), new Quantity(nanosOf(1, 1)), nanosOf(20, 0), "DecimalSI"],
      [q(10), q(1, "BinarySI"), nanosOf(11, 0), "DecimalSI"],
      [q(10, "BinarySI"), q(1), nanosOf(11, 0), "BinarySI"],
      [q(0), q(50, "BinarySI"), nanosOf(50, 0), "BinarySI"],
      [q(50), q(0), nanosOf(50, 0), "DecimalSI"],
    ];
    for (const [a, b, nanos, format] of add) {
      const sum = a.add(b);
      assert.equal(sum.nanos, nanos);
      assert.equal(sum.format, format);
    }
    const sub: [Quantity, Quantity, bigint, QuantityFormat][] = [
      [q(10), new Quantity(nanosOf(1, 1)), 0n, "DecimalSI"],
      [q(10), q(1, "BinarySI"), nanosOf(9, 0), "DecimalSI"],
      [q(10, "BinarySI"), q(1), nanosOf(9, 0), "BinarySI"],
      [q(0), q(50, "BinarySI"), nanosOf(-50, 0), "BinarySI"],
    ];
    for (const [a, b, nanos, format] of sub) {
      const diff = a.sub(b);
      assert.equal(diff.nanos, nanos);
      assert.equal(diff.format, format);
    }
    // Suffixes survive adding or subtracting zero (TestQuantityAddZeroPreservesSuffix).
    for (const text of ["100m", "1Gi"]) {
      const zero = parseQuantity("0");
      assert.equal(parseQuantity(text).add(zero).toString(), text);
      assert.equal(zero.add(parseQuantity(text)).toString(), text);
      assert.equal(parseQuantity(text).sub(zero).toString(), text);
      assert.equal(zero.sub(parseQuantity(text)).toString(), `-${text}`);
    }
    assert.equal(parseQuantity("1Gi").add(parseQuantity("512Mi")).toString(), "1536Mi");
    assert.equal(parseQuantity("250m").add(parseQuantity("750m")).toString(), "1");
  });

  it("constructs from milli-units and whole units like NewMilliQuantity / NewQuantity", () => {
    const milli: [bigint, QuantityFormat, string][] = [
      [1n, "DecimalSI", "1m"],
      [1000n, "DecimalSI", "1"],
      [1234000n, "DecimalSI", "1234"],
      [1024n, "BinarySI", "1024m"],
      [1000000n, "DecimalExponent", "1e3"],
      [1024n * 1024n, "BinarySI", "1048576m"],
    ];
    for (const [m, format, text] of milli) {
      assert.equal(quantityFromMilli(m, format).toString(), text);
      assert.equal(parseQuantity(text).milliValue(), m);
    }
    const whole: [number, QuantityFormat, string][] = [
      [1, "DecimalSI", "1"],
      [1000, "DecimalSI", "1k"],
      [1234000, "DecimalSI", "1234k"],
      [1024, "BinarySI", "1Ki"],
      [1000000, "DecimalExponent", "1e6"],
      [1024 * 1024, "BinarySI", "1Mi"],
    ];
    for (const [v, format, text] of whole) {
      assert.equal(quantityFromValue(v, format).toString(), text);
      assert.equal(parseQuantity(text).value(), BigInt(v));
    }
    assert.equal(quantityFromMilli(250).toString(), "250m");
  });

  it("approximates as a float and reports sign", () => {
    assert.equal(parseQuantity("1500m").toNumber(), 1.5);
    assert.equal(parseQuantity("-2Ki").toNumber(), -2048);
    assert.equal(parseQuantity("-2Ki").sign(), -1);
    assert.equal(parseQuantity("0").sign(), 0);
    assert.equal(parseQuantity("0Ki").isZero(), true);
  });
});
