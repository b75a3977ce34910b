// Table tests of the PDB math: expected and desired healthy pods for integer and percentage budgets, the
// controller scales behind percentages, and intstr's scaling.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import {
  type ControllerRef,
  controllerOf,
  expectedPodCount,
  expectedScale,
  type ScaleFinder,
  scaledValueFromIntOrPercent,
} from "./expected-pods.js";

const owned = (name: string, owner?: { kind: string; name: string; uid: string }): KubeObject => ({
  metadata: {
    name,
    namespace: "default",
    ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", ...owner, controller: true }] } : {}),
  },
});

const rs1 = { kind: "ReplicaSet", name: "web-1", uid: "u1" };
const rs2 = { kind: "ReplicaSet", name: "web-2", uid: "u2" };
/** A finder that knows two ReplicaSets, of scale 4 and 2, and records what it was asked. */
function fakeFinder(asked: ControllerRef[] = []): ScaleFinder {
  const scales: Record<string, number> = { u1: 4, u2: 2 };
  return async (ref) => {
    asked.push(ref);
    return ref.uid in scales ? { uid: ref.uid, scale: scales[ref.uid] } : undefined;
  };
}
const pdb = (spec: Record<string, unknown>): KubeObject => ({
  metadata: { name: "b", namespace: "default" },
  spec,
});

describe("scaledValueFromIntOrPercent", () => {
  const cases: [number | string, number, number][] = [
    [3, 10, 3],
    ["50%", 5, 3],
    ["25%", 4, 1],
    ["0%", 7, 0],
    ["100%", 7, 7],
    ["1%", 1, 1],
  ];
  for (const [value, total, expected] of cases) {
    it(`${JSON.stringify(value)} of ${total} is ${expected}`, () =>
      assert.equal(scaledValueFromIntOrPercent(value, total), expected));
  }
  it("refuses strings that are not percentages, with upstream's messages", () => {
    assert.throws(() => scaledValueFromIntOrPercent("3", 4), {
      message: "invalid value for IntOrString: invalid type: string is not a percentage",
    });
    assert.throws(() => scaledValueFromIntOrPercent("x%", 4), {
      message: 'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax',
    });
  });
});

describe("controllerOf", () => {
  it("returns the controller reference only", () => {
    assert.deepEqual(controllerOf(owned("p", rs1)), { apiVersion: "apps/v1", ...rs1 });
    const notController = owned("p");
    notController.metadata.ownerReferences = [{ apiVersion: "v1", kind: "ConfigMap", name: "c", uid: "u" }];
    assert.equal(controllerOf(notController), undefined);
  });
});

describe("expectedScale", () => {
  it("sums each controller once and lists pods without a controller", async () => {
    const asked: ControllerRef[] = [];
    const pods = [owned("a", rs1), owned("b", rs1), owned("c", rs2), owned("loner")];
    assert.deepEqual(await expectedScale(pods, [fakeFinder(asked)]), {
      expectedCount: 6,
      unmanagedPods: ["loner"],
    });
    assert.deepEqual(
      asked.map((r) => r.uid),
      ["u1", "u2"],
    );
  });

  it("fails for a controller no finder knows", async () => {
    await assert.rejects(
      expectedScale([owned("a", { kind: "ReplicaSet", name: "gone", uid: "u9" })], [fakeFinder()]),
      {
        message: 'found no controllers for pod "a"',
      },
    );
  });

  it("passes on a finder's own failure", async () => {
    const failing: ScaleFinder = async () => {
      throw new Error("daemonsets.apps does not implement the scale subresource");
    };
    await assert.rejects(expectedScale([owned("a", rs1)], [failing, fakeFinder()]), {
      message: "daemonsets.apps does not implement the scale subresource",
    });
  });
});

describe("expectedPodCount", () => {
  const pods = [owned("a", rs1), owned("b", rs1), owned("c", rs2)];
  const cases: [
    string,
    Record<string, unknown>,
    readonly KubeObject[],
    { expectedCount: number; desiredHealthy: number },
  ][] = [
    [
      "minAvailable as a count: the selected pods",
      { minAvailable: 2 },
      pods,
      { expectedCount: 3, desiredHealthy: 2 },
    ],
    ["minAvailable as a count, no pods", { minAvailable: 1 }, [], { expectedCount: 0, desiredHealthy: 1 }],
    [
      "minAvailable as a percentage of the scale",
      { minAvailable: "50%" },
      pods,
      { expectedCount: 6, desiredHealthy: 3 },
    ],
    ["maxUnavailable as a count", { maxUnavailable: 1 }, pods, { expectedCount: 6, desiredHealthy: 5 }],
    [
      "maxUnavailable as a percentage, rounded up",
      { maxUnavailable: "10%" },
      pods,
      { expectedCount: 6, desiredHealthy: 5 },
    ],
    ["maxUnavailable above the scale", { maxUnavailable: 10 }, pods, { expectedCount: 6, desiredHealthy: 0 }],
    ["neither set", {}, pods, { expectedCount: 0, desiredHealthy: 0 }],
  ];
  for (const [name, spec, selected, expected] of cases) {
    it(name, async () => {
      const { expectedCount, desiredHealthy } = await expectedPodCount(pdb(spec), selected, [fakeFinder()]);
      assert.deepEqual({ expectedCount, desiredHealthy }, expected);
    });
  }

  it("an integer minAvailable needs no controllers at all", async () => {
    const unowned = [owned("x"), owned("y")];
    assert.deepEqual(await expectedPodCount(pdb({ minAvailable: 1 }), unowned, []), {
      expectedCount: 2,
      desiredHealthy: 1,
      unmanagedPods: [],
    });
  });
});
