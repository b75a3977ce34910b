// Key ordering shared by every backend: keys sort bytewise by their UTF-8 encoding (as SQLite and etcd do),
// and a prefix maps to the half-open range [prefix, prefixEnd(prefix)).

const SURROGATE_START = 0xd800;
const SURROGATE_END = 0xdfff;
const MAX_CODE_POINT = 0x10ffff;

/**
 * Compares two keys in UTF-8 byte order (which equals code point order). JavaScript's `<` compares UTF-16
 * code units, which disagrees for astral characters versus U+E000..U+FFFF, so surrogate units are lifted
 * above every BMP unit before comparing.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x < SURROGATE_START || y < SURROGATE_START) return x - y;
      return liftSurrogate(x) - liftSurrogate(y);
    }
  }
  return a.length - b.length;
}

function liftSurrogate(unit: number): number {
  return unit >= SURROGATE_START && unit <= SURROGATE_END ? unit + 0x10000 : unit;
}

/**
 * The smallest key greater than every key starting with `prefix`, or undefined when no such bound exists
 * (empty prefix, or a prefix made only of U+10FFFF). Incrementing the last code point is exact because
 * UTF-8 byte order is code point order.
 */
export function prefixEnd(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last < MAX_CODE_POINT) {
      // Code points inside the surrogate block cannot appear in UTF-8 text; jump over them.
      const next = last + 1 === SURROGATE_START ? SURROGATE_END + 1 : last + 1;
      codePoints.push(next);
      return String.fromCodePoint(...codePoints);
    }
  }
  return undefined;
}
