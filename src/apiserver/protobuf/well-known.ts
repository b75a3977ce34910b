// The apimachinery messages whose JSON form is not an object of their fields: timestamps, durations,
// quantities, int-or-string and embedded raw JSON. Each turns its protobuf payload into the JSON value Go writes.

import { WireFormatError, WireReader, WireType } from "./wire.js";

/** Decodes one well-known message; `undefined` means "leave the field out". */
export type WellKnownDecoder = (payload: Uint8Array, embedded: EmbeddedDecoder) => unknown;

/** Decodes the bytes of an embedded object (JSON, or a protobuf envelope) into a JSON value. */
export type EmbeddedDecoder = (raw: Uint8Array) => unknown;

/** Reads a flat message of scalars: field number → last value seen, by a reader chosen per wire type. */
function readFields(payload: Uint8Array): Map<number, { varint?: bigint; bytes?: Uint8Array }> {
  const reader = new WireReader(payload);
  const fields = new Map<number, { varint?: bigint; bytes?: Uint8Array }>();
  while (!reader.done) {
    const { field, wireType } = reader.readTag();
    if (wireType === WireType.varint) fields.set(field, { varint: reader.readVarint() });
    else if (wireType === WireType.lengthDelimited) fields.set(field, { bytes: reader.readBytes() });
    else reader.skip(wireType, field);
  }
  return fields;
}

const int64Of = (v: bigint | undefined): bigint => BigInt.asIntN(64, v ?? 0n);
const utf8 = new TextDecoder("utf-8");
const textOf = (b: Uint8Array | undefined): string => (b ? utf8.decode(b) : "");

/** Go's zero time.Time, in Unix seconds: metav1.Time treats it as "no time". */
const GO_ZERO_TIME_SECONDS = -62135596800n;

function timestamp(payload: Uint8Array): { seconds: bigint; nanos: number } | undefined {
  const fields = readFields(payload);
  // Go writes the zero time as an empty message; an explicit seconds=0 is the Unix epoch.
  if (!fields.has(1) && !fields.has(2)) return undefined;
  const seconds = int64Of(fields.get(1)?.varint);
  const nanos = Number(BigInt.asIntN(32, fields.get(2)?.varint ?? 0n));
  if (seconds === GO_ZERO_TIME_SECONDS && nanos === 0) return undefined;
  return { seconds, nanos };
}

/** RFC 3339 in UTC with `fractionDigits` digits after the second (metav1.Time: 0, MicroTime: 6). */
export function formatRfc3339(seconds: bigint, nanos: number, fractionDigits: number): string {
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const fraction = fractionDigits > 0 ? `.${String(nanos).padStart(9, "0").slice(0, fractionDigits)}` : "";
  return `${whole}${fraction}Z`;
}

/** time.Duration.String(): "1h2m3.5s", "150ms", "0s". */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const sign = ns < 0n ? "-" : "";
  const abs = ns < 0n ? -ns : ns;
  const withFraction = (value: bigint, unit: bigint, suffix: string): string => {
    const fraction = String(value % unit)
      .padStart(String(unit).length - 1, "0")
      .replace(/0+$/, "");
    return `${value / unit}${fraction ? `.${fraction}` : ""}${suffix}`;
  };
  if (abs < 1000n) return `${sign}${abs}ns`;
  if (abs < 1_000_000n) return sign + withFraction(abs, 1000n, "µs");
  if (abs < 1_000_000_000n) return sign + withFraction(abs, 1_000_000n, "ms");
  const hours = abs / 3_600_000_000_000n;
  const minutes = (abs / 60_000_000_000n) % 60n;
  const seconds = withFraction(abs % 60_000_000_000n, 1_000_000_000n, "s");
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}`;
  return sign + seconds;
}

function parseJson(raw: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(utf8.decode(raw));
  } catch {
    throw new WireFormatError(`${what} does not hold valid JSON`);
  }
}

export const WELL_KNOWN_MESSAGES: ReadonlyMap<string, WellKnownDecoder> = new Map<string, WellKnownDecoder>([
  [
    "meta.v1.Time",
    (payload) => {
      const t = timestamp(payload);
      return t && formatRfc3339(t.seconds, 0, 0);
    },
  ],
  [
    "meta.v1.MicroTime",
    (payload) => {
      const t = timestamp(payload);
      return t && formatRfc3339(t.seconds, t.nanos, 6);
    },
  ],
  ["meta.v1.Duration", (payload) => formatGoDuration(int64Of(readFields(payload).get(1)?.varint))],
  // A zero Quantity has no string on the wire; Go writes it as "0".
  ["resource.Quantity", (payload) => textOf(readFields(payload).get(1)?.bytes) || "0"],
  [
    "intstr.IntOrString",
    (payload) => {
      const fields = readFields(payload);
      if (fields.get(1)?.varint === 1n) return textOf(fields.get(3)?.bytes);
      return Number(BigInt.asIntN(32, fields.get(2)?.varint ?? 0n));
    },
  ],
  [
    "runtime.RawExtension",
    (payload, embedded) => {
      const raw = readFields(payload).get(1)?.bytes;
      return raw && raw.length > 0 ? embedded(raw) : undefined;
    },
  ],
  [
    "meta.v1.FieldsV1",
    (payload) => {
      const raw = readFields(payload).get(1)?.bytes;
      return raw && raw.length > 0 ? parseJson(raw, "FieldsV1") : undefined;
    },
  ],
]);
