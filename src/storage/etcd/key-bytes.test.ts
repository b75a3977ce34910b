// Key ranges on etcd: a prefix's range end in bytes, and namespaced keys mapped there and back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeySpace, prefixRangeEnd } from "./key-bytes.js";

const bytes = (...b: number[]) => Buffer.from(b);

describe("prefixRangeEnd", () => {
  it("increments the last byte", () => {
    assert.deepEqual(prefixRangeEnd(Buffer.from("/registry/pods/")), Buffer.from("/registry/pods0"));
  });
  it("drops trailing 0xff bytes before incrementing", () => {
    assert.deepEqual(prefixRangeEnd(bytes(0x61, 0xff, 0xff)), bytes(0x62));
  });
  it("ranges to the end of the keyspace when no byte can grow", () => {
    assert.deepEqual(prefixRangeEnd(bytes(0xff, 0xff)), bytes(0));
    assert.deepEqual(prefixRangeEnd(bytes()), bytes(0));
  });
});

describe("KeySpace", () => {
  it("puts keys under the namespace and takes them out again", () => {
    const keys = new KeySpace("/team-a");
    assert.deepEqual(keys.key("/registry/x"), Buffer.from("/team-a/registry/x"));
    assert.equal(keys.strip(Buffer.from("/team-a/registry/é")), "/registry/é");
    assert.deepEqual(keys.range("/registry/"), {
      key: Buffer.from("/team-a/registry/"),
      range_end: Buffer.from("/team-a/registry0"),
    });
    // The whole namespace /team-a is /team-a/…, so it does not take in /team-ab/….
    assert.deepEqual(keys.range(""), { key: Buffer.from("/team-a/"), range_end: Buffer.from("/team-a0") });
  });
  it("without a namespace, the empty prefix is the whole keyspace", () => {
    assert.deepEqual(new KeySpace("").range(""), { key: bytes(0), range_end: bytes(0) });
  });
});
