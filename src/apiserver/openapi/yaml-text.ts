// Renders small JSON values as block YAML text, the form gnostic keeps in `Any.yaml` for vendor extensions,
// enums and defaults (`group: apps\nkind: DaemonSet\nversion: v1\n`). Strings are always double-quoted so
// that values like "true", "1" or "" can never be read back as another type.

import type { JsonObject, JsonValue } from "./json-types.js";

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

function scalar(value: string | number | boolean | null): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  return String(value);
}

function key(name: string): string {
  return PLAIN_KEY.test(name) ? name : JSON.stringify(name);
}

const isCollection = (v: JsonValue): v is JsonValue[] | JsonObject => typeof v === "object" && v !== null;

const isEmptyCollection = (v: JsonValue[] | JsonObject): boolean =>
  Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;

/** Lines of a collection in block style, without a trailing newline on the last line. */
function blockLines(value: JsonValue[] | JsonObject): string[] {
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item) && !isEmptyCollection(item)) {
        const [first, ...rest] = blockLines(item);
        // Mappings start on the dash line; nested sequences go below it.
        if (Array.isArray(item)) lines.push("-", ...[first, ...rest].map((l) => `  ${l}`));
        else lines.push(`- ${first}`, ...rest.map((l) => `  ${l}`));
      } else {
        lines.push(`- ${inline(item)}`);
      }
    }
    return lines;
  }
  for (const [name, item] of Object.entries(value)) {
    if (isCollection(item) && !isEmptyCollection(item)) {
      lines.push(`${key(name)}:`, ...blockLines(item).map((l) => `  ${l}`));
    } else {
      lines.push(`${key(name)}: ${inline(item)}`);
    }
  }
  return lines;
}

function inline(value: JsonValue): string {
  if (Array.isArray(value)) return "[]";
  if (isCollection(value)) return "{}";
  return scalar(value);
}

/** The YAML document for `value`, ending in a newline. */
export function toYamlText(value: JsonValue): string {
  if (isCollection(value) && !isEmptyCollection(value)) return `${blockLines(value).join("\n")}\n`;
  return `${inline(value)}\n`;
}
