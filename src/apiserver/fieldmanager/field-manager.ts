// The field manager of one resource (upstream's FieldManager with its default layers): records who owns
// which fields on every create, update and patch, and performs server-side apply. Layers, outermost first:
// version check, the last-applied annotation (kubectl's migration), "before-first-apply" ownership for
// objects that have none, capping Update entries, manager identity and timestamps, stripping server-owned
// metadata, and the ownership rules themselves (updater.ts).
import { ApiError } from "../../api/errors.js";
import { deepCopy, type KubeObject } from "../../api/object.js";
import type { Schema } from "../../api/schema/types.js";
import { ApplyConflicts } from "./conflicts.js";
import { emptyObjectOf, withValueStructs } from "./empty-object.js";
import {
  fieldsStillAsLastApplied,
  KUBECTL_MANAGER,
  LAST_APPLIED_ANNOTATION,
  lastAppliedFor,
  lastAppliedOf,
} from "./last-applied.js";
import {
  capUpdateManagers,
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  type Managed,
  managerIdentifier,
} from "./managed-fields.js";
import { dropNulls } from "./merge.js";
import { resetFieldsFor, STRIPPED_FIELDS } from "./reset-fields.js";
import { typedConfigErrors } from "./to-field-set.js";
import { isObject } from "./type-info.js";
import { applyConfiguration, type ManagerSets, recordUpdate, type UpdaterContext } from "./updater.js";

export interface FieldManagerOptions {
  group: string;
  version: string;
  kind: string;
  schema: Schema | undefined;
  /** The kind has a status subresource (main writes cannot set status; /status writes only status). */
  hasStatus: boolean;
}

export interface WriteContext {
  /**
   * The request's manager (fieldManager parameter, else the user agent's product); "unknown" when empty.
   * Undefined means an in-process write (the LocalClient has no User-Agent): it is recorded as "everynode",
   * the name the HttpClient's User-Agent gives, so both transports record the same owner.
   */
  manager?: string;
  subresource?: string;
  /** Milliseconds since the epoch, recorded on the entries this write changes. */
  now: number;
}

export interface ApplyContext extends WriteContext {
  manager: string;
  force: boolean;
}

/** Upstream's names for the transient and the retroactive owners. */
const CURRENT_OPERATION = "current-operation";
const BEFORE_FIRST_APPLY = "before-first-apply";
const UNKNOWN_MANAGER = "unknown";
const IN_PROCESS_MANAGER = "everynode";

const rfc3339 = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

function withoutManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * Decoded stored entries, by the identity of the (never mutated) managedFields list of a cached object: a
 * busy object is written many times from the same cached version, so its entries are parsed once.
 */
const decodedStored = new WeakMap<object, Managed>();

function decodeOrEmpty(entries: unknown): Managed {
  const key = Array.isArray(entries) ? entries : undefined;
  const known = key && decodedStored.get(key);
  if (known) return known;
  let managed: Managed;
  try {
    managed = decodeManagedFields(entries);
  } catch {
    managed = emptyManaged();
  }
  if (key) decodedStored.set(key, managed);
  return managed;
}

/** `managedFields: []` or `[{}]` in a request asks for ownership to be forgotten. */
function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isObject(entries[0]) && Object.keys(entries[0]).length === 0;
}

function setManagedFields(obj: KubeObject, managed: Managed): void {
  const entries = encodeManagedFields(managed);
  if (entries) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

export class FieldManager {
  private readonly apiVersion: string;
  /** The shape a create starts from; shared and frozen, since every write only reads it. */
  private readonly empty: KubeObject;

  constructor(private readonly o: FieldManagerOptions) {
    this.apiVersion = o.group ? `${o.group}/${o.version}` : o.version;
    this.empty = deepFreeze({
      apiVersion: this.apiVersion,
      kind: o.kind,
      ...emptyObjectOf(o.group, o.kind, o.schema),
    });
  }

  /**
   * Records a create (`live` undefined), update or patch of `next` by `ctx.manager`, writing
   * `next.metadata.managedFields`. Managed fields the request carries are taken as the starting point
   * (that is how clients edit them); a /status write cannot change them. Never fails the write: on an
   * internal error the live object's entries are kept, as upstream does.
   */
  recordUpdate(live: KubeObject | undefined, next: KubeObject, ctx: WriteContext): void {
    const base = live ?? this.empty;
    const previous = base.metadata.managedFields;
    try {
      const managed = this.startingPoint(base, next, ctx.subresource !== undefined);
      // The field sets are computed on a view of `next` without its entries, which are then replaced where they
      // stand: deleting the field and adding it again would turn every written object's metadata into a slow
      // dictionary in V8 (30,000 pods' metadata at 472 bytes each).
      const entries = this.update(
        withoutManagedFields(base),
        withoutManagedFields(next),
        managed,
        ctx.manager,
        ctx,
      );
      setManagedFields(next, entries);
    } catch {
      if (previous) next.metadata.managedFields = deepCopy(previous);
      else delete next.metadata.managedFields;
    }
  }

  /**
   * Server-side apply of `config` onto `live` (undefined: the object does not exist yet). Returns the merged
   * object with its managedFields; throws 400 for a malformed configuration and 409 for conflicts.
   */
  apply(live: KubeObject | undefined, config: unknown, ctx: ApplyContext): KubeObject {
    if (!isObject(config)) {
      throw ApiError.badRequest(
        "error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
          `${Array.isArray(config) ? "array" : typeof config} into Go value of type map[string]interface {}`,
      );
    }
    const applied = config as KubeObject;
    if (applied.apiVersion !== this.apiVersion || applied.kind !== this.o.kind) {
      throw ApiError.badRequest(`invalid object type: ${gvkText(applied.apiVersion, applied.kind)}`);
    }
    const base = live ?? this.empty;
    const managed = decodeOrEmpty(base.metadata.managedFields);
    let result: KubeObject;
    try {
      result = this.applyOwned(base, applied, managed, ctx, ctx.force);
    } catch (e) {
      if (!(e instanceof ApplyConflicts)) throw e;
      result = this.retryAsMigration(e, base, applied, managed, ctx);
    }
    if (ctx.manager === KUBECTL_MANAGER && lastAppliedOf(result) !== undefined) {
      result.metadata.annotations![LAST_APPLIED_ANNOTATION] = lastAppliedFor(applied);
    }
    return result;
  }

  /**
   * kubectl's first server-side apply after client-side ones: conflicts on fields that still hold their
   * last-applied values are kubectl's own, so the apply is forced; any other conflict stands.
   */
  private retryAsMigration(
    conflicts: ApplyConflicts,
    base: KubeObject,
    config: KubeObject,
    managed: Managed,
    ctx: ApplyContext,
  ): KubeObject {
    const allowed =
      ctx.manager === KUBECTL_MANAGER
        ? fieldsStillAsLastApplied(base, this.o.schema, this.apiVersion)
        : undefined;
    if (!allowed) throw conflicts.toApiError();
    const remaining = conflicts.conflicts.filter((c) => !allowed.has(c.path));
    if (remaining.length > 0) throw new ApplyConflicts(remaining).toApiError();
    return this.applyOwned(base, config, managed, ctx, true);
  }

  private applyOwned(
    base: KubeObject,
    config: KubeObject,
    startingPoint: Managed,
    ctx: ApplyContext,
    force: boolean,
  ): KubeObject {
    const live = withoutManagedFields(base);
    let managed = startingPoint;
    if (managed.sets.size === 0) {
      // An object nobody owns yet: its current fields become "before-first-apply"'s, so applying a
      // different value conflicts instead of silently taking them over.
      managed = this.update(this.empty, live, managed, BEFORE_FIRST_APPLY, ctx);
    }
    const mf = config.metadata?.managedFields;
    if (mf !== undefined && mf !== null) throw ApiError.badRequest("metadata.managedFields must be nil");
    const errors = typedConfigErrors(config, this.o.schema);
    if (errors.length > 0) {
      const message = errors.length === 1 ? errors[0] : `errors:\n  ${errors.join("\n  ")}`;
      throw ApiError.badRequest(`failed to create typed patch object (${this.describe(config)}): ${message}`);
    }
    const id = managerIdentifier({ manager: ctx.manager, operation: "Apply", subresource: ctx.subresource });
    const r = applyConfiguration(live, config, managed.sets, id, force, this.updaterContext(ctx.subresource));
    const times = new Map(managed.times);
    let object: KubeObject;
    if (r.object === undefined) object = deepCopy(live);
    else {
      times.set(id, rfc3339(ctx.now));
      object = deepCopy(dropNulls(r.object, this.o.schema)) as KubeObject;
    }
    setManagedFields(object, capUpdateManagers({ sets: strip(r.managers, id), times }));
    return object;
  }

  /** An Update by `name`: its changes are attributed to it, with the time, and other owners lose them. */
  private update(
    live: KubeObject,
    next: KubeObject,
    managed: Managed,
    name: string | undefined,
    ctx: WriteContext,
  ) {
    const id = managerIdentifier({
      manager: (name ?? IN_PROCESS_MANAGER) || UNKNOWN_MANAGER,
      operation: "Update",
      apiVersion: this.apiVersion,
      subresource: ctx.subresource,
    });
    const sets = strip(
      recordUpdate(
        withValueStructs(live, this.empty),
        withValueStructs(next, this.empty),
        managed.sets,
        CURRENT_OPERATION,
        this.updaterContext(ctx.subresource),
      ),
      CURRENT_OPERATION,
    );
    const times = new Map(managed.times);
    const current = sets.get(CURRENT_OPERATION);
    if (current) {
      sets.delete(CURRENT_OPERATION);
      const previous = sets.get(id);
      sets.set(id, { ...current, set: previous ? current.set.union(previous.set) : current.set });
      times.set(id, rfc3339(ctx.now));
    }
    return capUpdateManagers({ sets, times });
  }

  /** What a non-apply write starts from: its own managedFields when it sends usable ones, else the live ones. */
  private startingPoint(live: KubeObject, next: KubeObject, isSubresource: boolean): Managed {
    if (isSubresource) return decodeOrEmpty(live.metadata.managedFields);
    const requested = next.metadata.managedFields;
    if (isReset(requested)) return emptyManaged();
    try {
      const managed = decodeManagedFields(requested);
      if (managed.sets.size > 0) return managed;
    } catch {
      // Unusable entries in the request: keep the live ones.
    }
    return decodeOrEmpty(live.metadata.managedFields);
  }

  private updaterContext(subresource: string | undefined): UpdaterContext {
    return {
      schema: this.o.schema,
      apiVersion: this.apiVersion,
      ignored: resetFieldsFor(this.o.schema, this.o.hasStatus, subresource),
    };
  }

  /** `namespace/name; apps/v1, Kind=DaemonSet`, as upstream names the object in apply errors. */
  private describe(obj: KubeObject): string {
    const m = obj.metadata ?? {};
    return `${m.namespace ?? ""}/${m.name ?? ""}; ${gvkText(this.apiVersion, this.o.kind)}`;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Go's GroupVersionKind.String(): `apps/v1, Kind=DaemonSet`, `/v1, Kind=Pod`, `/, Kind=` when unset. */
function gvkText(apiVersion: unknown, kind: unknown): string {
  const gv = typeof apiVersion === "string" ? apiVersion : "";
  const slash = gv.indexOf("/");
  const group = slash >= 0 ? gv.slice(0, slash) : "";
  const version = slash >= 0 ? gv.slice(slash + 1) : gv;
  return `${group}/${version}, Kind=${typeof kind === "string" ? kind : ""}`;
}

/** Removes server-owned metadata from one manager's set (and the manager when nothing is left). */
function strip(sets: ManagerSets, id: string): ManagerSets {
  const vs = sets.get(id);
  if (!vs) return sets;
  const out = new Map(sets);
  const set = vs.set.difference(STRIPPED_FIELDS);
  if (set.isEmpty()) out.delete(id);
  else out.set(id, { ...vs, set });
  return out;
}
