// Reads and decodes request bodies: a size limit (413 past it), JSON or YAML by Content-Type, and patch media
// types. Malformed input becomes a 400 Status, never an exception that escapes.
import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiError } from "../../api/errors.js";
import { decodeProtobufBody } from "../protobuf/decode.js";

/** Upstream's limit for a JSON/YAML request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw ApiError.tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw ApiError.tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * Decodes a request body: Kubernetes protobuf (what typed clients such as `kubectl create namespace` and drain's
 * DeleteOptions send), JSON, or YAML (a superset; JSON is tried first for speed).
 */
export function decodeBody(buf: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === "application/vnd.kubernetes.protobuf") return decodeProtobufBody(buf).object;
  const text = buf.toString("utf8");
  if (text.trim() === "") throw ApiError.badRequest("the request body is empty; send a JSON or YAML object");
  if (type.includes("protobuf") || type.includes("cbor")) throw ApiError.unsupportedMediaType(type);
  const yamlish =
    type === "application/yaml" || type === "application/apply-patch+yaml" || type === "text/yaml";
  try {
    return JSON.parse(text);
  } catch (jsonErr) {
    if (!yamlish) {
      throw ApiError.badRequest(`the request body is not valid JSON: ${(jsonErr as Error).message}`);
    }
  }
  try {
    return parseYaml(text, { uniqueKeys: false });
  } catch (yamlErr) {
    throw ApiError.badRequest(`the request body is not valid YAML: ${(yamlErr as Error).message}`);
  }
}
