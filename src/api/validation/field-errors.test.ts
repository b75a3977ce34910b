// Tests of the field error model: message bodies per type, Go-style value rendering, Status causes and the
// aggregate 422 message.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  duplicate,
  type FieldError,
  forbidden,
  invalid,
  notFound,
  notSupported,
  required,
  toApiError,
  tooLong,
  tooMany,
} from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { goIntOrString, goLabelSelector, goQuote, goStringMap, goTime } from "./go-format.js";

describe("FieldPath", () => {
  const cases: [FieldPath, string][] = [
    [FieldPath.root("metadata"), "metadata"],
    [FieldPath.root("spec", "template", "spec"), "spec.template.spec"],
    [
      FieldPath.root("spec").child("containers").index(0).child("ports").index(2),
      "spec.containers[0].ports[2]",
    ],
    [FieldPath.root("data").key("a.b"), "data[a.b]"],
    [FieldPath.root(""), "[]"],
  ];
  for (const [path, want] of cases) it(want, () => assert.equal(path.toString(), want));
});

describe("FieldError messages", () => {
  const p = FieldPath.root("spec", "x");
  const cases: [FieldError, string][] = [
    [required(p), "spec.x: Required value"],
    [required(p, "cannot be 0 when maxSurge is 0"), "spec.x: Required value: cannot be 0 when maxSurge is 0"],
    [invalid(p, "abc", "bad"), 'spec.x: Invalid value: "abc": bad'],
    [
      invalid(p, -1, "must be greater than or equal to 0"),
      "spec.x: Invalid value: -1: must be greater than or equal to 0",
    ],
    [invalid(p, true, "no"), "spec.x: Invalid value: true: no"],
    [invalid(p, null, "gone"), "spec.x: Invalid value: null: gone"],
    [invalid(p, { app: "y" }, "d"), 'spec.x: Invalid value: map[string]string{"app":"y"}: d'],
    [invalid(p, ["a", "b"], "d"), 'spec.x: Invalid value: []string{"a", "b"}: d'],
    [notSupported(p, "Never", ["Always"]), 'spec.x: Unsupported value: "Never": supported values: "Always"'],
    [notSupported(p, "x", ["a", "b"]), 'spec.x: Unsupported value: "x": supported values: "a", "b"'],
    [forbidden(p, "not allowed"), "spec.x: Forbidden: not allowed"],
    [duplicate(p, "web"), 'spec.x: Duplicate value: "web"'],
    [notFound(p, "vol"), 'spec.x: Not found: "vol"'],
    [tooLong(p, 262144), "spec.x: Too long: must have at most 262144 bytes"],
    [tooMany(p, 5, 3), "spec.x: Too many: 5: must have at most 3 items"],
    [tooMany(p, -1, 3), "spec.x: Too many: must have at most 3 items"],
  ];
  for (const [err, want] of cases) it(want, () => assert.equal(err.toString(), want));

  it("renders causes like upstream's StatusCause", () => {
    assert.deepEqual(invalid(p, 3, "d").toCause(), {
      reason: "FieldValueInvalid",
      message: "Invalid value: 3: d",
      field: "spec.x",
    });
    assert.equal(required(p).toCause().reason, "FieldValueRequired");
    assert.equal(notSupported(p, "a", []).toCause().reason, "FieldValueNotSupported");
    assert.equal(forbidden(p, "f").toCause().reason, "FieldValueForbidden");
    assert.equal(duplicate(p, "d").toCause().reason, "FieldValueDuplicate");
  });
});

describe("Go value rendering", () => {
  it("quotes like strconv.Quote", () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote("tab\there\n"), '"tab\\there\\n"');
    assert.equal(goQuote("\x01"), '"\\x01"');
    assert.equal(goQuote("héllo 日本"), '"héllo 日本"');
  });
  it("prints maps sorted, and nil maps", () => {
    assert.equal(goStringMap({ b: "2", a: "1" }).repr, 'map[string]string{"a":"1", "b":"2"}');
    assert.equal(goStringMap({}).repr, "map[string]string{}");
    assert.equal(goStringMap(undefined).repr, "map[string]string(nil)");
  });
  it("prints IntOrString as %#v does in 1.32", () => {
    assert.equal(goIntOrString(1).repr, 'intstr.IntOrString{Type:0, IntVal:1, StrVal:""}');
    assert.equal(goIntOrString("50%").repr, 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"50%"}');
  });
  it("prints label selectors", () => {
    assert.equal(
      goLabelSelector({ matchLabels: { app: "a" } }).repr,
      'v1.LabelSelector{MatchLabels:map[string]string{"app":"a"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}',
    );
    assert.equal(
      goLabelSelector({ matchExpressions: [{ key: "k", operator: "In", values: ["v"] }] }).repr,
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"v"}}}}',
    );
    assert.equal(goLabelSelector(null).repr, "null");
  });
  it("prints times as time.Time.String", () => {
    assert.equal(goTime("2024-05-01T10:00:00Z").repr, "2024-05-01 10:00:00 +0000 UTC");
  });
});

describe("toApiError", () => {
  it("names the single error in the message", () => {
    const err = toApiError("DaemonSet", "apps", "x", [required(FieldPath.root("spec", "selector"))]);
    assert.equal(err.code, 422);
    assert.equal(err.reason, "Invalid");
    assert.equal(err.message, 'DaemonSet.apps "x" is invalid: spec.selector: Required value');
    assert.deepEqual(err.details?.causes, [
      { reason: "FieldValueRequired", message: "Required value", field: "spec.selector" },
    ]);
  });
  it("lists several errors in brackets and drops repeats", () => {
    const a = required(FieldPath.root("a"));
    const b = forbidden(FieldPath.root("b"), "no");
    const err = toApiError("Pod", "", "p", [a, b, required(FieldPath.root("a"))]);
    assert.equal(err.message, 'Pod "p" is invalid: [a: Required value, b: Forbidden: no]');
    assert.equal(err.details?.causes?.length, 2);
  });
});
