// Encodes a Swagger 2.0 document (as JSON) into the gnostic `openapi.v2.Document` protobuf that Kubernetes
// serves at /openapi/v2. Field numbers follow gnostic-models openapiv2/OpenAPIv2.proto. Vendor extensions,
// enums and defaults become `Any` messages holding YAML text, as gnostic stores them.

import type { JsonObject, JsonValue } from "./json-types.js";
import { ProtoWriter } from "./protobuf.js";
import { toYamlText } from "./yaml-text.js";

const asObject = (v: JsonValue | undefined): JsonObject | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? v : undefined;
const asString = (v: JsonValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);
const asBool = (v: JsonValue | undefined): boolean | undefined => (typeof v === "boolean" ? v : undefined);
const asNumber = (v: JsonValue | undefined): number | undefined => (typeof v === "number" ? v : undefined);
const asStrings = (v: JsonValue | undefined): string[] | undefined =>
  Array.isArray(v)
    ? v.filter((s): s is string => typeof s === "string")
    : typeof v === "string"
      ? [v]
      : undefined;
const isExtension = (key: string): boolean => key.startsWith("x-");

/** `Any { yaml = 2 }`. */
function any(w: ProtoWriter, value: JsonValue): void {
  w.string(2, toYamlText(value));
}

/** Every `x-…` key of `o` as `NamedAny { name = 1; value = 2 }` entries of field `field`. */
function vendorExtensions(w: ProtoWriter, field: number, o: JsonObject): void {
  for (const [name, value] of Object.entries(o)) {
    if (!isExtension(name)) continue;
    w.message(field, (named) => {
      named.string(1, name);
      named.message(2, (a) => any(a, value));
    });
  }
}

/** The non-extension entries of a map-like object as `Named<T> { name = 1; value = 2 }` entries. */
function namedEntries(
  w: ProtoWriter,
  field: number,
  o: JsonObject,
  value: (w: ProtoWriter, v: JsonObject) => void,
): void {
  for (const [name, v] of Object.entries(o)) {
    const child = asObject(v);
    if (isExtension(name) || !child) continue;
    w.message(field, (named) => {
      named.string(1, name);
      named.message(2, (m) => value(m, child));
    });
  }
}

function schema(w: ProtoWriter, s: JsonObject): void {
  w.string(1, asString(s.$ref));
  w.string(2, asString(s.format));
  w.string(3, asString(s.title));
  w.string(4, asString(s.description));
  if (s.default !== undefined) w.message(5, (a) => any(a, s.default));
  w.double(6, asNumber(s.multipleOf));
  w.double(7, asNumber(s.maximum));
  w.bool(8, asBool(s.exclusiveMaximum));
  w.double(9, asNumber(s.minimum));
  w.bool(10, asBool(s.exclusiveMinimum));
  w.int64(11, asNumber(s.maxLength));
  w.int64(12, asNumber(s.minLength));
  w.string(13, asString(s.pattern));
  w.int64(14, asNumber(s.maxItems));
  w.int64(15, asNumber(s.minItems));
  w.bool(16, asBool(s.uniqueItems));
  w.int64(17, asNumber(s.maxProperties));
  w.int64(18, asNumber(s.minProperties));
  w.strings(19, asStrings(s.required));
  if (Array.isArray(s.enum)) for (const value of s.enum) w.message(20, (a) => any(a, value));
  const additional = s.additionalProperties;
  if (typeof additional === "boolean") {
    // AdditionalPropertiesItem is a oneof: `boolean = 2` must be written even when false.
    w.message(21, (m) => m.bool(2, additional, true));
  } else if (asObject(additional)) {
    w.message(21, (m) => m.message(1, (inner) => schema(inner, asObject(additional)!)));
  }
  const types = asStrings(s.type);
  if (types) w.message(22, (m) => m.strings(1, types));
  if (s.items !== undefined) {
    const items = Array.isArray(s.items) ? s.items : [s.items];
    w.message(23, (m) => {
      for (const item of items) m.message(1, (inner) => schema(inner, asObject(item) ?? {}));
    });
  }
  if (Array.isArray(s.allOf))
    for (const part of s.allOf) w.message(24, (m) => schema(m, asObject(part) ?? {}));
  const properties = asObject(s.properties);
  if (properties) w.message(25, (m) => namedEntries(m, 1, properties, schema));
  w.string(26, asString(s.discriminator));
  w.bool(27, asBool(s.readOnly));
  if (s.example !== undefined) w.message(30, (a) => any(a, s.example));
  vendorExtensions(w, 31, s);
}

/**
 * Query and form parameters share one field layout; path and header parameters share another that lacks
 * `allow_empty_value` (5), so every later field number is one lower.
 */
function nonBodySubSchema(w: ProtoWriter, p: JsonObject, withAllowEmpty: boolean): void {
  const shift = withAllowEmpty ? 1 : 0;
  w.bool(1, asBool(p.required));
  w.string(2, asString(p.in));
  w.string(3, asString(p.description));
  w.string(4, asString(p.name));
  if (withAllowEmpty) w.bool(5, asBool(p.allowEmptyValue));
  w.string(5 + shift, asString(p.type));
  w.string(6 + shift, asString(p.format));
  w.string(8 + shift, asString(p.collectionFormat));
  if (p.default !== undefined) w.message(9 + shift, (a) => any(a, p.default));
  w.bool(19 + shift, asBool(p.uniqueItems));
  if (Array.isArray(p.enum)) for (const value of p.enum) w.message(20 + shift, (a) => any(a, value));
  vendorExtensions(w, 22 + shift, p);
}

/** NonBodyParameter oneof members by `in`. */
const NON_BODY_FIELD: Record<string, { field: number; withAllowEmpty: boolean }> = {
  header: { field: 1, withAllowEmpty: false },
  formData: { field: 2, withAllowEmpty: true },
  query: { field: 3, withAllowEmpty: true },
  path: { field: 4, withAllowEmpty: false },
};

/** `ParametersItem { Parameter parameter = 1 | JsonReference json_reference = 2 }`. */
function parametersItem(w: ProtoWriter, p: JsonObject): void {
  const ref = asString(p.$ref);
  if (ref) {
    w.message(2, (m) => m.string(1, ref));
    return;
  }
  w.message(1, (parameter) => {
    if (p.in === "body") {
      parameter.message(1, (body) => {
        body.string(1, asString(p.description));
        body.string(2, asString(p.name));
        body.string(3, "body");
        body.bool(4, asBool(p.required));
        const bodySchema = asObject(p.schema);
        if (bodySchema) body.message(5, (m) => schema(m, bodySchema));
        vendorExtensions(body, 6, p);
      });
      return;
    }
    const member = NON_BODY_FIELD[asString(p.in) ?? ""];
    if (!member)
      throw new Error(`openapi v2: parameter ${String(p.name)} has unknown location ${String(p.in)}`);
    parameter.message(2, (nonBody) =>
      nonBody.message(member.field, (sub) => nonBodySubSchema(sub, p, member.withAllowEmpty)),
    );
  });
}

function response(w: ProtoWriter, r: JsonObject): void {
  w.string(1, asString(r.description));
  const responseSchema = asObject(r.schema);
  if (responseSchema) w.message(2, (item) => item.message(1, (m) => schema(m, responseSchema)));
  vendorExtensions(w, 5, r);
}

function responses(w: ProtoWriter, o: JsonObject): void {
  for (const [code, v] of Object.entries(o)) {
    const r = asObject(v);
    if (isExtension(code) || !r) continue;
    w.message(1, (named) => {
      named.string(1, code);
      named.message(2, (value) => {
        const ref = asString(r.$ref);
        if (ref) value.message(2, (m) => m.string(1, ref));
        else value.message(1, (m) => response(m, r));
      });
    });
  }
  vendorExtensions(w, 2, o);
}

function operation(w: ProtoWriter, op: JsonObject): void {
  w.strings(1, asStrings(op.tags));
  w.string(2, asString(op.summary));
  w.string(3, asString(op.description));
  w.string(5, asString(op.operationId));
  w.strings(6, asStrings(op.produces));
  w.strings(7, asStrings(op.consumes));
  if (Array.isArray(op.parameters)) {
    for (const p of op.parameters) w.message(8, (m) => parametersItem(m, asObject(p) ?? {}));
  }
  const rs = asObject(op.responses);
  if (rs) w.message(9, (m) => responses(m, rs));
  w.strings(10, asStrings(op.schemes));
  w.bool(11, asBool(op.deprecated));
  vendorExtensions(w, 13, op);
}

const PATH_ITEM_METHODS: [method: string, field: number][] = [
  ["get", 2],
  ["put", 3],
  ["post", 4],
  ["delete", 5],
  ["options", 6],
  ["head", 7],
  ["patch", 8],
];

function pathItem(w: ProtoWriter, item: JsonObject): void {
  w.string(1, asString(item.$ref));
  for (const [method, field] of PATH_ITEM_METHODS) {
    const op = asObject(item[method]);
    if (op) w.message(field, (m) => operation(m, op));
  }
  if (Array.isArray(item.parameters)) {
    for (const p of item.parameters) w.message(9, (m) => parametersItem(m, asObject(p) ?? {}));
  }
  vendorExtensions(w, 10, item);
}

function info(w: ProtoWriter, i: JsonObject): void {
  w.string(1, asString(i.title));
  w.string(2, asString(i.version));
  w.string(3, asString(i.description));
  w.string(4, asString(i.termsOfService));
  vendorExtensions(w, 7, i);
}

/** Encodes `doc` (a Swagger 2.0 object) as `openapi.v2.Document`. */
export function encodeGnosticDocument(doc: JsonObject): Uint8Array {
  const w = new ProtoWriter();
  w.string(1, asString(doc.swagger));
  const docInfo = asObject(doc.info);
  if (docInfo) w.message(2, (m) => info(m, docInfo));
  w.string(3, asString(doc.host));
  w.string(4, asString(doc.basePath));
  w.strings(5, asStrings(doc.schemes));
  w.strings(6, asStrings(doc.consumes));
  w.strings(7, asStrings(doc.produces));
  const paths = asObject(doc.paths);
  if (paths) {
    w.message(8, (m) => {
      vendorExtensions(m, 1, paths);
      namedEntries(m, 2, paths, pathItem);
    });
  }
  const definitions = asObject(doc.definitions);
  if (definitions) w.message(9, (m) => namedEntries(m, 1, definitions, schema));
  vendorExtensions(w, 16, doc);
  return w.finish();
}
