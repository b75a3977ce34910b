// Unit tests for label selectors: parsing, canonical strings, matching, LabelSelector conversion and errors,
// with cases taken from upstream's selector_test.go.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "./errors.js";
import {
  everythingSelector,
  formatLabelSelector,
  type LabelSelectorLike,
  labelKeyErrors,
  labelValueErrors,
  nothingSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorFromSet,
} from "./labels.js";

const NAME_PART_ERROR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function badRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 400);
    assert.equal(e.reason, "BadRequest");
    assert.equal(e.message, message);
    return true;
  });
}

describe("parseLabelSelector", () => {
  it("re-prints good selectors in canonical form (spaces dropped, sorted by key)", () => {
    const cases: [string, string][] = [
      ["x=a,y=b,z=c", "x=a,y=b,z=c"],
      ["", ""],
      ["x!=a,y=b", "x!=a,y=b"],
      ["x=", "x="],
      ["x= ", "x="],
      ["x=,z= ", "x=,z="],
      ["x= ,z= ", "x=,z="],
      ["!x", "!x"],
      ["x>1", "x>1"],
      ["x>1,z<5", "x>1,z<5"],
      ["z=1,a=2", "a=2,z=1"],
      ["x==a", "x==a"],
      ["\rx", "x"],
      ["this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"],
      [
        "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
        "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)",
      ],
      ["foo  in\t (abc)", "foo in (abc)"],
      ["x notin\n (abc)", "x notin (abc)"],
      ["x in (def,abc)", "x in (abc,def)"],
      ["x in (abc,)", "x in (,abc)"],
      ["x in (abc,abc)", "x in (abc)"],
      ["x in ()", "x in ()"],
      ["x in (a,,a,,a,,)", "x in (,a)"],
      ["x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()"],
      ["x notin ( )", "x notin ()"],
      ["x notin (, a)", "x notin (,a)"],
      ["a ", "a"],
      ["a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"],
      ["notin=in", "notin=in"],
      ["in in (in)", "in in (in)"],
      ["x=a,x!=b", "x=a,x!=b"],
    ];
    for (const [input, canonical] of cases) {
      assert.equal(parseLabelSelector(input).toString(), canonical, input);
    }
  });

  it("exposes sorted requirements with upstream operator names", () => {
    assert.deepEqual(parseLabelSelector("b notin (y,x),a,!c,d>3,e<20").requirements, [
      { key: "a", operator: "exists", values: [] },
      { key: "b", operator: "notin", values: ["x", "y"] },
      { key: "c", operator: "!", values: [] },
      { key: "d", operator: "gt", values: ["3"] },
      { key: "e", operator: "lt", values: ["20"] },
    ]);
  });

  it("rejects bad selectors with upstream's messages", () => {
    const cases: [string, string][] = [
      ["x==a==b", "found '==', expected: ',' or 'end of string'"],
      ["!x=a", "found '=', expected: ',' or 'end of string'"],
      [
        "x<a",
        `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
      ],
      ["x,,y", "found ',', expected: identifier after ','"],
      [",x,y", "found ',', expected: !, identifier, or 'end of string'"],
      ["x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
      ["a in (xyz),", "found '', expected: identifier after ','"],
      ["a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"],
      ["a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"],
      ["a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"],
      ["a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
      ["(", "found '(', expected: !, identifier, or 'end of string'"],
      ["x in b", "unable to parse requirement: found 'b' expected: '('"],
      ["x in (a=)", "unable to parse requirement: found '=', expected: ',' or ')'"],
      ["x in (=", "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
      ["x=(", "unable to parse requirement: found '(', expected: identifier"],
      [
        "app:monolith",
        `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${NAME_PART_ERROR}`,
      ],
      ["x=a||y=b", `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_ERROR}`],
      [
        "x>99999999999999999999",
        `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`,
      ],
    ];
    for (const [input, message] of cases) badRequest(() => parseLabelSelector(input), message);
  });

  it("rejects negative bounds, which are not valid label values", () => {
    badRequest(
      () => parseLabelSelector("x>-5"),
      `unable to parse requirement: values[0][x]: Invalid value: "-5": ${VALUE_ERROR}`,
    );
  });

  it("reports several value problems as one aggregate", () => {
    badRequest(
      () => parseLabelSelector("x<-a"),
      `unable to parse requirement: [values[0]: Invalid value: "-a": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "-a": ${VALUE_ERROR}]`,
    );
  });

  it("treats the empty string as everything", () => {
    const sel = parseLabelSelector("  ");
    assert.equal(sel.empty(), true);
    assert.equal(sel.matches(undefined), true);
    assert.equal(sel.matches({ a: "b" }), true);
  });
});

describe("Selector.matches", () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ["", { x: "y" }, true],
    ["x=y", { x: "y" }, true],
    ["x=y,z=w", { x: "y", z: "w" }, true],
    ["x!=y,z!=w", { x: "z", z: "a" }, true],
    ["notin=in", { notin: "in" }, true],
    ["x", { x: "z" }, true],
    ["!x", { y: "z" }, true],
    ["x>1", { x: "2" }, true],
    ["x<1", { x: "0" }, true],
    ["x=z", {}, false],
    ["x=y", { x: "z" }, false],
    ["x=y,z=w", { x: "w", z: "w" }, false],
    ["x!=y,z!=w", { x: "z", z: "w" }, false],
    ["x", { y: "z" }, false],
    ["!x", { x: "z" }, false],
    ["x>1", { x: "0" }, false],
    ["x<1", { x: "2" }, false],
    ["x>1", {}, false],
    ["x>1", { x: "abc" }, false],
    ["x>2", { x: "+3" }, true],
    ["x>2", { x: "-3" }, false],
    ["x>2", { x: "3.5" }, false],
    ["x>9223372036854775806", { x: "9223372036854775807" }, true],
    ["x>9223372036854775806", { x: "9223372036854775808" }, false],
    ["x<1", { x: "-9223372036854775808" }, true],
    ["x in (a,b)", { x: "b" }, true],
    ["x in (a,b)", { x: "c" }, false],
    ["x in (a,b)", {}, false],
    ["x notin (a,b)", { x: "c" }, true],
    ["x notin (a,b)", {}, true],
    ["x notin (a,b)", { x: "a" }, false],
    ["x in ()", { x: "" }, true],
    ["x=", { x: "" }, true],
    ["x=", {}, false],
    ["x!=y", {}, true],
    ["foo=bar,baz=blah", { foo: "bar", baz: "blah" }, true],
    ["foo=bar,foobar=bar,baz=blah", { foo: "bar", baz: "blah" }, false],
    // Keys that exist on Object.prototype must not read as present.
    ["constructor", {}, false],
    ["!toString", {}, true],
    ["constructor!=x", {}, true],
  ];
  for (const [selector, labels, expected] of cases) {
    it(`${JSON.stringify(selector)} on ${JSON.stringify(labels)} → ${expected}`, () => {
      assert.equal(parseLabelSelector(selector).matches(labels), expected);
    });
  }

  it("treats missing labels as an empty set", () => {
    assert.equal(parseLabelSelector("!a").matches(undefined), true);
    assert.equal(parseLabelSelector("a").matches(null), false);
  });
});

describe("exactMatchValues", () => {
  const cases: [string, string, string[] | undefined][] = [
    ["a=x", "a", ["x"]],
    ["a==x", "a", ["x"]],
    ["a in (y,x)", "a", ["x", "y"]],
    ["a in (x,y),a=y", "a", ["y"]],
    ["a in (x),a=y", "a", []],
    ["a!=x", "a", undefined],
    ["a notin (x)", "a", undefined],
    ["a", "a", undefined],
    ["b=x", "a", undefined],
    ["", "a", undefined],
  ];
  for (const [selector, key, expected] of cases) {
    it(`${selector} pins ${key} to ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseLabelSelector(selector).exactMatchValues(key), expected);
    });
  }
});

describe("selectorFromLabelSelector", () => {
  it("maps null to nothing and {} to everything", () => {
    const none = selectorFromLabelSelector(null);
    assert.equal(none.matches({}), false);
    assert.equal(none.empty(), false);
    assert.equal(none.matchesNothing(), true);
    assert.equal(selectorFromLabelSelector(undefined).matchesNothing(), true);
    const all = selectorFromLabelSelector({});
    assert.equal(all.empty(), true);
    assert.equal(all.matches({ a: "b" }), true);
    assert.equal(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).empty(), true);
  });

  it("ANDs matchLabels and matchExpressions, sorted by key", () => {
    const sel = selectorFromLabelSelector({
      matchLabels: { tier: "web", app: "nginx" },
      matchExpressions: [
        { key: "zone", operator: "In", values: ["b", "a"] },
        { key: "env", operator: "NotIn", values: ["dev"] },
        { key: "gpu", operator: "Exists" },
        { key: "legacy", operator: "DoesNotExist", values: [] },
      ],
    });
    assert.equal(sel.toString(), "app=nginx,env notin (dev),gpu,!legacy,tier=web,zone in (a,b)");
    assert.equal(sel.matches({ app: "nginx", tier: "web", zone: "a", gpu: "1" }), true);
    assert.equal(sel.matches({ app: "nginx", tier: "web", zone: "a", gpu: "1", legacy: "" }), false);
    assert.equal(sel.matches({ app: "nginx", tier: "web", zone: "a" }), false);
    assert.deepEqual(sel.exactMatchValues("app"), ["nginx"]);
  });

  it("rejects invalid selectors with upstream's messages", () => {
    const cases: [LabelSelectorLike, string][] = [
      [
        { matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] },
        `"Gt" is not a valid label selector operator`,
      ],
      [
        { matchExpressions: [{ key: "a", operator: "In", values: [] }] },
        "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
      ],
      [
        { matchExpressions: [{ key: "a", operator: "Exists", values: ["x", "y"] }] },
        `values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist`,
      ],
      [{ matchLabels: { "-a": "b" } }, `key: Invalid value: "-a": ${NAME_PART_ERROR}`],
      [{ matchLabels: { a: "-b" } }, `values[0][a]: Invalid value: "-b": ${VALUE_ERROR}`],
      [{ matchLabels: { "/a": "b" } }, `key: Invalid value: "/a": prefix part must be non-empty`],
    ];
    for (const [ls, message] of cases) badRequest(() => selectorFromLabelSelector(ls), message);
  });
});

describe("formatLabelSelector", () => {
  it("prints like metav1.FormatLabelSelector", () => {
    assert.equal(formatLabelSelector(null), "<none>");
    assert.equal(formatLabelSelector({}), "<none>");
    assert.equal(formatLabelSelector({ matchLabels: { b: "2", a: "1" } }), "a=1,b=2");
    assert.equal(
      formatLabelSelector({ matchExpressions: [{ key: "c", operator: "NotIn", values: ["y", "x"] }] }),
      "c notin (x,y)",
    );
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: "c", operator: "Bogus" }] }), "<error>");
  });
});

describe("selectorFromSet and the shared selectors", () => {
  it("builds exact matches without validation", () => {
    const sel = selectorFromSet({ b: "2", a: "1" });
    assert.equal(sel.toString(), "a=1,b=2");
    assert.equal(sel.matches({ a: "1", b: "2", c: "3" }), true);
    assert.equal(sel.matches({ a: "1" }), false);
    assert.equal(selectorFromSet({}).empty(), true);
    assert.equal(selectorFromSet(undefined).empty(), true);
  });

  it("exposes everything and nothing", () => {
    assert.equal(everythingSelector().matches({}), true);
    assert.equal(nothingSelector().matches({}), false);
    assert.equal(nothingSelector().toString(), "");
  });
});

describe("label key and value validation", () => {
  it("words problems as upstream does", () => {
    assert.deepEqual(labelKeyErrors("example.com/app"), []);
    assert.deepEqual(labelKeyErrors("a".repeat(63)), []);
    assert.deepEqual(labelKeyErrors("a".repeat(64)), ["name part must be no more than 63 characters"]);
    assert.deepEqual(labelKeyErrors(""), ["name part must be non-empty", NAME_PART_ERROR]);
    assert.deepEqual(labelKeyErrors("Example.com/a"), [
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    assert.equal(labelKeyErrors("a/b/c")[0].startsWith("a qualified name must consist of"), true);
    assert.deepEqual(labelValueErrors(""), []);
    assert.deepEqual(labelValueErrors("a_b.c-d"), []);
    assert.deepEqual(labelValueErrors("a".repeat(64)), ["must be no more than 63 characters"]);
    assert.deepEqual(labelValueErrors("a b"), [VALUE_ERROR]);
  });
});
