// Fields that never belong to a manager: the metadata the server owns (stripped from every set, as upstream's
// stripMetaManager does) and the fields a request cannot change because its strategy resets them (status
// through the main resource, everything but status through /status).
import type { Schema } from "../../api/schema/types.js";
import { FieldSet } from "./field-set.js";
import { fieldElement } from "./path-element.js";

const f = fieldElement;

/** Server-owned paths, removed from the set of the manager that just wrote. */
export const STRIPPED_FIELDS: FieldSet = FieldSet.of(
  [f("apiVersion")],
  [f("kind")],
  [f("metadata")],
  ...[
    "name",
    "namespace",
    "creationTimestamp",
    "selfLink",
    "uid",
    "clusterName",
    "generation",
    "managedFields",
    "resourceVersion",
  ].map((name) => [f("metadata"), f(name)]),
);

const TYPE_AND_OBJECT_META = new Set(["apiVersion", "kind", "metadata", "status"]);

/**
 * The fields a write through `subresource` cannot set, or undefined when it may set everything. Kinds with
 * a status subresource keep status out of main-resource writes; /status writes keep the spec (every other
 * top-level field but metadata) out.
 */
export function resetFieldsFor(
  schema: Schema | undefined,
  hasStatus: boolean,
  subresource: string | undefined,
): FieldSet | undefined {
  if (!hasStatus) return undefined;
  if (subresource !== "status") return FieldSet.of([f("status")]);
  const others = Object.keys(schema?.properties ?? { spec: {} }).filter((k) => !TYPE_AND_OBJECT_META.has(k));
  return others.length > 0 ? FieldSet.of(...others.map((k) => [f(k)])) : undefined;
}
