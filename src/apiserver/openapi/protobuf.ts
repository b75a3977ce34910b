// A minimal protocol-buffers wire codec with no dependency: a writer for building messages field by field
// (varints, length-delimited strings and nested messages, doubles) and a reader that splits a message into
// its raw fields. Enough for the gnostic OpenAPI v2 document and for small messages such as DeleteOptions.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Room reserved for a length prefix before its content is written: the longest varint of a 32-bit length. */
const LENGTH_RESERVE = 5;

/**
 * Builds one message into a single growing buffer. A nested message or string is written after room for its
 * length prefix; once its size is known the prefix is filled in and the content slid back over the unused
 * room, so no intermediate buffers are allocated however deep the nesting. Proto3 default values (empty
 * strings, false, zero) are skipped, as a proto3 encoder would.
 */
export class ProtoWriter {
  private buf = new Uint8Array(1024);
  private pos = 0;

  /** Total encoded length so far. */
  get length(): number {
    return this.pos;
  }

  string(field: number, value: string | undefined): this {
    if (value) this.text(field, value);
    return this;
  }

  /** Repeated string: one field entry per value, empty strings included (they are list elements). */
  strings(field: number, values: readonly string[] | undefined): this {
    for (const value of values ?? []) this.text(field, value);
    return this;
  }

  bytes(field: number, value: Uint8Array, keepEmpty = false): this {
    if (value.length === 0 && !keepEmpty) return this;
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.length);
    this.reserve(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** `keepDefault` writes false too, as a oneof member must be. */
  bool(field: number, value: boolean | undefined, keepDefault = false): this {
    if (value === undefined || (!value && !keepDefault)) return this;
    this.tag(field, WIRE_VARINT);
    this.varint(value ? 1 : 0);
    return this;
  }

  /** int64/uint64 fields; negative numbers use the ten-byte two's-complement form, as protobuf requires. */
  int64(field: number, value: number | bigint | undefined): this {
    if (value === undefined || value === 0 || value === 0n) return this;
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  double(field: number, value: number | undefined): this {
    if (value === undefined || value === 0) return this;
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    new DataView(this.buf.buffer).setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  /**
   * A nested message written by `build` into this same writer. An empty message is still written (a present
   * but empty message differs from an absent one for oneof members and repeated elements).
   */
  message(field: number, build: (w: ProtoWriter) => void): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    const start = this.beginLengthDelimited();
    build(this);
    this.endLengthDelimited(start);
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private text(field: number, value: string): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    const start = this.beginLengthDelimited();
    this.reserve(value.length * 3);
    this.pos += utf8.encodeInto(value, this.buf.subarray(this.pos)).written;
    this.endLengthDelimited(start);
  }

  private beginLengthDelimited(): number {
    this.reserve(LENGTH_RESERVE);
    this.pos += LENGTH_RESERVE;
    return this.pos;
  }

  /** Writes the length prefix of the content that began at `start` and closes the reserved gap. */
  private endLengthDelimited(start: number): void {
    const contentLength = this.pos - start;
    // Grow now, while `pos` covers the content: a reallocation after moving `pos` back would drop it.
    this.reserve(10);
    const prefixAt = start - LENGTH_RESERVE;
    this.pos = prefixAt;
    this.varint(contentLength);
    const prefixLength = this.pos - prefixAt;
    if (prefixLength < LENGTH_RESERVE) this.buf.copyWithin(this.pos, start, start + contentLength);
    this.pos += contentLength;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number | bigint): void {
    this.reserve(10);
    if (typeof value === "number" && value >= 0 && value <= 0x7fffffff) {
      // Fast path for tags and lengths: plain number arithmetic.
      let v = value;
      while (v >= 0x80) {
        this.buf[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.buf[this.pos++] = v;
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  private reserve(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }
}

/** One raw field of a decoded message. Varints come back as bigint; length-delimited values as bytes. */
export type ProtoField =
  | { field: number; wireType: 0; value: bigint }
  | { field: number; wireType: 1; value: Uint8Array }
  | { field: number; wireType: 2; value: Uint8Array }
  | { field: number; wireType: 5; value: Uint8Array };

/** Splits one message into its fields, in wire order. Throws on truncated or malformed input. */
export function readProtoFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.length) throw new Error("protobuf: truncated varint");
      const b = bytes[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error("protobuf: varint too long");
    }
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > bytes.length) throw new Error("protobuf: truncated field");
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < bytes.length) {
    const key = readVarint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0) throw new Error("protobuf: field number 0");
    switch (wireType) {
      case WIRE_VARINT:
        fields.push({ field, wireType, value: readVarint() });
        break;
      case WIRE_FIXED64:
        fields.push({ field, wireType, value: take(8) });
        break;
      case WIRE_LENGTH_DELIMITED:
        fields.push({ field, wireType, value: take(Number(readVarint())) });
        break;
      case WIRE_FIXED32:
        fields.push({ field, wireType, value: take(4) });
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** Decodes a length-delimited field as UTF-8 text. */
export function protoText(value: Uint8Array): string {
  return utf8Decoder.decode(value);
}

/** Decodes a fixed64 field as a little-endian double. */
export function protoDouble(value: Uint8Array): number {
  return new DataView(value.buffer, value.byteOffset, value.byteLength).getFloat64(0, true);
}
