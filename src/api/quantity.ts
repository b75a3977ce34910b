// resource.Quantity as in k8s.io/apimachinery/pkg/api/resource: exact fixed-point amounts held as a bigint count
// of nano-units, parsed and printed in upstream's canonical DecimalSI / BinarySI / DecimalExponent forms.

export type QuantityFormat = "DecimalExponent" | "BinarySI" | "DecimalSI";

const SPLIT_RE_TEXT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
/** Upstream's parse errors, word for word: clients and validation messages quote them. */
export const QUANTITY_FORMAT_ERROR = `quantities must match the regular expression '${SPLIT_RE_TEXT}'`;
export const QUANTITY_NUMERIC_ERROR = "unable to parse numeric part of quantity";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

const NANO = 1_000_000_000n;
const INT64_MAX = 2n ** 63n - 1n;
/** Binary quantities are capped at the largest int64, as upstream does while parsing. */
const MAX_BINARY_NANOS = INT64_MAX * NANO;
/** Decimal exponents beyond this would only build absurdly large numbers; upstream cannot print them either. */
const MAX_DECIMAL_SHIFT = 4096;

const DECIMAL_SUFFIXES: ReadonlyMap<number, string> = new Map([
  [-9, "n"],
  [-6, "u"],
  [-3, "m"],
  [0, ""],
  [3, "k"],
  [6, "M"],
  [9, "G"],
  [12, "T"],
  [15, "P"],
  [18, "E"],
]);
const BINARY_SUFFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const SUFFIXES: ReadonlyMap<string, Suffix> = new Map<string, Suffix>([
  ...[...DECIMAL_SUFFIXES].map(([exponent, s]): [string, Suffix] => [
    s,
    { base: 10, exponent, format: "DecimalSI" },
  ]),
  ...BINARY_SUFFIXES.slice(1).map((s, i): [string, Suffix] => [
    s,
    { base: 2, exponent: 10 * (i + 1), format: "BinarySI" },
  ]),
]);

function interpretSuffix(suffix: string): Suffix | undefined {
  const known = SUFFIXES.get(suffix);
  if (known) return known;
  // "e3", "E-6", "e+9": a decimal exponent. A lone "E" is the exa suffix and was found above.
  if (
    suffix.length > 1 &&
    (suffix[0] === "e" || suffix[0] === "E") &&
    /^[+-]?[0-9]+$/.test(suffix.slice(1))
  ) {
    const exponent = BigInt(suffix.slice(1));
    if (exponent > INT64_MAX || exponent < -INT64_MAX - 1n) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, exponent)), format: "DecimalExponent" };
  }
  return undefined;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const SUFFIX_CHARS = "eEinumkKMGTP";

interface ScannedQuantity {
  positive: boolean;
  /** Integer digits without leading zeros ("0" when there are none). */
  num: string;
  /** Fraction digits, possibly empty. */
  denom: string;
  suffix: string;
}

/** Upstream's hand-written scanner (parseQuantityString), including its leniencies: ".", "1.", "1.G". */
function scanQuantity(str: string): ScannedQuantity {
  const end = str.length;
  let pos = 0;
  let positive = true;
  if (str[0] === "-") {
    positive = false;
    pos++;
  } else if (str[0] === "+") {
    pos++;
  }
  while (pos < end && str[pos] === "0") pos++;
  if (pos >= end) return { positive, num: "0", denom: "", suffix: "" };

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  const num = str.slice(pos, i) || "0";
  pos = i;
  if (pos >= end) return { positive, num, denom: "", suffix: "" };

  let denom = "";
  if (str[pos] === ".") {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
    if (pos >= end) return { positive, num, denom, suffix: "" };
  }

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === "-" || str[pos] === "+")) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new Error(QUANTITY_FORMAT_ERROR);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

/** digits × 10^shift, rounded away from zero to a whole number (the caller works on magnitudes). */
function shiftDecimal(digits: bigint, shift: number, digitCount: number): bigint {
  if (shift >= 0) {
    if (shift > MAX_DECIMAL_SHIFT) throw new Error(QUANTITY_NUMERIC_ERROR);
    return digits * 10n ** BigInt(shift);
  }
  if (digits === 0n) return 0n;
  // Every digit lies below the unit: the smallest non-zero amount.
  if (-shift > digitCount) return 1n;
  const divisor = 10n ** BigInt(-shift);
  const whole = digits / divisor;
  return digits % divisor === 0n ? whole : whole + 1n;
}

/** What upstream's int64 fast path holds: value × 10^scale, both as parsed (not normalised). */
export interface Int64Amount {
  value: bigint;
  scale: number;
}

/**
 * The int64Amount upstream's ParseQuantity builds for the scanned text, or undefined when the amount needs its
 * arbitrary-precision path (too many digits, finer than nano, or a fractional binary amount).
 */
function fastPathAmount(scanned: ScannedQuantity, suffix: Suffix): Int64Amount | undefined {
  const { num, denom } = scanned;
  let mantissa = 1n;
  let scale = 0;
  let precision: number;
  if (suffix.base === 10) {
    scale = suffix.exponent;
    precision = 18 - (num.length + denom.length);
  } else {
    if (suffix.exponent < 0 || denom.length > 0) return undefined;
    mantissa = 1n << BigInt(suffix.exponent);
    precision = 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
  }
  if (precision < 0) return undefined;
  scale -= denom.length;
  if (scale < -9) return undefined;
  const magnitude = BigInt(num + denom) * mantissa;
  if (magnitude > INT64_MAX) return undefined;
  return { value: scanned.positive ? magnitude : -magnitude, scale };
}

/**
 * Whether upstream's int64 fast path would keep the input text as the quantity's string (it does so for input it
 * considers canonical, and serialises that text verbatim, quirks such as "+1" or "1.500k" included).
 */
function keepsInputText(scanned: ScannedQuantity, suffix: Suffix): boolean {
  const amount = fastPathAmount(scanned, suffix);
  if (!amount) return false;
  const shifted = scanned.num + scanned.denom;
  if (suffix.base === 2) return (BigInt(shifted) & 7n) !== 0n;
  return amount.scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0";
}

/**
 * The int64Amount upstream holds for `text` once parsed, or undefined when it holds an inf.Dec instead. Error
 * messages that print a Quantity with Go's %#v show these internals.
 */
export function int64AmountOf(text: string): Int64Amount | undefined {
  if (text === "0") return { value: 0n, scale: 0 };
  const scanned = scanQuantity(text);
  const suffix = interpretSuffix(scanned.suffix);
  if (!suffix) throw new Error(QUANTITY_SUFFIX_ERROR);
  return fastPathAmount(scanned, suffix);
}

function parseUncached(str: string): Quantity {
  if (str.length === 0) throw new Error(QUANTITY_FORMAT_ERROR);
  if (str === "0") return new Quantity(0n, "DecimalSI", "0");
  const scanned = scanQuantity(str);
  const suffix = interpretSuffix(scanned.suffix);
  if (!suffix) throw new Error(QUANTITY_SUFFIX_ERROR);

  const digits = BigInt(scanned.num + scanned.denom);
  const digitCount = scanned.num.length + scanned.denom.length;
  let magnitude: bigint;
  if (suffix.base === 10) {
    magnitude = shiftDecimal(digits, suffix.exponent - scanned.denom.length + 9, digitCount);
  } else {
    magnitude = shiftDecimal(
      digits << BigInt(suffix.exponent),
      9 - scanned.denom.length,
      Number.POSITIVE_INFINITY,
    );
  }
  let format = suffix.format;
  if (format === "BinarySI") {
    if (magnitude > MAX_BINARY_NANOS) magnitude = MAX_BINARY_NANOS;
    // A fraction of one cannot be written in binary units without rounding.
    if (magnitude > 0n && magnitude < NANO) format = "DecimalSI";
  }
  const nanos = scanned.positive ? magnitude : -magnitude;
  return new Quantity(nanos, format, keepsInputText(scanned, suffix) ? str : undefined);
}

/** Divides rounding away from zero, as upstream's Value()/MilliValue() do. */
function divideAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (n % d === 0n) return q;
  return n > 0n ? q + 1n : q - 1n;
}

/** CanonicalizeBytes: no fractional digits, the largest exponent that loses nothing, the sign only if negative. */
function canonicalize(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return "0";
  const magnitude = nanos < 0n ? -nanos : nanos;
  if (format === "BinarySI" && magnitude >= 1024n * NANO && nanos % NANO === 0n) {
    let mantissa = nanos / NANO;
    let times = 0;
    while (times < BINARY_SUFFIXES.length - 1 && mantissa % 1024n === 0n) {
      mantissa /= 1024n;
      times++;
    }
    return `${mantissa}${BINARY_SUFFIXES[times]}`;
  }
  // Binary amounts below 1Ki or with a fraction print as DecimalSI, which is exact.
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === "DecimalExponent") return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  if (exponent > 18) {
    // Beyond exa there is no suffix; upstream would drop the exponent, so keep the value exact instead.
    mantissa *= 10n ** BigInt(exponent - 18);
    exponent = 18;
  }
  return `${mantissa}${DECIMAL_SUFFIXES.get(exponent)}`;
}

/** An immutable exact amount with the format it prints in. */
export class Quantity {
  /** The amount in units of 10^-9; upstream rounds anything finer up to this. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
  #text: string | undefined;

  constructor(nanos: bigint, format: QuantityFormat = "DecimalSI", text?: string) {
    this.nanos = nanos;
    this.format = format;
    this.#text = text;
  }

  /** The canonical string (or the input text when upstream would have kept it). */
  toString(): string {
    this.#text ??= canonicalize(this.nanos, this.format);
    return this.#text;
  }

  toJSON(): string {
    return this.toString();
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos > 0n ? 1 : -1;
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  /** Sum; a zero receiver takes the other's format, as upstream's Add. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.isZero() ? other.format : this.format);
  }

  /** Difference; a zero receiver takes the other's format, as upstream's Sub. */
  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.isZero() ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }

  /** ceil(q / 10^scale), rounded away from zero; scale -3 is milli, 0 is units. */
  scaledValue(scale: number): bigint {
    const shift = scale + 9;
    if (shift <= 0) return this.nanos * 10n ** BigInt(-shift);
    return divideAwayFromZero(this.nanos, 10n ** BigInt(shift));
  }

  /** The value in whole units, rounded away from zero (1100m → 2). */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** The value in thousandths, rounded away from zero. */
  milliValue(): bigint {
    return this.scaledValue(-3);
  }

  /** A float approximation, for metrics and ratios only. */
  toNumber(): number {
    const whole = this.nanos / NANO;
    return Number(whole) + Number(this.nanos - whole * NANO) / 1e9;
  }
}

// Object specs repeat the same few strings ("100m", "128Mi"); quantities are immutable, so share them.
const PARSE_CACHE_LIMIT = 4096;
const parseCache = new Map<string, Quantity>();

/** resource.ParseQuantity. Throws Error with upstream's message on malformed input. */
export function parseQuantity(text: string): Quantity {
  const cached = parseCache.get(text);
  if (cached) return cached;
  const parsed = parseUncached(text);
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
  parseCache.set(text, parsed);
  return parsed;
}

/** resource.NewMilliQuantity: m thousandths. */
export function quantityFromMilli(milli: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
  return new Quantity(BigInt(milli) * 1_000_000n, format);
}

/** resource.NewQuantity: a whole number of units. */
export function quantityFromValue(value: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
  return new Quantity(BigInt(value) * NANO, format);
}
