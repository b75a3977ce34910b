// The container environment: downward-API fields, resource fields, $(VAR) references, envFrom with prefixes,
// image ENV overridden in place, TERM with a TTY, the kubernetes Service links and HOME.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import {
  containerEnvironment,
  expandReferences,
  podFieldValue,
  resourceFieldValue,
} from "./container-env.js";
import { imageProfile } from "./image-profile.js";

const POD: KubeObject = {
  metadata: {
    name: "p",
    namespace: "ns",
    uid: "u-1",
    labels: { app: "web", tier: "a" },
    annotations: { note: "x" },
  },
  spec: { nodeName: "node1", serviceAccountName: "sa" },
};

describe("podFieldValue", () => {
  const cases: [string, string | undefined][] = [
    ["metadata.name", "p"],
    ["metadata.namespace", "ns"],
    ["metadata.uid", "u-1"],
    ["metadata.labels['app']", "web"],
    ["metadata.annotations['note']", "x"],
    ["metadata.labels", 'app="web"\ntier="a"'],
    ["spec.nodeName", "node1"],
    ["spec.serviceAccountName", "sa"],
    ["status.podIP", "10.244.1.2"],
    ["status.hostIP", "10.0.0.2"],
    ["spec.unknown", undefined],
  ];
  for (const [path, value] of cases) {
    it(path, () => assert.equal(podFieldValue(POD, path, "10.244.1.2", "10.0.0.2"), value));
  }
});

describe("resourceFieldValue", () => {
  const spec = { resources: { limits: { cpu: "250m", memory: "1Gi" }, requests: { cpu: "100m" } } };
  const cases: [Record<string, any>, { resource: string; divisor?: string }, string | undefined][] = [
    [spec, { resource: "limits.cpu" }, "1"],
    [spec, { resource: "limits.cpu", divisor: "1m" }, "250"],
    [spec, { resource: "limits.memory", divisor: "1Mi" }, "1024"],
    [spec, { resource: "requests.cpu", divisor: "1m" }, "100"],
    [{}, { resource: "limits.cpu" }, "4"],
    [{}, { resource: "requests.memory" }, "0"],
    [spec, { resource: "bogus" }, undefined],
  ];
  for (const [s, ref, value] of cases) {
    it(`${ref.resource} / ${ref.divisor ?? "1"}`, () =>
      assert.equal(resourceFieldValue(s, ref, { cpu: "4", memory: "8Gi" }), value));
  }
});

describe("expandReferences", () => {
  const vars: Record<string, string> = { A: "1", B: "two" };
  const cases: [string, string][] = [
    ["$(A)-$(B)", "1-two"],
    ["$(MISSING)", "$(MISSING)"],
    ["$$(A)", "$(A)"],
    ["cost: $5", "cost: $5"],
    ["open $(A", "open $(A"],
  ];
  for (const [text, out] of cases)
    it(text, () =>
      assert.equal(
        expandReferences(text, (n) => vars[n]),
        out,
      ),
    );
});

describe("containerEnvironment", () => {
  it("orders image ENV, the pod's variables, the Service links and HOME", async () => {
    const env = await containerEnvironment({
      pod: POD,
      spec: {
        envFrom: [{ configMapRef: { name: "cm" }, prefix: "CM_" }, { secretRef: { name: "missing" } }],
        env: [
          { name: "NGINX_VERSION", value: "override" },
          { name: "URL", value: "http://$(KUBERNETES_SERVICE_HOST):$(CM_port)" },
          { name: "EMPTY" },
        ],
      },
      profile: imageProfile("nginx:1.27.3"),
      hostname: "p",
      podIP: "10.244.1.2",
      hostIP: "10.0.0.2",
      allocatable: { cpu: "4", memory: "8Gi" },
      home: "/root",
      tty: true,
      lookups: {
        configMap: async (name) => (name === "cm" ? { port: "8080", "bad key": "x" } : undefined),
        secret: async () => undefined,
      },
    });
    const names = env.map(([k]) => k);
    assert.deepEqual(names.slice(0, 4), ["PATH", "HOSTNAME", "TERM", "NGINX_VERSION"]);
    assert.equal(names[names.length - 1], "HOME");
    const map = new Map(env);
    assert.equal(map.get("NGINX_VERSION"), "override");
    assert.equal(map.get("CM_port"), "8080");
    assert.equal(map.has("CM_bad key"), false);
    assert.equal(map.get("URL"), "http://10.96.0.1:8080");
    assert.equal(map.get("EMPTY"), "");
    assert.equal(map.get("KUBERNETES_PORT_443_TCP_ADDR"), "10.96.0.1");
  });
});
