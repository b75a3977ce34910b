// pods/{name}/exec and pods/{name}/attach: runs a command in a container of whoever runs the pod (the simulated
// kubelets of the node fleet, through the ExecSource the server is given), or attaches to the container's own
// process, streamed over either transport kubectl speaks: a WebSocket with the remote-command channel protocol
// (exec-channels.ts; kubectl 1.30+) or SPDY/3.1 with one stream per channel (spdy/remote-command.ts; kubectl
// 1.29 and older). The pod, container and options are checked first, as upstream's ExecLocation and
// AttachLocation and the kubelet do, and failures are answered as a Status over plain HTTP before any upgrade.
// After it, both transports run the same session (runExecSession).
import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { type WebSocket, WebSocketServer } from "ws";
import { ApiError } from "../../api/errors.js";
import type { RegistryStore } from "../registry/store.js";
import type { RequestTarget, ResourceRequest } from "../request-info.js";
import {
  CHANNEL_PROTOCOLS,
  ChannelConnection,
  type ChannelStatus,
  negotiateChannelProtocol,
  type TerminalSize,
} from "./exec-channels.js";
import { checkKubeletNode, requestedContainer } from "./pod-container.js";
import { acceptSpdyExec, negotiateStreamProtocol } from "./spdy/remote-command.js";

/** The streams of one exec, as the container side sees them. */
export interface ExecIO {
  /** Bytes the client sends; present only when it asked for stdin, ends when it closes stdin or goes away. */
  stdin?: AsyncIterable<Uint8Array>;
  stdout(data: string | Uint8Array): void;
  /** With a TTY there is no separate stderr (as with a terminal): writes go to stdout. */
  stderr(data: string | Uint8Array): void;
  tty: boolean;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  /** Terminal size changes the client reports (TTY only). */
  onResize?(listener: (size: TerminalSize) => void): void;
}

/** What a kubelet offers for exec and attach. Failures are ApiErrors carrying the Status the client should see. */
export interface ExecSource {
  /** Throws unless `container` of the pod can run commands now (the kubelet's `container not found`). */
  checkExec(namespace: string, pod: string, container: string): void;
  /** Runs `command` in the container and resolves with its exit code. */
  exec(namespace: string, pod: string, container: string, command: string[], io: ExecIO): Promise<number>;
  /** Connects `io` to the container's own process until either side leaves. */
  attach(namespace: string, pod: string, container: string, io: ExecIO): Promise<void>;
}

/** The two subresources that stream a container's input and output. */
export type StreamSubresource = "exec" | "attach";

/** One client connection of an exec, whichever transport carries it (WebSocket channels or SPDY streams). */
export interface ExecTransport {
  /** What the client sends on stdin; ends when it closes stdin or goes away. */
  readonly stdin: AsyncIterable<Uint8Array>;
  stdout(data: string | Uint8Array): void;
  stderr(data: string | Uint8Array): void;
  /** Terminal size changes the client reports. */
  onResize(listener: (size: TerminalSize) => void): void;
  /** Aborted when the connection closes, from either side. */
  readonly closed: AbortSignal;
  /** Reports how the command ended on the error stream, then ends the connection. */
  finish(status: ChannelStatus): void | Promise<void>;
}

/** PodExecOptions (or PodAttachOptions) from the query, after the container name was defaulted. */
export interface ExecOptions {
  subresource: StreamSubresource;
  container: string;
  /** Empty for attach. */
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface PodExecContext {
  pods: RegistryStore;
  nodes: RegistryStore;
  source: ExecSource | undefined;
  logger: Logger;
}

const flag = (q: URLSearchParams, name: string): boolean => {
  const v = q.get(name);
  return v === "true" || v === "1";
};

/** Reads and checks an exec or attach request against the stored pod; throws the ApiError the client should see. */
export function execOptions(
  ctx: Pick<PodExecContext, "pods" | "nodes">,
  target: PodStreamRequest,
  q: URLSearchParams,
): ExecOptions {
  const { namespace, name, subresource } = target;
  const pod = ctx.pods.get(namespace, name);
  const container = requestedContainer(pod, q.get("container"));
  if (!pod.spec?.nodeName) throw ApiError.badRequest(`pod ${name} does not have a host assigned`);
  checkKubeletNode(ctx.nodes, pod.spec.nodeName);
  const tty = flag(q, "tty");
  const options: ExecOptions = {
    subresource,
    container,
    command: subresource === "exec" ? q.getAll("command") : [],
    stdin: flag(q, "stdin"),
    stdout: flag(q, "stdout"),
    // With a TTY the kubelet drops stderr: the terminal carries both.
    stderr: flag(q, "stderr") && !tty,
    tty,
  };
  if (subresource === "exec" && options.command.length === 0) {
    throw ApiError.badRequest("you must specify at least one command for the container");
  }
  if (!options.stdin && !options.stdout && !options.stderr) {
    throw ApiError.badRequest("you must specify at least 1 of stdin, stdout, stderr");
  }
  return options;
}

function upgradeProtocols(req: IncomingMessage): string[] {
  return String(req.headers.upgrade ?? "")
    .toLowerCase()
    .split(",")
    .map((p) => p.trim());
}

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers["sec-websocket-protocol"];
  const text = Array.isArray(header) ? header.join(",") : (header ?? "");
  return text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** A request for pods/{name}/exec or pods/{name}/attach in a namespace. */
export type PodStreamRequest = ResourceRequest & {
  namespace: string;
  name: string;
  subresource: StreamSubresource;
};

/** Whether a request addresses pods/{name}/exec or pods/{name}/attach in a namespace. */
export function isPodStreamRequest(target: RequestTarget): target is PodStreamRequest {
  return (
    target.kind === "resource" &&
    target.group === "" &&
    target.resource === "pods" &&
    (target.subresource === "exec" || target.subresource === "attach") &&
    target.namespace !== undefined &&
    target.name !== undefined
  );
}

/** Answers an upgrade request that failed before upgrading with its Status, and closes the connection. */
export function writeUpgradeError(socket: Duplex, err: ApiError): void {
  if (socket.destroyed || !socket.writable) return;
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? ""}\r\n` +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
}

/** An exec or attach request without an upgrade: upstream's proxy answers that one is required. */
export function rejectPlainExec(ctx: PodExecContext, target: PodStreamRequest, url: URL): never {
  execOptions(ctx, target, url.searchParams);
  throw ApiError.badRequest("Upgrade request required");
}

const websockets = new WebSocketServer({
  noServer: true,
  clientTracking: false,
  perMessageDeflate: false,
  // The same choice servePodExecUpgrade checked before upgrading.
  handleProtocols: (offered) => negotiateChannelProtocol([...offered])?.name ?? false,
});

/**
 * Serves an upgrade request for pods/{name}/exec or attach. Throws an ApiError (to be written on the socket) for
 * anything that fails before the upgrade; once upgraded, the outcome travels on the error stream.
 */
export async function servePodExecUpgrade(
  ctx: PodExecContext,
  target: PodStreamRequest,
  url: URL,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const { namespace, name } = target;
  const options = execOptions(ctx, target, url.searchParams);
  const source = ctx.source;
  if (!source) {
    const node = ctx.pods.get(namespace, name).spec?.nodeName;
    throw new ApiError(
      503,
      "ServiceUnavailable",
      `no kubelet serves ${target.subresource} for node ${node} in this process`,
    );
  }
  source.checkExec(namespace, name, options.container);
  const upgrade = upgradeProtocols(req);
  let transport: ExecTransport | undefined;
  if (upgrade.includes("websocket")) {
    transport = await acceptWebSocketExec(req, socket, head, options);
  } else if (upgrade.includes("spdy/3.1")) {
    const protocol = negotiateStreamProtocol(req.headers["x-stream-protocol-version"]);
    transport = await acceptSpdyExec(socket, head, protocol, options);
  } else {
    throw ApiError.badRequest(`unable to upgrade: unsupported protocol "${upgrade.join(", ")}"`);
  }
  if (transport) await runExecSession(ctx, source, namespace, name, options, transport);
}

/** Negotiates the channel subprotocol and completes the WebSocket handshake. */
async function acceptWebSocketExec(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: ExecOptions,
): Promise<ExecTransport> {
  const offered = offeredProtocols(req);
  const protocol = negotiateChannelProtocol(offered);
  if (!protocol) {
    const supported = CHANNEL_PROTOCOLS.map((p) => p.name).join(" ");
    throw ApiError.badRequest(
      `unable to upgrade: requested protocol(s) are not supported: [${offered.join(" ")}]; supports [${supported}]`,
    );
  }
  const ws = await new Promise<WebSocket>((resolve) => websockets.handleUpgrade(req, socket, head, resolve));
  const conn = new ChannelConnection(ws, protocol);
  conn.announceReady(options);
  return conn;
}

/** Runs the command with the transport's streams and reports how it ended: the same for every transport. */
async function runExecSession(
  ctx: PodExecContext,
  source: ExecSource,
  namespace: string,
  name: string,
  options: ExecOptions,
  transport: ExecTransport,
): Promise<void> {
  const io: ExecIO = {
    stdin: options.stdin ? transport.stdin : undefined,
    stdout: (data) => options.stdout && transport.stdout(data),
    stderr: (data) => {
      if (options.stderr) transport.stderr(data);
      else if (options.tty && options.stdout) transport.stdout(data);
    },
    tty: options.tty,
    signal: transport.closed,
    onResize: (listener) => transport.onResize(listener),
  };
  let status: ChannelStatus;
  try {
    if (options.subresource === "attach") {
      // The kubelet reports no exit code for an attach: it ends when the streams do.
      await source.attach(namespace, name, options.container, io);
      status = { status: "Success" };
    } else {
      const code = await source.exec(namespace, name, options.container, options.command, io);
      status = code === 0 ? { status: "Success" } : exitStatus(code);
    }
  } catch (err) {
    const apiErr =
      err instanceof ApiError ? err : ApiError.internal(err instanceof Error ? err.message : String(err));
    if (apiErr.code >= 500 && !(err instanceof ApiError)) {
      ctx.logger.error({ err, namespace, pod: name, subresource: options.subresource }, "stream failed");
    }
    status = apiErr.toStatus();
  }
  await transport.finish(status);
}

/** The Status for a command that exited non-zero, as the kubelet writes it (kubectl exits with the code). */
export function exitStatus(code: number): ChannelStatus {
  return {
    status: "Failure",
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  };
}
