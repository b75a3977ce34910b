// Tests for the chunked sorted key set, checked against a plain sorted array across chunk splits and merges.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareKeys } from "../key-order.js";
import { SortedKeySet } from "./sorted-key-set.js";

/** Deterministic pseudo-random numbers so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function scanAll(
  set: SortedKeySet,
  from: string,
  exclusive: boolean,
  limit = Number.POSITIVE_INFINITY,
): string[] {
  const out: string[] = [];
  set.scanFrom(from, exclusive, (key) => {
    out.push(key);
    return out.length < limit;
  });
  return out;
}

describe("SortedKeySet", () => {
  it("adds, deletes and reports membership changes", () => {
    const set = new SortedKeySet();
    assert.equal(set.add("/b"), true);
    assert.equal(set.add("/a"), true);
    assert.equal(set.add("/b"), false);
    assert.equal(set.size, 2);
    assert.equal(set.delete("/c"), false);
    assert.equal(set.delete("/a"), true);
    assert.equal(set.delete("/a"), false);
    assert.deepEqual(scanAll(set, "", false), ["/b"]);
  });

  it("scans from inclusive and exclusive starts and stops when told", () => {
    const set = new SortedKeySet();
    for (const key of ["/c", "/a", "/e", "/b", "/d"]) set.add(key);
    assert.deepEqual(scanAll(set, "/b", false), ["/b", "/c", "/d", "/e"]);
    assert.deepEqual(scanAll(set, "/b", true), ["/c", "/d", "/e"]);
    assert.deepEqual(scanAll(set, "/bb", true), ["/c", "/d", "/e"]);
    assert.deepEqual(scanAll(set, "/a", false, 2), ["/a", "/b"]);
    assert.deepEqual(scanAll(set, "/z", false), []);
    assert.equal(set.rank("/c"), 2);
    assert.equal(set.rank("/cc"), 3);
    assert.equal(set.rank("/z"), 5);
  });

  it("matches a sorted array through thousands of random inserts and deletes", () => {
    const next = random(42);
    const set = new SortedKeySet();
    const reference = new Set<string>();
    for (let step = 0; step < 20_000; step++) {
      const key = `/k/${Math.floor(next() * 5000)}`;
      // Inserts dominate first so chunks grow past their split size; deletes dominate later so they empty.
      if (next() < (step < 12_000 ? 0.8 : 0.2)) {
        assert.equal(set.add(key), !reference.has(key));
        reference.add(key);
      } else {
        assert.equal(set.delete(key), reference.has(key));
        reference.delete(key);
      }
      if (step % 4000 === 3999) {
        const sorted = [...reference].sort(compareKeys);
        assert.equal(set.size, sorted.length);
        assert.deepEqual(scanAll(set, "", false), sorted);
        const probe = `/k/${Math.floor(next() * 5000)}`;
        const below = sorted.filter((k) => compareKeys(k, probe) < 0);
        assert.equal(set.rank(probe), below.length);
        assert.deepEqual(
          scanAll(set, probe, true),
          sorted.slice(below.length).filter((k) => k !== probe),
        );
      }
    }
  });
});
