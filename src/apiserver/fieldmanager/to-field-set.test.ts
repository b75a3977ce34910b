// The fields an object sets, against the real kind schemas, and the strict check of apply configurations.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DaemonSet } from "../../api/schema/apps.js";
import { ConfigMap } from "../../api/schema/core.js";
import { Pod } from "../../api/schema/core-pod.js";
import { pathText } from "./path-element.js";
import { toFieldSet, typedConfigErrors } from "./to-field-set.js";

const fieldsOf = (value: unknown, schema = DaemonSet) => [...toFieldSet(value, schema).paths()].map(pathText);

describe("toFieldSet", () => {
  const cases: { name: string; value: unknown; schema?: typeof DaemonSet; expected: string[] }[] = [
    {
      name: "labels are a granular map: each key, and the map itself is not a member",
      value: { metadata: { labels: { app: "x", tier: "y" } } },
      expected: [".metadata.labels.app", ".metadata.labels.tier"],
    },
    {
      name: "an atomic struct (the selector) is one leaf",
      value: { spec: { selector: { matchLabels: { app: "x" } } } },
      expected: [".spec.selector"],
    },
    {
      name: "map-list items are keyed by name, with the item itself a member",
      value: { spec: { template: { spec: { containers: [{ name: "c", image: "i" }] } } } },
      expected: [
        '.spec.template.spec.containers[name="c"]',
        '.spec.template.spec.containers[name="c"].image',
        '.spec.template.spec.containers[name="c"].name',
      ],
    },
    {
      name: "ports are keyed by containerPort and protocol, protocol defaulting to TCP",
      value: { spec: { containers: [{ name: "c", ports: [{ containerPort: 80 }] }] } },
      schema: Pod,
      expected: [
        '.spec.containers[name="c"]',
        '.spec.containers[name="c"].name',
        '.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"]',
        '.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"].containerPort',
      ],
    },
    {
      name: "atomic lists (args, tolerations) are one leaf; sets list their values",
      value: {
        metadata: { finalizers: ["a", "b"] },
        spec: { tolerations: [{ operator: "Exists" }], containers: [{ name: "c", args: ["x"] }] },
      },
      schema: Pod,
      expected: [
        '.metadata.finalizers[="a"]',
        '.metadata.finalizers[="b"]',
        // A level's members come before its children, as upstream iterates.
        ".spec.tolerations",
        '.spec.containers[name="c"]',
        '.spec.containers[name="c"].args',
        '.spec.containers[name="c"].name',
      ],
    },
    {
      name: "empty and null maps are members",
      value: { spec: { template: { spec: { securityContext: {} } } }, metadata: { annotations: null } },
      expected: [".metadata.annotations", ".spec.template.spec.securityContext"],
    },
    {
      name: "duplicated items are owned whole",
      value: {
        spec: {
          containers: [
            { name: "c", image: "a" },
            { name: "c", image: "b" },
          ],
        },
      },
      schema: Pod,
      expected: ['.spec.containers[name="c"]'],
    },
    {
      name: "a map with arbitrary keys owns each key",
      value: { data: { a: "1", b: "2" } },
      schema: ConfigMap,
      expected: [".data.a", ".data.b"],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(fieldsOf(c.value, c.schema), c.expected));
});

describe("typedConfigErrors", () => {
  const cases: { name: string; value: unknown; expected: string[] }[] = [
    { name: "a well-formed configuration", value: { spec: { minReadySeconds: 3 } }, expected: [] },
    {
      name: "an unknown field",
      value: { spec: { template: { spec: { containers: [{ name: "c", imagee: "x" }] } } } },
      expected: ['.spec.template.spec.containers[name="c"].imagee: field not declared in schema'],
    },
    {
      name: "duplicate keys",
      value: { spec: { template: { spec: { containers: [{ name: "c" }, { name: "c" }] } } } },
      expected: ['.spec.template.spec.containers: duplicate entries for key [name="c"]'],
    },
    {
      name: "an item without its key",
      value: { spec: { template: { spec: { containers: [{ image: "x" }] } } } },
      expected: [
        '.spec.template.spec.containers: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
      ],
    },
    {
      name: "a list where a map belongs",
      value: { spec: { template: [] } },
      expected: [".spec.template: expected map, got list []"],
    },
  ];
  for (const c of cases)
    it(c.name, () => assert.deepEqual(typedConfigErrors(c.value, DaemonSet), c.expected));
});
