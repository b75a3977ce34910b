// The DaemonSet generator prints what kubectl's generators print, and what it prints passes validation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { applyDefaults } from "../api/defaults/index.js";
import { validateCreate } from "../api/validation/index.js";
import { containerNameForImage, renderDaemonSet } from "./create-daemonset.js";

describe("everynode create daemonset", () => {
  it("names containers after the image as kubectl does", () => {
    assert.equal(containerNameForImage("nginx"), "nginx");
    assert.equal(containerNameForImage("fluent/fluentd:v1.16"), "fluentd");
    assert.equal(containerNameForImage("quay.io/prometheus/node-exporter@sha256:abc"), "node-exporter");
  });

  it("prints a manifest kubectl-style, with the seeds' shape", () => {
    const text = renderDaemonSet({ name: "my-daemon", images: ["nginx"], output: "yaml" });
    assert.equal(
      text,
      [
        "apiVersion: apps/v1",
        "kind: DaemonSet",
        "metadata:",
        "  creationTimestamp: null",
        "  labels:",
        "    app: my-daemon",
        "  name: my-daemon",
        "spec:",
        "  selector:",
        "    matchLabels:",
        "      app: my-daemon",
        "  template:",
        "    metadata:",
        "      creationTimestamp: null",
        "      labels:",
        "        app: my-daemon",
        "    spec:",
        "      containers:",
        "      - image: nginx",
        "        name: nginx",
        "        resources: {}",
        "  updateStrategy: {}",
        "status:",
        "  currentNumberScheduled: 0",
        "  desiredNumberScheduled: 0",
        "  numberMisscheduled: 0",
        "  numberReady: 0",
        "",
      ].join("\n"),
    );
  });

  it("produces a DaemonSet that validates once defaulted, as the server will see it", () => {
    const obj = parse(
      renderDaemonSet({
        name: "agent",
        images: ["busybox:1.36"],
        namespace: "ops",
        port: 9100,
        output: "yaml",
      }),
    );
    delete obj.status;
    obj.metadata.namespace = "ops";
    applyDefaults("apps", "DaemonSet", obj);
    assert.deepEqual(validateCreate("apps/DaemonSet", obj), []);
    assert.deepEqual(obj.spec.template.spec.containers[0].ports, [{ containerPort: 9100, protocol: "TCP" }]);
  });
});
