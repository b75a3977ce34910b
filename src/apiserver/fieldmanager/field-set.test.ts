// Field sets and path elements: set algebra, fieldsV1 round trips, upstream's order and path printing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EMPTY_LEAF, FieldSet, internTrie } from "./field-set.js";
import {
  canonicalElement,
  comparePathElements,
  fieldElement as f,
  keyElement,
  pathText,
  valueElement,
} from "./path-element.js";

const paths = (s: FieldSet) => [...s.paths()].map(pathText);

describe("path elements", () => {
  it("spell keys sorted by field name, values and HTML characters as Go does", () => {
    assert.equal(
      keyElement({ protocol: "TCP", containerPort: 80 }),
      'k:{"containerPort":80,"protocol":"TCP"}',
    );
    assert.equal(valueElement("a<b"), 'v:"a\\u003cb"');
    assert.equal(
      canonicalElement('k:{"protocol":"TCP","containerPort":80}'),
      keyElement({ containerPort: 80, protocol: "TCP" }),
    );
    assert.throws(() => canonicalElement("x:y"), /unknown path element type/);
  });

  it("print paths as upstream's conflict messages do", () => {
    const cases: [string[], string][] = [
      [
        [f("spec"), f("template"), f("spec"), f("containers"), keyElement({ name: "c" }), f("image")],
        '.spec.template.spec.containers[name="c"].image',
      ],
      [
        [f("ports"), keyElement({ containerPort: 80, protocol: "TCP" })],
        '.ports[containerPort=80,protocol="TCP"]',
      ],
      [[f("metadata"), f("finalizers"), valueElement("a")], '.metadata.finalizers[="a"]'],
      [[f("args"), "i:2"], ".args[2]"],
    ];
    for (const [path, text] of cases) assert.equal(pathText(path), text);
  });

  it("sort fields before keys, values and indexes", () => {
    const sorted = [
      "i:1",
      valueElement("b"),
      keyElement({ name: "a" }),
      f("z"),
      f("a"),
      valueElement(1),
    ].sort(comparePathElements);
    assert.deepEqual(sorted, [
      f("a"),
      f("z"),
      keyElement({ name: "a" }),
      valueElement(1),
      valueElement("b"),
      "i:1",
    ]);
  });
});

describe("FieldSet", () => {
  const a = FieldSet.of([f("spec"), f("a")], [f("spec"), f("b")], [f("metadata"), f("labels")]);
  const b = FieldSet.of([f("spec"), f("b")], [f("spec"), f("c")], [f("metadata")]);

  const algebra: [string, () => FieldSet, string[]][] = [
    ["union", () => a.union(b), [".metadata", ".metadata.labels", ".spec.a", ".spec.b", ".spec.c"]],
    ["intersection", () => a.intersection(b), [".spec.b"]],
    ["difference keeps children of a removed member", () => a.difference(b), [".metadata.labels", ".spec.a"]],
    ["recursive difference drops them", () => a.recursiveDifference(b), [".spec.a"]],
    ["empty set", () => a.difference(a), []],
  ];
  for (const [name, run, expected] of algebra) it(name, () => assert.deepEqual(paths(run()), expected));

  it("has and insert ignore the empty path", () => {
    const s = FieldSet.of([]);
    assert.ok(s.isEmpty());
    assert.ok(a.has([f("spec"), f("a")]));
    assert.ok(!a.has([f("spec")]));
  });

  it("round-trips fieldsV1, marking a member with children by '.'", () => {
    const s = FieldSet.of(
      [f("metadata"), f("labels")],
      [f("metadata"), f("labels"), f("app")],
      [f("spec"), f("containers"), keyElement({ name: "c" })],
      [f("spec"), f("containers"), keyElement({ name: "c" }), f("image")],
    );
    const v1 = s.toFieldsV1();
    assert.deepEqual(v1, {
      "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
      "f:spec": { "f:containers": { 'k:{"name":"c"}': { ".": {}, "f:image": {} } } },
    });
    assert.equal(JSON.stringify(Object.keys(v1["f:metadata"]["f:labels"])), '[".","f:app"]');
    assert.deepEqual(paths(FieldSet.fromFieldsV1(v1)), paths(s));
  });

  it("shares one frozen empty leaf between tries, and equal tries are one frozen object", () => {
    const s = FieldSet.of([f("metadata"), f("labels")], [f("metadata"), f("labels"), f("app")], [f("spec")]);
    const v1 = s.toFieldsV1();
    assert.equal(v1["f:spec"], EMPTY_LEAF);
    assert.equal(v1["f:metadata"]["f:labels"]["."], EMPTY_LEAF);
    assert.ok(Object.isFrozen(EMPTY_LEAF));
    const text = JSON.stringify(v1);
    const first = internTrie(JSON.parse(text));
    const second = internTrie(JSON.parse(text));
    assert.equal(second, first, "a trie parsed again is the one already known");
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first["f:metadata"]));
    assert.equal(first["f:metadata"]["f:labels"]["f:app"], EMPTY_LEAF, "parsed leaves are the shared one");
    assert.equal(JSON.stringify(first), text);
    assert.notEqual(internTrie(JSON.parse('{"f:status":{}}')), first);
  });

  it("tries that differ in one field share their other second-level subtrees", () => {
    const kubelet = (ip: string) =>
      internTrie({
        "f:status": {
          "f:conditions": { 'k:{"type":"Ready"}': { ".": {}, "f:status": {} } },
          "f:podIPs": { [`k:{"ip":"${ip}"}`]: { ".": {}, "f:ip": {} } },
          "f:phase": {},
        },
      });
    const one = kubelet("10.0.0.1");
    const two = kubelet("10.0.0.2");
    assert.notEqual(one, two);
    assert.equal(
      two["f:status"]["f:conditions"],
      one["f:status"]["f:conditions"],
      "the conditions' subtree is one object",
    );
    assert.notEqual(two["f:status"]["f:podIPs"], one["f:status"]["f:podIPs"]);
    assert.equal(two["f:status"]["f:phase"], EMPTY_LEAF);
    assert.ok(Object.isFrozen(two["f:status"]));
  });

  it("rejects malformed fieldsV1", () => {
    assert.throws(() => FieldSet.fromFieldsV1([]), /must be a JSON object/);
    assert.throws(() => FieldSet.fromFieldsV1({ "f:a": "x" }), /must be an object/);
    assert.throws(() => FieldSet.fromFieldsV1({ "q:a": {} }), /unknown path element/);
  });
});
