// Tests of the protobuf wire codec against known encodings from the protobuf documentation and round trips.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProtoWriter, protoDouble, protoText, readProtoFields } from "./protobuf.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

describe("ProtoWriter", () => {
  const cases: [name: string, build: (w: ProtoWriter) => void, expected: string][] = [
    ["varint 150 (protobuf docs example)", (w) => w.int64(1, 150), "089601"],
    ["string 'testing' (protobuf docs example)", (w) => w.string(2, "testing"), "120774657374696e67"],
    ["negative int64 uses ten bytes", (w) => w.int64(1, -1), "08ffffffffffffffffff01"],
    ["bool true", (w) => w.bool(3, true), "1801"],
    ["bool false is skipped", (w) => w.bool(3, false), ""],
    ["bool false kept for a oneof", (w) => w.bool(2, false, true), "1000"],
    ["empty string is skipped", (w) => w.string(1, ""), ""],
    ["repeated strings keep empty elements", (w) => w.strings(1, ["a", ""]), "0a01610a00"],
    ["empty nested message is present", (w) => w.message(5, () => {}), "2a00"],
    ["nested message", (w) => w.message(3, (m) => m.int64(1, 150)), "1a03089601"],
    ["double", (w) => w.double(1, 1.5), "09000000000000f83f"],
    ["large field number", (w) => w.bool(31, true), "f80101"],
    ["utf-8 text", (w) => w.string(1, "é"), "0a02c3a9"],
  ];
  for (const [name, build, expected] of cases) {
    it(name, () => {
      const w = new ProtoWriter();
      build(w);
      assert.equal(hex(w.finish()), expected);
    });
  }

  it("writes two-byte length prefixes for long nested content and slides the content into place", () => {
    const long = "x".repeat(300);
    const w = new ProtoWriter();
    w.message(1, (m) => m.string(2, long).message(3, (inner) => inner.string(1, "ok")));
    const [outer] = readProtoFields(w.finish());
    assert.equal(outer.field, 1);
    const inner = readProtoFields(outer.value as Uint8Array);
    assert.deepEqual(
      inner.map((f) => f.field),
      [2, 3],
    );
    assert.equal(protoText(inner[0].value as Uint8Array), long);
    assert.equal(protoText(readProtoFields(inner[1].value as Uint8Array)[0].value as Uint8Array), "ok");
  });

  it("grows its buffer across deep nesting without losing content", () => {
    const depth = 40;
    const build = (w: ProtoWriter, level: number): void => {
      w.string(1, `level ${level} ${"y".repeat(100)}`);
      if (level < depth) w.message(2, (child) => build(child, level + 1));
      else w.message(2, () => {});
    };
    const w = new ProtoWriter();
    build(w, 0);
    let bytes = w.finish();
    for (let level = 0; level <= depth; level++) {
      const fields = readProtoFields(bytes);
      assert.equal(protoText(fields[0].value as Uint8Array), `level ${level} ${"y".repeat(100)}`);
      bytes = fields[1].value as Uint8Array;
    }
    assert.equal(bytes.length, 0);
  });
});

describe("readProtoFields", () => {
  it("decodes each wire type", () => {
    const w = new ProtoWriter()
      .int64(1, 2n ** 40n)
      .double(2, -0.25)
      .string(3, "s");
    const fields = readProtoFields(w.finish());
    assert.deepEqual(
      fields.map((f) => [f.field, f.wireType]),
      [
        [1, 0],
        [2, 1],
        [3, 2],
      ],
    );
    assert.equal(fields[0].value, 2n ** 40n);
    assert.equal(protoDouble(fields[1].value as Uint8Array), -0.25);
    assert.equal(protoText(fields[2].value as Uint8Array), "s");
  });

  it("rejects truncated input", () => {
    assert.throws(() => readProtoFields(Uint8Array.from([0x0a, 0x05, 0x61])), /truncated/);
    assert.throws(() => readProtoFields(Uint8Array.from([0x08, 0x96])), /truncated/);
  });
});
