// SPDY/3.1 framing: every frame type survives encode → decode, frames split anywhere across chunks come out
// whole, the bytes of real kubectl frames decode, and malformed frames are protocol errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
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
} from "./frame-codec.js";
import { KUBECTL_EXEC_STREAMS } from "./kubectl-capture.suite.js";

const FRAMES: SpdyFrame[] = [
  { type: "data", streamId: 3, flags: 0, data: Buffer.from("hello") },
  { type: "data", streamId: 0x7fffffff, flags: FLAG_FIN, data: Buffer.alloc(0) },
  {
    type: "syn_stream",
    streamId: 5,
    flags: FLAG_FIN | FLAG_UNIDIRECTIONAL,
    associatedStreamId: 2,
    priority: 7,
    slot: 1,
    headerBlock: Buffer.from([1, 2, 3]),
  },
  { type: "syn_reply", streamId: 1, flags: 0, headerBlock: Buffer.from([9, 8]) },
  { type: "headers", streamId: 7, flags: FLAG_FIN, headerBlock: Buffer.alloc(0) },
  { type: "rst_stream", streamId: 9, status: RstStatus.CANCEL },
  {
    type: "settings",
    flags: 1,
    settings: [
      { id: SETTINGS_INITIAL_WINDOW_SIZE, flags: 0, value: 1 << 20 },
      { id: 4, flags: 1, value: 100 },
    ],
  },
  { type: "settings", flags: 0, settings: [] },
  { type: "ping", id: 0xfffffffe },
  { type: "goaway", lastGoodStreamId: 11, status: GoAwayStatus.PROTOCOL_ERROR },
  { type: "window_update", streamId: 0, delta: 0x7fffffff },
  { type: "unknown", frameType: 0x0a, flags: 3, payload: Buffer.from("credential") },
];

describe("encodeFrame / FrameDecoder", () => {
  for (const frame of FRAMES) {
    it(`round-trips ${frame.type}`, () => {
      assert.deepEqual(new FrameDecoder().push(encodeFrame(frame)), [frame]);
    });
  }

  it("writes the 8-byte headers of the spec", () => {
    assert.equal(
      encodeFrame({ type: "ping", id: 1 }).toString("hex"),
      // control bit and version 3, type 6; flags 0, length 4; id 1
      "80030006" + "00000004" + "00000001",
    );
    assert.equal(
      encodeFrame({ type: "data", streamId: 1, flags: FLAG_FIN, data: Buffer.from("x") }).toString("hex"),
      "000000010100000178",
    );
  });

  it("reassembles frames split at every byte", () => {
    const bytes = Buffer.concat(FRAMES.map(encodeFrame));
    const decoder = new FrameDecoder();
    const out: SpdyFrame[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...decoder.push(bytes.subarray(i, i + 1)));
    assert.deepEqual(out, FRAMES);
    assert.equal(decoder.buffered, 0);
  });

  it("decodes what kubectl sends", () => {
    const frames = new FrameDecoder().push(KUBECTL_EXEC_STREAMS);
    assert.deepEqual(
      frames.map((f) => [f.type, "streamId" in f ? f.streamId : 0, "flags" in f ? f.flags : 0]),
      [
        ["syn_stream", 1, 0],
        ["syn_stream", 3, 0],
        ["syn_stream", 5, 0],
        ["syn_stream", 7, 0],
        ["data", 3, 0],
        ["data", 3, FLAG_FIN],
      ],
    );
    assert.deepEqual(frames[4], { type: "data", streamId: 3, flags: 0, data: Buffer.from("hi\n") });
  });

  const malformed: [string, string][] = [
    ["another SPDY version", "80020006000000040000000001"],
    ["a PING of the wrong length", "800300060000000300000001"],
    ["a RST_STREAM of the wrong length", "80030003000000040000000001"],
    ["a SETTINGS whose count overruns it", "800300040000000400000002"],
    ["a SYN_STREAM too short for its fields", "800300010000000400000001"],
  ];
  for (const [name, hex] of malformed) {
    it(`refuses ${name}`, () => {
      assert.throws(() => new FrameDecoder().push(Buffer.from(hex, "hex")), SpdyProtocolError);
    });
  }

  it("refuses to encode a frame too long for its 24-bit length", () => {
    assert.throws(
      () => encodeFrame({ type: "data", streamId: 1, flags: 0, data: Buffer.alloc(0x1000000) }),
      RangeError,
    );
  });
});
