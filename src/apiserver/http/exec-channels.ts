// The remote-command channel protocol over one WebSocket (k8s.io/apimachinery util/remotecommand and
// httpstream/wsstream): every message is a channel byte then data — 0 stdin, 1 stdout, 2 stderr, 3 error,
// 4 terminal resize. From v4 on the error channel carries a Status (exit codes included); before, plain text.
// v5 adds `255 <channel>`, the half-close that tells the server stdin has ended. The base64 variants send text
// messages whose channel is an ASCII digit and whose data is base64 (browsers). The subprotocol names, the
// error-channel encoding and the resize message are shared with the SPDY transport (spdy/remote-command.ts).
import type { RawData, WebSocket } from "ws";
import type { StatusDetails } from "../../api/errors.js";
import { AsyncQueue } from "../../util/async-queue.js";

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
/** v5: `[255, channel]` closes that channel. */
export const CLOSE = 255;

export interface ChannelProtocol {
  name: string;
  version: number;
  base64: boolean;
}

/** The subprotocols served. */
export const CHANNEL_PROTOCOLS: readonly ChannelProtocol[] = [
  { name: "v5.channel.k8s.io", version: 5, base64: false },
  { name: "v4.channel.k8s.io", version: 4, base64: false },
  { name: "v4.base64.channel.k8s.io", version: 4, base64: true },
  { name: "v3.channel.k8s.io", version: 3, base64: false },
  { name: "v2.channel.k8s.io", version: 2, base64: false },
  { name: "channel.k8s.io", version: 1, base64: false },
  { name: "base64.channel.k8s.io", version: 1, base64: true },
];

/**
 * The protocol for the client's Sec-WebSocket-Protocol offers, in the client's order of preference as the
 * kubelet picks it; a client that offers none speaks the original channel.k8s.io.
 */
export function negotiateChannelProtocol(offered: readonly string[]): ChannelProtocol | undefined {
  if (offered.length === 0) return CHANNEL_PROTOCOLS.find((p) => p.name === "channel.k8s.io");
  for (const name of offered) {
    const found = CHANNEL_PROTOCOLS.find((p) => p.name === name);
    if (found) return found;
  }
  return undefined;
}

/** The Status written on the error channel (its reasons include NonZeroExitCode, which no API call returns). */
export interface ChannelStatus {
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** A terminal size from the resize channel. */
export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * What the error stream carries for `status` under protocol `version`: from v4 on the Status as JSON; before v4
 * only a failure's message, as text (older clients learn no exit code), and nothing for success.
 */
export function statusPayload(status: ChannelStatus, version: number): string | undefined {
  if (version >= 4) return JSON.stringify({ metadata: {}, ...status });
  return status.status === "Failure" ? (status.message ?? "") : undefined;
}

/** A resize message (`{"Width":80,"Height":24}`); undefined when it is not one. */
export function parseTerminalSize(text: string): TerminalSize | undefined {
  try {
    const size = JSON.parse(text);
    if (Number.isInteger(size?.Width) && Number.isInteger(size?.Height)) {
      return { width: size.Width, height: size.Height };
    }
  } catch {
    // Not JSON: no size.
  }
  return undefined;
}

/** One exec session's channels over an open WebSocket (an ExecTransport of pod-exec.ts). */
export class ChannelConnection {
  /** What the client writes on stdin; ends on the v5 half-close or when the connection goes. */
  readonly stdin = new AsyncQueue<Uint8Array>();
  /** Aborted when the connection closes, from either side. */
  readonly closed: AbortSignal;
  private readonly abort = new AbortController();
  private readonly resizeListeners: ((size: TerminalSize) => void)[] = [];

  constructor(
    private readonly ws: WebSocket,
    readonly protocol: ChannelProtocol,
  ) {
    this.closed = this.abort.signal;
    ws.on("message", (data, isBinary) => this.receive(data, isBinary));
    ws.on("close", () => this.gone());
    ws.on("error", () => this.gone());
  }

  /** As upstream, an empty message on the first writable channel tells the client the streams are ready. */
  announceReady(streams: { stdout: boolean; stderr: boolean }): void {
    this.write(streams.stdout ? STDOUT : streams.stderr ? STDERR : ERROR, "");
  }

  stdout(data: string | Uint8Array): void {
    this.write(STDOUT, data);
  }

  stderr(data: string | Uint8Array): void {
    this.write(STDERR, data);
  }

  /** Terminal size changes the client reports. */
  onResize(listener: (size: TerminalSize) => void): void {
    this.resizeListeners.push(listener);
  }

  /** Reports how the command ended on the error channel, then closes. */
  finish(status: ChannelStatus): void {
    this.writeStatus(status);
    this.close();
  }

  /** Writes `data` on `channel`; a no-op once the connection closed. */
  write(channel: number, data: string | Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
    if (this.protocol.base64) {
      this.ws.send(String.fromCharCode(48 + channel) + bytes.toString("base64"));
      return;
    }
    this.ws.send(Buffer.concat([Buffer.of(channel), bytes]), { binary: true });
  }

  /** Reports how the command ended on the error channel (see statusPayload). */
  writeStatus(status: ChannelStatus): void {
    const payload = statusPayload(status, this.protocol.version);
    if (payload !== undefined) this.write(ERROR, payload);
  }

  /** Ends the session with a normal closure (clients read it as the end of every stream). */
  close(): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000);
    this.gone();
  }

  private receive(data: RawData, isBinary: boolean): void {
    let bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data as ArrayBuffer);
    if (bytes.length === 0) return;
    let channel = bytes[0];
    if (this.protocol.version >= 5 && channel === CLOSE) {
      if (bytes.length === 2 && bytes[1] === STDIN) this.stdin.end();
      return;
    }
    if (this.protocol.base64 && !isBinary) {
      channel -= 48;
      bytes = Buffer.from(bytes.subarray(1).toString("latin1"), "base64");
    } else {
      bytes = bytes.subarray(1);
    }
    if (channel === STDIN) this.stdin.push(bytes);
    else if (channel === RESIZE) this.resize(bytes);
  }

  private resize(bytes: Buffer): void {
    // A malformed resize is ignored, as the kubelet's decoder stops reading sizes without failing the exec.
    const size = parseTerminalSize(bytes.toString("utf8"));
    if (size) for (const listener of this.resizeListeners) listener(size);
  }

  private gone(): void {
    this.stdin.end();
    if (!this.abort.signal.aborted) this.abort.abort();
  }
}
