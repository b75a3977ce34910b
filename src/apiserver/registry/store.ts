// The generic registry store (upstream's generic/registry.Store): get, list, create, update, patch, delete and
// watch for any kind, writing to the revisioned backend and reading through an ObjectSource (the watch cache, or
// storage for uncached resources), with the kind's Strategy supplying the differences. Every transport (HTTP and
// in-process) goes through here, so admission and validation are shared.
import { randomUUID } from "node:crypto";
import { jsonEqual } from "../../api/equal.js";
import { ApiError, type StatusCause } from "../../api/errors.js";
import { type FieldSelector, parseFieldSelector, validateFieldSelectorKeys } from "../../api/fields.js";
import { parseLabelSelector, type Selector } from "../../api/labels.js";
import { generateName } from "../../api/names.js";
import { deepCopy, type KubeObject, withFields } from "../../api/object.js";
import { groupVersion, type ResourceInfo } from "../../api/resources.js";
import type { Schema } from "../../api/schema/types.js";
import { validateEphemeralContainersUpdate } from "../../api/validation/pod-ephemeral.js";
import type { Backend, KeyValue } from "../../storage/backend.js";
import { isStorageError } from "../../storage/errors.js";
import { FieldManager } from "../fieldmanager/index.js";
import { objectKey } from "../keys.js";
import { applyPatch, type PatchType } from "../patch/index.js";
import type { Cacher } from "../watchcache/cacher.js";
import { CachedSource } from "./cached-source.js";
import { dropGoZeroValues } from "./go-zero-values.js";
import type { ListResult, ObjectSource, ReadQuery, WatchHandle, WatchSink } from "./object-source.js";
import { ephemeralContainersUpdate } from "./pod-ephemeral-containers.js";
import { selectableFields } from "./selectable-fields.js";
import { StorageSource } from "./storage-source.js";
import type { Strategy } from "./strategy.js";

export interface Clock {
  now(): number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /**
   * The body is the caller's to give away (freshly decoded, or already copied): the store works on it directly
   * instead of copying it first. Never set it for an object someone else still holds (e.g. from the cache).
   */
  owned?: boolean;
}

export interface PatchOptions extends WriteOptions {
  subresource?: string;
  /** Checks (and prunes) the patched object before it is admitted: fieldValidation for patches. */
  validate?: (obj: KubeObject) => KubeObject;
}

/** Server-side apply: `fieldManager` is required; `force` takes over conflicting fields. */
export interface ApplyOptions extends PatchOptions {
  fieldManager: string;
  force?: boolean;
}

/** Internal: the write already carries the managedFields it must store (server-side apply computed them). */
interface TrackedWrite {
  managedFieldsSet?: boolean;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  /** The object (deleted, or marked for deletion when `pending`). */
  object: KubeObject;
  /** True when the object still exists (finalizers or grace period). */
  pending: boolean;
}

export type { ListResult, WatchEvent, WatchHandle, WatchSink } from "./object-source.js";

/** What admission knows about a create beyond the object itself. */
export interface CreateAttributes {
  /**
   * The name admission messages use (upstream's extractResourceName): the client's name, or its generateName
   * when the server made the name up.
   */
  messageName: string;
  /** A dry run: nothing will be stored, so nothing may be charged for it. */
  dryRun: boolean;
}

/** Told once the admitted create has finished: whether the object was stored. */
export type CreateOutcome = (stored: boolean) => void;

/**
 * Checks that run before anything is written (namespace lifecycle, priority, quota, later RBAC); creates
 * and main-resource updates may still change the object (priority fills in spec.priority). A create check may
 * return a CreateOutcome to hear whether the object was then stored.
 */
export interface Admission {
  admitCreate?(
    resource: ResourceInfo,
    obj: KubeObject,
    attributes: CreateAttributes,
    // biome-ignore lint/suspicious/noConfusingVoidType: lets checks that return nothing type-check.
  ): Promise<CreateOutcome | void> | CreateOutcome | void;
  admitUpdate?(
    resource: ResourceInfo,
    obj: KubeObject,
    old: KubeObject,
    // biome-ignore lint/suspicious/noConfusingVoidType: lets checks that return nothing type-check.
  ): Promise<CreateOutcome | void> | CreateOutcome | void;
  admitDelete?(resource: ResourceInfo, obj: KubeObject): void;
}

/** Conflict retries for patch: upstream retries a patch whose base changed underneath it. */
const PATCH_RETRIES = 5;

export class RegistryStore {
  /** Where reads come from: the watch cache, or storage for a resource the cache leaves out (events). */
  private readonly source: ObjectSource;
  private readonly fields: ReturnType<typeof selectableFields>;
  private readonly apiVersion: string;
  private readonly fieldManager: FieldManager;

  constructor(
    readonly info: ResourceInfo,
    private readonly strategy: Strategy,
    readonly schema: Schema | undefined,
    private readonly backend: Backend,
    cacher: Cacher,
    private readonly clock: Clock,
    private readonly admission: Admission = {},
  ) {
    this.source = cacher.isCached(info) ? new CachedSource(info, cacher) : new StorageSource(info, backend);
    this.fields = selectableFields(info.group, info.resource);
    this.apiVersion = groupVersion(info);
    this.fieldManager = new FieldManager({
      group: info.group,
      version: info.version,
      kind: info.kind,
      schema,
      hasStatus: strategy.hasStatus,
    });
  }

  /** DELETE answers with the deleted object rather than a Status (pods). */
  get returnsDeletedObject(): boolean {
    return this.strategy.returnDeletedObject;
  }

  private ref() {
    return { group: this.info.group, resource: this.info.resource };
  }

  private key(namespace: string, name: string): string {
    return objectKey(this.info, namespace, name);
  }

  /** Adds apiVersion/kind (stored objects carry them; this guards hand-made ones). */
  private typed(obj: KubeObject): KubeObject {
    if (obj.apiVersion === this.apiVersion && obj.kind === this.info.kind) return obj;
    return { apiVersion: this.apiVersion, kind: this.info.kind, ...obj };
  }

  // ---------------------------------------------------------------- reads

  /** The object from memory, for server-side lookups of cached resources only (throws for uncached ones). */
  getOrUndefined(namespace: string, name: string): KubeObject | undefined {
    return this.source.peek(this.key(namespace, name));
  }

  /** As getOrUndefined, or 404. */
  get(namespace: string, name: string): KubeObject {
    const obj = this.getOrUndefined(namespace, name);
    if (!obj) throw ApiError.notFound(this.ref(), name);
    return obj;
  }

  /** The object wherever its resource is kept (a GET, and the old object of every write). */
  readOrUndefined(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.source.get(this.key(namespace, name));
  }

  /** As readOrUndefined, or 404. */
  async read(namespace: string, name: string): Promise<KubeObject> {
    const obj = await this.readOrUndefined(namespace, name);
    if (!obj) throw ApiError.notFound(this.ref(), name);
    return obj;
  }

  private compileSelectors(opts: ListOptions): { labels?: Selector; fields?: FieldSelector } {
    const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
    let fields: FieldSelector | undefined;
    if (opts.fieldSelector) {
      fields = parseFieldSelector(opts.fieldSelector);
      validateFieldSelectorKeys(fields, Object.keys(this.fields));
    }
    return { labels: labels?.empty() ? undefined : labels, fields: fields?.empty() ? undefined : fields };
  }

  private matcher(sel: { labels?: Selector; fields?: FieldSelector }): (obj: KubeObject) => boolean {
    const { labels, fields } = sel;
    if (!labels && !fields) return () => true;
    const getters = this.fields;
    return (obj) =>
      (!labels || labels.matches(obj.metadata.labels)) &&
      (!fields || fields.matches((f) => getters[f]?.(obj)));
  }

  async list(namespace: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    return this.source.list(this.query(namespace, opts));
  }

  /**
   * Streams changes. With `resourceVersion` "" or "0" the current objects are sent first as ADDED; otherwise
   * everything after that revision is replayed (410 Expired when it is no longer retained).
   */
  async watch(namespace: string | undefined, opts: ListOptions, sink: WatchSink): Promise<WatchHandle> {
    return this.source.watch(this.query(namespace, opts), sink);
  }

  private query(namespace: string | undefined, opts: ListOptions): ReadQuery {
    const sel = this.compileSelectors(opts);
    return {
      namespace,
      ...sel,
      match: this.matcher(sel),
      limit: opts.limit && opts.limit > 0 ? opts.limit : 0,
      continue: opts.continue,
      resourceVersion: opts.resourceVersion ?? "",
    };
  }

  // ---------------------------------------------------------------- writes

  private invalid(obj: KubeObject, causes: StatusCause[]): ApiError {
    return ApiError.invalid(this.info.kind, this.info.group, obj.metadata?.name ?? "", causes);
  }

  private checkTypeMeta(obj: KubeObject): void {
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
      throw ApiError.badRequest("the body of the request must be a JSON object");
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== this.apiVersion) {
      throw ApiError.badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${this.apiVersion})`,
      );
    }
    if (obj.kind !== undefined && obj.kind !== this.info.kind) {
      // Upstream's decoder fails to convert the body into the endpoint's type.
      throw ApiError.badRequest(
        `${obj.kind} in version "${this.info.version}" cannot be handled as a ${this.info.kind}: this endpoint serves ${this.info.kind} only`,
      );
    }
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (typeof obj.metadata !== "object" || Array.isArray(obj.metadata)) {
      throw ApiError.badRequest("metadata must be an object");
    }
  }

  private checkNamespace(obj: KubeObject, namespace: string): void {
    if (!this.info.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw ApiError.badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    obj.metadata.namespace = namespace;
  }

  async create(
    namespace: string,
    input: KubeObject,
    opts: WriteOptions & TrackedWrite = {},
  ): Promise<KubeObject> {
    const obj = this.typed(opts.owned ? input : deepCopy(input));
    this.checkTypeMeta(obj);
    this.checkNamespace(obj, namespace);
    // What upstream's decoding into Go structs drops, before defaults, ownership and validation see the write.
    dropGoZeroValues(obj, this.apiVersion, this.info.kind);
    const meta = obj.metadata;
    if (meta.resourceVersion) {
      throw ApiError.badRequest("resourceVersion should not be set on objects to be created");
    }
    if (!meta.name && !meta.generateName) {
      throw this.invalid(obj, [
        {
          reason: "FieldValueRequired",
          field: "metadata.name",
          message: "Required value: name or generateName is required",
        },
      ]);
    }
    omitEmptyMetadata(meta);
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    this.strategy.applyDefaults(obj);
    // Ownership is recorded for what the client sent (with defaults), not for what the strategy adds.
    if (!opts.managedFieldsSet) {
      this.fieldManager.recordUpdate(undefined, obj, { manager: opts.fieldManager, now: this.clock.now() });
    }
    this.strategy.prepareForCreate(obj);
    const generated = !meta.name;
    if (generated) meta.name = generateName(meta.generateName!);
    const causes = this.strategy.validate(obj);
    if (causes.length) throw this.invalid(obj, causes);
    const settle = await this.admission.admitCreate?.(this.info, obj, {
      messageName: generated ? meta.generateName! : meta.name!,
      dryRun: opts.dryRun === true,
    });
    let stored = false;
    try {
      const created = await this.persistCreate(namespace, obj, generated, opts.dryRun === true);
      stored = opts.dryRun !== true;
      return created;
    } finally {
      // Admission learns whether the object it admitted exists now (quota releases what it reserved if not).
      settle?.(stored);
    }
  }

  /** The storage half of create: a dry run only checks the name; generated names are redrawn on collision. */
  private async persistCreate(
    namespace: string,
    obj: KubeObject,
    generated: boolean,
    dryRun: boolean,
  ): Promise<KubeObject> {
    const meta = obj.metadata;
    if (dryRun) {
      if (await this.readOrUndefined(namespace, meta.name!))
        throw ApiError.alreadyExists(this.ref(), meta.name!);
      return obj;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const key = this.key(namespace, meta.name!);
        return await this.store(key, obj, (value) => this.backend.create(key, value));
      } catch (e) {
        if (isStorageError(e, "KeyExists")) {
          // A generated name collided: draw another, as upstream does for generateName.
          if (generated && attempt < 5) {
            meta.name = generateName(meta.generateName!);
            continue;
          }
          throw ApiError.alreadyExists(this.ref(), meta.name!, { cause: e });
        }
        throw e;
      }
    }
  }

  /** PUT: replaces the object (or its status) when the client's resourceVersion is current. */
  async update(
    namespace: string,
    name: string,
    input: KubeObject,
    opts: WriteOptions & { subresource?: string } = {},
  ): Promise<KubeObject> {
    const obj = this.typed(opts.owned ? input : deepCopy(input));
    this.checkTypeMeta(obj);
    this.checkNamespace(obj, namespace);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw ApiError.badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    obj.metadata.name = name;
    const old = await this.readOrUndefined(namespace, name);
    if (!old) {
      if (this.strategy.allowCreateOnUpdate && !opts.subresource) {
        delete obj.metadata.resourceVersion;
        return this.create(namespace, obj, opts);
      }
      throw ApiError.notFound(this.ref(), name);
    }
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw ApiError.conflict(
        this.ref(),
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    return this.commitUpdate(old, obj, opts);
  }

  /** Applies a patch to the current object, retrying when the object changes underneath. */
  async patch(
    namespace: string,
    name: string,
    type: PatchType,
    body: unknown,
    opts: PatchOptions = {},
  ): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const old = await this.read(namespace, name);
      // The patch result may share structure with the cached object, which must never be mutated.
      const patched = deepCopy(applyPatch(type, old, body, this.schema) as KubeObject);
      const obj = this.typed(opts.validate ? opts.validate(patched) : patched);
      this.checkMerged(obj, old, namespace, name);
      try {
        return await this.commitUpdate(old, obj, opts);
      } catch (e) {
        // The object changed underneath: the patch is applied again to the new version, where a
        // resourceVersion the patch itself sets (a precondition) no longer matches and fails in checkMerged.
        const retry = e instanceof ApiError && e.reason === "Conflict" && attempt < PATCH_RETRIES;
        if (!retry) throw e;
        // Storage may be ahead of the cache: wait until reads see the version that won, then try again.
        await this.source.catchUp(e);
      }
    }
  }

  /**
   * Server-side apply (PATCH application/apply-patch+yaml): merges `config` into the object on behalf of
   * `opts.fieldManager` (409 on conflicts with other managers unless `force`), or creates the object when it
   * does not exist. Retries when the object changes underneath, as patch does.
   */
  async apply(
    namespace: string,
    name: string,
    config: unknown,
    opts: ApplyOptions,
  ): Promise<{ object: KubeObject; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const old = await this.readOrUndefined(namespace, name);
      if (!old && opts.subresource) throw ApiError.notFound(this.ref(), name);
      const merged = this.fieldManager.apply(old, config, {
        manager: opts.fieldManager,
        force: opts.force ?? false,
        subresource: opts.subresource,
        now: this.clock.now(),
      });
      const obj = this.typed(opts.validate ? opts.validate(merged) : merged);
      this.checkMerged(obj, old, namespace, name);
      const write = { ...opts, managedFieldsSet: true };
      try {
        if (!old) return { object: await this.create(namespace, obj, write), created: true };
        return { object: await this.commitUpdate(old, obj, write), created: false };
      } catch (e) {
        // Someone else wrote (or created) the object first: apply again to their version.
        const raced = e instanceof ApiError && (e.reason === "Conflict" || e.reason === "AlreadyExists");
        if (!raced || attempt >= PATCH_RETRIES) throw e;
        await this.source.catchUp(e);
      }
    }
  }

  /** Checks a patched or applied object against the URL and against its resourceVersion precondition. */
  private checkMerged(obj: KubeObject, old: KubeObject | undefined, namespace: string, name: string): void {
    this.checkTypeMeta(obj);
    if (!obj.metadata.name) {
      throw ApiError.badRequest(
        `the name of the object (${name} based on URL) was undeterminable: name is empty`,
      );
    }
    if (obj.metadata.name !== name) {
      throw ApiError.badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    this.checkNamespace(obj, namespace);
    const precondition = obj.metadata.resourceVersion;
    if (old && precondition && precondition !== old.metadata.resourceVersion) {
      throw ApiError.conflict(
        this.ref(),
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
  }

  private async commitUpdate(
    old: KubeObject,
    obj: KubeObject,
    opts: WriteOptions & TrackedWrite & { subresource?: string },
  ): Promise<KubeObject> {
    // What upstream's decoding into Go structs drops, before defaults, ownership and validation see the write.
    dropGoZeroValues(obj, this.apiVersion, this.info.kind);
    let m = obj.metadata;
    const om = old.metadata;
    // A uid in the body names the object it was meant for: a different one is refused (the object was
    // replaced since), as upstream's metadata validation does.
    if (m.uid && m.uid !== om.uid) {
      throw this.invalid(obj, [
        {
          reason: "FieldValueInvalid",
          field: "metadata.uid",
          message: `Invalid value: "${m.uid}": field is immutable`,
        },
      ]);
    }
    // Fields only the server sets are carried over whatever the client sent.
    m.uid = om.uid;
    m.creationTimestamp = om.creationTimestamp;
    for (const k of ["deletionTimestamp", "deletionGracePeriodSeconds", "generation"] as const) {
      // Assigned only when set: an object that loses keys becomes a slow dictionary in V8.
      if (om[k] !== undefined) (m as Record<string, unknown>)[k] = om[k];
      else if (Object.hasOwn(m, k)) delete m[k];
    }
    if (m.generateName === undefined && om.generateName !== undefined) m.generateName = om.generateName;
    if (Object.hasOwn(m, "generateName") && m.generateName === undefined) delete m.generateName;
    const status = opts.subresource === "status";
    this.strategy.applyDefaults(obj);
    // A main-resource write owns what the client sent, not what the strategy adds (generation annotations);
    // a subresource write owns what is left once the strategy has dropped what it may not change.
    const recordOwnership = () => {
      if (opts.managedFieldsSet) return;
      const now = this.clock.now();
      this.fieldManager.recordUpdate(old, obj, {
        manager: opts.fieldManager,
        subresource: opts.subresource,
        now,
      });
    };
    if (!opts.subresource) recordOwnership();
    if (opts.subresource === "finalize") {
      // Namespaces' /finalize changes spec.finalizers and nothing else.
      const finalizers = obj.spec?.finalizers;
      const copy = deepCopy(old);
      const spec = withFields(copy.spec ?? {}, { finalizers: finalizers?.length ? finalizers : undefined });
      obj = withFields(copy, { metadata: copy.metadata, spec }, "metadata") as KubeObject;
      m = obj.metadata;
    } else if (status) {
      obj = this.strategy.prepareForStatusUpdate(obj, old);
      m = obj.metadata;
    } else if (opts.subresource === "ephemeralcontainers") {
      obj = ephemeralContainersUpdate(obj, old);
      m = obj.metadata;
    } else this.strategy.prepareForUpdate(obj, old);
    m.resourceVersion = om.resourceVersion;
    if (opts.subresource) recordOwnership();
    const causes = status
      ? this.strategy.validateStatusUpdate(obj, old)
      : opts.subresource === "ephemeralcontainers"
        ? validateEphemeralContainersUpdate(obj, old).map((e) => e.toCause())
        : this.strategy.validateUpdate(obj, old);
    if (causes.length) throw this.invalid(obj, causes);
    const settle = opts.subresource ? undefined : await this.admission.admitUpdate?.(this.info, obj, old);
    let stored = false;
    try {
      const updated = await this.persistUpdate(obj, old, opts.dryRun === true);
      stored = updated !== old && opts.dryRun !== true;
      return updated;
    } finally {
      // Admission learns whether the update was stored (what it reserved for it is then in the cache, or free).
      settle?.(stored);
    }
  }

  /** The storage half of an admitted update: no-op writes keep the old version; a dry run stores nothing. */
  private async persistUpdate(obj: KubeObject, old: KubeObject, dryRun: boolean): Promise<KubeObject> {
    const m = obj.metadata;
    const om = old.metadata;
    if (om.deletionTimestamp) {
      // A deleting object may lose finalizers but gain none (upstream: "no new finalizers can be added").
      const had = new Set(om.finalizers ?? []);
      const added = (m.finalizers ?? []).filter((f) => !had.has(f));
      if (added.length) {
        throw this.invalid(obj, [
          {
            reason: "FieldValueForbidden",
            field: "metadata.finalizers",
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          },
        ]);
      }
    }
    omitEmptyMetadata(m);
    if (jsonEqual(obj, old)) return old;
    if (dryRun) return obj;
    const key = this.key(om.namespace ?? "", om.name!);
    const expected = Number(om.resourceVersion);
    try {
      if (
        om.deletionTimestamp &&
        (m.finalizers ?? []).length === 0 &&
        (m.deletionGracePeriodSeconds ?? 0) === 0 &&
        !this.strategy.holdsDeletion?.(obj)
      ) {
        // The last finalizer is gone from a deleting object with no grace left: it goes away now.
        const kv = await this.backend.delete(key, expected);
        await this.source.settle(kv.modRevision);
        m.resourceVersion = String(kv.modRevision);
        return obj;
      }
      // Left out of the stored text (storage's revision is the resourceVersion); set to undefined, not deleted:
      // V8 makes an object that loses a key a slow dictionary, and stored objects live long.
      m.resourceVersion = undefined;
      return await this.store(key, obj, (value) => this.backend.update(key, value, expected));
    } catch (e) {
      throw this.mapWriteError(e, om.name!);
    }
  }

  /**
   * Writes `obj` (without resourceVersion) under `key` and returns it as stored, once reads see it. The watch
   * cache adopts `obj` itself (stamped and frozen) instead of parsing the stored text back: no copy per write.
   */
  private async store(
    key: string,
    obj: KubeObject,
    write: (value: string) => Promise<KeyValue>,
  ): Promise<KubeObject> {
    const value = JSON.stringify(obj);
    this.source.announce(key, value, obj);
    let kv: KeyValue;
    try {
      kv = await write(value);
    } catch (e) {
      this.source.retract(key, value);
      throw e;
    }
    await this.source.settle(kv.modRevision);
    // Not adopted (an uncached resource, or a later write of the same key replaced the announcement): stamp it.
    if (!Object.isFrozen(obj)) obj.metadata.resourceVersion = String(kv.modRevision);
    return obj;
  }

  /** The storage error stays the answer's cause: a retry learns from it which revision won (winningRevision). */
  private mapWriteError(e: unknown, name: string): unknown {
    if (isStorageError(e, "Conflict")) {
      return ApiError.conflict(
        this.ref(),
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
        { cause: e },
      );
    }
    if (isStorageError(e, "NotFound")) return ApiError.notFound(this.ref(), name, { cause: e });
    return e;
  }

  async delete(namespace: string, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    for (let attempt = 0; ; attempt++) {
      const old = await this.read(namespace, name);
      this.admission.admitDelete?.(this.info, old);
      try {
        return await this.deleteOnce(old, opts);
      } catch (e) {
        const retry =
          e instanceof ApiError && e.reason === "Conflict" && !opts.preconditions?.resourceVersion;
        if (!retry || attempt >= PATCH_RETRIES) throw e;
        await this.source.catchUp(e);
      }
    }
  }

  private async deleteOnce(old: KubeObject, opts: DeleteOptions): Promise<DeleteResult> {
    const om = old.metadata;
    const name = om.name!;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== om.uid) {
      // Upstream's rest.BeforeDelete names the Kind (DaemonSet.apps), not the resource.
      throw ApiError.conflict(
        { group: this.info.group, resource: this.info.kind },
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${om.uid}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== om.resourceVersion) {
      throw ApiError.conflict(
        this.ref(),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${om.resourceVersion}`,
      );
    }
    const obj = deepCopy(old);
    const m = obj.metadata;
    const finalizers = new Set(m.finalizers ?? []);
    const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? "Orphan" : undefined);
    if (policy === "Orphan") {
      finalizers.add("orphan");
      finalizers.delete("foregroundDeletion");
    } else if (policy === "Foreground") {
      finalizers.add("foregroundDeletion");
      finalizers.delete("orphan");
    }
    const grace = this.strategy.gracePeriod(obj, opts.gracePeriodSeconds);
    const now = this.clock.now();
    if (m.deletionTimestamp) {
      // Already deleting: a shorter grace period may only bring the deadline closer.
      const current = m.deletionGracePeriodSeconds ?? 0;
      const sameFinalizers = finalizers.size === (m.finalizers ?? []).length;
      if (grace >= current && sameFinalizers) return { object: old, pending: true };
      if (grace < current) {
        m.deletionGracePeriodSeconds = grace;
        m.deletionTimestamp = isoSeconds(now + grace * 1000);
      }
    } else if (finalizers.size > 0 || grace > 0 || this.strategy.holdsDeletion?.(obj)) {
      // Graceful or finalized deletion: mark the object and let its owners (kubelet, controllers) finish it.
      m.deletionTimestamp = isoSeconds(now + grace * 1000);
      m.deletionGracePeriodSeconds = grace;
    }
    m.finalizers = [...finalizers];
    if (m.finalizers.length === 0) delete m.finalizers;
    const key = this.key(m.namespace ?? "", name);
    const expected = Number(om.resourceVersion);
    try {
      if (
        finalizers.size === 0 &&
        (m.deletionGracePeriodSeconds ?? 0) === 0 &&
        !this.strategy.holdsDeletion?.(obj)
      ) {
        if (opts.dryRun) return { object: obj, pending: false };
        const kv = await this.backend.delete(key, expected);
        await this.source.settle(kv.modRevision);
        m.resourceVersion = String(kv.modRevision);
        return { object: obj, pending: false };
      }
      this.strategy.onDeletionMarked?.(obj);
      if (opts.dryRun) return { object: obj, pending: true };
      m.resourceVersion = undefined; // out of the stored text, as in commitUpdate
      return {
        object: await this.store(key, obj, (value) => this.backend.update(key, value, expected)),
        pending: true,
      };
    } catch (e) {
      throw this.mapWriteError(e, name);
    }
  }

  async deleteCollection(
    namespace: string | undefined,
    list: ListOptions,
    opts: DeleteOptions,
  ): Promise<KubeObject[]> {
    const { items } = await this.list(namespace, {
      labelSelector: list.labelSelector,
      fieldSelector: list.fieldSelector,
    });
    const deleted: KubeObject[] = [];
    for (const item of items) {
      try {
        const r = await this.delete(item.metadata.namespace ?? "", item.metadata.name!, opts);
        deleted.push(r.object);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    return deleted;
  }
}

/**
 * Every collection in ObjectMeta is `omitempty` in Go: an emptied list or map (the last owner reference
 * patched away, all labels removed) is not stored, exactly as upstream's encoding drops it.
 */
function omitEmptyMetadata(m: KubeObject["metadata"]): void {
  for (const k of ["labels", "annotations"] as const) {
    const v = m[k];
    if (v && typeof v === "object" && Object.keys(v).length === 0) delete m[k];
  }
  for (const k of ["ownerReferences", "finalizers", "managedFields"] as const) {
    const v = m[k];
    if (Array.isArray(v) && v.length === 0) delete m[k];
  }
}

/** RFC 3339 with whole seconds, as Kubernetes serialises metav1.Time. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
