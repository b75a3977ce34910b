// Tests of the name and key format checks against upstream's exact messages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPercent,
  isValidPortName,
  nameIsDNSSubdomain,
} from "./names.js";

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe("DNS names", () => {
  const cases: [string, (v: string) => string[], string, string[]][] = [
    ["subdomain ok", isDNS1123Subdomain, "a.b-c.d", []],
    ["subdomain upper", isDNS1123Subdomain, "Foo", [SUBDOMAIN_MSG]],
    ["subdomain too long", isDNS1123Subdomain, "a".repeat(254), ["must be no more than 253 characters"]],
    ["label ok", isDNS1123Label, "my-name", []],
    ["label with dot", isDNS1123Label, "a.b", ["must not contain dots"]],
    ["label bad", isDNS1123Label, "-a", [LABEL_MSG]],
    ["label too long", isDNS1123Label, "a".repeat(64), ["must be no more than 63 characters"]],
  ];
  for (const [name, fn, value, want] of cases) it(name, () => assert.deepEqual(fn(value), want));

  it("allows a trailing dash in generateName prefixes", () => {
    assert.deepEqual(nameIsDNSSubdomain("web-", true), []);
    assert.deepEqual(nameIsDNSSubdomain("web-", false), [SUBDOMAIN_MSG]);
  });
});

describe("qualified names and label values", () => {
  const cases: [string, (v: string) => string[], string, string[]][] = [
    ["plain", isQualifiedName, "app", []],
    ["prefixed", isQualifiedName, "example.com/MyName", []],
    ["bad name", isQualifiedName, "-x", [QUALIFIED_MSG]],
    ["empty prefix", isQualifiedName, "/x", ["prefix part must be non-empty"]],
    ["bad prefix", isQualifiedName, "Ex/x", [`prefix part ${SUBDOMAIN_MSG}`]],
    ["empty name", isQualifiedName, "a/", ["name part must be non-empty", QUALIFIED_MSG]],
    ["long name", isQualifiedName, "a".repeat(64), ["name part must be no more than 63 characters"]],
    ["value ok", isValidLabelValue, "my_value", []],
    ["value empty", isValidLabelValue, "", []],
    ["value bad", isValidLabelValue, "a b", [LABEL_VALUE_MSG]],
  ];
  for (const [name, fn, value, want] of cases) it(name, () => assert.deepEqual(fn(value), want));

  it("rejects more than one slash", () => {
    assert.match(
      isQualifiedName("a/b/c")[0],
      /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/'/,
    );
  });
});

describe("other formats", () => {
  it("percent", () => {
    assert.deepEqual(isValidPercent("25%"), []);
    assert.deepEqual(isValidPercent("25"), [
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
  });
  it("port names", () => {
    assert.deepEqual(isValidPortName("http"), []);
    assert.deepEqual(isValidPortName("123"), ["must contain at least one letter (a-z)"]);
    assert.deepEqual(isValidPortName("a--b"), ["must not contain consecutive hyphens"]);
  });
  it("config keys", () => {
    assert.deepEqual(isConfigMapKey("app.properties"), []);
    assert.deepEqual(isConfigMapKey(".."), ["must not be '..'"]);
  });
  it("env var names (relaxed in 1.32)", () => {
    assert.deepEqual(isRelaxedEnvVarName("1FOO"), []);
    assert.deepEqual(isRelaxedEnvVarName("A=B"), [
      "a valid environment variable name must consist only of printable ASCII characters other than '='",
    ]);
  });
  it("path segment names (RBAC)", () => {
    assert.deepEqual(isValidPathSegmentName("system:node"), []);
    assert.deepEqual(isValidPathSegmentName(".."), ["may not be '..'"]);
    assert.deepEqual(isValidPathSegmentName("a/b%"), ["may not contain '/'", "may not contain '%'"]);
  });
  it("IPs and CIDRs", () => {
    assert.ok(isValidIP("10.0.0.1"));
    assert.ok(isValidIP("2001:db8::1"));
    assert.ok(!isValidIP("10.0.0.256"));
    assert.ok(isValidCIDR("10.244.0.0/24"));
    assert.ok(!isValidCIDR("10.244.0.0/33"));
  });
});
