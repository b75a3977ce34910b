// Shapes of the protobuf message descriptor table (messages.ts): what each field number of a Kubernetes message
// is called in JSON and how its bytes are read.

export type ScalarType = "string" | "int32" | "int64" | "bool" | "bytes" | "double" | "float";

/** A field's wire type as the decoder reads it; `message:` names are keys of the message table. */
export type FieldType =
  | ScalarType
  | `message:${string}`
  | "map<string,string>"
  | "map<string,bytes>"
  | `map<string,message:${string}>`;

export interface FieldDescriptor {
  /** The JSON name (Go's json tag). */
  readonly name: string;
  readonly type: FieldType;
  readonly repeated?: true;
  /** Go embeds this struct with `json:",inline"`: its fields merge into the parent object. */
  readonly inline?: true;
  /** A non-pointer Go scalar tagged omitempty: gogo writes it even when zero, Go's JSON drops the zero. */
  readonly omitEmpty?: true;
  /** The message is a Go slice type in disguise (`ExtraValue []string`): its JSON is this field's array. */
  readonly wrapsList?: true;
}

export type MessageDescriptor = Readonly<Record<number, FieldDescriptor>>;

export type MessageTable = Readonly<Record<string, MessageDescriptor>>;

/** apiVersion → kind → message name, for the kinds a request body may carry. */
export type RootKinds = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The zero values Go's JSON encoding leaves out of an omitempty scalar field. */
export const isGoZeroScalar = (value: unknown): boolean => value === "" || value === 0 || value === false;
