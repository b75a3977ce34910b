// Tests of the YAML text written into gnostic Any messages: exact forms for the values kubectl parses, and
// round trips through a YAML parser for everything else.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import type { JsonValue } from "./json-types.js";
import { toYamlText } from "./yaml-text.js";

describe("toYamlText", () => {
  const exact: [name: string, value: JsonValue, text: string][] = [
    [
      "operation GVK (a map)",
      { group: "apps", kind: "DaemonSet", version: "v1" },
      'group: "apps"\nkind: "DaemonSet"\nversion: "v1"\n',
    ],
    [
      "definition GVK (a list) with the core group",
      [{ group: "", kind: "Pod", version: "v1" }],
      '- group: ""\n  kind: "Pod"\n  version: "v1"\n',
    ],
    ["string", "merge", '"merge"\n'],
    ["boolean", true, "true\n"],
    ["string list", ["name", "protocol"], '- "name"\n- "protocol"\n'],
    ["empty list", [], "[]\n"],
    ["empty map", {}, "{}\n"],
    ["nested map", { a: { b: 1 } }, "a:\n  b: 1\n"],
  ];
  for (const [name, value, text] of exact) {
    it(name, () => assert.equal(toYamlText(value), text));
  }

  const roundTrips: JsonValue[] = [
    "true",
    "1",
    "",
    "with: colon and # hash",
    'quote " and \\ backslash\nnewline',
    null,
    -3.5,
    [["nested"], { k: [] }],
    { "odd key": { list: [{ a: 1, b: [true, null] }] } },
  ];
  for (const value of roundTrips) {
    it(`round-trips ${JSON.stringify(value)}`, () => assert.deepEqual(parse(toYamlText(value)), value));
  }
});
