// Serves /openapi/v3 (index and per group-version documents, cacheable by hash) and /openapi/v2 (protobuf only:
// kubectl 1.27/1.28 cannot read JSON there).
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.js";
import { OPENAPI_V2_PROTOBUF_CONTENT_TYPE, type OpenApiDocs } from "../openapi/index.js";
import { sendJsonText } from "./respond.js";

export function serveOpenApi(
  docs: OpenApiDocs,
  path: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (path === "/openapi/v3") {
    sendJsonText(res, 200, docs.v3Index());
    return;
  }
  if (path.startsWith("/openapi/v3/")) {
    const doc = docs.v3Doc(path.slice("/openapi/v3/".length));
    if (!doc) throw ApiError.noSuchPath();
    const hash = url.searchParams.get("hash");
    if (hash && hash === doc.hash) {
      // Documents addressed by their hash never change: let kubectl cache them.
      res.setHeader("Cache-Control", "public, immutable");
      res.setHeader("Expires", new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString());
    } else {
      res.setHeader("Cache-Control", "no-cache, private");
    }
    res.setHeader("Etag", `"${doc.hash}"`);
    sendJsonText(res, 200, doc.json);
    return;
  }
  if (path === "/openapi/v2" || path === "/swagger-2.0.0.pb-v1") {
    const accept = req.headers.accept ?? "";
    if (!accept.includes("protobuf")) {
      throw ApiError.notAcceptable(
        "only application/com.github.proto-openapi.spec.v2@v1.0+protobuf is served here",
      );
    }
    const body = docs.v2Protobuf();
    res.writeHead(200, {
      "Content-Type": OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
      "Content-Length": body.byteLength,
      Etag: `"${docs.v2Etag}"`,
    });
    res.end(body);
    return;
  }
  throw ApiError.noSuchPath();
}
