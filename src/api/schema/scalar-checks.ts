// Checks for the scalar types that Go decodes with custom code (Time, MicroTime, Quantity, []byte); each
// returns the error text upstream's decoder would produce, or undefined when the value is acceptable.

import { parseQuantity } from "../quantity.js";

const RFC3339_LAYOUT = "2006-01-02T15:04:05Z07:00";

/**
 * The layout elements of RFC 3339 in the order Go's time.Parse consumes them; `pattern` matches one element
 * at the start of the remaining text. Fractional seconds are optional on input, as in Go.
 */
const RFC3339_ELEMENTS: { layout: string; pattern: RegExp }[] = [
  { layout: "2006", pattern: /^\d{4}/ },
  { layout: "-", pattern: /^-/ },
  { layout: "01", pattern: /^\d{2}/ },
  { layout: "-", pattern: /^-/ },
  { layout: "02", pattern: /^\d{2}/ },
  { layout: "T", pattern: /^T/ },
  { layout: "15", pattern: /^\d{2}/ },
  { layout: ":", pattern: /^:/ },
  { layout: "04", pattern: /^\d{2}/ },
  { layout: ":", pattern: /^:/ },
  { layout: "05", pattern: /^\d{2}(\.\d{1,9})?/ },
  { layout: "Z07:00", pattern: /^(Z|[+-]\d{2}:\d{2})/ },
];

const quote = (s: string): string => JSON.stringify(s);

/**
 * metav1.Time / MicroTime: an RFC 3339 timestamp. MicroTime upstream insists on exactly six fractional
 * digits; here any precision is accepted so that clients formatting with fewer digits keep working.
 */
export function checkTimestamp(text: string): string | undefined {
  // Almost every timestamp is well formed: one match and the range checks settle it. Only a malformed one walks
  // the layout element by element, to word the error as Go does.
  const whole = WELL_FORMED.exec(text);
  if (whole) return rangeError(text, whole.slice(2, 7).map(Number));
  let rest = text;
  const fields: number[] = [];
  for (const element of RFC3339_ELEMENTS) {
    const match = element.pattern.exec(rest);
    if (!match) {
      return `parsing time ${quote(text)} as ${quote(RFC3339_LAYOUT)}: cannot parse ${quote(rest)} as ${quote(element.layout)}`;
    }
    if (/^\d/.test(match[0])) fields.push(Number.parseInt(match[0], 10));
    rest = rest.slice(match[0].length);
  }
  if (rest) return `parsing time ${quote(text)}: extra text: ${quote(rest)}`;
  return rangeError(text, fields.slice(1));
}

/** The whole RFC 3339 layout at once; groups 1–6 are year, month, day, hour, minute and second. */
const WELL_FORMED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Go's range checks on the parsed month, day, hour, minute and second. */
function rangeError(text: string, [month, day, hour, minute, second]: number[]): string | undefined {
  if (month < 1 || month > 12) return `parsing time ${quote(text)}: month out of range`;
  if (day < 1 || day > 31) return `parsing time ${quote(text)}: day out of range`;
  if (hour > 23) return `parsing time ${quote(text)}: hour out of range`;
  if (minute > 59) return `parsing time ${quote(text)}: minute out of range`;
  if (second > 59) return `parsing time ${quote(text)}: second out of range`;
  return undefined;
}

/** resource.Quantity accepts a JSON string or number and parses it with ParseQuantity. */
export function checkQuantity(value: unknown): string | undefined {
  const text = typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
  try {
    parseQuantity(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const BASE64_CHAR = /[A-Za-z0-9+/]/;

/** Go `[]byte` fields hold standard, padded base64; errors name the offending input offset as Go does. */
export function checkBase64(text: string): string | undefined {
  const clean = text.replace(/[\r\n]/g, "");
  let padding = 0;
  for (let i = 0; i < clean.length; i++) {
    const ch = clean[i];
    if (ch === "=") {
      padding++;
      // Padding may only close the final quantum, and at most two characters of it.
      if (padding > 2 || (clean.length - i - 1 > 0 && clean[i + 1] !== "=") || i % 4 < 2) {
        return `illegal base64 data at input byte ${i}`;
      }
    } else if (padding > 0 || !BASE64_CHAR.test(ch)) {
      return `illegal base64 data at input byte ${i}`;
    }
  }
  if (clean.length % 4 !== 0) return `illegal base64 data at input byte ${clean.length - (clean.length % 4)}`;
  return undefined;
}
