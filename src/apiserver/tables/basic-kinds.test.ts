// Table tests for Namespace, ConfigMap, Secret, ServiceAccount and Lease rows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  configMapPrinter,
  leasePrinter,
  namespacePrinter,
  secretPrinter,
  serviceAccountPrinter,
} from "./basic-kinds.js";
import { ago, DAY, HOUR, MINUTE, NOW, SECOND } from "./testing.js";

describe("small kinds", () => {
  it("Namespace: name, phase, age", () => {
    const ns = {
      metadata: { name: "kube-system", creationTimestamp: ago(400 * DAY) },
      status: { phase: "Active" },
    };
    assert.deepEqual(namespacePrinter.cells(ns, NOW), ["kube-system", "Active", "400d"]);
    const terminating = {
      metadata: { name: "old", creationTimestamp: ago(HOUR) },
      status: { phase: "Terminating" },
    };
    assert.deepEqual(namespacePrinter.cells(terminating, NOW), ["old", "Terminating", "60m"]);
    assert.deepEqual(
      namespacePrinter.columns.map((c) => c.name),
      ["Name", "Status", "Age"],
    );
  });

  it("ConfigMap: data and binaryData keys are counted together", () => {
    const cm = {
      metadata: { name: "fluentd-config", creationTimestamp: ago(2 * MINUTE + 5 * SECOND) },
      data: { "fluent.conf": "<source>", "extra.conf": "" },
      binaryData: { "cert.der": "AAEC" },
    };
    assert.deepEqual(configMapPrinter.cells(cm, NOW), ["fluentd-config", 3, "2m5s"]);
    assert.deepEqual(
      configMapPrinter.cells({ metadata: { name: "empty", creationTimestamp: ago(0) } }, NOW),
      ["empty", 0, "0s"],
    );
    assert.deepEqual(
      configMapPrinter.columns.map((c) => c.name),
      ["Name", "Data", "Age"],
    );
  });

  it("Secret: type and data count", () => {
    const secret = {
      metadata: { name: "registry-creds", creationTimestamp: ago(3 * HOUR + 20 * MINUTE) },
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": "e30=" },
    };
    assert.deepEqual(secretPrinter.cells(secret, NOW), [
      "registry-creds",
      "kubernetes.io/dockerconfigjson",
      1,
      "3h20m",
    ]);
    assert.deepEqual(
      secretPrinter.columns.map((c) => c.name),
      ["Name", "Type", "Data", "Age"],
    );
  });

  it("ServiceAccount: number of secrets", () => {
    const sa = {
      metadata: { name: "fluentd", creationTimestamp: ago(DAY) },
      secrets: [{ name: "fluentd-token" }],
    };
    assert.deepEqual(serviceAccountPrinter.cells(sa, NOW), ["fluentd", 1, "24h"]);
    assert.deepEqual(
      serviceAccountPrinter.cells({ metadata: { name: "default", creationTimestamp: ago(DAY) } }, NOW),
      ["default", 0, "24h"],
    );
    assert.deepEqual(
      serviceAccountPrinter.columns.map((c) => c.name),
      ["Name", "Secrets", "Age"],
    );
  });

  it("Lease: holder identity, empty when free", () => {
    const lease = {
      metadata: { name: "worker-1", namespace: "kube-node-lease", creationTimestamp: ago(9 * DAY) },
      spec: { holderIdentity: "worker-1", leaseDurationSeconds: 40 },
    };
    assert.deepEqual(leasePrinter.cells(lease, NOW), ["worker-1", "worker-1", "9d"]);
    assert.deepEqual(
      leasePrinter.cells({ metadata: { name: "free", creationTimestamp: ago(DAY) }, spec: {} }, NOW),
      ["free", "", "24h"],
    );
    assert.deepEqual(
      leasePrinter.columns.map((c) => c.name),
      ["Name", "Holder", "Age"],
    );
  });
});
