// SPDY/3 header blocks: the dictionary is the spec's (its zlib id), name/value blocks round-trip, kubectl's real
// compressed blocks inflate, and each direction is one zlib stream shared by all the blocks of a connection.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SPDY3_HEADER_DICTIONARY } from "./dictionary.js";
import { FrameDecoder, SpdyProtocolError, type SynStreamFrame } from "./frame-codec.js";
import { decodeHeaderBlock, encodeHeaderBlock } from "./header-block.js";
import { HeaderCompression } from "./header-compression.js";
import { KUBECTL_EXEC_STREAM_TYPES, KUBECTL_EXEC_STREAMS } from "./kubectl-capture.suite.js";

/** zlib's Adler-32, which names a preset dictionary in the zlib header (FDICT). */
function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const SPDY3_DICTIONARY_ID = 0xe3c6a7c2;

describe("SPDY3_HEADER_DICTIONARY", () => {
  it("is the spec's 1423 bytes, whose zlib dictionary id is 0xe3c6a7c2", () => {
    assert.equal(SPDY3_HEADER_DICTIONARY.length, 1423);
    assert.equal(adler32(SPDY3_HEADER_DICTIONARY), SPDY3_DICTIONARY_ID);
    assert.equal(SPDY3_HEADER_DICTIONARY.subarray(0, 11).toString("latin1"), "\0\0\0\x07options");
    assert.ok(SPDY3_HEADER_DICTIONARY.toString("latin1").endsWith("utf-,*,enq=0."));
  });
});

describe("encodeHeaderBlock / decodeHeaderBlock", () => {
  it("round-trips names (lowercased) and NUL-joined values", () => {
    const block = encodeHeaderBlock([
      ["StreamType", ["error"]],
      ["x-multi", ["a", "b", ""]],
      ["empty", [""]],
    ]);
    assert.deepEqual(
      decodeHeaderBlock(block),
      new Map([
        ["streamtype", ["error"]],
        ["x-multi", ["a", "b", ""]],
        ["empty", [""]],
      ]),
    );
    assert.equal(block.toString("hex").slice(0, 8), "00000003");
  });

  it("decodes an empty block (what a SYN_REPLY carries)", () => {
    assert.deepEqual(decodeHeaderBlock(encodeHeaderBlock([])), new Map());
  });

  const broken: [string, Buffer][] = [
    ["no count", Buffer.from([0, 0])],
    ["a name cut short", Buffer.from("00000001000000056162", "hex")],
    ["a missing value", Buffer.from("000000010000000161", "hex")],
    ["trailing bytes", Buffer.concat([encodeHeaderBlock([]), Buffer.from([0])])],
  ];
  for (const [name, bytes] of broken) {
    it(`refuses a block with ${name}`, () =>
      assert.throws(() => decodeHeaderBlock(bytes), SpdyProtocolError));
  }
});

describe("HeaderCompression", () => {
  it("inflates kubectl's blocks, each continuing the one before", async () => {
    const syns = new FrameDecoder()
      .push(KUBECTL_EXEC_STREAMS)
      .filter((f): f is SynStreamFrame => f.type === "syn_stream");
    const compression = new HeaderCompression();
    try {
      const types = [];
      for (const syn of syns) types.push((await compression.decompress(syn.headerBlock)).get("streamtype"));
      assert.deepEqual(
        types,
        KUBECTL_EXEC_STREAM_TYPES.map((t) => [t]),
      );
    } finally {
      compression.close();
    }
    // A later block means nothing to a fresh context: the context is the connection's, not the frame's.
    const fresh = new HeaderCompression();
    try {
      await assert.rejects(fresh.decompress(syns[1].headerBlock), SpdyProtocolError);
    } finally {
      fresh.close();
    }
  });

  it("compresses with the SPDY/3 dictionary, naming it in the first block's zlib header only", async () => {
    const sender = new HeaderCompression();
    const receiver = new HeaderCompression();
    try {
      const first = await sender.compress([["streamtype", ["error"]]]);
      assert.equal(first[1] & 0x20, 0x20, "FDICT set");
      assert.equal(first.readUInt32BE(2), SPDY3_DICTIONARY_ID);
      const second = await sender.compress([["streamtype", ["stdout"]]]);
      assert.ok(second.length < first.length - 4, "the second block reuses the first's bytes");
      // Each block ends on a sync flush, so it can be inflated as soon as it arrives.
      assert.equal(second.subarray(-4).toString("hex"), "0000ffff");
      assert.deepEqual(await receiver.decompress(first), new Map([["streamtype", ["error"]]]));
      assert.deepEqual(await receiver.decompress(second), new Map([["streamtype", ["stdout"]]]));
    } finally {
      sender.close();
      receiver.close();
    }
  });

  it("keeps blocks in call order when they are compressed concurrently", async () => {
    const sender = new HeaderCompression();
    const receiver = new HeaderCompression();
    try {
      const names = Array.from({ length: 20 }, (_, i) => `stream-${i}`);
      const blocks = await Promise.all(names.map((n) => sender.compress([["name", [n]]])));
      const decoded = [];
      for (const block of blocks) decoded.push((await receiver.decompress(block)).get("name")?.[0]);
      assert.deepEqual(decoded, names);
    } finally {
      sender.close();
      receiver.close();
    }
  });

  it("refuses a corrupt block, and everything after it", async () => {
    const compression = new HeaderCompression();
    const sender = new HeaderCompression();
    try {
      await assert.rejects(compression.decompress(Buffer.from("not zlib at all")), SpdyProtocolError);
      await assert.rejects(compression.decompress(await sender.compress([])), SpdyProtocolError);
    } finally {
      compression.close();
      sender.close();
    }
  });
});
