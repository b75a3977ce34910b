// Ownership rules: updates take what they change, applies own their configuration, prune what they dropped,
// and conflict with other managers' fields unless forced. Scenarios run as sequences of writes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DaemonSet } from "../../api/schema/apps.js";
import { ApplyConflicts } from "./conflicts.js";
import { FieldSet } from "./field-set.js";
import { fieldElement, pathText } from "./path-element.js";
import { applyConfiguration, type ManagerSets, recordUpdate, type UpdaterContext } from "./updater.js";

const ctx: UpdaterContext = {
  schema: DaemonSet,
  apiVersion: "apps/v1",
  ignored: FieldSet.of([fieldElement("status")]),
};

type Step =
  | { apply: string; config: object; force?: boolean; conflicts?: string[] }
  | { update: string; object: object };

interface Scenario {
  name: string;
  live?: object;
  steps: Step[];
  object: object;
  owners: Record<string, string[]>;
}

const labels = (l: Record<string, string>) => ({ metadata: { labels: l } });
const containers = (...items: object[]) => ({ spec: { template: { spec: { containers: items } } } });

function run(s: Scenario) {
  let live: unknown = s.live ?? {};
  let managers: ManagerSets = new Map();
  for (const step of s.steps) {
    if ("update" in step) {
      managers = recordUpdate(live, step.object, managers, step.update, ctx);
      live = step.object;
      continue;
    }
    try {
      const r = applyConfiguration(live, step.config, managers, step.apply, step.force ?? false, ctx);
      assert.equal(step.conflicts, undefined, `${step.apply} was expected to conflict`);
      managers = r.managers;
      if (r.object !== undefined) live = r.object;
    } catch (e) {
      if (!(e instanceof ApplyConflicts) || !step.conflicts) throw e;
      assert.deepEqual(
        e.conflicts.map((c) => `${c.manager} ${pathText(c.path)}`),
        step.conflicts,
      );
    }
  }
  const owners = Object.fromEntries([...managers].map(([m, vs]) => [m, [...vs.set.paths()].map(pathText)]));
  return { live, owners };
}

const scenarios: Scenario[] = [
  {
    name: "an apply owns exactly its configuration",
    steps: [{ apply: "a", config: labels({ x: "1" }) }],
    object: labels({ x: "1" }),
    owners: { a: [".metadata.labels.x"] },
  },
  {
    name: "re-applying without a field removes it",
    steps: [
      { apply: "a", config: labels({ x: "1", y: "2" }) },
      { apply: "a", config: labels({ x: "1" }) },
    ],
    object: labels({ x: "1" }),
    owners: { a: [".metadata.labels.x"] },
  },
  {
    name: "a field two appliers share survives one of them dropping it",
    steps: [
      { apply: "a", config: labels({ x: "1", y: "2" }) },
      { apply: "b", config: labels({ y: "2" }) },
      { apply: "a", config: labels({ x: "1" }) },
    ],
    object: labels({ x: "1", y: "2" }),
    owners: { a: [".metadata.labels.x"], b: [".metadata.labels.y"] },
  },
  {
    name: "changing another applier's field conflicts and changes nothing",
    steps: [
      { apply: "a", config: containers({ name: "c", image: "v1" }) },
      {
        apply: "b",
        config: containers({ name: "c", image: "v2" }),
        conflicts: ['a .spec.template.spec.containers[name="c"].image'],
      },
    ],
    object: containers({ name: "c", image: "v1" }),
    owners: {
      a: [
        '.spec.template.spec.containers[name="c"]',
        '.spec.template.spec.containers[name="c"].image',
        '.spec.template.spec.containers[name="c"].name',
      ],
    },
  },
  {
    name: "force takes the field away from its owner",
    steps: [
      { apply: "a", config: containers({ name: "c", image: "v1" }) },
      { apply: "b", config: containers({ name: "c", image: "v2" }), force: true },
    ],
    object: containers({ name: "c", image: "v2" }),
    owners: {
      a: ['.spec.template.spec.containers[name="c"]', '.spec.template.spec.containers[name="c"].name'],
      b: [
        '.spec.template.spec.containers[name="c"]',
        '.spec.template.spec.containers[name="c"].image',
        '.spec.template.spec.containers[name="c"].name',
      ],
    },
  },
  {
    name: "an update takes over what it changes, and the applier no longer prunes it",
    steps: [
      { apply: "a", config: labels({ x: "1", y: "2" }) },
      { update: "u", object: labels({ x: "1", y: "3" }) },
      { apply: "a", config: labels({ x: "1" }) },
    ],
    object: labels({ x: "1", y: "3" }),
    owners: { a: [".metadata.labels.x"], u: [".metadata.labels.y"] },
  },
  {
    name: "an update that removes a field takes it from its owner without owning anything",
    steps: [
      { apply: "a", config: labels({ x: "1", y: "2" }) },
      { update: "u", object: labels({ x: "1" }) },
    ],
    object: labels({ x: "1" }),
    owners: { a: [".metadata.labels.x"] },
  },
  {
    name: "a list item the applier drops is removed; the other items stay in order",
    steps: [
      { apply: "a", config: containers({ name: "c", image: "1" }, { name: "d", image: "2" }, { name: "e" }) },
      { apply: "a", config: containers({ name: "c", image: "1" }, { name: "e" }) },
    ],
    object: containers({ name: "c", image: "1" }, { name: "e" }),
    owners: {
      a: [
        '.spec.template.spec.containers[name="c"]',
        '.spec.template.spec.containers[name="e"]',
        '.spec.template.spec.containers[name="c"].image',
        '.spec.template.spec.containers[name="c"].name',
        '.spec.template.spec.containers[name="e"].name',
      ],
    },
  },
  {
    name: "applying the same value as another manager shares the field without conflict",
    steps: [
      { update: "u", object: labels({ x: "1" }) },
      { apply: "a", config: labels({ x: "1" }) },
    ],
    object: labels({ x: "1" }),
    // Server-owned metadata (here `.metadata`) is stripped by the field manager, not by these rules.
    owners: { u: [".metadata", ".metadata.labels", ".metadata.labels.x"], a: [".metadata.labels.x"] },
  },
  {
    name: "reset fields (status on the main resource) are never owned",
    steps: [{ apply: "a", config: { spec: { minReadySeconds: 5 }, status: { numberReady: 3 } } }],
    object: { spec: { minReadySeconds: 5 }, status: { numberReady: 3 } },
    owners: { a: [".spec.minReadySeconds"] },
  },
];

describe("ownership", () => {
  for (const s of scenarios) {
    it(s.name, () => {
      const { live, owners } = run(s);
      assert.deepEqual(live, s.object);
      assert.deepEqual(owners, s.owners);
    });
  }

  it("a no-op apply returns no object", () => {
    const config = labels({ x: "1" });
    const first = applyConfiguration({}, config, new Map(), "a", false, ctx);
    const again = applyConfiguration(first.object, config, first.managers, "a", false, ctx);
    assert.equal(again.object, undefined);
    assert.deepEqual([...again.managers.keys()], ["a"]);
  });
});
