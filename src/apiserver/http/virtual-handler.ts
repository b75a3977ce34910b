// Serves virtual resources (computed on request, read-only: metrics.k8s.io) over HTTP: get and list as JSON,
// YAML or a meta.k8s.io Table. Watch and every write answer 405 MethodNotAllowed with a Status, as upstream
// answers verbs a resource's storage does not implement.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { groupVersion, type ResourceInfo } from "../../api/resources.js";
import type { VirtualResource } from "../registry/virtual-resource.js";
import type { ResourceRequest } from "../request-info.js";
import { buildTable } from "../tables/index.js";
import { responseFormat } from "./negotiate.js";
import { boolParam, includeObjectParam, listOptions } from "./query-params.js";
import type { ResourceHandlerContext } from "./resource-handler.js";
import { sendObject } from "./respond.js";

/** The API verb a write method would be, for the 405 message. */
function writeAction(method: string, named: boolean): string {
  switch (method) {
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

/** errors.NewMethodNotSupported: `watch is not supported on resources of kind "nodes.metrics.k8s.io"`. */
export function methodNotSupported(info: ResourceInfo, action: string): ApiError {
  const qualified = info.group ? `${info.resource}.${info.group}` : info.resource;
  return new ApiError(
    405,
    "MethodNotAllowed",
    `${action} is not supported on resources of kind ${JSON.stringify(qualified)}`,
    { group: info.group, kind: info.resource },
  );
}

/** Handles a request whose path, subresource and scope the resource handler has already checked. */
export async function handleVirtualResource(
  ctx: ResourceHandlerContext,
  resource: VirtualResource,
  target: ResourceRequest,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const info = resource.info;
  const q = url.searchParams;
  const method = req.method ?? "GET";
  const accept = req.headers.accept;
  if (method !== "GET") throw methodNotSupported(info, writeAction(method, target.name !== undefined));
  const asTable = responseFormat(accept) === "table";
  const table = (items: readonly KubeObject[]) =>
    buildTable(`${info.group}/${info.kind}`, items, { now: ctx.now(), includeObject: includeObjectParam(q) });

  if (target.name === undefined) {
    if (boolParam(q.get("watch"))) throw methodNotSupported(info, "watch");
    const { items } = await resource.list(target.namespace, listOptions(q));
    if (asTable) return sendObject(res, 200, table(items), accept);
    return sendObject(
      res,
      200,
      { kind: info.listKind, apiVersion: groupVersion(info), metadata: {}, items },
      accept,
    );
  }
  const obj = await resource.get(target.namespace ?? "", target.name);
  return sendObject(res, 200, asTable ? table([obj]) : obj, accept);
}
