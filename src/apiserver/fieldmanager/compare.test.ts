// Field-by-field comparison of two object versions against the DaemonSet schema.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DaemonSet } from "../../api/schema/apps.js";
import { compareObjects } from "./compare.js";
import type { FieldSet } from "./field-set.js";
import { pathText } from "./path-element.js";

const text = (s: FieldSet) => [...s.paths()].map(pathText);

const containers = (...items: object[]) => ({ spec: { template: { spec: { containers: items } } } });

describe("compareObjects", () => {
  const cases: {
    name: string;
    lhs: unknown;
    rhs: unknown;
    added?: string[];
    modified?: string[];
    removed?: string[];
  }[] = [
    {
      name: "equal objects",
      lhs: containers({ name: "c", image: "a" }),
      rhs: containers({ name: "c", image: "a" }),
    },
    {
      name: "a changed scalar is modified",
      lhs: containers({ name: "c", image: "a" }),
      rhs: containers({ name: "c", image: "b" }),
      modified: ['.spec.template.spec.containers[name="c"].image'],
    },
    {
      name: "a new item is added with its fields",
      lhs: containers({ name: "c" }),
      rhs: containers({ name: "c" }, { name: "d", image: "x" }),
      added: [
        '.spec.template.spec.containers[name="d"]',
        '.spec.template.spec.containers[name="d"].image',
        '.spec.template.spec.containers[name="d"].name',
      ],
    },
    {
      name: "reordering a map-list changes nothing",
      lhs: containers({ name: "c" }, { name: "d" }),
      rhs: containers({ name: "d" }, { name: "c" }),
    },
    {
      name: "a map that appears is added with its keys, one that disappears is removed",
      lhs: { metadata: { annotations: { a: "1" } } },
      rhs: { metadata: { labels: { app: "x" } } },
      added: [".metadata.labels", ".metadata.labels.app"],
      removed: [".metadata.annotations", ".metadata.annotations.a"],
    },
    {
      name: "an atomic selector changes as a whole",
      lhs: { spec: { selector: { matchLabels: { a: "1" } } } },
      rhs: { spec: { selector: { matchLabels: { a: "2" } } } },
      modified: [".spec.selector"],
    },
    {
      name: "an emptied map is a leaf",
      lhs: { spec: { template: { spec: { securityContext: {} } } } },
      rhs: { spec: { template: { spec: {} } } },
      removed: [".spec.template.spec.securityContext"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = compareObjects(c.lhs, c.rhs, DaemonSet);
      assert.deepEqual(
        { added: text(r.added), modified: text(r.modified), removed: text(r.removed) },
        { added: c.added ?? [], modified: c.modified ?? [], removed: c.removed ?? [] },
      );
    });
  }
});
