// Tests for the protobuf wire reader: varints of every width, fixed-size values, and skipping unknown fields.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytes, concat, double, fixed32, group, str, varint } from "./test-encoder.js";
import { WireFormatError, WireReader, WireType } from "./wire.js";

describe("WireReader", () => {
  it("reads varints up to 64 bits", () => {
    const cases: [bigint, bigint][] = [
      [0n, 0n],
      [1n, 1n],
      [300n, 300n],
      [2n ** 53n + 1n, 2n ** 53n + 1n],
      [2n ** 64n - 1n, 2n ** 64n - 1n],
      [-1n, 2n ** 64n - 1n],
    ];
    for (const [written, read] of cases) {
      const reader = new WireReader(varint(1, written));
      assert.deepEqual(reader.readTag(), { field: 1, wireType: WireType.varint });
      assert.equal(reader.readVarint(), read, `varint ${written}`);
      assert.ok(reader.done);
    }
  });

  it("reads negative int32 and int64 written as ten-byte two's complement", () => {
    const int32 = new WireReader(varint(1, -5));
    int32.readTag();
    assert.equal(int32.readInt32(), -5);
    const int64 = new WireReader(varint(1, -62135596800n));
    int64.readTag();
    assert.equal(int64.readInt64(), -62135596800);
  });

  it("reads strings, bytes, doubles and fixed32", () => {
    const reader = new WireReader(
      concat(str(1, "héllo"), bytes(2, Uint8Array.of(0, 255)), double(3, 1.5), fixed32(4, 7)),
    );
    reader.readTag();
    assert.equal(reader.readString(), "héllo");
    reader.readTag();
    assert.deepEqual([...reader.readBytes()], [0, 255]);
    reader.readTag();
    assert.equal(reader.readDouble(), 1.5);
    reader.readTag();
    assert.deepEqual([...reader.readFixed32()], [7, 0, 0, 0]);
    assert.ok(reader.done);
  });

  it("skips fields of every wire type, groups included", () => {
    const unknown = concat(
      varint(1, 99),
      double(2, 2.5),
      str(3, "x"),
      fixed32(4, 1),
      group(5, varint(1, 1), group(2, str(1, "nested"))),
      str(6, "kept"),
    );
    const reader = new WireReader(unknown);
    for (let i = 0; i < 5; i++) {
      const { field, wireType } = reader.readTag();
      reader.skip(wireType, field);
    }
    assert.deepEqual(reader.readTag(), { field: 6, wireType: WireType.lengthDelimited });
    assert.equal(reader.readString(), "kept");
  });

  it("rejects malformed input", () => {
    const cases: [string, Uint8Array, (r: WireReader) => unknown][] = [
      ["truncated varint", Uint8Array.of(0x80), (r) => r.readVarint()],
      ["over-long varint", new Uint8Array(11).fill(0x80), (r) => r.readVarint()],
      [
        "length past the end",
        Uint8Array.of(0x0a, 0x05, 0x61),
        (r) => {
          r.readTag();
          return r.readBytes();
        },
      ],
      ["field number zero", Uint8Array.of(0x00), (r) => r.readTag()],
      ["wire type 7", Uint8Array.of(0x0f), (r) => r.skip(r.readTag().wireType, 1)],
      ["truncated fixed64", Uint8Array.of(0x09, 1, 2), (r) => r.skip(r.readTag().wireType, 1)],
      ["unterminated group", Uint8Array.of(0x0b, 0x08, 0x01), (r) => r.skip(r.readTag().wireType, 1)],
    ];
    for (const [name, input, read] of cases) {
      assert.throws(() => read(new WireReader(input)), WireFormatError, name);
    }
  });
});
