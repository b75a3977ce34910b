// Durations as Kubernetes prints and parses them: the human "AGE" forms of apimachinery's duration
// package, and Go's time.ParseDuration / Duration.String syntax used by flags and annotations ("40s").

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A succinct duration with about 2–3 significant figures ("59s", "2m5s", "3h20m", "5d2h", "2y30d"),
 * as apimachinery's HumanDuration. Up to 2s in the future still reads "0s" (clock skew between
 * machines); further in the future is "<invalid>".
 */
export function humanDuration(ms: number): string {
  // Go truncates toward zero at every step (int(d.Seconds()), d / time.Minute); Math.trunc does the same.
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** One unit only ("45s", "3m", "5h", "12d", "2y"), as apimachinery's ShortHumanDuration. */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Nanoseconds per unit, as Go's time package spells the units. */
const UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "\u00b5s": 1e3, // micro sign
  "\u03bcs": 1e3, // Greek small letter mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const MAX_NANOS = 2 ** 63; // Go's Duration is an int64 of nanoseconds.

const isDigit = (c: string): boolean => c >= "0" && c <= "9";

/**
 * Parses Go's duration syntax — a signed sequence of decimal numbers with units, such as "300ms",
 * "1.5h", "2h45m", "-1m30s" — into milliseconds. Throws an Error worded like Go's otherwise.
 */
export function parseGoDuration(input: string): number {
  const quoted = JSON.stringify(input);
  const invalid = (): Error => new Error(`time: invalid duration ${quoted}`);
  let s = input;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  // A bare zero is the only number allowed without a unit.
  if (s === "0") return 0;
  if (s === "") throw invalid();
  let nanos = 0;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) throw invalid();
    let i = 0;
    while (i < s.length && isDigit(s[i])) i++;
    const whole = s.slice(0, i);
    let fraction = "";
    if (s[i] === ".") {
      let j = i + 1;
      while (j < s.length && isDigit(s[j])) j++;
      fraction = s.slice(i + 1, j);
      i = j;
    }
    if (whole === "" && fraction === "") throw invalid();
    s = s.slice(i);
    let u = 0;
    while (u < s.length && s[u] !== "." && !isDigit(s[u])) u++;
    if (u === 0) throw new Error(`time: missing unit in duration ${quoted}`);
    const unit = s.slice(0, u);
    s = s.slice(u);
    const perUnit = UNIT_NANOS[unit];
    if (perUnit === undefined)
      throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    // Whole and fractional parts are scaled separately, as Go does, so "1.1s" is exactly 1100ms.
    const fractionNanos = fraction === "" ? 0 : Number(fraction) * (perUnit / 10 ** fraction.length);
    nanos += Number(whole || "0") * perUnit + Math.trunc(fractionNanos);
    if (nanos > MAX_NANOS) throw invalid();
  }
  const ms = nanos / 1e6;
  return negative ? -ms : ms;
}

/** The digits of `value / 10^precision` after the point, trailing zeros dropped, with the point. */
function fractionText(value: bigint, precision: number): string {
  if (precision === 0) return "";
  const digits = (value % 10n ** BigInt(precision)).toString().padStart(precision, "0").replace(/0+$/, "");
  return digits === "" ? "" : `.${digits}`;
}

/** Milliseconds in Go's Duration.String form: "1h0m0s", "1m30s", "1.5s", "300ms", "0s". */
export function formatGoDuration(ms: number): string {
  let nanos = BigInt(Math.round(ms * 1e6));
  const sign = nanos < 0n ? "-" : "";
  if (nanos < 0n) nanos = -nanos;
  if (nanos === 0n) return "0s";
  if (nanos < 1_000_000_000n) {
    // Below one second Go switches to the largest unit that keeps a non-zero integer part.
    const [precision, unit] = nanos < 1000n ? [0, "ns"] : nanos < 1_000_000n ? [3, "\u00b5s"] : [6, "ms"];
    const scale = 10n ** BigInt(precision);
    return `${sign}${nanos / scale}${fractionText(nanos, precision)}${unit}`;
  }
  const fraction = fractionText(nanos, 9);
  const totalSeconds = nanos / 1_000_000_000n;
  const seconds = totalSeconds % 60n;
  const totalMinutes = totalSeconds / 60n;
  if (totalMinutes === 0n) return `${sign}${seconds}${fraction}s`;
  const minutes = totalMinutes % 60n;
  const hours = totalMinutes / 60n;
  const head = hours > 0n ? `${hours}h` : "";
  return `${sign}${head}${minutes}m${seconds}${fraction}s`;
}
