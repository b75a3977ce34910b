// A set of field paths stored as a trie (structured-merge-diff's fieldpath.Set): each node holds the
// elements that are members at that level and the children below. It reads and writes fieldsV1, where a
// child object holding `".": {}` marks that the element itself is also a member.
import { Interner } from "../../api/interner.js";
import { canonicalElement, comparePathElements, type FieldPath, type PathElement } from "./path-element.js";

/** The JSON trie of `managedFields[].fieldsV1`. */
export type FieldsV1 = { [element: string]: FieldsV1 };

/**
 * The one leaf every trie shares. Leaves are most of a trie's objects, and objects pile up: 30,000 pods carry
 * millions of them. Frozen, as every cached object is, so that sharing it is safe.
 */
export const EMPTY_LEAF: FieldsV1 = Object.freeze({}) as FieldsV1;

/**
 * Subtrees one level below a trie's top (`f:status` → `f:conditions`), shared between tries that differ
 * elsewhere: every pod's kubelet owns its own `f:podIPs` entry, and otherwise the same status fields.
 */
const subtrees = new Interner(undefined, (fields) => shareLeaves(fields as FieldsV1));

/** A trie kept as the shared copy first has its leaves and subtrees shared (parsed ones each have their own). */
const tries = new Interner(undefined, (fields) => shareParts(fields as FieldsV1));

/**
 * The one frozen trie equal to `fields`: the pods of a DaemonSet carry the same trie for what the controller set
 * (30,000 copies of it otherwise).
 */
export function internTrie(fields: FieldsV1): FieldsV1 {
  return tries.intern(fields);
}

/** Swaps the empty leaves of a trie for the shared one, and its second-level subtrees for shared ones, in place. */
function shareParts(trie: FieldsV1): void {
  for (const top in trie) {
    const level = trie[top];
    if (level === null || typeof level !== "object" || Object.isFrozen(level)) continue;
    if (isEmpty(level)) {
      trie[top] = EMPTY_LEAF;
      continue;
    }
    for (const key in level) {
      const sub = level[key];
      if (sub === null || typeof sub !== "object" || Object.isFrozen(sub)) continue;
      level[key] = isEmpty(sub) ? EMPTY_LEAF : subtrees.intern(sub);
    }
  }
}

/** Swaps the empty leaves of a trie parsed from JSON (each its own object) for the shared one, in place. */
function shareLeaves(fields: FieldsV1): void {
  for (const key in fields) {
    const sub = fields[key];
    if (sub === null || typeof sub !== "object" || sub === EMPTY_LEAF) continue;
    if (isEmpty(sub)) fields[key] = EMPTY_LEAF;
    else shareLeaves(sub);
  }
}

function isEmpty(obj: object): boolean {
  for (const _ in obj) return false;
  return true;
}

export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: FieldPath[]): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  /** Adds a path; the empty path (the whole object) is never tracked, as upstream. */
  insert(path: FieldPath): this {
    if (path.length === 0) return this;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      let child = node.children.get(path[i]);
      if (!child) {
        child = new FieldSet();
        node.children.set(path[i], child);
      }
      node = child;
    }
    node.members.add(path[path.length - 1]);
    return this;
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]);
    return node?.members.has(path[path.length - 1]) ?? false;
  }

  /** The paths below `pe` (relative to it), or undefined when there are none. */
  child(pe: PathElement): FieldSet | undefined {
    return this.children.get(pe);
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const m of other.members) out.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      out.children.set(pe, o ? c.union(o) : c.copy());
    }
    for (const [pe, o] of other.children) if (!this.children.has(pe)) out.children.set(pe, o.copy());
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      if (o) out.setChild(pe, c.intersection(o));
    }
    return out;
  }

  /** The paths of this set that are not paths of `other` (exact paths: children are kept). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      out.setChild(pe, o ? c.difference(o) : c.copy());
    }
    return out;
  }

  /** Removes every path of `other` together with everything below it (upstream's RecursiveDifference). */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      if (other.members.has(pe)) continue;
      const o = other.children.get(pe);
      out.setChild(pe, o ? c.recursiveDifference(o) : c.copy());
    }
    return out;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [pe, c] of this.children) out.children.set(pe, c.copy());
    return out;
  }

  /** Every path in upstream's iteration order: a level's members (sorted), then each child's paths. */
  *paths(prefix: PathElement[] = []): Generator<PathElement[]> {
    for (const m of sorted(this.members.keys())) yield [...prefix, m];
    for (const pe of sorted(this.children.keys())) yield* this.children.get(pe)!.paths([...prefix, pe]);
  }

  toFieldsV1(): FieldsV1 {
    return this.writeFieldsV1({});
  }

  /** This level's elements, members and parents of children alike, in structured-merge-diff's order. */
  private elements(): PathElement[] {
    const elements: PathElement[] = [...this.members];
    for (const pe of this.children.keys()) if (!this.members.has(pe)) elements.push(pe);
    return elements.sort(comparePathElements);
  }

  /** Adds this set's elements, in order, to `out` (which may already hold the `"."` of a member). */
  private writeFieldsV1(out: FieldsV1): FieldsV1 {
    for (const pe of this.elements()) {
      const child = this.children.get(pe);
      if (!child) out[pe] = EMPTY_LEAF;
      else out[pe] = child.writeFieldsV1(this.members.has(pe) ? { ".": EMPTY_LEAF } : {});
    }
    return out;
  }

  /** Reads fieldsV1; throws on anything that is not a well-formed trie. */
  static fromFieldsV1(value: unknown): FieldSet {
    const set = new FieldSet();
    if (!isTrie(value)) throw new Error("fieldsV1 must be a JSON object");
    for (const [key, sub] of Object.entries(value)) {
      if (key === ".") continue;
      const pe = canonicalElement(key);
      if (!isTrie(sub)) throw new Error(`fieldsV1 entry ${JSON.stringify(key)} must be an object`);
      const keys = Object.keys(sub);
      if (keys.length === 0 || Object.hasOwn(sub, ".")) set.members.add(pe);
      if (keys.some((k) => k !== ".")) set.setChild(pe, FieldSet.fromFieldsV1(sub));
    }
    return set;
  }

  private setChild(pe: PathElement, child: FieldSet): void {
    if (child.isEmpty()) this.children.delete(pe);
    else this.children.set(pe, child);
  }
}

function isTrie(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function sorted(elements: Iterable<PathElement>): PathElement[] {
  return [...elements].sort(comparePathElements);
}
