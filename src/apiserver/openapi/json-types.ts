// Plain JSON value types shared by the OpenAPI builders, the YAML renderer and the protobuf encoder.

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface JsonObject {
  [key: string]: JsonValue;
}
