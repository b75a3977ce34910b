// The server side of one SPDY/3.1 connection: reads frames in order, accepts the streams the client opens
// (answering each SYN_STREAM with a SYN_REPLY, as the kubelet's spdystream server does), answers PINGs, keeps
// the windows of SPDY/3.1 flow control, and writes every outgoing frame through one ordered queue (header
// blocks must be compressed in the order they go out on the wire).
//
// Flow control, both ways. Incoming: a WINDOW_UPDATE goes out once half a window (per stream: of data the
// application consumed; for the session: of data received) has arrived, so a client that keeps windows can
// send stdin of any size. Outgoing: the client's windows are kept, but only enforced once the client shows it
// keeps them (a WINDOW_UPDATE or an initial window in SETTINGS): spdystream, the Go library behind every
// kubectl, never sends either and ignores ours, so waiting on its windows would stall output after 64 KiB.
import type { Duplex } from "node:stream";
import {
  encodeFrame,
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  FrameDecoder,
  GoAwayStatus,
  RstStatus,
  SETTINGS_INITIAL_WINDOW_SIZE,
  type SpdyFrame,
  SpdyProtocolError,
  type SynStreamFrame,
} from "./frame-codec.js";
import { HeaderCompression } from "./header-compression.js";
import { SpdyStream, type StreamHost } from "./stream.js";

/** SPDY/3.1's initial window, per stream and for the session, until SETTINGS says otherwise. */
export const DEFAULT_WINDOW = 64 * 1024;
/** Output is cut into data frames of at most this size. */
export const MAX_DATA_CHUNK = 16 * 1024;

export interface SpdySessionOptions {
  /** Each stream the client opens, once its SYN_REPLY is queued. */
  onStream(stream: SpdyStream): void;
  /** How long close() waits for flow-controlled output to go out before giving up on it. */
  drainTimeoutMs?: number;
  /** How long close() waits, after GOAWAY and its own FIN, for the client to close the connection. */
  lingerMs?: number;
}

export class SpdySession implements StreamHost {
  /** Aborted when the connection ends, from either side. */
  readonly closed: AbortSignal;
  private readonly abort = new AbortController();
  private readonly decoder = new FrameDecoder();
  private readonly compression = new HeaderCompression();
  private readonly streams = new Map<number, SpdyStream>();
  private inbox: Promise<void> = Promise.resolve();
  private outbox: Promise<void> = Promise.resolve();
  private lastClientStreamId = 0;
  /** Set once the client shows it keeps flow-control windows. */
  private enforceWindows = false;
  private initialSendWindow = DEFAULT_WINDOW;
  private sessionSendWindow = DEFAULT_WINDOW;
  private sessionUnacknowledged = 0;
  private goneAway = false;
  private closing: Promise<void> | undefined;
  private drainWaiters: (() => void)[] = [];
  private readonly ended: Promise<void>;

  constructor(
    private readonly socket: Duplex,
    private readonly options: SpdySessionOptions,
  ) {
    this.closed = this.abort.signal;
    this.ended = new Promise((resolve) =>
      this.closed.addEventListener("abort", () => resolve(), { once: true }),
    );
  }

  /** Starts reading frames; `head` is what arrived with the upgrade request after its headers. */
  start(head: Buffer = Buffer.alloc(0)): void {
    const socket = this.socket;
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    // The client half-closing its end means it is gone: nothing more will be read.
    socket.on("end", () => void this.inbox.then(() => this.terminate()));
    socket.on("close", () => this.terminate());
    socket.on("error", () => this.terminate());
    if (head.length > 0) this.receive(head);
  }

  /**
   * Ends the session gracefully: once written output is out (or drainTimeoutMs passed), GOAWAY, then this
   * side's FIN; resolves when the connection is gone (the client closing it, or after lingerMs).
   */
  close(): Promise<void> {
    this.closing ??= this.closeGracefully();
    return this.closing;
  }

  /** Tears the connection down at once. */
  destroy(): void {
    this.terminate();
  }

  // StreamHost.

  pump(stream: SpdyStream): void {
    if (this.closed.aborted) return;
    while (stream.pendingBytes > 0) {
      let room = MAX_DATA_CHUNK;
      if (this.enforceWindows) room = Math.min(room, stream.sendWindow, this.sessionSendWindow);
      if (room <= 0) return;
      const data = stream.takePending(room);
      stream.sendWindow -= data.length;
      this.sessionSendWindow -= data.length;
      this.send({ type: "data", streamId: stream.id, flags: 0, data });
    }
    if (stream.finishing) {
      stream.closeLocal();
      this.send({ type: "data", streamId: stream.id, flags: FLAG_FIN, data: Buffer.alloc(0) });
      this.forgetIfClosed(stream);
    }
    this.wakeDrainWaiters();
  }

  consumed(stream: SpdyStream, bytes: number): void {
    stream.unacknowledged += bytes;
    if (stream.remoteClosed || stream.unacknowledged < DEFAULT_WINDOW / 2) return;
    this.send({ type: "window_update", streamId: stream.id, delta: stream.unacknowledged });
    stream.unacknowledged = 0;
  }

  reset(stream: SpdyStream, status: number): void {
    if (!(stream.localClosed && stream.remoteClosed)) {
      this.send({ type: "rst_stream", streamId: stream.id, status });
    }
    stream.closeLocal();
    stream.closeRemote();
    this.streams.delete(stream.id);
    this.wakeDrainWaiters();
  }

  // Reading.

  private receive(chunk: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (frames.length === 0) return;
    // Frames are handled strictly in order (a SYN_STREAM's headers inflate asynchronously); reading pauses
    // meanwhile so a fast client cannot queue unbounded work.
    this.socket.pause();
    this.inbox = this.inbox
      .then(async () => {
        for (const frame of frames) await this.handle(frame);
        if (!this.closed.aborted) this.socket.resume();
      })
      .catch((err) => this.fail(err));
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (this.closed.aborted) return;
    switch (frame.type) {
      case "syn_stream":
        return this.open(frame);
      case "syn_reply":
      case "headers":
        // Nothing to do with them, but their blocks must go through the inflater to keep it in step.
        await this.compression.decompress(frame.headerBlock);
        if (frame.type === "headers" && frame.flags & FLAG_FIN) this.peerFinished(frame.streamId);
        return;
      case "data":
        return this.onData(frame.streamId, frame.data, (frame.flags & FLAG_FIN) !== 0);
      case "rst_stream": {
        const stream = this.streams.get(frame.streamId);
        if (stream) {
          stream.closeLocal();
          stream.closeRemote();
          this.streams.delete(stream.id);
          this.wakeDrainWaiters();
        }
        return;
      }
      case "settings":
        for (const setting of frame.settings) {
          if (setting.id === SETTINGS_INITIAL_WINDOW_SIZE) this.setInitialWindow(setting.value);
        }
        return;
      case "ping":
        // Odd ids are the client's (a server's are even): echo them back.
        if (frame.id % 2 === 1) this.send(frame);
        return;
      case "goaway":
        // The client opens no more streams; those open carry on until the connection closes.
        return;
      case "window_update":
        return this.onWindowUpdate(frame.streamId, frame.delta);
      case "unknown":
        return;
    }
  }

  private async open(frame: SynStreamFrame): Promise<void> {
    // Always inflated, even for a stream refused below, to keep the shared zlib context in step.
    const headers = await this.compression.decompress(frame.headerBlock);
    if (frame.streamId === 0) throw new SpdyProtocolError("SYN_STREAM for stream 0");
    if (this.goneAway || this.closed.aborted) return;
    if (frame.streamId % 2 === 0 || frame.streamId <= this.lastClientStreamId) {
      this.send({ type: "rst_stream", streamId: frame.streamId, status: RstStatus.PROTOCOL_ERROR });
      return;
    }
    this.lastClientStreamId = frame.streamId;
    const unidirectional = (frame.flags & FLAG_UNIDIRECTIONAL) !== 0;
    const stream = new SpdyStream(frame.streamId, headers, this.initialSendWindow, this, unidirectional);
    this.streams.set(stream.id, stream);
    if (frame.flags & FLAG_FIN) stream.closeRemote();
    // A unidirectional stream gets no reply: this side never speaks on it.
    if (!unidirectional) {
      this.sendCompressed((headerBlock) => ({
        type: "syn_reply",
        streamId: stream.id,
        flags: 0,
        headerBlock,
      }));
    }
    this.options.onStream(stream);
  }

  private onData(streamId: number, data: Buffer, fin: boolean): void {
    this.sessionUnacknowledged += data.length;
    if (this.sessionUnacknowledged >= DEFAULT_WINDOW / 2) {
      this.send({ type: "window_update", streamId: 0, delta: this.sessionUnacknowledged });
      this.sessionUnacknowledged = 0;
    }
    const stream = this.streams.get(streamId);
    // Data for a stream already closed may cross our RST_STREAM on the wire; it is dropped.
    if (!stream) return;
    stream.receive(data);
    if (fin) this.peerFinished(streamId);
  }

  private peerFinished(streamId: number): void {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.closeRemote();
    this.forgetIfClosed(stream);
  }

  private onWindowUpdate(streamId: number, delta: number): void {
    this.enforceWindows = true;
    if (streamId === 0) {
      this.sessionSendWindow += delta;
      for (const stream of this.streams.values()) this.pump(stream);
      return;
    }
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.sendWindow += delta;
    this.pump(stream);
  }

  private setInitialWindow(size: number): void {
    this.enforceWindows = true;
    const delta = size - this.initialSendWindow;
    this.initialSendWindow = size;
    for (const stream of this.streams.values()) {
      stream.sendWindow += delta;
      this.pump(stream);
    }
  }

  private forgetIfClosed(stream: SpdyStream): void {
    if (stream.localClosed && stream.remoteClosed) this.streams.delete(stream.id);
  }

  // Writing.

  private send(frame: SpdyFrame): void {
    this.enqueue(() => encodeFrame(frame));
  }

  /** Queues a frame whose header block is compressed when its turn comes, so blocks deflate in wire order. */
  private sendCompressed(
    build: (headerBlock: Buffer) => SpdyFrame,
    headers: [string, string[]][] = [],
  ): void {
    this.enqueue(async () => encodeFrame(build(await this.compression.compress(headers))));
  }

  private enqueue(produce: () => Buffer | Promise<Buffer>): Promise<void> {
    const written = this.outbox.then(async () => {
      const bytes = await produce();
      if (this.closed.aborted || !this.socket.writable) return;
      if (!this.socket.write(bytes)) await this.writable();
    });
    this.outbox = written.catch((err) => this.fail(err));
    return this.outbox;
  }

  private writable(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off("drain", done);
        this.closed.removeEventListener("abort", done);
        resolve();
      };
      this.socket.on("drain", done);
      this.closed.addEventListener("abort", done);
    });
  }

  // Ending.

  private async closeGracefully(): Promise<void> {
    await this.waitForDrain(this.options.drainTimeoutMs ?? 10_000);
    if (!this.closed.aborted) {
      this.goneAway = true;
      await this.enqueue(() =>
        encodeFrame({ type: "goaway", lastGoodStreamId: this.lastClientStreamId, status: GoAwayStatus.OK }),
      );
      if (!this.closed.aborted) this.socket.end();
    }
    const linger = setTimeout(() => this.terminate(), this.options.lingerMs ?? 5_000);
    await this.ended;
    clearTimeout(linger);
  }

  /** Resolves once no stream has output waiting for a window, or after `timeoutMs`. */
  private waitForDrain(timeoutMs: number): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.drainWaiters.push(done);
      this.closed.addEventListener("abort", done, { once: true });
    });
  }

  private idle(): boolean {
    for (const stream of this.streams.values()) if (stream.pendingBytes > 0 || stream.finishing) return false;
    return true;
  }

  private wakeDrainWaiters(): void {
    if (this.drainWaiters.length === 0 || !this.idle()) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  /** A protocol error: GOAWAY PROTOCOL_ERROR (best effort), then the connection goes. */
  private fail(err: unknown): void {
    if (this.closed.aborted) return;
    if (err instanceof SpdyProtocolError && !this.goneAway && this.socket.writable) {
      this.goneAway = true;
      const status = GoAwayStatus.PROTOCOL_ERROR;
      this.socket.end(encodeFrame({ type: "goaway", lastGoodStreamId: this.lastClientStreamId, status }));
    }
    this.terminate();
  }

  private terminate(): void {
    if (this.closed.aborted) return;
    this.abort.abort();
    for (const stream of this.streams.values()) {
      stream.closeLocal();
      stream.closeRemote();
    }
    this.streams.clear();
    this.compression.close();
    const socket = this.socket;
    if (socket.writableEnded && !socket.writableFinished) {
      // A last frame written with end() (GOAWAY) is let out first, for a moment at most.
      const cutOff = setTimeout(() => socket.destroy(), 1_000);
      socket.once("finish", () => {
        clearTimeout(cutOff);
        socket.destroy();
      });
    } else {
      socket.destroy();
    }
    this.wakeDrainWaiters();
  }
}
