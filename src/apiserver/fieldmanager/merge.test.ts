// Merging an apply configuration into a live object: scalars, atomic values, maps, map-list order, nulls.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DaemonSet } from "../../api/schema/apps.js";
import { dropNulls, mergeValues } from "./merge.js";

const containers = (...items: object[]) => ({ spec: { template: { spec: { containers: items } } } });
const names = (obj: any) => obj.spec.template.spec.containers.map((c: { name: string }) => c.name);

describe("mergeValues", () => {
  it("keeps live fields the configuration does not mention and takes the configuration's values", () => {
    const merged = mergeValues(
      { metadata: { name: "x", labels: { a: "1", b: "2" } }, spec: { minReadySeconds: 1 } },
      { metadata: { labels: { b: "3", c: "4" } } },
      DaemonSet,
    );
    assert.deepEqual(merged, {
      metadata: { name: "x", labels: { a: "1", b: "3", c: "4" } },
      spec: { minReadySeconds: 1 },
    });
  });

  it("replaces atomic values whole", () => {
    const merged = mergeValues(
      { spec: { selector: { matchLabels: { a: "1", b: "2" } } } },
      { spec: { selector: { matchLabels: { a: "1" } } } },
      DaemonSet,
    );
    assert.deepEqual(merged, { spec: { selector: { matchLabels: { a: "1" } } } });
  });

  it("merges map-list items by key", () => {
    const merged = mergeValues(
      containers({ name: "c", image: "a", args: ["x"] }),
      containers({ name: "c", image: "b" }),
      DaemonSet,
    );
    assert.deepEqual(merged, containers({ name: "c", image: "b", args: ["x"] }));
  });

  const orders: [string, string[], string[], string[]][] = [
    ["appends new items", ["a", "b"], ["b", "c"], ["a", "b", "c"]],
    ["keeps live-only items in place", ["a", "x", "b"], ["a", "b"], ["a", "x", "b"]],
    ["puts shared items in the configuration's order", ["a", "b", "c"], ["c", "a"], ["b", "c", "a"]],
    ["inserts new items where the configuration puts them", ["a", "b"], ["a", "n", "b"], ["a", "n", "b"]],
  ];
  for (const [name, live, config, expected] of orders) {
    it(`list order: ${name}`, () => {
      const merged = mergeValues(
        containers(...live.map((n) => ({ name: n }))),
        containers(...config.map((n) => ({ name: n }))),
        DaemonSet,
      );
      assert.deepEqual(names(merged), expected);
    });
  }

  it("dropNulls removes applied nulls from typed maps but keeps free-form content", () => {
    assert.deepEqual(
      dropNulls(
        { spec: { minReadySeconds: null, template: { metadata: { labels: { a: "1" } } } } },
        DaemonSet,
      ),
      { spec: { template: { metadata: { labels: { a: "1" } } } } },
    );
  });
});
