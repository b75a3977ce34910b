// Tests of Node validation: taints, resources, pod CIDRs and the update rules.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldError } from "./field-errors.js";
import { validateNode, validateNodeUpdate } from "./node.js";

const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());

describe("validateNode", () => {
  it("accepts a simulated node", () => {
    const node = {
      metadata: { name: "worker-1", labels: { "kubernetes.io/hostname": "worker-1" } },
      spec: {
        taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
        podCIDRs: ["10.244.1.0/24"],
      },
      status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } },
    };
    assert.deepEqual(messages(validateNode(node)), []);
  });
  it("checks taints", () => {
    const node = {
      metadata: { name: "n" },
      spec: {
        taints: [
          { key: "a", effect: "NoSchedule" },
          { key: "a", value: "other", effect: "NoSchedule" },
          { key: "b", effect: "" },
          { key: "c", effect: "Sometimes" },
          { key: "bad key", value: "x y", effect: "NoExecute" },
        ],
      },
    };
    assert.deepEqual(messages(validateNode(node)), [
      'metadata.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"other", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      "metadata.taints[2].effect: Required value",
      'metadata.taints[3].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      "metadata.taints[4].key: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "metadata.taints[4].value: Invalid value: \"x y\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });
  it("checks capacity, namespace and CIDRs", () => {
    const node = {
      metadata: { name: "n", namespace: "default" },
      spec: { podCIDRs: ["10.0.0.0/33"] },
      status: { capacity: { pods: "1.5", memory: "-1" } },
    };
    assert.deepEqual(messages(validateNode(node)), [
      "metadata.namespace: Forbidden: not allowed on this type",
      'status.capacity.memory: Invalid value: "-1": must be greater than or equal to 0',
      'status.capacity.pods: Invalid value: "1500m": must be an integer',
      'spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
  });
});

describe("validateNodeUpdate", () => {
  const old = {
    metadata: { name: "n", resourceVersion: "1" },
    spec: { podCIDRs: ["10.244.1.0/24"], providerID: "sim://n" },
  };
  it("keeps podCIDRs and providerID once set", () => {
    const next = { metadata: old.metadata, spec: { podCIDRs: ["10.244.2.0/24"], providerID: "sim://m" } };
    assert.deepEqual(messages(validateNodeUpdate(next, old)), [
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
      'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
    ]);
  });
  it("rejects duplicate addresses", () => {
    const address = { type: "InternalIP", address: "10.0.0.1" };
    const next = { ...old, status: { addresses: [address, address] } };
    assert.deepEqual(messages(validateNodeUpdate(next, old)), [
      'status.addresses[1]: Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"10.0.0.1"}',
    ]);
  });
});
