import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dropGoZeroValues } from "./go-zero-values.js";

describe("dropGoZeroValues", () => {
  it("drops omitempty scalars at their zero and keeps the counts Go always writes", () => {
    const ds = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "x", namespace: "", generation: 0 },
      spec: { minReadySeconds: 0, revisionHistoryLimit: 0 },
      status: {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
        updatedNumberScheduled: 0,
        numberAvailable: 0,
        numberUnavailable: 0,
        observedGeneration: 0,
      },
    };
    dropGoZeroValues(ds, "apps/v1", "DaemonSet");
    assert.deepEqual(ds, {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "x" },
      // revisionHistoryLimit is a pointer: its zero is a value.
      spec: { revisionHistoryLimit: 0 },
      status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
    });
  });

  it("walks lists and nested messages, keeps non-zero values, and leaves frozen parts alone", () => {
    const shared = Object.freeze({ name: "frozen", image: "busybox", hostNetwork: false, workingDir: "" });
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {
        hostNetwork: false,
        hostPID: true,
        nodeName: "",
        containers: [
          { name: "a", image: "busybox", workingDir: "", ports: [{ containerPort: 80, hostPort: 0 }] },
          shared,
        ],
      },
      status: {
        phase: "Running",
        message: "",
        containerStatuses: [{ name: "a", ready: false, restartCount: 0 }],
      },
    };
    dropGoZeroValues(pod, "v1", "Pod");
    assert.deepEqual(pod.spec, {
      hostPID: true,
      containers: [{ name: "a", image: "busybox", ports: [{ containerPort: 80 }] }, shared],
    });
    assert.deepEqual(pod.status, {
      phase: "Running",
      containerStatuses: [{ name: "a", ready: false, restartCount: 0 }],
    });
  });

  it("leaves kinds it has no rules for as they are", () => {
    const obj = { apiVersion: "example.com/v1", kind: "Thing", spec: { n: 0, s: "" } };
    dropGoZeroValues(obj, "example.com/v1", "Thing");
    assert.deepEqual(obj.spec, { n: 0, s: "" });
  });
});

describe("dropGoZeroValues and a body's own __proto__ key", () => {
  it("keeps the key as data in the copy it makes, never as the copy's prototype", () => {
    const pod = JSON.parse(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","generateName":"","__proto__":{"finalizers":["x"]}}}',
    );
    dropGoZeroValues(pod, "v1", "Pod");
    assert.equal(Object.getPrototypeOf(pod.metadata), Object.prototype);
    assert.equal(pod.metadata.finalizers, undefined);
    assert.equal("generateName" in pod.metadata, false);
  });
});
