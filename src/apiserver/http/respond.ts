// Writes responses: objects as JSON or YAML per the Accept header, and errors as Kubernetes Status objects.
import type { ServerResponse } from "node:http";
import { stringify as toYaml } from "yaml";
import { ApiError, type StatusDetails } from "../../api/errors.js";
import { responseFormat } from "./negotiate.js";

export function sendJsonText(
  res: ServerResponse,
  code: number,
  text: string,
  contentType = "application/json",
): void {
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendObject(
  res: ServerResponse,
  code: number,
  obj: unknown,
  accept: string | undefined,
): void {
  if (responseFormat(accept) === "yaml") {
    const text = toYaml(obj, { aliasDuplicateObjects: false });
    res.writeHead(code, { "Content-Type": "application/yaml", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  sendJsonText(res, code, JSON.stringify(obj));
}

export function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string> = {};
  if (err.details?.retryAfterSeconds) headers["Retry-After"] = String(err.details.retryAfterSeconds);
  const text = JSON.stringify(err.toStatus());
  res.writeHead(err.code, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendStatusSuccess(res: ServerResponse, details: StatusDetails): void {
  sendJsonText(
    res,
    200,
    JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details }),
  );
}

/** Adds an RFC 7234 Warning header, as the apiserver does for non-fatal problems. */
export function addWarning(res: ServerResponse, message: string): void {
  const existing = res.getHeader("Warning");
  const value = `299 - ${JSON.stringify(message)}`;
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader("Warning", [...list, value]);
}

export { ApiError };
