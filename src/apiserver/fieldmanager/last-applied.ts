// kubectl's client-side apply → server-side apply migration (upstream's lastAppliedManager and
// lastAppliedUpdater): for the manager "kubectl", conflicts on fields whose live value still equals the
// last-applied-configuration annotation are not conflicts (kubectl applied them), and the annotation is kept
// in step with what kubectl applies server-side.
import type { KubeObject } from "../../api/object.js";
import type { Schema } from "../../api/schema/types.js";
import { compareObjects } from "./compare.js";
import type { FieldSet } from "./field-set.js";
import { goJson } from "./path-element.js";
import { toFieldSet, typedConfigErrors } from "./to-field-set.js";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** The manager name kubectl apply --server-side uses by default; only it migrates client-side apply. */
export const KUBECTL_MANAGER = "kubectl";

export function lastAppliedOf(obj: KubeObject | undefined): string | undefined {
  const value = obj?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The fields kubectl applied client-side and nobody changed since: paths of the annotation whose live value
 * is the annotation's. Undefined when there is no usable annotation.
 */
export function fieldsStillAsLastApplied(
  live: KubeObject,
  schema: Schema | undefined,
  apiVersion: string,
): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (text === undefined) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (lastApplied === null || typeof lastApplied !== "object" || Array.isArray(lastApplied)) return undefined;
  if ((lastApplied as KubeObject).apiVersion !== apiVersion) return undefined;
  if (typedConfigErrors(lastApplied, schema).length > 0) return undefined;
  const c = compareObjects(lastApplied, live, schema);
  return toFieldSet(lastApplied, schema).difference(c.modified).difference(c.added).difference(c.removed);
}

/** Go's JSON encoding of an unstructured object: keys sorted, HTML-safe escapes, a trailing newline. */
function goSortedJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v === null || typeof v !== "object") return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  };
  return `${goJson(sortKeys(value))}\n`;
}

/** The annotation value for an applied configuration: the configuration without the annotation itself. */
export function lastAppliedFor(config: KubeObject): string {
  const copy = structuredClone(config);
  const annotations = copy.metadata?.annotations;
  if (annotations) delete annotations[LAST_APPLIED_ANNOTATION];
  return goSortedJson(copy);
}
