// Table tests for quota resource-list arithmetic: sums keep upstream's formats, masks and comparisons work by
// name, and lists print sorted as the admission messages print them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  add,
  equals,
  lessThanOrEqual,
  mask,
  negativeNames,
  parseResourceList,
  prettyPrint,
  removeZeros,
  subtract,
  toWire,
} from "./resource-list.js";

const list = (wire: Record<string, string>) => parseResourceList(wire);

describe("quota resource lists", () => {
  it("parses wire lists, skipping what is not a quantity", () => {
    assert.deepEqual(toWire(parseResourceList({ pods: "5", cpu: 2, bad: "x", obj: {} })), {
      cpu: "2",
      pods: "5",
    });
    assert.equal(parseResourceList(undefined).size, 0);
  });

  const sums: [Record<string, string>, Record<string, string>, Record<string, string>][] = [
    [{ pods: "1" }, { pods: "2" }, { pods: "3" }],
    [{ "requests.memory": "200Mi" }, { "requests.memory": "800Mi" }, { "requests.memory": "1000Mi" }],
    [{ "requests.cpu": "0" }, { "requests.cpu": "250m" }, { "requests.cpu": "250m" }],
    [{ "requests.cpu": "500m" }, { "requests.cpu": "500m" }, { "requests.cpu": "1" }],
    [{ a: "1" }, { b: "2" }, { a: "1", b: "2" }],
  ];
  for (const [a, b, sum] of sums) {
    it(`adds ${JSON.stringify(a)} + ${JSON.stringify(b)}`, () =>
      assert.deepEqual(toWire(add(list(a), list(b))), sum));
  }

  it("subtracts, and reports negative amounts", () => {
    const diff = subtract(list({ pods: "1", cpu: "1" }), list({ pods: "3", memory: "1Gi" }));
    assert.deepEqual(toWire(diff), { cpu: "1", memory: "-1Gi", pods: "-2" });
    assert.deepEqual(negativeNames(diff), ["memory", "pods"]);
  });

  it("masks to names and drops zeros", () => {
    assert.deepEqual(toWire(mask(list({ a: "1", b: "2", c: "3" }), ["c", "a", "z"])), { a: "1", c: "3" });
    assert.deepEqual(toWire(removeZeros(list({ a: "0", b: "0m", c: "1" }))), { c: "1" });
  });

  it("compares only the names both sides have", () => {
    assert.deepEqual(lessThanOrEqual(list({ pods: "5", cpu: "2" }), list({ pods: "5", cpu: "1" })), {
      allowed: false,
      exceeded: ["cpu"],
    });
    assert.deepEqual(lessThanOrEqual(list({ pods: "6" }), list({ cpu: "1" })), {
      allowed: true,
      exceeded: [],
    });
  });

  it("equates lists by amount, whatever the format", () => {
    assert.ok(equals(list({ cpu: "1000m" }), list({ cpu: "1" })));
    assert.ok(!equals(list({ cpu: "1" }), list({ cpu: "1", pods: "0" })));
  });

  it("prints sorted name=value pairs joined by commas", () => {
    assert.equal(
      prettyPrint(list({ "requests.cpu": "100m", pods: "1", "count/pods": "1" })),
      "count/pods=1,pods=1,requests.cpu=100m",
    );
    assert.equal(prettyPrint(list({})), "");
  });
});
