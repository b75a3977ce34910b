// A minimal reader for the protobuf wire format: tags, varints (64-bit through bigint), fixed32/64 and
// length-delimited fields, plus skipping of any field the caller does not know.

export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

/** Raised on bytes that are not valid protobuf; callers turn it into a 400. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

export interface Tag {
  field: number;
  wireType: number;
}

export class WireReader {
  private pos: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  readTag(): Tag {
    const key = this.readVarint();
    const field = Number(key >> 3n);
    if (field < 1 || field > 0x1fffffff) throw new WireFormatError(`invalid field number ${field}`);
    return { field, wireType: Number(key & 7n) };
  }

  /** An unsigned varint of up to 64 bits. */
  readVarint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new WireFormatError("varint is longer than 10 bytes");
  }

  /** int64 as Go writes it (two's complement in 64 bits); a JS number, exact up to 2^53. */
  readInt64(): number {
    return Number(BigInt.asIntN(64, this.readVarint()));
  }

  /** int32 as Go writes it: negative values are sign-extended to ten bytes. */
  readInt32(): number {
    return Number(BigInt.asIntN(32, this.readVarint()));
  }

  readBool(): boolean {
    return this.readVarint() !== 0n;
  }

  readFixed32(): Uint8Array {
    return this.take(4);
  }

  readFixed64(): Uint8Array {
    return this.take(8);
  }

  readFloat(): number {
    const at = this.pos;
    this.take(4);
    return this.view.getFloat32(at, true);
  }

  readDouble(): number {
    const at = this.pos;
    this.take(8);
    return this.view.getFloat64(at, true);
  }

  /** The payload of a length-delimited field, as a view on the same buffer. */
  readBytes(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.end - this.pos)) {
      throw new WireFormatError(`length ${length} runs past the end of the message`);
    }
    return this.take(Number(length));
  }

  readString(): string {
    return utf8.decode(this.readBytes());
  }

  /** Steps over one field's value; groups are skipped up to their matching end tag. */
  skip(wireType: number, field: number): void {
    switch (wireType) {
      case WireType.varint:
        this.readVarint();
        return;
      case WireType.fixed64:
        this.take(8);
        return;
      case WireType.lengthDelimited:
        this.readBytes();
        return;
      case WireType.fixed32:
        this.take(4);
        return;
      case WireType.startGroup:
        for (;;) {
          const inner = this.readTag();
          if (inner.wireType === WireType.endGroup) {
            if (inner.field !== field)
              throw new WireFormatError(`group ${field} ends with field ${inner.field}`);
            return;
          }
          this.skip(inner.wireType, inner.field);
        }
      default:
        throw new WireFormatError(`invalid wire type ${wireType} for field ${field}`);
    }
  }

  private byte(): number {
    if (this.pos >= this.end) throw new WireFormatError("message is truncated");
    return this.bytes[this.pos++];
  }

  private take(n: number): Uint8Array {
    if (this.end - this.pos < n) throw new WireFormatError("message is truncated");
    const slice = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return slice;
  }
}

const utf8 = new TextDecoder("utf-8");
