// Resource lists as quota arithmetic sees them (upstream apiserver/pkg/quota/v1 resources.go): named quantities
// that are added, subtracted, masked to a set of names, compared, and printed as the admission messages print them.
import { parseQuantity, type Quantity } from "../quantity.js";

/** A resource name → amount map (corev1.ResourceList), held as parsed quantities. */
export type ResourceList = ReadonlyMap<string, Quantity>;

/**
 * The quantities of a wire ResourceList ({"pods": "5", "requests.cpu": "1"}). Validation keeps stored lists
 * parseable, so an entry that is not a quantity is left out rather than failing the caller.
 */
export function parseResourceList(wire: unknown): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  if (wire === null || typeof wire !== "object" || Array.isArray(wire)) return out;
  for (const [name, value] of Object.entries(wire)) {
    if (typeof value !== "string" && typeof value !== "number") continue;
    try {
      out.set(name, parseQuantity(String(value)));
    } catch {
      // not a quantity: ignored (see above)
    }
  }
  return out;
}

/** The wire form, keys sorted so that equal lists serialise identically. */
export function toWire(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...list.keys()].sort()) out[name] = list.get(name)!.toString();
  return out;
}

/** Sum of both lists; a name in only one of them keeps its amount. */
export function add(a: ResourceList, b: ResourceList): Map<string, Quantity> {
  const out = new Map(a);
  for (const [name, q] of b) {
    const mine = out.get(name);
    out.set(name, mine ? mine.add(q) : q);
  }
  return out;
}

/** a − b for the names of a, and −b for names only b has. */
export function subtract(a: ResourceList, b: ResourceList): Map<string, Quantity> {
  const out = new Map(a);
  for (const [name, q] of b) {
    const mine = out.get(name);
    out.set(name, mine ? mine.sub(q) : q.neg());
  }
  return out;
}

/** Only the entries whose names are in `names`. */
export function mask(list: ResourceList, names: Iterable<string>): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const name of names) {
    const q = list.get(name);
    if (q) out.set(name, q);
  }
  return out;
}

/** The list without its zero amounts. */
export function removeZeros(list: ResourceList): Map<string, Quantity> {
  return new Map([...list].filter(([, q]) => !q.isZero()));
}

/** Names whose amount is below zero, sorted. */
export function negativeNames(list: ResourceList): string[] {
  return [...list]
    .filter(([, q]) => q.sign() < 0)
    .map(([name]) => name)
    .sort();
}

/**
 * Whether every amount of `a` that `b` also names is at most b's; `exceeded` lists the names where it is not
 * (a name missing from either side never exceeds, as upstream's LessThanOrEqual).
 */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { allowed: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [name, limit] of b) {
    const amount = a.get(name);
    if (amount && amount.cmp(limit) > 0) exceeded.push(name);
  }
  return { allowed: exceeded.length === 0, exceeded };
}

/** Same names with equal amounts (formats may differ). */
export function equals(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [name, q] of a) {
    const other = b.get(name);
    if (!other?.equals(q)) return false;
  }
  return true;
}

/** `pods=1,requests.cpu=100m`: names sorted, joined without spaces, as upstream's quota messages print lists. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((name) => `${name}=${list.get(name)!.toString()}`)
    .join(",");
}
