// Tests for the schema catalogue: every served kind resolves, definitions are named and consistent, and the
// list semantics that strategic merge patch relies on match upstream.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RESOURCES } from "../resources.js";
import { KIND_SCHEMAS, schemaAtPath, schemaForKind } from "./index.js";
import type { Schema } from "./types.js";

/** Every schema reachable from `root`, with the path it was found at. */
function* walkSchemas(root: Schema, path = ""): Generator<[string, Schema]> {
  yield [path, root];
  for (const [key, child] of Object.entries(root.properties ?? {}))
    yield* walkSchemas(child, `${path}.${key}`);
  if (root.items) yield* walkSchemas(root.items, `${path}[]`);
  if (root.additionalProperties) yield* walkSchemas(root.additionalProperties, `${path}{}`);
}

describe("schemaForKind", () => {
  it("resolves every kind of the resource table with matching gvk and definition name", () => {
    for (const r of RESOURCES) {
      const schema = schemaForKind(r.group, r.version, r.kind);
      assert.ok(schema, `${r.group}/${r.version} ${r.kind}`);
      assert.deepEqual(schema.gvk, { group: r.group, version: r.version, kind: r.kind });
      assert.match(schema.definitionName ?? "", new RegExp(`^io\\.k8s\\.api\\.[a-z]+\\.v1\\.${r.kind}$`));
      assert.ok(schema.properties?.apiVersion && schema.properties.kind && schema.properties.metadata);
    }
  });

  it("resolves the subresource bodies and DeleteOptions", () => {
    assert.equal(schemaForKind("", "v1", "Binding")?.definitionName, "io.k8s.api.core.v1.Binding");
    assert.equal(schemaForKind("policy", "v1", "Eviction")?.definitionName, "io.k8s.api.policy.v1.Eviction");
    assert.equal(
      schemaForKind("apps", "v1", "DeleteOptions")?.definitionName,
      "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
    );
  });

  it("returns undefined for unknown kinds and versions", () => {
    assert.equal(schemaForKind("apps", "v1", "Deployment"), undefined);
    assert.equal(schemaForKind("apps", "v1beta1", "DaemonSet"), undefined);
    assert.equal(schemaForKind("", "v1", "DaemonSet"), undefined);
  });
});

describe("definitions", () => {
  it("names every object schema that has properties, and every description is a sentence", () => {
    for (const kind of KIND_SCHEMAS) {
      for (const [path, schema] of walkSchemas(kind)) {
        if (schema.properties)
          assert.match(schema.definitionName ?? "", /^io\.k8s\./, `${kind.gvk?.kind}${path}`);
        if (path)
          assert.ok(schema.description || !schema.definitionName, `${kind.gvk?.kind}${path} description`);
        if (schema.type === undefined) assert.ok(schema.intOrString || schema.preserveUnknownFields, path);
      }
    }
  });

  it("gives one shape to each definition name wherever it is reused", () => {
    const shapes = new Map<string, string>();
    for (const kind of KIND_SCHEMAS) {
      for (const [path, schema] of walkSchemas(kind)) {
        if (!schema.definitionName) continue;
        const shape = JSON.stringify({
          keys: Object.keys(schema.properties ?? {}),
          required: schema.required,
          type: schema.type,
          format: schema.format,
        });
        const seen = shapes.get(schema.definitionName);
        if (seen) assert.equal(shape, seen, `${schema.definitionName} at ${kind.gvk?.kind}${path}`);
        else shapes.set(schema.definitionName, shape);
      }
    }
    assert.ok(shapes.size > 150, `expected the full core/v1 closure, got ${shapes.size} definitions`);
  });

  it("carries upstream's scalar wrappers", () => {
    const ds = schemaForKind("apps", "v1", "DaemonSet")!;
    const maxUnavailable = schemaAtPath(ds, ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]);
    assert.equal(maxUnavailable?.intOrString, true);
    assert.equal(maxUnavailable?.definitionName, "io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    const cpu = schemaAtPath(ds, ["spec", "template", "spec", "containers", "resources", "limits", "cpu"]);
    assert.equal(cpu?.definitionName, "io.k8s.apimachinery.pkg.api.resource.Quantity");
    const created = schemaAtPath(ds, ["metadata", "creationTimestamp"]);
    assert.deepEqual([created?.type, created?.format], ["string", "date-time"]);
    const renew = schemaAtPath(schemaForKind("coordination.k8s.io", "v1", "Lease")!, ["spec", "renewTime"]);
    assert.equal(renew?.definitionName, "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime");
    const secretData = schemaAtPath(schemaForKind("", "v1", "Secret")!, ["data", "any-key"]);
    assert.deepEqual([secretData?.type, secretData?.format], ["string", "byte"]);
    assert.equal(
      schemaAtPath(schemaForKind("apps", "v1", "ControllerRevision")!, ["data"])?.preserveUnknownFields,
      true,
    );
    assert.equal(schemaAtPath(ds, ["metadata", "managedFields", "fieldsV1"])?.preserveUnknownFields, true);
  });

  it("keeps upstream's required lists and enums", () => {
    const ds = schemaForKind("apps", "v1", "DaemonSet")!;
    assert.deepEqual(schemaAtPath(ds, ["spec"])?.required, ["selector", "template"]);
    assert.deepEqual(schemaAtPath(ds, ["status"])?.required, [
      "currentNumberScheduled",
      "numberMisscheduled",
      "desiredNumberScheduled",
      "numberReady",
    ]);
    assert.deepEqual(schemaAtPath(ds, ["spec", "template", "spec"])?.required, ["containers"]);
    assert.deepEqual(schemaAtPath(ds, ["spec", "template", "spec", "containers", "0"])?.required, ["name"]);
    assert.deepEqual(schemaAtPath(ds, ["spec", "updateStrategy", "type"])?.enum, [
      "OnDelete",
      "RollingUpdate",
    ]);
    const node = schemaForKind("", "v1", "Node")!;
    assert.deepEqual(schemaAtPath(node, ["spec", "taints", "*"])?.required, ["key", "effect"]);
    assert.deepEqual(schemaAtPath(node, ["spec", "taints", "effect"])?.enum, [
      "NoExecute",
      "NoSchedule",
      "PreferNoSchedule",
    ]);
    const pod = schemaForKind("", "v1", "Pod")!;
    assert.deepEqual(schemaAtPath(pod, ["spec", "restartPolicy"])?.enum, ["Always", "Never", "OnFailure"]);
    assert.deepEqual(schemaAtPath(pod, ["spec", "containers", "ports", "protocol"])?.enum, [
      "SCTP",
      "TCP",
      "UDP",
    ]);
    assert.deepEqual(schemaAtPath(pod, ["metadata", "ownerReferences", "*"])?.required, [
      "apiVersion",
      "kind",
      "name",
      "uid",
    ]);
  });
});

describe("list semantics for strategic merge patch", () => {
  type Semantics = Pick<Schema, "patchStrategy" | "patchMergeKey" | "listType" | "listMapKeys">;
  const cases: [string, string[], Semantics][] = [
    [
      "Pod",
      ["spec", "containers"],
      { patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },
    ],
    [
      "Pod",
      ["spec", "initContainers"],
      { patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },
    ],
    [
      "Pod",
      ["spec", "volumes"],
      { patchStrategy: "merge,retainKeys", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },
    ],
    [
      "Pod",
      ["spec", "containers", "ports"],
      {
        patchStrategy: "merge",
        patchMergeKey: "containerPort",
        listType: "map",
        listMapKeys: ["containerPort", "protocol"],
      },
    ],
    [
      "Pod",
      ["spec", "containers", "env"],
      { patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },
    ],
    [
      "Pod",
      ["spec", "containers", "volumeMounts"],
      { patchStrategy: "merge", patchMergeKey: "mountPath", listType: "map", listMapKeys: ["mountPath"] },
    ],
    [
      "Pod",
      ["spec", "containers", "volumeDevices"],
      { patchStrategy: "merge", patchMergeKey: "devicePath", listType: "map", listMapKeys: ["devicePath"] },
    ],
    ["Pod", ["spec", "containers", "args"], { listType: "atomic" }],
    ["Pod", ["spec", "tolerations"], { listType: "atomic" }],
    [
      "Pod",
      ["spec", "imagePullSecrets"],
      { patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },
    ],
    [
      "Pod",
      ["spec", "hostAliases"],
      { patchStrategy: "merge", patchMergeKey: "ip", listType: "map", listMapKeys: ["ip"] },
    ],
    [
      "Pod",
      ["spec", "topologySpreadConstraints"],
      {
        patchStrategy: "merge",
        patchMergeKey: "topologyKey",
        listType: "map",
        listMapKeys: ["topologyKey", "whenUnsatisfiable"],
      },
    ],
    [
      "Pod",
      ["status", "conditions"],
      { patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"] },
    ],
    [
      "Pod",
      ["status", "podIPs"],
      { patchStrategy: "merge", patchMergeKey: "ip", listType: "map", listMapKeys: ["ip"] },
    ],
    [
      "Pod",
      ["metadata", "ownerReferences"],
      { patchStrategy: "merge", patchMergeKey: "uid", listType: "map", listMapKeys: ["uid"] },
    ],
    ["Pod", ["metadata", "finalizers"], { patchStrategy: "merge", listType: "set" }],
    ["Pod", ["metadata", "managedFields"], { listType: "atomic" }],
    [
      "Node",
      ["status", "conditions"],
      { patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"] },
    ],
    [
      "Node",
      ["status", "addresses"],
      { patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"] },
    ],
    ["Node", ["spec", "podCIDRs"], { patchStrategy: "merge", listType: "set" }],
    ["Node", ["spec", "taints"], { listType: "atomic" }],
    [
      "DaemonSet",
      ["status", "conditions"],
      { patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"] },
    ],
    [
      "DaemonSet",
      ["spec", "template", "spec", "containers"],
      { patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },
    ],
    [
      "ServiceAccount",
      ["secrets"],
      { patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },
    ],
    ["Namespace", ["spec", "finalizers"], { listType: "atomic" }],
    ["ClusterRole", ["rules"], { listType: "atomic" }],
  ];
  const groupOf: Record<string, string> = { DaemonSet: "apps", ClusterRole: "rbac.authorization.k8s.io" };

  for (const [kind, path, expected] of cases) {
    it(`${kind} ${path.join(".")}`, () => {
      const schema = schemaAtPath(schemaForKind(groupOf[kind] ?? "", "v1", kind)!, path);
      assert.ok(schema, "path exists");
      const { patchStrategy, patchMergeKey, listType, listMapKeys } = schema;
      const actual = Object.fromEntries(
        Object.entries({ patchStrategy, patchMergeKey, listType, listMapKeys }).filter(
          ([, v]) => v !== undefined,
        ),
      );
      assert.deepEqual(actual, expected);
    });
  }

  it("follows upstream in giving DaemonSet updateStrategy no retainKeys strategy", () => {
    const strategy = schemaAtPath(schemaForKind("apps", "v1", "DaemonSet")!, ["spec", "updateStrategy"]);
    assert.equal(strategy?.patchStrategy, undefined);
  });

  it("marks atomic structs and maps", () => {
    const pod = schemaForKind("", "v1", "Pod")!;
    assert.equal(schemaAtPath(pod, ["spec", "nodeSelector"])?.mapType, "atomic");
    assert.equal(
      schemaAtPath(pod, [
        "spec",
        "affinity",
        "podAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "labelSelector",
      ])?.mapType,
      "atomic",
    );
  });
});

describe("schemaAtPath", () => {
  const ds = schemaForKind("apps", "v1", "DaemonSet")!;
  const cases: [string[], string | undefined][] = [
    [[], "io.k8s.api.apps.v1.DaemonSet"],
    [["spec", "template", "spec"], "io.k8s.api.core.v1.PodSpec"],
    [["spec", "template", "spec", "containers", "0"], "io.k8s.api.core.v1.Container"],
    [
      ["spec", "template", "spec", "containers", "*", "securityContext"],
      "io.k8s.api.core.v1.SecurityContext",
    ],
    [
      ["spec", "template", "spec", "containers", "livenessProbe", "httpGet"],
      "io.k8s.api.core.v1.HTTPGetAction",
    ],
    [["spec", "template", "spec", "volumes", "hostPath"], "io.k8s.api.core.v1.HostPathVolumeSource"],
    [
      [
        "spec",
        "template",
        "spec",
        "affinity",
        "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "nodeSelectorTerms",
        "matchExpressions",
      ],
      undefined,
    ],
  ];
  for (const [path, name] of cases) {
    it(`walks ${path.join(".") || "(root)"}`, () => {
      const schema = schemaAtPath(ds, path);
      assert.ok(schema);
      if (name) assert.equal(schema.definitionName, name);
    });
  }

  it("steps through map values and stops at unknown fields", () => {
    assert.equal(schemaAtPath(ds, ["metadata", "labels", "app"])?.type, "string");
    assert.equal(schemaAtPath(ds, ["spec", "templates"]), undefined);
    assert.equal(schemaAtPath(ds, ["spec", "minReadySeconds", "x"]), undefined);
    assert.equal(schemaAtPath(ds, ["constructor"]), undefined);
  });
});
