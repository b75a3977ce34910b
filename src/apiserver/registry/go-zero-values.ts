// Leaves out of an object what Go's encoding/json leaves out of upstream's answers: non-pointer scalar fields
// tagged omitempty that hold their zero value ("", 0, false). Upstream decodes every write into Go structs, so
// `numberUnavailable: 0` or `hostNetwork: false` never reads back, while a pointer's zero (`replicas: 0`) does.
// The per-field rules come from the protobuf descriptor table (messages.ts), tabulated from upstream's types.

import { setOwn } from "../patch/json-values.js";
import { type FieldDescriptor, isGoZeroScalar } from "../protobuf/descriptors.js";
import { MESSAGES, ROOT_KINDS } from "../protobuf/messages.js";

type Json = Record<string, unknown>;

/** What to look at in one message's JSON: its omitempty scalars, and the nested messages that hold some. */
interface ZeroPlan {
  zeros: string[];
  children: { name: string; plan: ZeroPlan; shape: "one" | "list" | "map" }[];
}

const plans = new Map<string, ZeroPlan | null>();

const childMessage = (fd: FieldDescriptor): string | undefined => {
  const m = /^message:(.+)$/.exec(fd.type) ?? /^map<string,message:(.+)>$/.exec(fd.type);
  return m?.[1];
};

/** The plan for a message, or null when nothing in it can hold a dropped zero (so walks skip it). */
function planFor(message: string): ZeroPlan | null {
  if (plans.has(message)) return plans.get(message)!;
  const descriptor = MESSAGES[message];
  // Marked before descending, so a message that nests itself ends the recursion.
  plans.set(message, null);
  if (!descriptor) return null;
  const plan: ZeroPlan = { zeros: [], children: [] };
  for (const fd of Object.values(descriptor)) {
    if (fd.omitEmpty) {
      plan.zeros.push(fd.name);
      continue;
    }
    const child = childMessage(fd);
    const childPlan = child ? planFor(child) : null;
    if (!childPlan || fd.wrapsList) continue;
    if (fd.inline) {
      plan.zeros.push(...childPlan.zeros);
      plan.children.push(...childPlan.children);
    } else {
      const shape = fd.type.startsWith("map<") ? "map" : fd.repeated ? "list" : "one";
      plan.children.push({ name: fd.name, plan: childPlan, shape });
    }
  }
  const result = plan.zeros.length || plan.children.length ? plan : null;
  plans.set(message, result);
  return result;
}

function hasZero(obj: Json, names: readonly string[]): boolean {
  for (const name of names) if (isGoZeroScalar(obj[name])) return true;
  return false;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The object without its zero omitempty scalars: itself when it has none (or is frozen: shared parts come from
 * stored objects, cleaned when they were written), else a copy. A copy rather than `delete`, which would turn a
 * long-lived cached object into a slow dictionary in V8; `inPlace` (the root, which callers hold) deletes.
 */
function cleaned(obj: Json, plan: ZeroPlan, inPlace = false): Json {
  if (Object.isFrozen(obj)) return obj;
  let out = obj;
  if (hasZero(obj, plan.zeros)) {
    if (inPlace) {
      for (const name of plan.zeros) if (isGoZeroScalar(obj[name])) delete obj[name];
    } else {
      out = {};
      for (const [key, value] of Object.entries(obj)) {
        // setOwn: a body's own "__proto__" key stays data instead of swapping the copy's prototype.
        if (!(isGoZeroScalar(value) && plan.zeros.includes(key))) setOwn(out, key, value);
      }
    }
  }
  for (const { name, plan: child, shape } of plan.children) {
    const v = out[name];
    if (v === undefined || v === null) continue;
    if (shape === "one") {
      if (isObject(v)) {
        const c = cleaned(v, child);
        if (c !== v) out[name] = c;
      }
    } else if (shape === "list") {
      if (Array.isArray(v) && !Object.isFrozen(v)) {
        for (let i = 0; i < v.length; i++) if (isObject(v[i])) v[i] = cleaned(v[i], child);
      }
    } else if (isObject(v) && !Object.isFrozen(v)) {
      for (const [key, item] of Object.entries(v)) if (isObject(item)) v[key] = cleaned(item, child);
    }
  }
  return out;
}

/**
 * Drops the zero values Go's JSON encoding would omit from an object of this apiVersion and kind, as upstream's
 * decoding into Go structs does before defaulting, validation and the field manager see a write. The object
 * itself is changed in place; nested objects that held zeros are replaced by clean copies.
 */
export function dropGoZeroValues(obj: Json, apiVersion: string, kind: string): void {
  const message = ROOT_KINDS[apiVersion]?.[kind];
  const plan = message ? planFor(message) : null;
  if (plan) cleaned(obj, plan, true);
}
