// The Kubernetes protobuf envelope: the magic prefix "k8s\0" followed by a runtime.Unknown message that names
// the object's apiVersion and kind and carries the object's own protobuf bytes.

import { WireFormatError, WireReader, WireType } from "./wire.js";

/** "k8s" and a NUL byte, in front of every protobuf-encoded Kubernetes object. */
export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The protobuf encoding of the object itself (its message, without envelope). */
  raw: Uint8Array;
}

export function hasProtobufMagic(bytes: Uint8Array): boolean {
  return bytes.length >= PROTOBUF_MAGIC.length && PROTOBUF_MAGIC.every((b, i) => bytes[i] === b);
}

/** runtime.TypeMeta: apiVersion = 1, kind = 2. */
function readTypeMeta(bytes: Uint8Array): { apiVersion: string; kind: string } {
  const reader = new WireReader(bytes);
  const typeMeta = { apiVersion: "", kind: "" };
  while (!reader.done) {
    const { field, wireType } = reader.readTag();
    if (field === 1 && wireType === WireType.lengthDelimited) typeMeta.apiVersion = reader.readString();
    else if (field === 2 && wireType === WireType.lengthDelimited) typeMeta.kind = reader.readString();
    else reader.skip(wireType, field);
  }
  return typeMeta;
}

/** Unwraps the envelope; throws WireFormatError when the bytes are not one. */
export function readEnvelope(bytes: Uint8Array): Envelope {
  if (!hasProtobufMagic(bytes)) {
    throw new WireFormatError('the body does not start with the Kubernetes protobuf prefix "k8s\\x00"');
  }
  const reader = new WireReader(bytes, PROTOBUF_MAGIC.length);
  const envelope: Envelope = { apiVersion: "", kind: "", raw: new Uint8Array(0) };
  let contentEncoding = "";
  // runtime.Unknown: typeMeta = 1, raw = 2, contentEncoding = 3, contentType = 4.
  while (!reader.done) {
    const { field, wireType } = reader.readTag();
    if (wireType !== WireType.lengthDelimited) {
      reader.skip(wireType, field);
    } else if (field === 1) {
      Object.assign(envelope, readTypeMeta(reader.readBytes()));
    } else if (field === 2) {
      envelope.raw = reader.readBytes();
    } else if (field === 3) {
      contentEncoding = reader.readString();
    } else {
      reader.skip(wireType, field);
    }
  }
  if (contentEncoding) throw new WireFormatError(`content encoding "${contentEncoding}" is not supported`);
  if (!envelope.kind) throw new WireFormatError("the envelope does not name a kind");
  return envelope;
}
