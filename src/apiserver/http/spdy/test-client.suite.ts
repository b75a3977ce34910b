// A bare SPDY/3.1 client for the SPDY tests, over a real loopback TCP connection: it writes raw frames and
// reads the server's frames in order, with their header blocks inflated. It keeps no windows and never
// answers anything by itself, like Go's spdystream. The .suite.ts suffix keeps this file out of the build and
// out of the test runner's file list.
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { AsyncQueue } from "../../../util/async-queue.js";
import { encodeFrame, FrameDecoder, type SpdyFrame } from "./frame-codec.js";
import type { SpdyHeaders } from "./header-block.js";
import { HeaderCompression } from "./header-compression.js";

/** A frame from the server; SYN_REPLY and HEADERS come with their headers inflated. */
export type ReceivedFrame = SpdyFrame & { headers?: SpdyHeaders };

export class TestSpdyClient {
  /** The HTTP response before the frames, when the client was told to expect one. */
  httpResponse = "";
  private readonly decoder = new FrameDecoder();
  private readonly compression = new HeaderCompression();
  private readonly frames = new AsyncQueue<ReceivedFrame>();
  private inbox: Promise<void> = Promise.resolve();
  private awaitingResponse: boolean;
  private head = Buffer.alloc(0);
  /** Resolves when the server closed its side of the connection. */
  readonly ended: Promise<void>;

  constructor(
    readonly socket: Socket,
    options: { httpResponse?: boolean } = {},
  ) {
    this.awaitingResponse = options.httpResponse ?? false;
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    this.ended = new Promise((resolve) => {
      const end = () => {
        this.frames.end();
        resolve();
      };
      socket.on("end", () => void this.inbox.then(end));
      socket.on("close", () => void this.inbox.then(end));
    });
  }

  /** Opens stream `id` with `headers`. */
  async open(id: number, headers: Record<string, string>, flags = 0): Promise<void> {
    const headerBlock = await this.compression.compress(Object.entries(headers).map(([k, v]) => [k, [v]]));
    this.send({
      type: "syn_stream",
      streamId: id,
      flags,
      associatedStreamId: 0,
      priority: 0,
      slot: 0,
      headerBlock,
    });
  }

  send(frame: SpdyFrame): void {
    this.socket.write(encodeFrame(frame));
  }

  /** The next frame from the server; undefined once the connection ended. */
  async next(): Promise<ReceivedFrame | undefined> {
    const result = await this.frames.next();
    return result.done ? undefined : result.value;
  }

  /** Reads frames until one matches, returning it and those skipped; fails if the connection ends first. */
  async until(
    match: (frame: ReceivedFrame) => boolean,
  ): Promise<{ frame: ReceivedFrame; skipped: ReceivedFrame[] }> {
    const skipped: ReceivedFrame[] = [];
    for (let frame = await this.next(); frame; frame = await this.next()) {
      if (match(frame)) return { frame, skipped };
      skipped.push(frame);
    }
    throw new Error(
      `connection ended before the frame awaited; got ${skipped.map((f) => f.type).join(", ")}`,
    );
  }

  /** Every frame until the server ends the connection. */
  async rest(): Promise<ReceivedFrame[]> {
    const all: ReceivedFrame[] = [];
    for (let frame = await this.next(); frame; frame = await this.next()) all.push(frame);
    return all;
  }

  close(): void {
    this.compression.close();
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.awaitingResponse) {
      this.head = Buffer.concat([this.head, chunk]);
      const end = this.head.indexOf("\r\n\r\n");
      if (end < 0) return;
      this.httpResponse = this.head.subarray(0, end + 4).toString("latin1");
      this.awaitingResponse = false;
      chunk = this.head.subarray(end + 4);
    }
    const frames = this.decoder.push(chunk);
    this.inbox = this.inbox
      .then(async () => {
        for (const frame of frames) {
          if (frame.type === "syn_reply" || frame.type === "headers") {
            this.frames.push({ ...frame, headers: await this.compression.decompress(frame.headerBlock) });
          } else {
            this.frames.push(frame);
          }
        }
      })
      // Only when the test already closed the client.
      .catch(() => this.frames.end());
  }
}

/** A loopback TCP connection: the server's socket and a test client on the other end. */
export async function connectedPair(
  options: { httpResponse?: boolean } = {},
): Promise<{ server: Socket; client: TestSpdyClient }> {
  const listener = createServer({ allowHalfOpen: true });
  listener.listen(0, "127.0.0.1");
  await once(listener, "listening");
  const address = listener.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  const accepted = once(listener, "connection") as Promise<[Socket]>;
  const socket = connect({ port: address.port, host: "127.0.0.1", allowHalfOpen: true });
  const [[server]] = await Promise.all([accepted, once(socket, "connect")]);
  listener.close();
  return { server, client: new TestSpdyClient(socket, options) };
}
