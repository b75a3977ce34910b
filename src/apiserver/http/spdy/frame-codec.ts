// SPDY/3.1 framing: turns frames into bytes and a byte stream back into frames. Every frame has an 8-byte
// header; control frames (high bit set) carry version 3 and a type, data frames a stream id. Header blocks are
// carried as the compressed bytes they are on the wire: compression needs the connection's shared zlib
// contexts (header-compression.ts), which belong to the session, not to framing.

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** Ends the sender's side of a stream (data frames, SYN_STREAM, SYN_REPLY and HEADERS). */
export const FLAG_FIN = 0x01;
/** SYN_STREAM: the receiver may not send on this stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
  FRAME_TOO_LARGE: 11,
} as const;

/** GOAWAY status codes. */
export const GoAwayStatus = { OK: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2 } as const;

/** The SETTINGS id that changes the initial window of every stream. */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;

/** Frame lengths are 24-bit. */
export const MAX_FRAME_LENGTH = 0xffffff;

const HEADER_LENGTH = 8;
const STREAM_ID_MASK = 0x7fffffff;

export interface DataFrame {
  type: "data";
  streamId: number;
  flags: number;
  data: Buffer;
}

export interface SynStreamFrame {
  type: "syn_stream";
  streamId: number;
  flags: number;
  associatedStreamId: number;
  /** 0 (highest) to 7. */
  priority: number;
  slot: number;
  /** The compressed name/value header block. */
  headerBlock: Buffer;
}

export interface SynReplyFrame {
  type: "syn_reply";
  streamId: number;
  flags: number;
  headerBlock: Buffer;
}

export interface HeadersFrame {
  type: "headers";
  streamId: number;
  flags: number;
  headerBlock: Buffer;
}

export interface RstStreamFrame {
  type: "rst_stream";
  streamId: number;
  status: number;
}

export interface Setting {
  id: number;
  /** FLAG_SETTINGS_PERSIST_VALUE (1) or FLAG_SETTINGS_PERSISTED (2). */
  flags: number;
  value: number;
}

export interface SettingsFrame {
  type: "settings";
  flags: number;
  settings: Setting[];
}

export interface PingFrame {
  type: "ping";
  id: number;
}

export interface GoAwayFrame {
  type: "goaway";
  lastGoodStreamId: number;
  status: number;
}

export interface WindowUpdateFrame {
  type: "window_update";
  /** 0 for the whole session (SPDY/3.1). */
  streamId: number;
  delta: number;
}

/** A control frame of a type this codec does not know; the spec says to ignore it. */
export interface UnknownControlFrame {
  type: "unknown";
  frameType: number;
  flags: number;
  payload: Buffer;
}

export type SpdyFrame =
  | DataFrame
  | SynStreamFrame
  | SynReplyFrame
  | HeadersFrame
  | RstStreamFrame
  | SettingsFrame
  | PingFrame
  | GoAwayFrame
  | WindowUpdateFrame
  | UnknownControlFrame;

/** A malformed frame: the session answers it with GOAWAY PROTOCOL_ERROR. */
export class SpdyProtocolError extends Error {
  override readonly name = "SpdyProtocolError";
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_LENGTH) throw new RangeError(`SPDY frame of ${payload.length} bytes`);
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([header, payload]);
}

function words(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  for (const [i, v] of values.entries()) out.writeUInt32BE(v >>> 0, i * 4);
  return out;
}

/** The bytes of one frame. */
export function encodeFrame(frame: SpdyFrame): Buffer {
  switch (frame.type) {
    case "data": {
      if (frame.data.length > MAX_FRAME_LENGTH)
        throw new RangeError(`SPDY frame of ${frame.data.length} bytes`);
      const header = words(frame.streamId & STREAM_ID_MASK, ((frame.flags & 0xff) << 24) | frame.data.length);
      return Buffer.concat([header, frame.data]);
    }
    case "syn_stream": {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(frame.streamId & STREAM_ID_MASK, 0);
      fixed.writeUInt32BE(frame.associatedStreamId & STREAM_ID_MASK, 4);
      fixed[8] = (frame.priority & 0x7) << 5;
      fixed[9] = frame.slot & 0xff;
      return controlFrame(FrameType.SYN_STREAM, frame.flags, Buffer.concat([fixed, frame.headerBlock]));
    }
    case "syn_reply":
      return controlFrame(
        FrameType.SYN_REPLY,
        frame.flags,
        Buffer.concat([words(frame.streamId & STREAM_ID_MASK), frame.headerBlock]),
      );
    case "headers":
      return controlFrame(
        FrameType.HEADERS,
        frame.flags,
        Buffer.concat([words(frame.streamId & STREAM_ID_MASK), frame.headerBlock]),
      );
    case "rst_stream":
      return controlFrame(FrameType.RST_STREAM, 0, words(frame.streamId & STREAM_ID_MASK, frame.status));
    case "settings": {
      const entries = frame.settings.flatMap((s) => [((s.flags & 0xff) << 24) | (s.id & 0xffffff), s.value]);
      return controlFrame(FrameType.SETTINGS, frame.flags, words(frame.settings.length, ...entries));
    }
    case "ping":
      return controlFrame(FrameType.PING, 0, words(frame.id));
    case "goaway":
      return controlFrame(FrameType.GOAWAY, 0, words(frame.lastGoodStreamId & STREAM_ID_MASK, frame.status));
    case "window_update":
      return controlFrame(FrameType.WINDOW_UPDATE, 0, words(frame.streamId & STREAM_ID_MASK, frame.delta));
    case "unknown":
      return controlFrame(frame.frameType, frame.flags, frame.payload);
  }
}

function expectLength(name: string, payload: Buffer, length: number): void {
  if (payload.length !== length) {
    throw new SpdyProtocolError(`${name} frame of ${payload.length} bytes, expected ${length}`);
  }
}

function expectAtLeast(name: string, payload: Buffer, length: number): void {
  if (payload.length < length) {
    throw new SpdyProtocolError(`${name} frame of ${payload.length} bytes, expected at least ${length}`);
  }
}

function decodeControlFrame(type: number, flags: number, payload: Buffer): SpdyFrame {
  const streamId = () => payload.readUInt32BE(0) & STREAM_ID_MASK;
  switch (type) {
    case FrameType.SYN_STREAM:
      expectAtLeast("SYN_STREAM", payload, 10);
      return {
        type: "syn_stream",
        streamId: streamId(),
        flags,
        associatedStreamId: payload.readUInt32BE(4) & STREAM_ID_MASK,
        priority: payload[8] >> 5,
        slot: payload[9],
        headerBlock: payload.subarray(10),
      };
    case FrameType.SYN_REPLY:
      expectAtLeast("SYN_REPLY", payload, 4);
      return { type: "syn_reply", streamId: streamId(), flags, headerBlock: payload.subarray(4) };
    case FrameType.HEADERS:
      expectAtLeast("HEADERS", payload, 4);
      return { type: "headers", streamId: streamId(), flags, headerBlock: payload.subarray(4) };
    case FrameType.RST_STREAM:
      expectLength("RST_STREAM", payload, 8);
      return { type: "rst_stream", streamId: streamId(), status: payload.readUInt32BE(4) };
    case FrameType.SETTINGS: {
      expectAtLeast("SETTINGS", payload, 4);
      const count = payload.readUInt32BE(0);
      expectLength("SETTINGS", payload, 4 + count * 8);
      const settings: Setting[] = [];
      for (let i = 0; i < count; i++) {
        const idAndFlags = payload.readUInt32BE(4 + i * 8);
        settings.push({
          id: idAndFlags & 0xffffff,
          flags: idAndFlags >>> 24,
          value: payload.readUInt32BE(8 + i * 8),
        });
      }
      return { type: "settings", flags, settings };
    }
    case FrameType.PING:
      expectLength("PING", payload, 4);
      return { type: "ping", id: payload.readUInt32BE(0) };
    case FrameType.GOAWAY:
      expectLength("GOAWAY", payload, 8);
      return { type: "goaway", lastGoodStreamId: streamId(), status: payload.readUInt32BE(4) };
    case FrameType.WINDOW_UPDATE:
      expectLength("WINDOW_UPDATE", payload, 8);
      return { type: "window_update", streamId: streamId(), delta: payload.readUInt32BE(4) & STREAM_ID_MASK };
    default:
      return { type: "unknown", frameType: type, flags, payload };
  }
}

/** Cuts a byte stream into frames; bytes of a frame not yet complete wait for the next push. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** The frames completed by `chunk`. Throws SpdyProtocolError for a malformed frame. */
  push(chunk: Buffer): SpdyFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: SpdyFrame[] = [];
    let offset = 0;
    while (this.pending.length - offset >= HEADER_LENGTH) {
      const first = this.pending.readUInt32BE(offset);
      const flagsAndLength = this.pending.readUInt32BE(offset + 4);
      const length = flagsAndLength & MAX_FRAME_LENGTH;
      const flags = flagsAndLength >>> 24;
      const end = offset + HEADER_LENGTH + length;
      if (this.pending.length < end) break;
      // Copied out: the payload outlives this chunk (queued stdin, header blocks awaiting inflation).
      const payload = Buffer.from(this.pending.subarray(offset + HEADER_LENGTH, end));
      offset = end;
      if ((first & 0x80000000) === 0) {
        frames.push({ type: "data", streamId: first & STREAM_ID_MASK, flags, data: payload });
        continue;
      }
      const version = (first >>> 16) & 0x7fff;
      if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
      frames.push(decodeControlFrame(first & 0xffff, flags, payload));
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }

  /** Bytes received that do not make a whole frame yet. */
  get buffered(): number {
    return this.pending.length;
  }
}
