// The OpenAPI documents the API server serves, built once from the resource table and the kind schemas and
// cached: the /openapi/v3 index and group-version documents (JSON, addressed by content hash) and the
// /openapi/v2 document (gnostic protobuf, with an ETag). Each part is built on first use.

import type { ResourceInfo } from "../../api/resources.js";
import { SERVED_RESOURCES, servedSchemaForKind } from "../served-resources.js";
import { type ApiModel, buildApiModel, type SchemaForKind } from "./api-model.js";
import { encodeGnosticDocument } from "./gnostic-v2.js";
import { renderOpenApiV2 } from "./v2.js";
import { contentHash, type OpenApiV3, type OpenApiV3Doc, renderOpenApiV3 } from "./v3.js";

export type { SchemaForKind } from "./api-model.js";
export { buildOpenApiV2Json, buildOpenApiV2Protobuf } from "./v2.js";
export { buildOpenApiV3, type OpenApiV3, type OpenApiV3Doc, type OpenApiV3Index } from "./v3.js";

/**
 * Content-Type of /openapi/v2. Clients ask with `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`
 * but the answer must use this form: Go's MIME parser rejects the "@".
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
export const OPENAPI_V3_CONTENT_TYPE = "application/json";

export class OpenApiDocs {
  private model?: ApiModel;
  private v3?: OpenApiV3;
  private v3IndexJson?: string;
  private v2?: { bytes: Uint8Array; etag: string };

  constructor(
    private readonly resources: readonly ResourceInfo[],
    private readonly schemaForKind: SchemaForKind,
  ) {}

  private apiModel(): ApiModel {
    this.model ??= buildApiModel(this.resources, this.schemaForKind);
    return this.model;
  }

  private openApiV3(): OpenApiV3 {
    this.v3 ??= renderOpenApiV3(this.apiModel());
    return this.v3;
  }

  /** Body of GET /openapi/v3. */
  v3Index(): string {
    this.v3IndexJson ??= JSON.stringify(this.openApiV3().index);
    return this.v3IndexJson;
  }

  /**
   * Body and hash of GET /openapi/v3/<path> ("apis/apps/v1", "api/v1", ...). A request whose `?hash=` equals
   * `hash` may be cached forever (`Cache-Control: public, immutable`); Kubernetes redirects a stale hash to the
   * current URL from the index.
   */
  v3Doc(path: string): OpenApiV3Doc | undefined {
    return this.openApiV3().docs.get(path.replace(/^\/+|\/+$/g, ""));
  }

  private openApiV2(): { bytes: Uint8Array; etag: string } {
    if (!this.v2) {
      const bytes = encodeGnosticDocument(renderOpenApiV2(this.apiModel()));
      this.v2 = { bytes, etag: contentHash(bytes) };
    }
    return this.v2;
  }

  /** Body of GET /openapi/v2 (and /swagger-2.0.0.pb-v1). */
  v2Protobuf(): Uint8Array {
    return this.openApiV2().bytes;
  }

  /** Entity tag of the v2 document (a content hash, without the quotes the header adds). */
  get v2Etag(): string {
    return this.openApiV2().etag;
  }

  /** Definitions used with two different structures in the schemas (empty when the schemas are consistent). */
  definitionConflicts(): readonly string[] {
    return this.apiModel().catalog.conflicts;
  }
}

let served: OpenApiDocs | undefined;

/**
 * The documents of every served resource (built-in and metrics.k8s.io, as a cluster aggregates metrics-server's
 * document), created on first use and shared by the server.
 */
export function openApiDocs(): OpenApiDocs {
  served ??= new OpenApiDocs(SERVED_RESOURCES, servedSchemaForKind);
  return served;
}
