// pods/exec over SPDY/3.1, what kubectl before 1.30 speaks: the kubelet's side of the remote-command stream
// protocol (pkg/kubelet/cri/streaming/remotecommand/httpstream.go). The subprotocol comes from the client's
// X-Stream-Protocol-Version list; after the 101 the client opens one stream per channel, named by its
// `streamtype` header (error, stdin, stdout, stderr, resize), and the command runs once every stream the
// request asked for is open. The outcome goes on the error stream as over WebSocket, then each stream is
// half-closed and the session goes away.
import type { Duplex } from "node:stream";
import { ApiError } from "../../../api/errors.js";
import {
  CHANNEL_PROTOCOLS,
  type ChannelProtocol,
  type ChannelStatus,
  parseTerminalSize,
  statusPayload,
  type TerminalSize,
} from "../exec-channels.js";
import type { ExecOptions, ExecTransport } from "../pod-exec.js";
import { SpdySession } from "./session.js";
import type { SpdyStream } from "./stream.js";

/**
 * The subprotocols served over SPDY, as the kubelet lists them (no base64: that is for browsers' WebSockets).
 * v5 behaves as v4 here: its CLOSE signal is WebSocket's, SPDY half-closes stdin with a FIN.
 */
export const SPDY_STREAM_PROTOCOLS: readonly ChannelProtocol[] = CHANNEL_PROTOCOLS.filter((p) => !p.base64);

/** How long the client has to open its streams (the kubelet's DefaultStreamCreationTimeout). */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

export type StreamType = "error" | "stdin" | "stdout" | "stderr" | "resize";

/**
 * The protocol for an X-Stream-Protocol-Version header: the first the client lists that is served. Throws the
 * kubelet's refusals: 400 without the header, 403 when nothing matches.
 */
export function negotiateStreamProtocol(header: string | string[] | undefined): ChannelProtocol {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const offered = values
    .flatMap((v) => v.split(","))
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (offered.length === 0)
    throw ApiError.badRequest("unable to upgrade: X-Stream-Protocol-Version is required");
  for (const name of offered) {
    const found = SPDY_STREAM_PROTOCOLS.find((p) => p.name === name);
    if (found) return found;
  }
  const served = SPDY_STREAM_PROTOCOLS.map((p) => p.name).join(" ");
  throw ApiError.forbidden(
    `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(" ")}], server accepts [${served}]`,
  );
}

/** The streams the client opens for these options (error always; resize with a TTY from v3 on). */
export function expectedStreamTypes(options: ExecOptions, protocol: ChannelProtocol): StreamType[] {
  const types: StreamType[] = ["error"];
  if (options.stdin) types.push("stdin");
  if (options.stdout) types.push("stdout");
  if (options.stderr) types.push("stderr");
  if (options.tty && protocol.version >= 3) types.push("resize");
  return types;
}

function switchingProtocols(protocol: ChannelProtocol): string {
  return (
    "HTTP/1.1 101 Switching Protocols\r\n" +
    "Connection: Upgrade\r\n" +
    "Upgrade: SPDY/3.1\r\n" +
    `X-Stream-Protocol-Version: ${protocol.name}\r\n\r\n`
  );
}

/**
 * Switches the connection to SPDY/3.1 and waits for the client to open the exec's streams. Resolves with the
 * transport, or undefined when the client went away or did not open them within `timeoutMs` (the connection
 * is then closed without a word, as the kubelet does).
 */
export async function acceptSpdyExec(
  socket: Duplex,
  head: Buffer,
  protocol: ChannelProtocol,
  options: ExecOptions,
  timeoutMs = STREAM_CREATION_TIMEOUT_MS,
): Promise<ExecTransport | undefined> {
  const wanted = expectedStreamTypes(options, protocol);
  const streams = new Map<StreamType, SpdyStream>();
  let allOpen!: () => void;
  const opened = new Promise<void>((resolve) => (allOpen = resolve));
  const session = new SpdySession(socket, {
    onStream: (stream) => {
      // Any other stream is answered (by the session) and left alone, as the kubelet does.
      const type = stream.header("streamtype") as StreamType;
      if (!wanted.includes(type) || streams.has(type)) return;
      streams.set(type, stream);
      if (streams.size === wanted.length) allOpen();
    },
  });
  socket.write(switchingProtocols(protocol));
  session.start(head);
  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    opened.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      // Frames that came with the request may already have ended the session (a protocol error).
      if (session.closed.aborted) resolve(false);
      else session.closed.addEventListener("abort", () => resolve(false), { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (!ready || session.closed.aborted) {
    await session.close();
    return undefined;
  }
  return new SpdyExecTransport(session, streams, protocol);
}

const noInput: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
};

/** An exec's streams over a SPDY session (an ExecTransport of pod-exec.ts). */
class SpdyExecTransport implements ExecTransport {
  readonly stdin: AsyncIterable<Uint8Array>;
  readonly closed: AbortSignal;
  private readonly resizeListeners: ((size: TerminalSize) => void)[] = [];

  constructor(
    private readonly session: SpdySession,
    private readonly streams: Map<StreamType, SpdyStream>,
    private readonly protocol: ChannelProtocol,
  ) {
    this.closed = session.closed;
    this.stdin = streams.get("stdin")?.data ?? noInput;
    const resize = streams.get("resize");
    if (resize) void this.readResizes(resize);
  }

  stdout(data: string | Uint8Array): void {
    this.streams.get("stdout")?.write(data);
  }

  stderr(data: string | Uint8Array): void {
    this.streams.get("stderr")?.write(data);
  }

  onResize(listener: (size: TerminalSize) => void): void {
    this.resizeListeners.push(listener);
  }

  async finish(status: ChannelStatus): Promise<void> {
    const payload = statusPayload(status, this.protocol.version);
    if (payload !== undefined) this.streams.get("error")?.write(payload);
    // The client reads the error stream to its end, and stdout and stderr too, before it reports the outcome.
    for (const stream of this.streams.values()) stream.end();
    await this.session.close();
  }

  /** The resize stream is a sequence of JSON sizes, one per line (Go's json.Encoder). */
  private async readResizes(stream: SpdyStream): Promise<void> {
    let text = "";
    for await (const chunk of stream.data) {
      text += chunk.toString("utf8");
      for (let newline = text.indexOf("\n"); newline >= 0; newline = text.indexOf("\n")) {
        const size = parseTerminalSize(text.slice(0, newline));
        text = text.slice(newline + 1);
        if (size) for (const listener of this.resizeListeners) listener(size);
      }
    }
  }
}
