// Turns a Kubernetes protobuf request body (application/vnd.kubernetes.protobuf) into the JSON object Go's
// encoding/json would write for the same Go value, so the rest of the server only ever sees JSON.

import { ApiError } from "../../api/errors.js";
import {
  type FieldDescriptor,
  type FieldType,
  isGoZeroScalar,
  type MessageDescriptor,
} from "./descriptors.js";
import { hasProtobufMagic, readEnvelope } from "./envelope.js";
import { MESSAGES, ROOT_KINDS } from "./messages.js";
import { WELL_KNOWN_MESSAGES } from "./well-known.js";
import { WireFormatError, WireReader, WireType } from "./wire.js";

export interface DecodedBody {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/** Every API group registers the option kinds, so DeleteOptions may arrive under any apiVersion. */
const DELETE_OPTIONS = "meta.v1.DeleteOptions";

/** No message in the table nests itself, so real bodies stay shallow; deeper input is hostile. */
const MAX_DEPTH = 64;

const utf8 = new TextDecoder("utf-8");

/** Decodes an enveloped protobuf body; throws a 400 ApiError for malformed bytes or an unsupported kind. */
export function decodeProtobufBody(buf: Uint8Array): DecodedBody {
  try {
    return decodeEnveloped(buf, 0);
  } catch (e) {
    if (e instanceof WireFormatError)
      throw ApiError.badRequest(`the protobuf request body is malformed: ${e.message}`);
    throw e;
  }
}

function decodeEnveloped(buf: Uint8Array, depth: number): DecodedBody {
  const { apiVersion, kind, raw } = readEnvelope(buf);
  const messageName =
    ROOT_KINDS[apiVersion]?.[kind] ?? (kind === "DeleteOptions" ? DELETE_OPTIONS : undefined);
  if (!messageName) {
    throw ApiError.badRequest(`protobuf body of kind ${kind} (${apiVersion}) is not supported; send JSON`);
  }
  const object = decodeMessage(MESSAGES[messageName], raw, depth);
  return { apiVersion, kind, object: { apiVersion, kind, ...(object as Record<string, unknown>) } };
}

/** An object embedded as bytes (runtime.RawExtension): JSON as a rule, a protobuf envelope at times. */
function decodeEmbedded(raw: Uint8Array, depth: number): unknown {
  if (hasProtobufMagic(raw)) return decodeEnveloped(raw, depth + 1).object;
  try {
    return JSON.parse(utf8.decode(raw));
  } catch {
    throw new WireFormatError("an embedded object is neither JSON nor protobuf");
  }
}

/** Decodes one message into its JSON value: usually an object, an array for list wrappers. */
function decodeMessage(descriptor: MessageDescriptor, bytes: Uint8Array, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new WireFormatError(`messages nest deeper than ${MAX_DEPTH} levels`);
  const object: Record<string, unknown> = {};
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.readTag();
    const fd = descriptor[field];
    if (!fd) {
      reader.skip(wireType, field);
      continue;
    }
    if (fd.type.startsWith("map<")) {
      readMapEntry(fd, reader, wireType, object, depth);
    } else if (fd.repeated) {
      const values = readRepeated(fd, reader, wireType, depth);
      if (values.length > 0) collected(object, fd.name, (): unknown[] => []).push(...values);
    } else {
      const value = readSingle(fd.type, reader, wireType, depth);
      if (value === SKIPPED) continue;
      if (fd.inline) Object.assign(object, value);
      else if (value === undefined || (fd.omitEmpty && isGoZeroScalar(value))) delete object[fd.name];
      else object[fd.name] = value;
    }
  }
  const wrapper = Object.values(descriptor).find((f) => f.wrapsList);
  return wrapper ? (object[wrapper.name] ?? []) : object;
}

/** The array or map already gathered under `name` (repeated fields may come in pieces), made on first use. */
function collected<T>(object: Record<string, unknown>, name: string, empty: () => T): T {
  if (object[name] === undefined) object[name] = empty();
  return object[name] as T;
}

/** Marks a field whose message type the table does not describe: it is left out. */
const SKIPPED = Symbol("skipped");

/** The wire type each field type is written with (messages, strings and bytes are length-delimited). */
function wireTypeOf(type: FieldType): number {
  switch (type) {
    case "int32":
    case "int64":
    case "bool":
      return WireType.varint;
    case "double":
      return WireType.fixed64;
    case "float":
      return WireType.fixed32;
    default:
      return WireType.lengthDelimited;
  }
}

function expectWireType(type: FieldType, wireType: number): void {
  const expected = wireTypeOf(type);
  if (wireType !== expected)
    throw new WireFormatError(`a ${type} field has wire type ${wireType}, not ${expected}`);
}

function readSingle(type: FieldType, reader: WireReader, wireType: number, depth: number): unknown {
  expectWireType(type, wireType);
  switch (type) {
    case "string":
      return reader.readString();
    case "bytes":
      return Buffer.from(reader.readBytes()).toString("base64");
    case "int32":
      return reader.readInt32();
    case "int64":
      return reader.readInt64();
    case "bool":
      return reader.readBool();
    case "double":
      return reader.readDouble();
    case "float":
      return reader.readFloat();
  }
  return readMessageField(type.slice("message:".length), reader.readBytes(), depth);
}

function readMessageField(name: string, payload: Uint8Array, depth: number): unknown {
  const wellKnown = WELL_KNOWN_MESSAGES.get(name);
  if (wellKnown) return wellKnown(payload, (raw) => decodeEmbedded(raw, depth));
  const descriptor = MESSAGES[name];
  return descriptor ? decodeMessage(descriptor, payload, depth + 1) : SKIPPED;
}

/** One occurrence of a repeated field: a single element, or several when numbers come packed. */
function readRepeated(fd: FieldDescriptor, reader: WireReader, wireType: number, depth: number): unknown[] {
  const packable = wireTypeOf(fd.type) !== WireType.lengthDelimited;
  if (!packable || wireType !== WireType.lengthDelimited) {
    const value = readSingle(fd.type, reader, wireType, depth);
    return value === SKIPPED || value === undefined ? [] : [value];
  }
  const packed = new WireReader(reader.readBytes());
  const values: unknown[] = [];
  while (!packed.done) values.push(readSingle(fd.type, packed, wireTypeOf(fd.type), depth));
  return values;
}

/** A map entry is a message {key = 1, value = 2}; either may be missing and then takes its zero value. */
function readMapEntry(
  fd: FieldDescriptor,
  reader: WireReader,
  wireType: number,
  object: Record<string, unknown>,
  depth: number,
): void {
  expectWireType("message:", wireType);
  const valueType = fd.type.slice("map<string,".length, -1) as FieldType;
  const entry = new WireReader(reader.readBytes());
  let key = "";
  let value: unknown;
  let entryHadValue = false;
  while (!entry.done) {
    const tag = entry.readTag();
    if (tag.field === 1) {
      expectWireType("string", tag.wireType);
      key = entry.readString();
    } else if (tag.field === 2) {
      value = readSingle(valueType, entry, tag.wireType, depth);
      entryHadValue = true;
    } else {
      entry.skip(tag.wireType, tag.field);
    }
  }
  // A missing value is the type's zero: "" for strings and bytes, the empty message otherwise.
  if (value === undefined && !entryHadValue) {
    value = valueType.startsWith("message:")
      ? readMessageField(valueType.slice("message:".length), new Uint8Array(0), depth)
      : "";
  }
  if (value === SKIPPED) return;
  // defineProperty, not assignment: a key such as "__proto__" must stay an ordinary entry.
  Object.defineProperty(
    collected(object, fd.name, (): Record<string, unknown> => ({})),
    key,
    {
      value: value ?? null,
      enumerable: true,
      writable: true,
      configurable: true,
    },
  );
}
