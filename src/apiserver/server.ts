// The HTTP(S) front of the API server: authenticates and authorizes every request (auth/), routes
// non-resource paths (version, health, discovery, OpenAPI, metrics) and resource paths, and is the single
// error boundary that turns every failure into a Status.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Logger } from "pino";
import { ApiError } from "../api/errors.js";
import { groupVersion } from "../api/resources.js";
import type { ClusterAuth } from "./auth/cluster-auth.js";
import { runAsUser } from "./auth/request-user.js";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  aggregatedVersion,
  apiGroup,
  apiGroupList,
  apiResourceList,
  findGroup,
  legacyApiVersions,
} from "./discovery.js";
import { asApiError } from "./error-boundary.js";
import { serveOpenApi } from "./http/openapi-handler.js";
import {
  type ExecSource,
  isPodStreamRequest,
  type PodExecContext,
  rejectPlainExec,
  servePodExecUpgrade,
  writeUpgradeError,
} from "./http/pod-exec.js";
import type { PodLogSource } from "./http/pod-log.js";
import { handleResource } from "./http/resource-handler.js";
import { sendError, sendJsonText, sendObject } from "./http/respond.js";
import { ApiMetrics } from "./metrics.js";
import { openApiDocs } from "./openapi/index.js";
import type { Registry } from "./registry/registry.js";
import { parseRequestPath } from "./request-info.js";

/** The Kubernetes release whose API everynode serves; kubectl's dispatcher picks its client by the minor. */
export const KUBERNETES_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0-everynode" };

export interface TlsMaterial {
  cert: string;
  key: string;
  ca?: string;
}

export interface ApiServerOptions {
  registry: Registry;
  logger: Logger;
  tls?: TlsMaterial;
  now?: () => number;
  /** Authentication, authorization and the auth APIs; without it every request is served unchecked. */
  auth?: ClusterAuth;
  /** Shared with the storage backend, which reports its commits there; one of its own by default. */
  metrics?: ApiMetrics;
}

export class ApiServer {
  readonly server: Server;
  readonly metrics: ApiMetrics;
  private readonly now: () => number;
  /** Built on first request: start-up stays fast, and the documents never change while running. */
  private readonly openapi = openApiDocs();
  private readonly sockets = new Set<import("node:net").Socket>();
  /** Set once the node fleet runs in this process; until then pods/log answers 503. */
  podLogs: PodLogSource | undefined;
  /** Set once the node fleet runs in this process; until then pods/exec and pods/attach answer 503. */
  podExec: ExecSource | undefined;

  constructor(private readonly options: ApiServerOptions) {
    this.metrics = options.metrics ?? new ApiMetrics();
    this.now = options.now ?? (() => options.registry.clock.now());
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = options.tls
      ? createHttpsServer(
          // Client certificates are asked for and checked against the CA; a request without one may still
          // authenticate with a bearer token, so they are not required at the TLS layer.
          {
            cert: options.tls.cert,
            key: options.tls.key,
            ca: options.tls.ca,
            requestCert: true,
            rejectUnauthorized: false,
          },
          handler,
        )
      : createHttpServer(handler);
    this.server.on("upgrade", (req, socket, head) => void this.upgrade(req, socket as Socket, head));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    // Watches are long-lived; Node's default request timeouts would cut them.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
    this.server.keepAliveTimeout = 65_000;
  }

  async listen(port: number, host = "127.0.0.1"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      sendError(res, ApiError.badRequest(`malformed request URL: ${req.url}`));
      return;
    }
    let verb = req.method ?? "GET";
    let resource = "";
    try {
      const target = parseRequestPath(url.pathname);
      if (target.kind === "resource") {
        resource = target.info ? target.info.resource : target.resource;
        verb = requestVerb(req.method ?? "GET", target.name !== undefined, url.searchParams.get("watch"));
      }
      const auth = this.options.auth;
      const user = auth?.admitRequest(req, url, target);
      const serve = async () => {
        if (target.kind === "resource") {
          if (auth && user && auth.handles(target)) return auth.serve(target, req, res, user);
          if (isPodStreamRequest(target)) rejectPlainExec(this.execContext(), target, url);
          await handleResource(
            { registry: this.options.registry, now: this.now, podLogs: this.podLogs },
            target,
            req,
            res,
            url,
          );
        } else if (target.kind === "group") {
          this.serveDiscovery(target, req, res);
        } else {
          await this.serveNonResource(url, req, res);
        }
      };
      // Admission deep in the registry (RBAC escalation checks) reads the requesting user from the context.
      await (user ? runAsUser(user, serve) : serve());
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.code >= 500)
        this.options.logger.error({ err, method: req.method, url: req.url }, "request failed");
      sendError(res, apiErr);
    } finally {
      if (verb !== "WATCH") {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.metrics.observeRequest(verb, resource, res.statusCode, seconds);
        this.options.logger.debug(
          { method: req.method, url: req.url, code: res.statusCode, ms: seconds * 1000 },
          "request",
        );
      }
    }
  }

  /**
   * Upgrade requests: pods/exec and pods/attach stream over WebSocket or SPDY/3.1; anything else is answered as an
   * ordinary request.
   */
  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const target = parseRequestPath(url.pathname);
      if (isPodStreamRequest(target)) {
        // Upgrading to a stream needs `create` on pods/exec (pods/attach), as upstream asks of WebSocket upgrades.
        this.options.auth?.admitRequest(req, url, target, "create");
        await servePodExecUpgrade(this.execContext(), target, url, req, socket, head);
        return;
      }
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.code >= 500) this.options.logger.error({ err, url: req.url }, "upgrade failed");
      writeUpgradeError(socket, apiErr);
      return;
    }
    // E.g. a client offering h2c: the socket left Node's HTTP parser, so this one response closes it.
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.on("finish", () => socket.end());
    await this.handle(req, res);
  }

  private execContext(): PodExecContext {
    return {
      pods: this.options.registry.store({ group: "", resource: "pods" }),
      nodes: this.options.registry.store({ group: "", resource: "nodes" }),
      source: this.podExec,
      logger: this.options.logger,
    };
  }

  private serveDiscovery(
    target: { root: "api" | "apis"; group?: string; version?: string },
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const accept = req.headers.accept;
    if (target.group === undefined && target.version === undefined) {
      const aggregated = aggregatedVersion(accept);
      if (aggregated) {
        sendJsonText(
          res,
          200,
          JSON.stringify(aggregatedDiscovery(target.root, aggregated)),
          aggregatedContentType(aggregated),
        );
        return;
      }
      const host = req.headers.host ?? "127.0.0.1";
      sendObject(res, 200, target.root === "api" ? legacyApiVersions(host) : apiGroupList(), accept);
      return;
    }
    const group = target.root === "api" ? "" : target.group!;
    const known = findGroup(group);
    if (!known || (target.version !== undefined && target.version !== known.version))
      throw ApiError.noSuchPath();
    if (target.version === undefined) {
      sendObject(res, 200, apiGroup(known), accept);
      return;
    }
    sendObject(res, 200, apiResourceList(group, target.version), accept);
  }

  private async serveNonResource(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (req.method !== "GET" && req.method !== "HEAD") throw ApiError.noSuchPath();
    switch (path) {
      case "/version":
        sendObject(
          res,
          200,
          {
            ...KUBERNETES_VERSION,
            gitCommit: "everynode",
            gitTreeState: "clean",
            buildDate: "2026-11-01T00:00:00Z",
            goVersion: `node${process.versions.node}`,
            compiler: "tsc",
            platform: `${process.platform}/${process.arch}`,
          },
          req.headers.accept,
        );
        return;
      case "/healthz":
      case "/livez":
      case "/readyz":
        res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("ok");
        return;
      case "/metrics": {
        const text = await this.metrics.render();
        res.writeHead(200, { "Content-Type": this.metrics.contentType });
        res.end(text);
        return;
      }
      case "/":
        sendObject(
          res,
          200,
          {
            paths: [
              "/api",
              "/api/v1",
              "/apis",
              ...apiGroupList().groups.map((g) => `/apis/${g.preferredVersion.groupVersion}`),
              "/healthz",
              "/livez",
              "/metrics",
              "/openapi/v2",
              "/openapi/v3",
              "/readyz",
              "/version",
            ],
          },
          req.headers.accept,
        );
        return;
    }
    if (path.startsWith("/openapi/") || path === "/swagger-2.0.0.pb-v1") {
      serveOpenApi(this.openapi, path, url, req, res);
      return;
    }
    if (path.startsWith("/healthz/") || path.startsWith("/livez/") || path.startsWith("/readyz/")) {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("ok");
      return;
    }
    throw ApiError.noSuchPath();
  }
}

/** The verb a request counts as in metrics and (later) authorization. */
function requestVerb(method: string, named: boolean, watch: string | null): string {
  if (method === "GET") return watch === "true" || watch === "1" ? "WATCH" : named ? "GET" : "LIST";
  if (method === "DELETE" && !named) return "DELETECOLLECTION";
  return method;
}

export { groupVersion };
