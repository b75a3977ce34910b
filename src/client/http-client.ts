// The HTTP transport of Client: JSON requests to any Kubernetes API server over keep-alive connections, watch
// streams decoded as they arrive, Status bodies turned back into ApiError, and an optional client-side rate
// limit. Used for `--kubeconfig` clusters and by everything that runs outside the API server's process.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { createSecureContext } from "node:tls";
import { ApiError } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import { type QueryValue, queryString, resourcePath } from "./api-path.js";
import type {
  Client,
  DeleteOptions,
  ListOptions,
  ObjectList,
  PatchType,
  ResourceType,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from "./client.js";
import { type RateLimiter, rateLimiterFor } from "./rate-limiter.js";
import { collectionNamespace, objectNamespace, requireName, writeNamespace } from "./request-scope.js";
import { errorFromResponse, transportError } from "./response-error.js";
import { decodeFailureEvent, WatchDecoder } from "./watch-decoder.js";

export interface HttpClientOptions {
  /** Base URL of the API server, e.g. https://127.0.0.1:6443 (a path prefix is kept). */
  server: string;
  /** PEM bundle the server's certificate must chain to (default: the system roots). */
  ca?: string;
  /** PEM client certificate and key (mutual TLS). */
  cert?: string;
  key?: string;
  insecureSkipTlsVerify?: boolean;
  /** Name checked against the server certificate instead of the URL's host. */
  tlsServerName?: string;
  /** Bearer token, or a function consulted on every request (rotating service-account tokens). */
  token?: string | (() => string | undefined);
  username?: string;
  password?: string;
  /** The kubeconfig context's namespace; kept for callers (kubectl's default), never applied implicitly. */
  namespace?: string;
  /** Client-side rate limit in requests per second (default: unlimited). Watch requests count too. */
  qps?: number;
  /** Requests allowed at once above the QPS rate (default: ceil(qps)). */
  burst?: number;
  /** Overrides qps/burst, e.g. to share one limiter between clients. */
  rateLimiter?: RateLimiter;
  /** Concurrent connections for ordinary requests (watches use their own pool). Default 64. */
  maxSockets?: number;
  /** Idle time after which an ordinary request fails (no default: the server's own timeouts apply). */
  requestTimeoutMs?: number;
  userAgent?: string;
}

const JSON_TYPE = "application/json";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
};

interface RequestBody {
  contentType: string;
  text: string;
}

function isAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  return !!signal?.aborted || (err as Error)?.name === "AbortError";
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
  });
}

function writeQuery(options: WriteOptions | undefined): Record<string, QueryValue> {
  return { dryRun: options?.dryRun ? "All" : undefined, fieldManager: options?.fieldManager };
}

export class HttpClient implements Client {
  readonly server: string;
  /** The kubeconfig context's namespace ("default" when none was given). */
  readonly defaultNamespace: string;
  private readonly base: URL;
  private readonly transport: typeof http | typeof https;
  /** Ordinary requests share a bounded keep-alive pool. */
  private readonly agent: http.Agent;
  /** Watches hold their connection for minutes, so they get an unbounded pool and never starve requests. */
  private readonly watchAgent: http.Agent;
  private readonly limiter: RateLimiter;

  constructor(private readonly options: HttpClientOptions) {
    this.base = new URL(options.server);
    if (this.base.protocol !== "https:" && this.base.protocol !== "http:") {
      throw new Error(`unsupported server URL ${options.server}: expected http:// or https://`);
    }
    this.server = options.server;
    this.defaultNamespace = options.namespace || "default";
    const secure = this.base.protocol === "https:";
    this.transport = secure ? https : http;
    // One secure context for every connection: built per socket, parsing the certificates costs about a
    // millisecond of CPU each time.
    const tls = secure
      ? {
          secureContext: createSecureContext({ ca: options.ca, cert: options.cert, key: options.key }),
          rejectUnauthorized: !options.insecureSkipTlsVerify,
          servername: options.tlsServerName,
        }
      : {};
    const Agent = secure ? https.Agent : http.Agent;
    const maxSockets = options.maxSockets ?? 64;
    // Idle connections stay pooled up to the limit, so bursts reuse them rather than handshake again.
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ...tls });
    this.watchAgent = new Agent({ keepAlive: true, maxFreeSockets: 4, ...tls });
    this.limiter = options.rateLimiter ?? rateLimiterFor(options.qps, options.burst);
  }

  /** Closes idle connections; in-flight requests and watches finish on their own. */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  // ---------------------------------------------------------------- Client

  async get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const path = resourcePath(type, objectNamespace(type, namespace), requireName(name));
    return (await this.call("GET", path)) as KubeObject;
  }

  async list(
    type: ResourceType,
    namespace: string | undefined,
    options: ListOptions = {},
  ): Promise<ObjectList> {
    const path = resourcePath(type, collectionNamespace(type, namespace));
    const body = (await this.call(
      "GET",
      path +
        queryString({
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: options.limit,
          continue: options.continue,
          resourceVersion: options.resourceVersion,
        }),
    )) as { metadata?: { resourceVersion?: string; continue?: string }; items?: KubeObject[] };
    // Upstream servers leave apiVersion/kind off list items; filling them in makes both transports agree.
    const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    const items = (body.items ?? []).map((o) =>
      o.apiVersion && o.kind
        ? o
        : { ...o, apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? type.kind },
    );
    const list: ObjectList = { items, resourceVersion: body.metadata?.resourceVersion ?? "" };
    if (body.metadata?.continue) list.continue = body.metadata.continue;
    return list;
  }

  async *watch(
    type: ResourceType,
    namespace: string | undefined,
    options: WatchOptions,
    signal?: AbortSignal,
  ): AsyncGenerator<WatchEvent> {
    const path =
      resourcePath(type, collectionNamespace(type, namespace)) +
      queryString({
        watch: true,
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: options.allowWatchBookmarks || undefined,
        timeoutSeconds: options.timeoutSeconds,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      });
    let res: IncomingMessage;
    try {
      await this.limiter.acquire(signal);
      res = await this.open("GET", path, undefined, this.watchAgent, signal, false);
    } catch (e) {
      if (isAbort(e, signal)) return;
      throw e;
    }
    try {
      if (res.statusCode !== 200) {
        throw errorFromResponse(
          res.statusCode ?? 500,
          await readAll(res),
          res.headers["retry-after"] as string,
        );
      }
      const decoder = new WatchDecoder();
      try {
        for await (const chunk of res) yield* decoder.push(chunk as Buffer);
        yield* decoder.end();
      } catch (e) {
        if (isAbort(e, signal)) return;
        if ((e as NodeJS.ErrnoException).code === "ECONNRESET" || (e as Error).message === "aborted") {
          // A connection cut mid-stream ends the watch like a server close (client-go treats it as EOF):
          // the caller resumes from its last resourceVersion.
          return;
        }
        yield decodeFailureEvent(e);
      }
    } catch (e) {
      if (isAbort(e, signal)) return;
      throw e;
    } finally {
      res.destroy();
    }
  }

  async create(
    type: ResourceType,
    namespace: string | undefined,
    obj: KubeObject,
    options?: WriteOptions,
  ): Promise<KubeObject> {
    const path = resourcePath(type, writeNamespace(type, namespace, obj));
    return (await this.call("POST", path + queryString(writeQuery(options)), jsonBody(obj))) as KubeObject;
  }

  async update(
    type: ResourceType,
    namespace: string | undefined,
    obj: KubeObject,
    options?: WriteOptions & { subresource?: "status" },
  ): Promise<KubeObject> {
    const name = requireName(obj?.metadata?.name);
    const path = resourcePath(type, writeNamespace(type, namespace, obj), name, options?.subresource);
    return (await this.call("PUT", path + queryString(writeQuery(options)), jsonBody(obj))) as KubeObject;
  }

  async patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options?: WriteOptions & { subresource?: "status" },
  ): Promise<KubeObject> {
    const path = resourcePath(
      type,
      objectNamespace(type, namespace),
      requireName(name),
      options?.subresource,
    );
    const contentType = PATCH_CONTENT_TYPES[patchType];
    if (!contentType) throw ApiError.badRequest(`unknown patch type ${patchType}`);
    return (await this.call("PATCH", path + queryString(writeQuery(options)), {
      contentType,
      text: JSON.stringify(patch),
    })) as KubeObject;
  }

  async delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<void> {
    const path = resourcePath(type, objectNamespace(type, namespace), requireName(name));
    const body: Record<string, unknown> = { kind: "DeleteOptions", apiVersion: "v1" };
    if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.dryRun) body.dryRun = ["All"];
    await this.call("DELETE", path, jsonBody(body));
  }

  async createSubresource(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: unknown,
  ): Promise<unknown> {
    const path = resourcePath(type, objectNamespace(type, namespace), requireName(name), subresource);
    return this.call("POST", path, jsonBody(body));
  }

  // ---------------------------------------------------------------- transport

  /** One request/response exchange with a JSON answer; non-2xx answers become ApiErrors. */
  private async call(method: string, pathAndQuery: string, body?: RequestBody): Promise<unknown> {
    await this.limiter.acquire();
    const res = await this.open(method, pathAndQuery, body, this.agent, undefined, true);
    let text: string;
    try {
      text = await readAll(res);
    } catch (e) {
      throw transportError(method, this.url(pathAndQuery), e);
    }
    const code = res.statusCode ?? 500;
    if (code < 200 || code > 299) throw errorFromResponse(code, text, res.headers["retry-after"] as string);
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw ApiError.internal(
        `${method} ${this.url(pathAndQuery)} answered ${code} with a body that is not JSON`,
      );
    }
  }

  private url(pathAndQuery: string): string {
    const prefix = this.base.pathname.replace(/\/+$/, "");
    return `${this.base.origin}${prefix}${pathAndQuery}`;
  }

  private headers(body: RequestBody | undefined): Record<string, string> {
    const h: Record<string, string> = {
      Accept: JSON_TYPE,
      "User-Agent": this.options.userAgent ?? `everynode/0.1.0 (node ${process.version})`,
    };
    const token = typeof this.options.token === "function" ? this.options.token() : this.options.token;
    if (token) h.Authorization = `Bearer ${token}`;
    else if (this.options.username !== undefined) {
      const basic = Buffer.from(`${this.options.username}:${this.options.password ?? ""}`).toString("base64");
      h.Authorization = `Basic ${basic}`;
    }
    if (body) {
      h["Content-Type"] = body.contentType;
      h["Content-Length"] = String(Buffer.byteLength(body.text));
    }
    return h;
  }

  /** Sends a request and resolves with the response head; the body is left for the caller to read. */
  private open(
    method: string,
    pathAndQuery: string,
    body: RequestBody | undefined,
    agent: http.Agent,
    signal: AbortSignal | undefined,
    timed: boolean,
  ): Promise<IncomingMessage> {
    const url = this.url(pathAndQuery);
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        url,
        { method, agent, headers: this.headers(body), signal },
        resolve,
      );
      req.on("error", (err) => reject(isAbort(err, signal) ? err : transportError(method, url, err)));
      const timeout = this.options.requestTimeoutMs;
      if (timed && timeout) {
        req.setTimeout(timeout, () => req.destroy(new Error(`no answer within ${timeout} ms`)));
      }
      req.end(body?.text);
    });
  }
}

function jsonBody(value: unknown): RequestBody {
  return { contentType: JSON_TYPE, text: JSON.stringify(value) };
}
