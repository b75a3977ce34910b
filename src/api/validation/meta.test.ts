// Tests of ObjectMeta validation on create and update, and of label selector validation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldError } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { labelSelectorAsMatcher, validateLabelSelector } from "./labels.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import { nameIsDNSLabel, nameIsDNSSubdomain } from "./names.js";

const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());
const namespaced = { namespaced: true, nameFn: nameIsDNSSubdomain };
const clusterScoped = { namespaced: false, nameFn: nameIsDNSSubdomain };

describe("validateObjectMeta", () => {
  const cases: [string, unknown, typeof namespaced, string[]][] = [
    ["valid", { name: "a", namespace: "default" }, namespaced, []],
    [
      "missing name",
      { namespace: "default" },
      namespaced,
      ["metadata.name: Required value: name or generateName is required"],
    ],
    ["missing namespace", { name: "a" }, namespaced, ["metadata.namespace: Required value"]],
    [
      "namespace on cluster kind",
      { name: "a", namespace: "x" },
      clusterScoped,
      ["metadata.namespace: Forbidden: not allowed on this type"],
    ],
    [
      "bad generateName",
      { generateName: "Web-", namespace: "default" },
      namespaced,
      [
        "metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "metadata.name: Required value: name or generateName is required",
      ],
    ],
    [
      "negative generation",
      { name: "a", namespace: "d", generation: -1 },
      namespaced,
      ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"],
    ],
    [
      "bad label value",
      { name: "a", namespace: "d", labels: { app: "a b" } },
      namespaced,
      [
        "metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
    [
      "owner reference fields",
      { name: "a", namespace: "d", ownerReferences: [{ apiVersion: "", kind: "", name: "", uid: "" }] },
      namespaced,
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      ],
    ],
    [
      "unqualified finalizer",
      { name: "a", namespace: "d", finalizers: ["custom"] },
      namespaced,
      [
        'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ],
    ],
    [
      "standard finalizer",
      { name: "a", namespace: "d", finalizers: ["foregroundDeletion", "example.com/x"] },
      namespaced,
      [],
    ],
    [
      "namespace names are labels",
      { name: "a.b" },
      { namespaced: false, nameFn: nameIsDNSLabel },
      ['metadata.name: Invalid value: "a.b": must not contain dots'],
    ],
  ];
  for (const [name, meta, rules, want] of cases) {
    it(name, () => assert.deepEqual(messages(validateObjectMeta(meta, rules)), want));
  }

  it("allows only one controller owner", () => {
    const ref = (n: string) => ({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      name: n,
      uid: n,
      controller: true,
    });
    const [err] = validateObjectMeta(
      { name: "a", namespace: "d", ownerReferences: [ref("x"), ref("y")] },
      namespaced,
    );
    assert.equal(err.field, "metadata.ownerReferences");
    assert.match(
      err.detail,
      /^Only one reference can have Controller set to true\. Found "true" in references for DaemonSet\/x and DaemonSet\/y$/,
    );
  });

  it("limits the total size of annotations", () => {
    const errs = validateObjectMeta(
      { name: "a", namespace: "d", annotations: { big: "x".repeat(256 * 1024) } },
      namespaced,
    );
    assert.deepEqual(messages(errs), ["metadata.annotations: Too long: must have at most 262144 bytes"]);
  });
});

describe("validateObjectMetaUpdate", () => {
  const old = {
    name: "a",
    namespace: "d",
    uid: "u1",
    resourceVersion: "5",
    creationTimestamp: "2024-05-01T10:00:00Z",
  };
  it("accepts an unchanged object", () => assert.deepEqual(validateObjectMetaUpdate(old, old), []));
  it("makes identity fields immutable", () => {
    const next = { ...old, name: "b", uid: "u2", creationTimestamp: "2024-05-02T10:00:00Z" };
    assert.deepEqual(messages(validateObjectMetaUpdate(next, old)), [
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      "metadata.creationTimestamp: Invalid value: 2024-05-02 10:00:00 +0000 UTC: field is immutable",
    ]);
  });
  it("needs a resourceVersion", () => {
    assert.deepEqual(messages(validateObjectMetaUpdate({ ...old, resourceVersion: "" }, old)), [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    ]);
  });
  it("forbids new finalizers while deleting", () => {
    const deleting = { ...old, deletionTimestamp: "2024-05-03T00:00:00Z", finalizers: ["a.io/x"] };
    assert.deepEqual(
      messages(validateObjectMetaUpdate({ ...deleting, finalizers: ["a.io/x", "b.io/y"] }, deleting)),
      [
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
      ],
    );
  });
});

describe("label selectors", () => {
  const path = FieldPath.root("spec", "selector");
  it("requires values for In and forbids them for Exists", () => {
    const sel = {
      matchExpressions: [
        { key: "a", operator: "In", values: [] },
        { key: "b", operator: "Exists", values: ["x"] },
        { key: "c", operator: "Has" },
      ],
    };
    assert.deepEqual(messages(validateLabelSelector(sel, path)), [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Has": not a valid selector operator',
    ]);
  });
  it("matches like LabelSelectorAsSelector", () => {
    assert.equal(labelSelectorAsMatcher(undefined)?.({ a: "b" }), false);
    assert.equal(labelSelectorAsMatcher({})?.({ a: "b" }), true);
    assert.equal(labelSelectorAsMatcher({ matchLabels: { a: "b" } })?.({ a: "b", c: "d" }), true);
    assert.equal(
      labelSelectorAsMatcher({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["b"] }] })?.({
        a: "b",
      }),
      false,
    );
    assert.equal(labelSelectorAsMatcher({ matchExpressions: [{ key: "a", operator: "Bad" }] }), null);
  });
});
