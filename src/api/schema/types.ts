// The schema language for everynode's built-in kinds: a small subset of OpenAPI v3 plus Kubernetes' vendor
// extensions. One schema per kind feeds strict decoding (unknown fields), strategic merge patch (merge keys),
// OpenAPI v2/v3 documents and `kubectl explain`.

export type SchemaType = "object" | "array" | "string" | "integer" | "number" | "boolean";

export interface Schema {
  /** Omitted only together with `intOrString` or `preserveUnknownFields` (any JSON value). */
  type?: SchemaType;
  description?: string;
  /** OpenAPI formats in use: int32, int64, double, date-time, byte, int-or-string, quantity. */
  format?: string;
  enum?: string[];
  required?: string[];
  properties?: Record<string, Schema>;
  /** For maps such as labels: the schema of every value. */
  additionalProperties?: Schema;
  items?: Schema;
  /** `x-kubernetes-int-or-string`: IntOrString fields (maxUnavailable, ports by name). */
  intOrString?: boolean;
  /** `x-kubernetes-preserve-unknown-fields`: free-form content is not checked for unknown fields. */
  preserveUnknownFields?: boolean;
  /** `x-kubernetes-patch-strategy`: "merge", "retainKeys", "merge,retainKeys" or "replace". */
  patchStrategy?: string;
  /** `x-kubernetes-patch-merge-key`: the field that identifies list items for strategic merge. */
  patchMergeKey?: string;
  /** `x-kubernetes-list-type`: atomic, map or set. */
  listType?: "atomic" | "map" | "set";
  /** `x-kubernetes-list-map-keys`. */
  listMapKeys?: string[];
  /** `x-kubernetes-map-type`: atomic or granular. */
  mapType?: "atomic" | "granular";
  /** `x-kubernetes-group-version-kind` on top-level kinds. */
  gvk?: { group: string; version: string; kind: string };
  /** Name used for the definition in OpenAPI documents (`io.k8s.api.apps.v1.DaemonSet`). */
  definitionName?: string;
}
