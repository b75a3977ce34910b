// Test helper: a tiny protobuf writer so tests can build Kubernetes bodies field by field, with the field numbers
// spelled out in the test (independent of the decoder's table, so a wrong number in the table is caught).

import { PROTOBUF_MAGIC } from "./envelope.js";

export type Part = Uint8Array;

function varintBytes(value: bigint): number[] {
  // Go writes negative ints as their 64-bit two's complement: ten bytes.
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const tag = (field: number, wireType: number): number[] => varintBytes(BigInt((field << 3) | wireType));

/** A varint field (int32, int64, bool, enum). */
export const varint = (field: number, value: number | bigint | boolean): Part =>
  Uint8Array.from([
    ...tag(field, 0),
    ...varintBytes(BigInt(typeof value === "boolean" ? Number(value) : value)),
  ]);

/** A length-delimited field holding raw bytes. */
export const bytes = (field: number, payload: Uint8Array): Part =>
  Uint8Array.from([...tag(field, 2), ...varintBytes(BigInt(payload.length)), ...payload]);

export const str = (field: number, value: string): Part => bytes(field, new TextEncoder().encode(value));

export const concat = (...parts: Part[]): Part => Uint8Array.from(parts.flatMap((p) => [...p]));

/** An embedded message made of the given fields. */
export const msg = (field: number, ...parts: Part[]): Part => bytes(field, concat(...parts));

/** One entry of a map field: {key = 1, value = 2}; `value` is already encoded as field 2. */
export const entry = (field: number, key: string, value: Part): Part => msg(field, str(1, key), value);

export function double(field: number, value: number): Part {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, value, true);
  return Uint8Array.from([...tag(field, 1), ...b]);
}

export function fixed32(field: number, value: number): Part {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value, true);
  return Uint8Array.from([...tag(field, 5), ...b]);
}

/** A group (wire types 3 and 4), which Kubernetes never writes but a reader must be able to skip. */
export const group = (field: number, ...parts: Part[]): Part =>
  Uint8Array.from([...tag(field, 3), ...concat(...parts), ...tag(field, 4)]);

/** The full body: magic prefix + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export const envelope = (apiVersion: string, kind: string, ...objectFields: Part[]): Buffer =>
  Buffer.from(concat(PROTOBUF_MAGIC, msg(1, str(1, apiVersion), str(2, kind)), msg(2, ...objectFields)));
