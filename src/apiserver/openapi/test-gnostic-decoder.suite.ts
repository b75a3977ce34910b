// Test helper: decodes a gnostic openapi.v2.Document protobuf back into Swagger JSON, written from the .proto
// field numbers independently of the encoder, so tests can compare the protobuf with the JSON document.
// Unknown fields throw, so a wrong field number in the encoder cannot pass unnoticed.

import { parse as parseYaml } from "yaml";
import type { JsonObject, JsonValue } from "./json-types.js";
import { type ProtoField, protoDouble, protoText, readProtoFields } from "./protobuf.js";

const bytesOf = (f: ProtoField): Uint8Array => {
  if (f.wireType !== 2)
    throw new Error(`field ${f.field}: expected length-delimited, got wire type ${f.wireType}`);
  return f.value;
};
const textOf = (f: ProtoField): string => protoText(bytesOf(f));
const boolOf = (f: ProtoField): boolean => {
  if (f.wireType !== 0) throw new Error(`field ${f.field}: expected varint`);
  return f.value !== 0n;
};
const unknown = (message: string, f: ProtoField): never => {
  throw new Error(`${message}: unexpected field ${f.field}`);
};
const push = (o: JsonObject, key: string, value: JsonValue): void => {
  if (!Array.isArray(o[key])) o[key] = [];
  (o[key] as JsonValue[]).push(value);
};

/** `Any`: only the yaml form (field 2) is expected. */
export function decodeAny(bytes: Uint8Array): { yaml: string; value: JsonValue } {
  let yaml = "";
  for (const f of readProtoFields(bytes)) {
    if (f.field === 2) yaml = textOf(f);
    else unknown("Any", f);
  }
  return { yaml, value: parseYaml(yaml) as JsonValue };
}

function named<T>(bytes: Uint8Array, value: (b: Uint8Array) => T): [string, T] {
  let name = "";
  let decoded: T | undefined;
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) name = textOf(f);
    else if (f.field === 2) decoded = value(bytesOf(f));
    else unknown("Named", f);
  }
  if (decoded === undefined) throw new Error(`Named ${name}: no value`);
  return [name, decoded];
}

const extension = (o: JsonObject, f: ProtoField): void => {
  const [name, any] = named(bytesOf(f), decodeAny);
  o[name] = any.value;
};

export function decodeSchema(bytes: Uint8Array): JsonObject {
  const s: JsonObject = {};
  for (const f of readProtoFields(bytes)) {
    switch (f.field) {
      case 1:
        s.$ref = textOf(f);
        break;
      case 2:
        s.format = textOf(f);
        break;
      case 4:
        s.description = textOf(f);
        break;
      case 7:
        s.maximum = protoDouble(f.value as Uint8Array);
        break;
      case 16:
        s.uniqueItems = boolOf(f);
        break;
      case 19:
        push(s, "required", textOf(f));
        break;
      case 20:
        push(s, "enum", decodeAny(bytesOf(f)).value);
        break;
      case 21:
        for (const inner of readProtoFields(bytesOf(f))) {
          if (inner.field === 1) s.additionalProperties = decodeSchema(bytesOf(inner));
          else if (inner.field === 2) s.additionalProperties = boolOf(inner);
          else unknown("AdditionalPropertiesItem", inner);
        }
        break;
      case 22: {
        const types = readProtoFields(bytesOf(f)).map(textOf);
        s.type = types.length === 1 ? types[0] : types;
        break;
      }
      case 23: {
        const items = readProtoFields(bytesOf(f)).map((i) => decodeSchema(bytesOf(i)));
        s.items = items.length === 1 ? items[0] : items;
        break;
      }
      case 24:
        push(s, "allOf", decodeSchema(bytesOf(f)));
        break;
      case 25: {
        const properties: JsonObject = {};
        for (const entry of readProtoFields(bytesOf(f))) {
          const [name, value] = named(bytesOf(entry), decodeSchema);
          properties[name] = value;
        }
        s.properties = properties;
        break;
      }
      case 31:
        extension(s, f);
        break;
      default:
        unknown("Schema", f);
    }
  }
  return s;
}

/** Query/form sub-schemas have `allow_empty_value` at 5; path/header ones do not, so later fields shift. */
function decodeNonBodySubSchema(bytes: Uint8Array, withAllowEmpty: boolean): JsonObject {
  const shift = withAllowEmpty ? 1 : 0;
  const p: JsonObject = {};
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) p.required = boolOf(f);
    else if (f.field === 2) p.in = textOf(f);
    else if (f.field === 3) p.description = textOf(f);
    else if (f.field === 4) p.name = textOf(f);
    else if (withAllowEmpty && f.field === 5) p.allowEmptyValue = boolOf(f);
    else if (f.field === 5 + shift) p.type = textOf(f);
    else if (f.field === 6 + shift) p.format = textOf(f);
    else if (f.field === 19 + shift) p.uniqueItems = boolOf(f);
    else if (f.field === 22 + shift) extension(p, f);
    else unknown("NonBodyParameter sub-schema", f);
  }
  return p;
}

export function decodeParametersItem(bytes: Uint8Array): JsonObject {
  const [item] = readProtoFields(bytes);
  if (item.field === 2) return { $ref: textOf(readProtoFields(bytesOf(item))[0]) };
  if (item.field !== 1) unknown("ParametersItem", item);
  const [parameter] = readProtoFields(bytesOf(item));
  if (parameter.field === 1) {
    const p: JsonObject = {};
    for (const f of readProtoFields(bytesOf(parameter))) {
      if (f.field === 1) p.description = textOf(f);
      else if (f.field === 2) p.name = textOf(f);
      else if (f.field === 3) p.in = textOf(f);
      else if (f.field === 4) p.required = boolOf(f);
      else if (f.field === 5) p.schema = decodeSchema(bytesOf(f));
      else unknown("BodyParameter", f);
    }
    return p;
  }
  if (parameter.field !== 2) unknown("Parameter", parameter);
  const [member] = readProtoFields(bytesOf(parameter));
  const withAllowEmpty = member.field === 2 || member.field === 3;
  return decodeNonBodySubSchema(bytesOf(member), withAllowEmpty);
}

function decodeResponses(bytes: Uint8Array): JsonObject {
  const out: JsonObject = {};
  for (const f of readProtoFields(bytes)) {
    if (f.field !== 1) unknown("Responses", f);
    const [code, response] = named(bytesOf(f), (b) => {
      const [value] = readProtoFields(b);
      if (value.field !== 1) unknown("ResponseValue", value);
      const r: JsonObject = {};
      for (const rf of readProtoFields(bytesOf(value))) {
        if (rf.field === 1) r.description = textOf(rf);
        else if (rf.field === 2) r.schema = decodeSchema(bytesOf(readProtoFields(bytesOf(rf))[0]));
        else unknown("Response", rf);
      }
      return r;
    });
    out[code] = response;
  }
  return out;
}

export function decodeOperation(bytes: Uint8Array): JsonObject {
  const op: JsonObject = {};
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) push(op, "tags", textOf(f));
    else if (f.field === 3) op.description = textOf(f);
    else if (f.field === 5) op.operationId = textOf(f);
    else if (f.field === 6) push(op, "produces", textOf(f));
    else if (f.field === 7) push(op, "consumes", textOf(f));
    else if (f.field === 8) push(op, "parameters", decodeParametersItem(bytesOf(f)));
    else if (f.field === 9) op.responses = decodeResponses(bytesOf(f));
    else if (f.field === 10) push(op, "schemes", textOf(f));
    else if (f.field === 13) extension(op, f);
    else unknown("Operation", f);
  }
  return op;
}

const METHODS: Record<number, string> = {
  2: "get",
  3: "put",
  4: "post",
  5: "delete",
  6: "options",
  7: "head",
  8: "patch",
};

function decodePathItem(bytes: Uint8Array): JsonObject {
  const item: JsonObject = {};
  for (const f of readProtoFields(bytes)) {
    if (METHODS[f.field]) item[METHODS[f.field]] = decodeOperation(bytesOf(f));
    else if (f.field === 9) push(item, "parameters", decodeParametersItem(bytesOf(f)));
    else unknown("PathItem", f);
  }
  return item;
}

/** The whole document, as the Swagger JSON it was encoded from. */
export function decodeGnosticDocument(bytes: Uint8Array): JsonObject {
  const doc: JsonObject = {};
  for (const f of readProtoFields(bytes)) {
    switch (f.field) {
      case 1:
        doc.swagger = textOf(f);
        break;
      case 2: {
        const info: JsonObject = {};
        for (const i of readProtoFields(bytesOf(f))) {
          if (i.field === 1) info.title = textOf(i);
          else if (i.field === 2) info.version = textOf(i);
          else unknown("Info", i);
        }
        doc.info = info;
        break;
      }
      case 8: {
        const paths: JsonObject = {};
        for (const p of readProtoFields(bytesOf(f))) {
          if (p.field !== 2) unknown("Paths", p);
          const [name, item] = named(bytesOf(p), decodePathItem);
          paths[name] = item;
        }
        doc.paths = paths;
        break;
      }
      case 9: {
        const definitions: JsonObject = {};
        for (const d of readProtoFields(bytesOf(f))) {
          const [name, schema] = named(bytesOf(d), decodeSchema);
          definitions[name] = schema;
        }
        doc.definitions = definitions;
        break;
      }
      default:
        unknown("Document", f);
    }
  }
  return doc;
}
