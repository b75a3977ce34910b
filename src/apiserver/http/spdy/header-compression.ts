// SPDY/3 header compression: each direction of a connection is ONE zlib stream, primed with the SPDY/3
// dictionary and sync-flushed after every header block, so a block may refer back to bytes of earlier ones.
// Hence one deflate and one inflate context per connection, fed strictly in frame order.
import {
  createDeflate,
  createInflate,
  type Deflate,
  type Inflate,
  constants as zlibConstants,
} from "node:zlib";
import { SPDY3_HEADER_DICTIONARY } from "./dictionary.js";
import { SpdyProtocolError } from "./frame-codec.js";
import { decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from "./header-block.js";

/** An inflated header block larger than this is refused (a small frame can inflate to a great deal). */
export const MAX_HEADER_BLOCK_BYTES = 256 * 1024;

/**
 * One long-lived zlib stream run one block at a time: write a block, sync-flush, and take what came out.
 * Output arrives as 'data' events before the flush completes (as the `ws` package relies on too).
 */
class ZlibContext {
  private output: Buffer[] = [];
  private outputBytes = 0;
  private failure: Error | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly stream: Deflate | Inflate,
    private readonly maxOutput: number,
  ) {
    stream.on("data", (chunk: Buffer) => {
      this.output.push(chunk);
      this.outputBytes += chunk.length;
    });
    stream.on("error", (err) => {
      this.failure ??= err;
    });
  }

  /** Runs `input` through the stream after every block given before it. */
  run(input: Buffer): Promise<Buffer> {
    const result = this.tail.then(() => this.runNow(input));
    this.tail = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.stream.destroy();
  }

  private runNow(input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure || this.stream.destroyed) {
        reject(this.failure ?? new Error("header compression closed"));
        return;
      }
      const onError = (err: Error) => reject(err);
      this.stream.once("error", onError);
      this.stream.write(input);
      this.stream.flush(zlibConstants.Z_SYNC_FLUSH, () => {
        this.stream.off("error", onError);
        const out = Buffer.concat(this.output, this.outputBytes);
        this.output = [];
        this.outputBytes = 0;
        if (this.failure || this.stream.destroyed)
          reject(this.failure ?? new Error("header compression closed"));
        else if (out.length > this.maxOutput) {
          this.failure = new SpdyProtocolError(
            `header block of ${out.length} bytes exceeds ${this.maxOutput}`,
          );
          reject(this.failure);
        } else resolve(out);
      });
    });
  }
}

/** A connection's header compression: what this side sends, and what the peer sent. */
export class HeaderCompression {
  private readonly deflate = new ZlibContext(
    createDeflate({ dictionary: SPDY3_HEADER_DICTIONARY }),
    Number.POSITIVE_INFINITY,
  );
  private readonly inflate = new ZlibContext(
    createInflate({ dictionary: SPDY3_HEADER_DICTIONARY }),
    MAX_HEADER_BLOCK_BYTES,
  );

  /** The compressed block for `headers`, continuing this connection's outgoing zlib stream. */
  compress(headers: Iterable<readonly [string, readonly string[]]>): Promise<Buffer> {
    return this.deflate.run(encodeHeaderBlock(headers));
  }

  /** The headers of a compressed block from the peer. Rejects with SpdyProtocolError for a corrupt block. */
  async decompress(block: Buffer): Promise<SpdyHeaders> {
    let raw: Buffer;
    try {
      raw = await this.inflate.run(block);
    } catch (err) {
      if (err instanceof SpdyProtocolError) throw err;
      throw new SpdyProtocolError(`corrupt header block: ${(err as Error).message}`);
    }
    return decodeHeaderBlock(raw);
  }

  close(): void {
    this.deflate.close();
    this.inflate.close();
  }
}
