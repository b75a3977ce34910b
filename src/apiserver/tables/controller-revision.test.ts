// Table tests for ControllerRevision rows: the controller owner as kind.group/name and the revision.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ControllerRevision } from "kubernetes-types/apps/v1.js";
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { controllerRevisionPrinter } from "./controller-revision.js";
import { ago, DAY, NOW } from "./testing.js";

const revision = (ownerReferences?: OwnerReference[]): ControllerRevision => ({
  apiVersion: "apps/v1",
  kind: "ControllerRevision",
  metadata: {
    name: "fluentd-6d4cf56db6",
    namespace: "kube-system",
    creationTimestamp: ago(2 * DAY),
    ownerReferences,
  },
  revision: 2,
});

const owner = (apiVersion: string, kind: string, controller?: boolean): OwnerReference => ({
  apiVersion,
  kind,
  name: "fluentd",
  uid: "0b7c3f0e-0000-4000-8000-000000000002",
  controller,
});

describe("ControllerRevision rows", () => {
  const cases: [string, OwnerReference[] | undefined, string][] = [
    ["owned by a DaemonSet", [owner("apps/v1", "DaemonSet", true)], "daemonset.apps/fluentd"],
    ["owned by a core kind", [owner("v1", "Pod", true)], "pod/fluentd"],
    ["no owners", undefined, "<none>"],
    ["owners but no controller", [owner("apps/v1", "DaemonSet")], "<none>"],
    [
      "the controller among other owners",
      [owner("v1", "ConfigMap", false), owner("apps/v1", "StatefulSet", true)],
      "statefulset.apps/fluentd",
    ],
  ];
  for (const [name, owners, controller] of cases) {
    it(name, () => {
      assert.deepEqual(controllerRevisionPrinter.cells(revision(owners), NOW), [
        "fluentd-6d4cf56db6",
        controller,
        2,
        "2d",
      ]);
    });
  }

  it("has upstream's columns", () => {
    assert.deepEqual(
      controllerRevisionPrinter.columns.map((c) => c.name),
      ["Name", "Controller", "Revision", "Age"],
    );
  });
});
