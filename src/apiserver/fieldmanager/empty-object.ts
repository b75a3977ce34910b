// The "live object" a create is compared with: upstream compares against a freshly allocated Go struct, whose
// non-pointer struct fields are already present (empty), so creating an object does not own `spec` or
// `spec.template` as such, only what is inside them. This reproduces that shape from the schema (top-level
// struct fields) plus the nested value structs of the pod-template kinds.
import type { KubeObject } from "../../api/object.js";
import type { Schema } from "../../api/schema/types.js";

/** Value structs and non-omitempty lists below the top level, per kind. */
const NESTED_VALUES: Record<string, () => Record<string, unknown>> = {
  "apps/DaemonSet": () => ({
    spec: {
      selector: null,
      template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
      updateStrategy: {},
    },
  }),
  "/Pod": () => ({ spec: { containers: null } }),
};

const TYPE_META = new Set(["apiVersion", "kind"]);

export function emptyObjectOf(group: string, kind: string, schema: Schema | undefined): KubeObject {
  const obj: KubeObject = { metadata: {} };
  for (const [name, field] of Object.entries(schema?.properties ?? {})) {
    if (TYPE_META.has(name) || name === "metadata") continue;
    if (field.type === "object" && field.properties && field.mapType !== "atomic") obj[name] = {};
  }
  return Object.assign(obj, NESTED_VALUES[`${group}/${kind}`]?.());
}

/**
 * `obj` with its missing top-level value structs present and empty (a shallow copy), so that comparing a
 * stored object without `status` to one with it treats `status` as having been there, as a Go struct has.
 */
export function withValueStructs(obj: KubeObject, empty: KubeObject): KubeObject {
  let out: KubeObject | undefined;
  for (const [name, value] of Object.entries(empty)) {
    if (obj[name] !== undefined || value === null || typeof value !== "object") continue;
    out ??= { ...obj };
    out[name] = {};
  }
  return out ?? obj;
}
