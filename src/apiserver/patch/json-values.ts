// Small helpers over decoded JSON values shared by the three patch formats: type tests, deep copies, and
// key assignment that cannot be hijacked by a `__proto__` key in a request body.

import { deepCopy } from "../../api/object.js";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function hasOwn(obj: JsonObject, key: string): boolean {
  return Object.hasOwn(obj, key);
}

/** Reads an own property only, so that `__proto__` or `constructor` never resolve to Object.prototype. */
export function ownValue(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Assigns like `obj[key] = value`, except that a `__proto__` key becomes data instead of a prototype swap. */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** A deep copy of a JSON value; patch engines work on copies so callers' objects are never touched. */
export function cloneJson<T>(value: T): T {
  return deepCopy(value);
}

/** Renders a value for an error message, shortened so that a huge patch does not flood the response. */
export function describeJson(value: unknown, limit = 200): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}
