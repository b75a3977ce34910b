// An ordered set of keys for prefix listing: a list of bounded sorted chunks (a flat, one-level B-tree), so
// insert/delete cost O(log n + chunk size) instead of shifting one big array, and range scans are
// O(log n + k).
import { compareKeys } from "../key-order.js";

/** Chunks split when they reach twice this size; small enough that splicing inside one stays cheap. */
const CHUNK_LOAD = 512;

export class SortedKeySet {
  private readonly chunks: string[][] = [];
  /** The last (largest) key of each chunk, for finding the chunk a key belongs to. */
  private readonly maxes: string[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `key`; false when it was already present. */
  add(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.maxes.push(key);
      this.count = 1;
      return true;
    }
    // Past the largest key: it belongs at the end of the last chunk.
    const chunkIndex = Math.min(lowerBound(this.maxes, key), this.chunks.length - 1);
    const chunk = this.chunks[chunkIndex];
    const position = lowerBound(chunk, key);
    if (chunk[position] === key) return false;
    chunk.splice(position, 0, key);
    this.count++;
    if (chunk.length >= 2 * CHUNK_LOAD) {
      const upper = chunk.splice(CHUNK_LOAD);
      this.chunks.splice(chunkIndex + 1, 0, upper);
      this.maxes.splice(chunkIndex, 1, chunk[chunk.length - 1], upper[upper.length - 1]);
    } else {
      this.maxes[chunkIndex] = chunk[chunk.length - 1];
    }
    return true;
  }

  /** Removes `key`; false when it was absent. */
  delete(key: string): boolean {
    const chunkIndex = lowerBound(this.maxes, key);
    if (chunkIndex === this.chunks.length) return false;
    const chunk = this.chunks[chunkIndex];
    const position = lowerBound(chunk, key);
    if (chunk[position] !== key) return false;
    chunk.splice(position, 1);
    this.count--;
    if (chunk.length === 0) {
      this.chunks.splice(chunkIndex, 1);
      this.maxes.splice(chunkIndex, 1);
    } else {
      this.maxes[chunkIndex] = chunk[chunk.length - 1];
    }
    return true;
  }

  /** How many keys sort strictly before `key`. */
  rank(key: string): number {
    const chunkIndex = lowerBound(this.maxes, key);
    let before = 0;
    for (let i = 0; i < chunkIndex; i++) before += this.chunks[i].length;
    if (chunkIndex === this.chunks.length) return before;
    return before + lowerBound(this.chunks[chunkIndex], key);
  }

  /**
   * Visits keys in ascending order starting at the first key >= `from` (or > `from` when `exclusive`),
   * until `visit` returns false or the keys run out.
   */
  scanFrom(from: string, exclusive: boolean, visit: (key: string) => boolean): void {
    let chunkIndex = lowerBound(this.maxes, from);
    if (chunkIndex === this.chunks.length) return;
    let position = lowerBound(this.chunks[chunkIndex], from);
    if (exclusive && this.chunks[chunkIndex][position] === from) position++;
    for (; chunkIndex < this.chunks.length; chunkIndex++, position = 0) {
      const chunk = this.chunks[chunkIndex];
      for (; position < chunk.length; position++) {
        if (!visit(chunk[position])) return;
      }
    }
  }
}

/** Index of the first element >= key (array length when none). */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(sorted[mid], key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
