// metadata.managedFields in memory and on the wire: one field set per manager identity (manager name,
// operation, apiVersion for updaters, subresource), with the time it last changed something. Decoding
// rejects malformed entries; encoding sorts entries as upstream does and drops empty sets. Update managers
// beyond ten are folded, oldest first, into one "ancient-changes" entry.
import type { ManagedFieldsEntry } from "kubernetes-types/meta/v1.js";
import { FieldSet, type FieldsV1, internTrie } from "./field-set.js";

export type Operation = "Apply" | "Update";

export interface ManagerIdentity {
  manager: string;
  operation: Operation;
  /** Part of an updater's identity only: an applier keeps one entry whatever version it applies. */
  apiVersion?: string;
  subresource?: string;
}

export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
}

/** Field sets by manager identifier (see `managerIdentifier`), with their last-change times. */
export interface Managed {
  sets: Map<string, VersionedSet>;
  times: Map<string, string | undefined>;
}

export const emptyManaged = (): Managed => ({ sets: new Map(), times: new Map() });

export const copyManaged = (m: Managed): Managed => ({ sets: new Map(m.sets), times: new Map(m.times) });

/** Upstream's BuildManagerIdentifier: the entry's identity as JSON (never its time or fields). */
export function managerIdentifier(id: ManagerIdentity): string {
  const out: Record<string, string> = { manager: id.manager, operation: id.operation };
  if (id.operation === "Update" && id.apiVersion) out.apiVersion = id.apiVersion;
  if (id.subresource) out.subresource = id.subresource;
  return JSON.stringify(out);
}

export function parseManagerIdentifier(identifier: string): ManagerIdentity {
  return JSON.parse(identifier) as ManagerIdentity;
}

/**
 * The wire form of field sets that came from, or went to, the wire unchanged. Sets are never changed once they
 * are part of a Managed (the updater derives new ones), so a manager whose fields a write leaves alone — most
 * managers of most writes — is encoded once, and a set read from a frozen cached object reuses its stored trie.
 */
const wireForm = new WeakMap<FieldSet, FieldsV1>();

function encodeSet(set: FieldSet): FieldsV1 {
  let fields = wireForm.get(set);
  if (!fields) {
    fields = internTrie(set.toFieldsV1());
    wireForm.set(set, fields);
  }
  return fields;
}

/** Reads managedFields; throws when an entry is malformed (the caller decides what to fall back on). */
export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error("managedFields must be a list");
  entries.forEach((entry: Record<string, any>, i) => {
    if (entry === null || typeof entry !== "object")
      throw new Error(`managed fields entry ${i} is not an object`);
    if (entry.operation !== "Apply" && entry.operation !== "Update")
      throw new Error("operation must be `Apply` or `Update`");
    if (typeof entry.apiVersion !== "string" || entry.apiVersion.length < 1)
      throw new Error("apiVersion must not be empty");
    if (entry.fieldsType === undefined || entry.fieldsType === "")
      throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (entry.fieldsType !== "FieldsV1")
      throw new Error(`invalid fieldsType ${JSON.stringify(entry.fieldsType)} in managed fields entry ${i}`);
    const id = managerIdentifier({
      manager: typeof entry.manager === "string" ? entry.manager : "",
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      subresource: typeof entry.subresource === "string" ? entry.subresource : undefined,
    });
    const set = FieldSet.fromFieldsV1(entry.fieldsV1 ?? {});
    if (Object.isFrozen(entry.fieldsV1)) wireForm.set(set, entry.fieldsV1);
    managed.sets.set(id, {
      set,
      apiVersion: entry.apiVersion,
      applied: entry.operation === "Apply",
    });
    managed.times.set(id, typeof entry.time === "string" ? entry.time : undefined);
  });
  return managed;
}

const seconds = (time: string | undefined): number =>
  time === undefined ? 0 : Math.floor(Date.parse(time) / 1000) || 0;

/** The wire entries, sorted by operation, time, manager, apiVersion and subresource; undefined when empty. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  const entries: ManagedFieldsEntry[] = [];
  for (const [id, vs] of managed.sets) {
    if (vs.set.isEmpty()) continue;
    const who = parseManagerIdentifier(id);
    const operation = vs.applied ? "Apply" : "Update";
    const time = managed.times.get(id);
    const entry = managedEntry(
      who.manager,
      operation,
      vs.apiVersion,
      time,
      encodeSet(vs.set),
      who.subresource,
    );
    entries.push(entry);
  }
  if (entries.length === 0) return undefined;
  const byText = (a = "", b = "") => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (p, q) =>
      byText(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      byText(p.manager, q.manager) ||
      byText(p.apiVersion, q.apiVersion) ||
      byText(p.subresource, q.subresource),
  );
}

/**
 * One entry, built as one literal per layout rather than field by field: V8 sizes a literal's object for all of
 * its fields, where an object grown past four keeps the rest in a second, separate array (and every cached object
 * carries an entry per manager).
 */
function managedEntry(
  manager: string,
  operation: Operation,
  apiVersion: string,
  time: string | undefined,
  fieldsV1: FieldsV1,
  subresource: string | undefined,
): ManagedFieldsEntry {
  const fieldsType = "FieldsV1";
  if (time === undefined) {
    return subresource
      ? { manager, operation, apiVersion, fieldsType, fieldsV1, subresource }
      : { manager, operation, apiVersion, fieldsType, fieldsV1 };
  }
  return subresource
    ? { manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource }
    : { manager, operation, apiVersion, time, fieldsType, fieldsV1 };
}

/** Upstream keeps at most this many Update entries. */
export const MAX_UPDATE_MANAGERS = 10;

const ANCIENT_CHANGES = "ancient-changes";

/** Folds the oldest Update entries into "ancient-changes" (one per apiVersion) until at most `max` remain. */
export function capUpdateManagers(managed: Managed, max = MAX_UPDATE_MANAGERS): Managed {
  const updaters = [...managed.sets].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= max) return managed;
  const out = copyManaged(managed);
  updaters.sort(
    (a, b) => seconds(managed.times.get(a)) - seconds(managed.times.get(b)) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const firstByVersion = new Map<string, string>();
  let count = updaters.length;
  for (const id of updaters) {
    if (count <= max) break;
    const vs = out.sets.get(id)!;
    const bucket = managerIdentifier({
      manager: ANCIENT_CHANGES,
      operation: "Update",
      apiVersion: vs.apiVersion,
    });
    const first = firstByVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstByVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!out.sets.has(bucket)) {
      out.sets.set(bucket, out.sets.get(first)!);
      out.sets.delete(first);
      out.times.delete(first);
    }
    out.sets.set(bucket, { ...vs, set: vs.set.union(out.sets.get(bucket)!.set) });
    out.sets.delete(id);
    out.times.delete(id);
    out.times.set(bucket, managed.times.get(id));
    count--;
  }
  return out;
}
