// Unit tests for field selectors: parsing with escapes, canonical strings, matching, exact-match lookups and the
// per-kind field check, with cases taken from upstream's fields/selector_test.go.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "./errors.js";
import {
  escapeFieldValue,
  everythingFieldSelector,
  fieldSelectorFromTerm,
  parseFieldSelector,
  validateFieldSelectorKeys,
} from "./fields.js";

function badRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 400);
    assert.equal(e.message, message);
    return true;
  });
}

describe("parseFieldSelector", () => {
  it("round-trips canonical selectors", () => {
    for (const text of ["x=a,y=b,z=c", "", "x!=a,y=b", "x=a||y\\=b", "x=a\\=\\=b", "spec.nodeName="]) {
      assert.equal(parseFieldSelector(text).toString(), text, text);
    }
  });

  it("normalises order, == and escapes", () => {
    const cases: [string, string][] = [
      ["x=a,a=x", "a=x,x=a"],
      ["a=x,x=a", "a=x,x=a"],
      ["b==v", "b=v"],
      ["k=\\,,k2=v2", "k2=v2,k=\\,"],
      ["a=b,,", "a=b"],
      ["함=수,목=록", "목=록,함=수"],
    ];
    for (const [input, canonical] of cases)
      assert.equal(parseFieldSelector(input).toString(), canonical, input);
  });

  it("unescapes values and splits terms on the first operator", () => {
    const cases: [string, { field: string; op: string; value: string }[]][] = [
      ["a=value", [{ field: "a", op: "=", value: "value" }]],
      ["b==value", [{ field: "b", op: "=", value: "value" }]],
      ["c!=value", [{ field: "c", op: "!=", value: "value" }]],
      ["k=\\,", [{ field: "k", op: "=", value: "," }]],
      ["k=\\=", [{ field: "k", op: "=", value: "=" }]],
      ["k=\\\\", [{ field: "k", op: "=", value: "\\" }]],
      // Terms are sorted bytewise, so "k2" ("2" < "=") comes first.
      [
        "k=\\\\\\,,k2=v2",
        [
          { field: "k2", op: "=", value: "v2" },
          { field: "k", op: "=", value: "\\," },
        ],
      ],
      ["spec.nodeName=", [{ field: "spec.nodeName", op: "=", value: "" }]],
      ["a!b=c", [{ field: "a!b", op: "=", value: "c" }]],
    ];
    for (const [input, requirements] of cases) {
      assert.deepEqual(parseFieldSelector(input).requirements, requirements, input);
    }
  });

  it("rejects bad selectors with upstream's messages", () => {
    const cases: [string, string][] = [
      ["x=a||y=b", "invalid field selector: unescaped character in value: 61"],
      ["x==a==b", "invalid field selector: unescaped character in value: 61"],
      ["x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"],
      ["x in (a)", "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
      ["x in (a,b,c)", "invalid selector: 'x in (a,b,c)'; can't understand 'b'"],
      ["x", "invalid selector: 'x'; can't understand 'x'"],
      ["k=\\a", "invalid field selector: invalid escape sequence: \\a"],
      ["k=\\", "invalid field selector: invalid escape sequence: \\"],
      ["k=\\\\\\", "invalid field selector: invalid escape sequence: \\"],
    ];
    for (const [input, message] of cases) badRequest(() => parseFieldSelector(input), message);
  });
});

describe("FieldSelector", () => {
  const pod: Record<string, string> = {
    "metadata.name": "web-1",
    "spec.nodeName": "node-a",
    "status.phase": "Running",
  };
  const get = (field: string): string | undefined => pod[field];

  const cases: [string, boolean][] = [
    ["", true],
    ["metadata.name=web-1", true],
    ["metadata.name==web-1", true],
    ["metadata.name!=web-1", false],
    ["spec.nodeName=node-a,status.phase!=Succeeded", true],
    ["spec.nodeName=node-b,status.phase=Running", false],
    ["spec.schedulerName=", true],
    ["spec.schedulerName!=", false],
  ];
  for (const [selector, expected] of cases) {
    it(`${JSON.stringify(selector)} → ${expected}`, () => {
      assert.equal(parseFieldSelector(selector).matches(get), expected);
    });
  }

  it("reports emptiness and exact matches", () => {
    assert.equal(parseFieldSelector("").empty(), true);
    assert.equal(everythingFieldSelector().empty(), true);
    const sel = parseFieldSelector("spec.nodeName=n1,status.phase!=Failed");
    assert.equal(sel.empty(), false);
    assert.equal(sel.exactMatch("spec.nodeName"), "n1");
    assert.equal(sel.exactMatch("status.phase"), undefined);
    assert.equal(sel.exactMatch("metadata.name"), undefined);
    assert.equal(parseFieldSelector("spec.nodeName=").exactMatch("spec.nodeName"), "");
  });

  it("builds single-term selectors and escapes values", () => {
    const sel = fieldSelectorFromTerm("metadata.name", "a,b");
    assert.equal(sel.toString(), "metadata.name=a\\,b");
    assert.equal(sel.exactMatch("metadata.name"), "a,b");
    assert.equal(parseFieldSelector(sel.toString()).exactMatch("metadata.name"), "a,b");
    const escapes: [string, string][] = [
      ["", ""],
      ["a", "a"],
      ["=", "\\="],
      [",", "\\,"],
      ["\\", "\\\\"],
      ["\\=\\,\\", "\\\\\\=\\\\\\,\\\\"],
    ];
    for (const [raw, escaped] of escapes) assert.equal(escapeFieldValue(raw), escaped);
  });
});

describe("validateFieldSelectorKeys", () => {
  it("accepts allowed fields", () => {
    validateFieldSelectorKeys(parseFieldSelector("spec.nodeName=a,metadata.name=b"), [
      "metadata.name",
      "metadata.namespace",
      "spec.nodeName",
    ]);
  });

  it("words rejections like the default metadata-only conversion", () => {
    badRequest(
      () =>
        validateFieldSelectorKeys(parseFieldSelector("foo.bar=baz"), ["metadata.name", "metadata.namespace"]),
      `"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  });

  it("words rejections like a kind-specific conversion", () => {
    badRequest(
      () =>
        validateFieldSelectorKeys(parseFieldSelector("spec.foo=1"), ["metadata.name", "spec.unschedulable"]),
      "field label not supported: spec.foo",
    );
  });
});
