// SPDY/3 name/value header blocks before compression: a 32-bit count, then each name and value as a 32-bit
// length and bytes. Names are lowercase; several values of one name travel as one value joined by NUL.
import { SpdyProtocolError } from "./frame-codec.js";

/** Header names (lowercase) and their values. */
export type SpdyHeaders = Map<string, string[]>;

/** The uncompressed block for `headers`; names are lowercased as the spec requires. */
export function encodeHeaderBlock(headers: Iterable<readonly [string, readonly string[]]>): Buffer {
  const parts: Buffer[] = [];
  let count = 0;
  const lengthOf = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return length;
  };
  for (const [name, values] of headers) {
    const nameBytes = Buffer.from(name.toLowerCase(), "utf8");
    const valueBytes = Buffer.from(values.join("\0"), "utf8");
    parts.push(lengthOf(nameBytes), nameBytes, lengthOf(valueBytes), valueBytes);
    count++;
  }
  const countBytes = Buffer.alloc(4);
  countBytes.writeUInt32BE(count);
  return Buffer.concat([countBytes, ...parts]);
}

/** The headers of an uncompressed block. Throws SpdyProtocolError when it is truncated or has trailing bytes. */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  let offset = 0;
  const take = (what: string): Buffer => {
    if (block.length - offset < 4)
      throw new SpdyProtocolError(`header block truncated in the ${what} length`);
    const length = block.readUInt32BE(offset);
    offset += 4;
    if (block.length - offset < length) throw new SpdyProtocolError(`header block truncated in a ${what}`);
    const bytes = block.subarray(offset, offset + length);
    offset += length;
    return bytes;
  };
  if (block.length < 4) throw new SpdyProtocolError("header block truncated in its count");
  const count = block.readUInt32BE(0);
  offset = 4;
  const headers: SpdyHeaders = new Map();
  for (let i = 0; i < count; i++) {
    // Lowercased as Go's framer does, which tolerates an uppercase name rather than failing the connection.
    const name = take("name").toString("utf8").toLowerCase();
    const values = take("value").toString("utf8").split("\0");
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  if (offset !== block.length) throw new SpdyProtocolError("header block has trailing bytes");
  return headers;
}
