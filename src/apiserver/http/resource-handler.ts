// Serves /api/v1/... and /apis/{group}/{version}/... for built-in resources: maps the HTTP method and path to
// a registry verb, decodes bodies and options, and encodes results as JSON, YAML or a meta.k8s.io Table.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { groupVersion, type ResourceInfo } from "../../api/resources.js";
import { schemaForKind } from "../../api/schema/index.js";
import { managerOrUserAgent, validatePatchOptions, validateWriteOptions } from "../fieldmanager/index.js";
import { patchTypeFromContentType } from "../patch/index.js";
import { bindPod } from "../registry/pod-binding.js";
import { evictPod } from "../registry/pod-eviction.js";
import type { Registry } from "../registry/registry.js";
import type { DeleteOptions, RegistryStore } from "../registry/store.js";
import type { ResourceRequest } from "../request-info.js";
import { buildTable } from "../tables/index.js";
import { decodeBody, mediaType, readBody } from "./body.js";
import { checkFields, type FieldValidation } from "./field-validation.js";
import { responseFormat } from "./negotiate.js";
import { type PodLogSource, servePodLog } from "./pod-log.js";
import { boolParam, includeObjectParam, intParam, listOptions } from "./query-params.js";
import { sendObject, sendStatusSuccess } from "./respond.js";
import { handleVirtualResource } from "./virtual-handler.js";
import { serveWatch } from "./watch.js";

const tableKind = (info: ResourceInfo) => `${info.group}/${info.kind}`;

function dryRun(q: URLSearchParams): boolean {
  const v = q.getAll("dryRun");
  for (const d of v)
    if (d !== "All") throw ApiError.badRequest(`Invalid dry run value: ${d}; only "All" is supported`);
  return v.length > 0;
}

function fieldValidation(q: URLSearchParams): FieldValidation {
  const v = q.get("fieldValidation") ?? "Warn";
  if (v !== "Strict" && v !== "Warn" && v !== "Ignore") {
    throw ApiError.badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got "${v}"`);
  }
  return v;
}

/**
 * The field manager of a create or update: the `fieldManager` parameter (checked as upstream's
 * Create/UpdateOptions), else the product named by the User-Agent.
 */
function writeManager(
  kind: "CreateOptions" | "UpdateOptions",
  q: URLSearchParams,
  req: IncomingMessage,
): string {
  const fieldManager = q.get("fieldManager") ?? undefined;
  validateWriteOptions(kind, fieldManager);
  return managerOrUserAgent(fieldManager, req.headers["user-agent"]);
}

export interface ResourceHandlerContext {
  registry: Registry;
  now(): number;
  /** Where pods/log reads container logs (the node fleet), when this process runs kubelets. */
  podLogs?: PodLogSource;
}

/** Handles one request addressed to a resource. Errors propagate to the server's single error boundary. */
export async function handleResource(
  ctx: ResourceHandlerContext,
  target: ResourceRequest,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const info = target.info;
  if (!info) throw ApiError.noSuchPath();
  const q = url.searchParams;
  const method = req.method ?? "GET";
  const sub = target.subresource;
  if (
    sub &&
    !info.subresources.some((s) => s.name === sub) &&
    !(info.resource === "namespaces" && sub === "finalize")
  ) {
    throw ApiError.noSuchPath();
  }
  if (info.namespaced && target.name !== undefined && target.namespace === undefined) {
    throw ApiError.noSuchPath();
  }
  if (!info.namespaced && target.namespace !== undefined) throw ApiError.noSuchPath();
  // Computed resources (metrics.k8s.io) have no store: they answer get and list only.
  const virtual = ctx.registry.virtualResource(info);
  if (virtual) return handleVirtualResource(ctx, virtual, target, req, res, url);
  const store = ctx.registry.store(info);
  const ns = target.namespace ?? "";
  const accept = req.headers.accept;

  if (method === "GET" && target.name === undefined) {
    if (boolParam(q.get("watch"))) return serveWatch(ctx, store, target.namespace, q, req, res);
    const list = await store.list(target.namespace, listOptions(q));
    if (responseFormat(accept) === "table") {
      const table = buildTable(tableKind(info), list.items, {
        now: ctx.now(),
        includeObject: includeObjectParam(q),
        resourceVersion: list.resourceVersion,
        continue: list.continue,
        remainingItemCount: list.remainingItemCount,
      });
      return sendObject(res, 200, table, accept);
    }
    const metadata: Record<string, unknown> = { resourceVersion: list.resourceVersion };
    if (list.continue) metadata.continue = list.continue;
    if (list.remainingItemCount !== undefined) metadata.remainingItemCount = list.remainingItemCount;
    return sendObject(
      res,
      200,
      { kind: info.listKind, apiVersion: groupVersion(info), metadata, items: list.items },
      accept,
    );
  }

  if (target.name === undefined) {
    if (method === "POST") return create(ctx, store, ns, req, res, q);
    if (method === "DELETE") {
      const opts = await deleteOptions(req, q);
      const deleted = await store.deleteCollection(target.namespace, listOptions(q), opts);
      return sendObject(
        res,
        200,
        {
          kind: info.listKind,
          apiVersion: groupVersion(info),
          metadata: { resourceVersion: String(ctx.registry.cacher.revision) },
          items: deleted,
        },
        accept,
      );
    }
    throw ApiError.methodNotAllowed(`the server does not allow this method on the requested resource`);
  }

  const name = target.name;
  switch (method) {
    case "GET": {
      if (info.resource === "pods" && sub === "log") {
        const nodes = ctx.registry.store({ group: "", resource: "nodes" });
        return servePodLog(ctx.podLogs, { pods: store, nodes }, ns, name, q, req, res);
      }
      if (sub && sub !== "status" && sub !== "ephemeralcontainers")
        throw ApiError.methodNotAllowed(`GET is not supported on ${info.resource}/${sub}`);
      const obj = await store.read(ns, name);
      if (responseFormat(accept) === "table") {
        return sendObject(
          res,
          200,
          buildTable(tableKind(info), [obj], {
            now: ctx.now(),
            includeObject: includeObjectParam(q),
            resourceVersion: obj.metadata.resourceVersion,
          }),
          accept,
        );
      }
      return sendObject(res, 200, obj, accept);
    }
    case "PUT": {
      const fieldManager = writeManager("UpdateOptions", q, req);
      const body = await readObject(req, store, q, res);
      const updated = await store.update(ns, name, body, {
        subresource: sub,
        dryRun: dryRun(q),
        fieldManager,
      });
      return sendObject(res, 200, updated, accept);
    }
    case "PATCH": {
      const type = patchTypeFromContentType(req.headers["content-type"] ?? "");
      if (!type) throw ApiError.unsupportedMediaType(mediaType(req.headers["content-type"]));
      const fieldManager = q.get("fieldManager") ?? undefined;
      const force = q.has("force") ? boolParam(q.get("force")) : undefined;
      validatePatchOptions(type === "apply", fieldManager, force);
      const raw = await readBody(req);
      const body = decodeBody(raw, req.headers["content-type"]);
      const options = {
        subresource: sub,
        dryRun: dryRun(q),
        validate: (obj: KubeObject) =>
          checkFields(obj, store.schema, fieldValidation(q), res, undefined, false),
      };
      if (type === "apply") {
        // Server-side apply: field ownership decides the merge; a missing object is created (201).
        const applied = await store.apply(ns, name, body, { ...options, fieldManager: fieldManager!, force });
        return sendObject(res, applied.created ? 201 : 200, applied.object, accept);
      }
      const patched = await store.patch(ns, name, type, body, {
        ...options,
        fieldManager: managerOrUserAgent(fieldManager, req.headers["user-agent"]),
      });
      return sendObject(res, 200, patched, accept);
    }
    case "DELETE": {
      const opts = await deleteOptions(req, q);
      const result = await store.delete(ns, name, opts);
      // Upstream answers 202 for a deletion still in progress only when the client asked for cascading
      // deletion with orphanDependents=false (kept that way so old clients do not break); otherwise 200.
      if (result.pending)
        return sendObject(res, opts.orphanDependents === false ? 202 : 200, result.object, accept);
      if (store.returnsDeletedObject) return sendObject(res, 200, result.object, accept);
      return sendStatusSuccess(res, {
        name,
        kind: info.resource,
        group: info.group,
        uid: result.object.metadata.uid,
      });
    }
    case "POST": {
      if (info.resource === "pods" && sub === "binding") {
        const body = decodeBody(await readBody(req), req.headers["content-type"]);
        return sendObject(
          res,
          201,
          await bindPod(ctx.registry, ns, name, body, { dryRun: dryRun(q) }),
          accept,
        );
      }
      if (info.resource === "pods" && sub === "eviction") {
        const body = await readEviction(req, q, res);
        const status = await evictPod(ctx.registry, ns, name, body, { dryRun: dryRun(q) });
        return sendObject(res, status.code, status, accept);
      }
      throw ApiError.methodNotAllowed(`POST is not supported on a named ${info.resource} object`);
    }
    default:
      throw ApiError.methodNotAllowed(`method ${method} is not supported`);
  }
}

/** Reads an object body, checks fieldValidation, and returns it with unknown fields pruned. */
async function readObject(
  req: IncomingMessage,
  store: RegistryStore,
  q: URLSearchParams,
  res: ServerResponse,
): Promise<KubeObject> {
  const raw = await readBody(req);
  const body = decodeBody(raw, req.headers["content-type"]);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw ApiError.badRequest("the request body must be a JSON or YAML object");
  }
  const isJson = mediaType(req.headers["content-type"]) === "application/json";
  return checkFields(
    body as KubeObject,
    store.schema,
    fieldValidation(q),
    res,
    isJson ? raw.toString("utf8") : undefined,
  );
}

/** An Eviction body (policy/v1 or v1beta1, which share one shape), with fieldValidation applied. */
async function readEviction(req: IncomingMessage, q: URLSearchParams, res: ServerResponse): Promise<unknown> {
  const raw = await readBody(req);
  const body = decodeBody(raw, req.headers["content-type"]);
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const isJson = mediaType(req.headers["content-type"]) === "application/json";
  return checkFields(
    body as KubeObject,
    schemaForKind("policy", "v1", "Eviction"),
    fieldValidation(q),
    res,
    isJson ? raw.toString("utf8") : undefined,
  );
}

async function create(
  ctx: ResourceHandlerContext,
  store: RegistryStore,
  ns: string,
  req: IncomingMessage,
  res: ServerResponse,
  q: URLSearchParams,
): Promise<void> {
  void ctx;
  const fieldManager = writeManager("CreateOptions", q, req);
  const body = await readObject(req, store, q, res);
  const created = await store.create(ns, body, { dryRun: dryRun(q), fieldManager });
  sendObject(res, 201, created, req.headers.accept);
}

/** DeleteOptions come from the body (kubectl) and/or the query string. */
async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const raw = await readBody(req);
  let body: Record<string, any> = {};
  if (raw.length > 0 && raw.toString("utf8").trim() !== "") {
    const decoded = decodeBody(raw, req.headers["content-type"] ?? "application/json");
    if (decoded && typeof decoded === "object") body = decoded as Record<string, any>;
  }
  const policy = q.get("propagationPolicy") ?? body.propagationPolicy;
  if (policy !== undefined && policy !== null && !["Orphan", "Background", "Foreground"].includes(policy)) {
    throw ApiError.badRequest(`propagationPolicy must be Orphan, Background or Foreground, got "${policy}"`);
  }
  const grace = intParam(q, "gracePeriodSeconds") ?? body.gracePeriodSeconds;
  const orphan = q.get("orphanDependents") ?? body.orphanDependents;
  return {
    propagationPolicy: policy ?? undefined,
    gracePeriodSeconds: typeof grace === "number" ? grace : undefined,
    orphanDependents:
      orphan === true || orphan === "true"
        ? true
        : orphan === false || orphan === "false"
          ? false
          : undefined,
    preconditions: body.preconditions ?? undefined,
    dryRun: dryRun(q) || (Array.isArray(body.dryRun) && body.dryRun.includes("All")),
  };
}
