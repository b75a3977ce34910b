// One stream of a SPDY session, as the application sees it: the headers the peer opened it with, the data the
// peer sends (until it half-closes or resets), and writes that the session frames as the peer's window allows.
// Each side closes its own half: FIN after the last data, or RST_STREAM for both at once.
import { AsyncQueue } from "../../../util/async-queue.js";
import { RstStatus } from "./frame-codec.js";
import type { SpdyHeaders } from "./header-block.js";

/** What a stream needs of its session. */
export interface StreamHost {
  /** Frames the stream's pending output (and its FIN) as far as the send windows allow. */
  pump(stream: SpdyStream): void;
  /** The application took `bytes` of the stream's data, so the peer may send that much more. */
  consumed(stream: SpdyStream, bytes: number): void;
  /** Sends RST_STREAM with `status` and forgets the stream. */
  reset(stream: SpdyStream, status: number): void;
}

export class SpdyStream {
  /** How many more bytes the peer lets us send on this stream. */
  sendWindow: number;
  /** Bytes of incoming data consumed since the last WINDOW_UPDATE for this stream. */
  unacknowledged = 0;
  private readonly incoming = new AsyncQueue<Buffer>();
  private readonly pending: Buffer[] = [];
  private pendingLength = 0;
  private endRequested = false;
  private localDone: boolean;
  private remoteDone = false;

  constructor(
    readonly id: number,
    readonly headers: SpdyHeaders,
    sendWindow: number,
    private readonly host: StreamHost,
    /** A unidirectional stream: this side may not send on it. */
    unidirectional = false,
  ) {
    this.sendWindow = sendWindow;
    this.localDone = unidirectional;
  }

  /** The first value of a header (names are lowercase). */
  header(name: string): string | undefined {
    return this.headers.get(name)?.[0];
  }

  /** What the peer sends, until it half-closes or resets the stream (or the session ends). One reader. */
  readonly data: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const result = await this.incoming.next();
        if (!result.done) this.host.consumed(this, result.value.length);
        return result;
      },
    }),
  };

  /** Queues `data` for the peer; ignored once this side ended. */
  write(data: string | Uint8Array): void {
    if (this.localDone || this.endRequested || data.length === 0) return;
    const bytes = Buffer.from(data);
    this.pending.push(bytes);
    this.pendingLength += bytes.length;
    this.host.pump(this);
  }

  /** Half-closes this side: FIN follows the data already written. */
  end(): void {
    if (this.localDone || this.endRequested) return;
    this.endRequested = true;
    this.host.pump(this);
  }

  /** Closes both sides at once, dropping unsent data. */
  reset(status: number = RstStatus.CANCEL): void {
    this.host.reset(this, status);
  }

  /** Whether this side has sent its FIN or the stream was reset. */
  get localClosed(): boolean {
    return this.localDone;
  }

  /** Whether the peer has sent its FIN or the stream was reset. */
  get remoteClosed(): boolean {
    return this.remoteDone;
  }

  // The rest is the session's side of the stream.

  /** Output written but not yet framed. */
  get pendingBytes(): number {
    return this.pendingLength;
  }

  /** Whether a FIN is due once the pending output is framed. */
  get finishing(): boolean {
    return this.endRequested && !this.localDone;
  }

  /** Takes up to `max` bytes of pending output. */
  takePending(max: number): Buffer {
    const parts: Buffer[] = [];
    let taken = 0;
    while (this.pending.length > 0 && taken < max) {
      const head = this.pending[0];
      const room = max - taken;
      if (head.length <= room) {
        parts.push(head);
        this.pending.shift();
        taken += head.length;
      } else {
        parts.push(head.subarray(0, room));
        this.pending[0] = head.subarray(room);
        taken += room;
      }
    }
    this.pendingLength -= taken;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, taken);
  }

  /** Data from the peer. */
  receive(data: Buffer): void {
    if (!this.remoteDone && data.length > 0) this.incoming.push(data);
  }

  /** The peer half-closed: readers finish once they have what was queued. */
  closeRemote(): void {
    this.remoteDone = true;
    this.incoming.end();
  }

  /** This side is done: the FIN went out, or the stream was reset (and pending output is dropped). */
  closeLocal(): void {
    this.localDone = true;
    this.pending.length = 0;
    this.pendingLength = 0;
  }
}
