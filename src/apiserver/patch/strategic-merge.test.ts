// Table tests for the strategic merge patch: every directive, merge keys and strategies, the patches kubectl
// really sends, and the errors a malformed patch earns.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import type { Schema } from "../../api/schema/types.js";
import { patchErrorText } from "./patch-errors.js";
import { applyStrategicMergePatch } from "./strategic-merge.js";
import { daemonSetSchema, deploymentSchema, nodeSchema, openSchema, podSchema } from "./test-schemas.js";

interface Case {
  name: string;
  schema?: Schema;
  original: unknown;
  patch: unknown;
  expected: unknown;
}

function runCases(cases: Case[], defaultSchema: Schema | undefined) {
  for (const c of cases) {
    it(c.name, () => {
      const schema = "schema" in c ? c.schema : defaultSchema;
      assert.deepEqual(applyStrategicMergePatch(c.original, c.patch, schema), c.expected);
    });
  }
}

/** A pod whose containers are the given maps. */
const pod = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  spec: { containers, ...extra },
});
/** A DaemonSet whose pod template has the given pod spec. */
const daemonSet = (podSpec: unknown, rest: Record<string, unknown> = {}) => ({
  spec: { template: { spec: podSpec }, ...rest },
});

describe("strategic merge patch: maps", () => {
  runCases(
    [
      {
        name: "merges maps recursively and adds new keys",
        original: { metadata: { name: "p", labels: { a: "1" } } },
        patch: { metadata: { labels: { b: "2" } } },
        expected: { metadata: { name: "p", labels: { a: "1", b: "2" } } },
      },
      {
        name: "null deletes a key",
        original: { metadata: { labels: { a: "1", b: "2" } } },
        patch: { metadata: { labels: { a: null } } },
        expected: { metadata: { labels: { b: "2" } } },
      },
      {
        name: "null for a key the object lacks changes nothing",
        original: { metadata: { labels: { a: "1" } } },
        patch: { metadata: { labels: { zzz: null }, annotations: null } },
        expected: { metadata: { labels: { a: "1" } } },
      },
      {
        name: "nulls inside a map that is new to the object are dropped",
        original: { metadata: { name: "p" } },
        patch: { metadata: { annotations: { keep: "yes", drop: null } } },
        expected: { metadata: { name: "p", annotations: { keep: "yes" } } },
      },
      {
        name: "a primitive replaces the old value, int-or-string values are just values",
        schema: daemonSetSchema,
        original: { spec: { minReadySeconds: 5, updateStrategy: { rollingUpdate: { maxUnavailable: 1 } } } },
        patch: {
          spec: { minReadySeconds: 10, updateStrategy: { rollingUpdate: { maxUnavailable: "10%" } } },
        },
        expected: {
          spec: { minReadySeconds: 10, updateStrategy: { rollingUpdate: { maxUnavailable: "10%" } } },
        },
      },
      {
        name: "a value of another type replaces the old one",
        original: { spec: { containers: [{ name: "c" }], nodeSelector: "weird" } },
        patch: { spec: { nodeSelector: { disk: "ssd", gone: null } } },
        expected: { spec: { containers: [{ name: "c" }], nodeSelector: { disk: "ssd" } } },
      },
      {
        name: "$patch: replace at map level keeps only the patch's keys",
        original: pod([{ name: "c" }], { nodeSelector: { a: "1", b: "2" } }),
        patch: { spec: { nodeSelector: { $patch: "replace", disk: "ssd" } } },
        expected: pod([{ name: "c" }], { nodeSelector: { disk: "ssd" } }),
      },
      {
        name: "$patch: delete at map level empties the map",
        original: pod([{ name: "c" }], { nodeSelector: { a: "1" } }),
        patch: { spec: { nodeSelector: { $patch: "delete" } } },
        expected: pod([{ name: "c" }], { nodeSelector: {} }),
      },
      {
        name: "$patch: replace at the top replaces the whole object",
        original: { metadata: { name: "p" }, spec: { hostNetwork: true } },
        patch: { $patch: "replace", metadata: { name: "q" } },
        expected: { metadata: { name: "q" } },
      },
      {
        name: "a new map carrying $patch is not added (upstream drops directive content with no target)",
        original: pod([{ name: "c" }]),
        patch: { spec: { nodeSelector: { $patch: "replace", disk: "ssd" } } },
        expected: pod([{ name: "c" }]),
      },
      {
        name: "a map field with the replace strategy is replaced, not merged",
        schema: {
          type: "object",
          properties: { blob: { type: "object", preserveUnknownFields: true, patchStrategy: "replace" } },
        },
        original: { blob: { a: 1, b: { c: 2 } } },
        patch: { blob: { b: { d: 3 } } },
        expected: { blob: { b: { d: 3 } } },
      },
      {
        name: "a null or missing original counts as an empty object",
        original: null,
        patch: { metadata: { name: "x", labels: { a: null } } },
        expected: { metadata: { name: "x", labels: {} } },
      },
    ],
    podSchema,
  );
});

describe("strategic merge patch: lists merged by key", () => {
  runCases(
    [
      {
        name: "containers merge by name; unnamed fields of the live item survive",
        original: pod([{ name: "c", image: "nginx:1.25", ports: [{ containerPort: 80 }] }]),
        patch: { spec: { containers: [{ name: "c", image: "nginx:1.26" }] } },
        expected: pod([{ name: "c", image: "nginx:1.26", ports: [{ containerPort: 80 }] }]),
      },
      {
        name: "a new container goes before the live ones, as upstream's kubectl patch example shows",
        original: pod([{ name: "patch-demo-ctr", image: "nginx" }]),
        patch: { spec: { containers: [{ name: "patch-demo-ctr-2", image: "redis" }] } },
        expected: pod([
          { name: "patch-demo-ctr-2", image: "redis" },
          { name: "patch-demo-ctr", image: "nginx" },
        ]),
      },
      {
        name: "new items are placed before the next server-only item after the patch's own items",
        original: pod([{ name: "a" }, { name: "b" }, { name: "c" }]),
        patch: { spec: { containers: [{ name: "b", image: "x" }, { name: "d" }] } },
        expected: pod([{ name: "a" }, { name: "b", image: "x" }, { name: "d" }, { name: "c" }]),
      },
      {
        name: "items the patch names take the patch's order",
        original: pod([{ name: "1" }, { name: "2", image: "b" }, { name: "3" }]),
        patch: {
          spec: {
            containers: [
              { name: "3", image: "c" },
              { name: "1", image: "a" },
            ],
          },
        },
        expected: pod([
          { name: "2", image: "b" },
          { name: "3", image: "c" },
          { name: "1", image: "a" },
        ]),
      },
      {
        name: "$patch: delete removes the item with that key",
        original: pod([{ name: "app" }, { name: "sidecar", image: "envoy" }]),
        patch: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } },
        expected: pod([{ name: "app" }]),
      },
      {
        name: "$patch: delete removes every duplicate, deleting a missing item is a no-op",
        original: pod([{ name: "a" }, { name: "a", image: "dup" }, { name: "b" }]),
        patch: {
          spec: {
            containers: [
              { name: "a", $patch: "delete" },
              { name: "zzz", $patch: "delete" },
            ],
          },
        },
        expected: pod([{ name: "b" }]),
      },
      {
        name: "$patch: replace inside a list makes the other items the whole list",
        original: pod([{ name: "a", image: "x" }, { name: "b" }]),
        patch: { spec: { containers: [{ name: "c", image: "y" }, { $patch: "replace" }] } },
        expected: pod([{ name: "c", image: "y" }]),
      },
      {
        name: "a lone $patch: replace item empties the list",
        original: pod([{ name: "a" }], { volumes: [{ name: "v" }] }),
        patch: { spec: { volumes: [{ $patch: "replace" }] } },
        expected: pod([{ name: "a" }], { volumes: [] }),
      },
      {
        name: "env merges by name inside the merged container",
        original: pod([
          {
            name: "c",
            env: [
              { name: "A", value: "1" },
              { name: "B", value: "2" },
            ],
          },
        ]),
        patch: {
          spec: {
            containers: [
              {
                name: "c",
                env: [
                  { name: "B", value: "two" },
                  { name: "A", $patch: "delete" },
                ],
              },
            ],
          },
        },
        expected: pod([{ name: "c", env: [{ name: "B", value: "two" }] }]),
      },
      {
        name: "env: a null field inside a merged item deletes that field",
        original: pod([{ name: "c", env: [{ name: "A", valueFrom: { fieldRef: { fieldPath: "x" } } }] }]),
        patch: { spec: { containers: [{ name: "c", env: [{ name: "A", value: "1", valueFrom: null }] }] } },
        expected: pod([{ name: "c", env: [{ name: "A", value: "1" }] }]),
      },
      {
        name: "ports merge by containerPort",
        original: pod([
          {
            name: "c",
            ports: [
              { containerPort: 80, name: "http" },
              { containerPort: 443, name: "https" },
            ],
          },
        ]),
        patch: { spec: { containers: [{ name: "c", ports: [{ containerPort: 80, hostPort: 8080 }] }] } },
        expected: pod([
          {
            name: "c",
            ports: [
              { containerPort: 80, name: "http", hostPort: 8080 },
              { containerPort: 443, name: "https" },
            ],
          },
        ]),
      },
      {
        name: "ports merge by containerPort alone, so TCP and UDP on one port collide as upstream",
        original: pod([
          {
            name: "c",
            ports: [
              { containerPort: 53, protocol: "TCP" },
              { containerPort: 53, protocol: "UDP" },
            ],
          },
        ]),
        patch: {
          spec: { containers: [{ name: "c", ports: [{ containerPort: 53, protocol: "UDP", name: "dns" }] }] },
        },
        expected: pod([
          {
            name: "c",
            ports: [
              { containerPort: 53, protocol: "UDP", name: "dns" },
              { containerPort: 53, protocol: "UDP" },
            ],
          },
        ]),
      },
      {
        name: "volumeMounts merge by mountPath",
        original: pod([{ name: "c", volumeMounts: [{ name: "v", mountPath: "/data" }] }]),
        patch: {
          spec: { containers: [{ name: "c", volumeMounts: [{ mountPath: "/data", readOnly: true }] }] },
        },
        expected: pod([{ name: "c", volumeMounts: [{ name: "v", mountPath: "/data", readOnly: true }] }]),
      },
      {
        name: "volumes (merge,retainKeys): $retainKeys in an item switches the volume source",
        original: pod([{ name: "c" }], { volumes: [{ name: "v", hostPath: { path: "/x" } }, { name: "w" }] }),
        patch: {
          spec: { volumes: [{ name: "v", $retainKeys: ["configMap", "name"], configMap: { name: "cm" } }] },
        },
        expected: pod([{ name: "c" }], {
          volumes: [{ name: "v", configMap: { name: "cm" } }, { name: "w" }],
        }),
      },
      {
        name: "ownerReferences merge by uid",
        original: {
          metadata: { ownerReferences: [{ uid: "u1", kind: "DaemonSet", name: "ds", controller: true }] },
        },
        patch: { metadata: { ownerReferences: [{ uid: "u1", blockOwnerDeletion: true }] } },
        expected: {
          metadata: {
            ownerReferences: [
              { uid: "u1", kind: "DaemonSet", name: "ds", controller: true, blockOwnerDeletion: true },
            ],
          },
        },
      },
      {
        name: "status conditions merge by type",
        schema: nodeSchema,
        original: {
          status: {
            conditions: [
              { type: "Ready", status: "True" },
              { type: "MemoryPressure", status: "False" },
            ],
          },
        },
        patch: {
          status: { conditions: [{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" }] },
        },
        expected: {
          status: {
            conditions: [
              { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" },
              { type: "MemoryPressure", status: "False" },
            ],
          },
        },
      },
      {
        name: "directive keys inside a newly added item never reach the result",
        original: pod([{ name: "a" }]),
        patch: {
          spec: {
            containers: [
              {
                name: "b",
                "$setElementOrder/env": [{ name: "X" }],
                env: [{ name: "X", value: "1" }],
                resources: { $patch: "replace", limits: { cpu: "1" } },
              },
            ],
          },
        },
        expected: pod([
          { name: "b", env: [{ name: "X", value: "1" }], resources: { limits: { cpu: "1" } } },
          { name: "a" },
        ]),
      },
    ],
    podSchema,
  );
});

describe("strategic merge patch: primitive lists", () => {
  runCases(
    [
      {
        name: "finalizers (merge) form a union without duplicates",
        original: { metadata: { finalizers: ["a", "b"] } },
        patch: { metadata: { finalizers: ["b", "c"] } },
        expected: { metadata: { finalizers: ["a", "b", "c"] } },
      },
      {
        name: "values new to the list go before the next server-only value, as upstream",
        original: { metadata: { finalizers: ["a", "b"] } },
        patch: { metadata: { finalizers: ["c"] } },
        expected: { metadata: { finalizers: ["c", "a", "b"] } },
      },
      {
        name: "$deleteFromPrimitiveList removes values",
        original: { metadata: { finalizers: ["a", "b", "c"] } },
        patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["b", "zzz"] } },
        expected: { metadata: { finalizers: ["a", "c"] } },
      },
      {
        name: "$deleteFromPrimitiveList on a missing list adds nothing",
        original: { metadata: { name: "x" } },
        patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] } },
        expected: { metadata: { name: "x" } },
      },
      {
        name: "$deleteFromPrimitiveList also applies to an atomic list",
        original: pod([{ name: "c", args: ["--a", "--b"] }]),
        patch: { spec: { containers: [{ name: "c", "$deleteFromPrimitiveList/args": ["--a"] }] } },
        expected: pod([{ name: "c", args: ["--b"] }]),
      },
      {
        name: "an atomic primitive list is replaced whole",
        original: pod([{ name: "c", args: ["--a", "--b"] }]),
        patch: { spec: { containers: [{ name: "c", args: ["--c"] }] } },
        expected: pod([{ name: "c", args: ["--c"] }]),
      },
    ],
    podSchema,
  );
});

describe("strategic merge patch: $setElementOrder", () => {
  runCases(
    [
      {
        name: "reorders a merged list without changing its items",
        original: pod([{ name: "a", image: "x" }, { name: "b" }]),
        patch: { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] } },
        expected: pod([{ name: "b" }, { name: "a", image: "x" }]),
      },
      {
        name: "server-only items are interleaved by their live positions",
        original: pod([{ name: "a" }, { name: "sidecar" }, { name: "b" }]),
        patch: { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] } },
        expected: pod([{ name: "sidecar" }, { name: "b" }, { name: "a" }]),
      },
      {
        name: "kubectl apply adding a container keeps an injected sidecar after it",
        original: pod([{ name: "app" }, { name: "sidecar" }]),
        patch: {
          spec: {
            "$setElementOrder/containers": [{ name: "app" }, { name: "metrics" }],
            containers: [{ name: "metrics", image: "m" }],
          },
        },
        expected: pod([{ name: "app" }, { name: "metrics", image: "m" }, { name: "sidecar" }]),
      },
      {
        name: "kubectl apply replacing a container: the new one takes the deleted one's slot",
        original: pod([{ name: "a" }, { name: "side" }, { name: "b" }]),
        patch: {
          spec: {
            "$setElementOrder/containers": [{ name: "a" }, { name: "c" }],
            containers: [{ name: "c" }, { name: "b", $patch: "delete" }],
          },
        },
        expected: pod([{ name: "a" }, { name: "side" }, { name: "c" }]),
      },
      {
        name: "a list new to the object is ordered as the directive says",
        original: pod([{ name: "a" }]),
        patch: {
          spec: {
            "$setElementOrder/initContainers": [{ name: "i2" }, { name: "i1" }],
            initContainers: [{ name: "i2" }, { name: "i1" }],
          },
        },
        expected: pod([{ name: "a" }], { initContainers: [{ name: "i2" }, { name: "i1" }] }),
      },
      {
        name: "orders primitive lists by value",
        original: { metadata: { finalizers: ["a", "b", "c"] } },
        patch: { metadata: { "$setElementOrder/finalizers": ["c", "a", "b"] } },
        expected: { metadata: { finalizers: ["c", "a", "b"] } },
      },
      {
        name: "works together with $deleteFromPrimitiveList",
        original: { metadata: { finalizers: ["a", "b", "c"] } },
        patch: {
          metadata: {
            "$setElementOrder/finalizers": ["c", "a"],
            "$deleteFromPrimitiveList/finalizers": ["b"],
          },
        },
        expected: { metadata: { finalizers: ["c", "a"] } },
      },
      {
        name: "entries naming items that exist nowhere are ignored",
        original: pod([{ name: "1" }, { name: "3" }]),
        patch: {
          spec: {
            "$setElementOrder/containers": [{ name: "3" }, { name: "2" }, { name: "1" }],
            containers: [
              { name: "3", image: "c" },
              { name: "1", image: "a" },
            ],
          },
        },
        expected: pod([
          { name: "3", image: "c" },
          { name: "1", image: "a" },
        ]),
      },
      {
        name: "for a list missing from both sides it does nothing",
        original: pod([{ name: "a" }]),
        patch: { spec: { "$setElementOrder/initContainers": [{ name: "x" }] } },
        expected: pod([{ name: "a" }]),
      },
    ],
    podSchema,
  );
});

describe("strategic merge patch: $retainKeys", () => {
  runCases(
    [
      {
        name: "DaemonSet updateStrategy RollingUpdate -> OnDelete drops rollingUpdate",
        schema: daemonSetSchema,
        original: {
          spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } } },
        },
        patch: { spec: { updateStrategy: { $retainKeys: ["type"], type: "OnDelete", rollingUpdate: null } } },
        expected: { spec: { updateStrategy: { type: "OnDelete" } } },
      },
      {
        name: "Deployment strategy: unlisted keys of the live object are cleared even without a null",
        schema: deploymentSchema,
        original: {
          spec: { replicas: 2, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } },
        },
        patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } },
        expected: { spec: { replicas: 2, strategy: { type: "Recreate" } } },
      },
      {
        name: "listed keys are merged, not replaced",
        schema: deploymentSchema,
        original: {
          spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
        },
        patch: {
          spec: { strategy: { $retainKeys: ["type", "rollingUpdate"], rollingUpdate: { maxSurge: 2 } } },
        },
        expected: {
          spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } } },
        },
      },
      {
        name: "without the directive a retainKeys map merges normally",
        schema: deploymentSchema,
        original: { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } },
        patch: { spec: { strategy: { type: "Recreate" } } },
        expected: { spec: { strategy: { type: "Recreate", rollingUpdate: { maxSurge: 1 } } } },
      },
    ],
    undefined,
  );
});

describe("strategic merge patch: atomic lists and missing schema information", () => {
  runCases(
    [
      {
        name: "kubectl taint: taints (atomic) are replaced whole",
        schema: nodeSchema,
        original: { spec: { taints: [{ key: "a", effect: "NoSchedule" }] } },
        patch: {
          spec: {
            taints: [
              { key: "a", effect: "NoSchedule" },
              { key: "b", value: "1", effect: "NoExecute" },
            ],
          },
        },
        expected: {
          spec: {
            taints: [
              { key: "a", effect: "NoSchedule" },
              { key: "b", value: "1", effect: "NoExecute" },
            ],
          },
        },
      },
      {
        name: "kubectl taint removing the last taint sends taints: null",
        schema: nodeSchema,
        original: { spec: { podCIDR: "10.0.0.0/24", taints: [{ key: "a", effect: "NoSchedule" }] } },
        patch: { spec: { taints: null } },
        expected: { spec: { podCIDR: "10.0.0.0/24" } },
      },
      {
        name: "tolerations (atomic) are replaced whole",
        schema: daemonSetSchema,
        original: daemonSet({ tolerations: [{ key: "a", operator: "Exists" }, { key: "b" }] }),
        patch: { spec: { template: { spec: { tolerations: [{ key: "c", operator: "Exists" }] } } } },
        expected: daemonSet({ tolerations: [{ key: "c", operator: "Exists" }] }),
      },
      {
        name: "fields the schema does not know: maps merge, lists are replaced",
        schema: openSchema,
        original: { spec: { config: { a: 1, b: 2 }, items: [{ name: "x", v: 1 }] } },
        patch: { spec: { config: { b: null, c: 3 }, items: [{ name: "x", v: 2 }] } },
        expected: { spec: { config: { a: 1, c: 3 }, items: [{ name: "x", v: 2 }] } },
      },
      {
        name: "with no schema at all the patch behaves like a JSON merge patch",
        schema: undefined,
        original: { spec: { containers: [{ name: "a" }, { name: "b" }], x: { y: 1 } } },
        patch: { spec: { containers: [{ name: "a", image: "i" }], x: { z: 2 } } },
        expected: { spec: { containers: [{ name: "a", image: "i" }], x: { y: 1, z: 2 } } },
      },
      {
        name: "$setElementOrder on a list without merge information leaves it in merge order",
        schema: undefined,
        original: { items: [{ n: 1 }, { n: 2 }] },
        patch: { "$setElementOrder/items": [{ n: 2 }, { n: 1 }], items: [{ n: 2 }, { n: 1 }] },
        expected: { items: [{ n: 2 }, { n: 1 }] },
      },
    ],
    undefined,
  );
});

describe("strategic merge patch: what kubectl sends", () => {
  const liveDaemonSet = {
    metadata: { name: "fluentd", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
    spec: {
      template: {
        metadata: { labels: { app: "fluentd" } },
        spec: {
          containers: [
            {
              name: "c",
              image: "nginx:1.25",
              ports: [{ containerPort: 80, protocol: "TCP" }],
              env: [{ name: "A", value: "1" }],
            },
          ],
          tolerations: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
        },
      },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
    },
  };
  const withImage = (image: string) => {
    const copy = structuredClone(liveDaemonSet);
    copy.spec.template.spec.containers[0].image = image;
    return copy;
  };

  runCases(
    [
      {
        name: "kubectl apply: $setElementOrder + changed image keeps ports, env and tolerations",
        original: liveDaemonSet,
        patch: {
          metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": '{"new":true}' } },
          spec: {
            template: {
              spec: {
                "$setElementOrder/containers": [{ name: "c" }],
                containers: [{ image: "nginx:1.26", name: "c" }],
              },
            },
          },
        },
        expected: (() => {
          const copy = withImage("nginx:1.26");
          copy.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] = '{"new":true}';
          return copy;
        })(),
      },
      {
        name: "kubectl set image",
        original: liveDaemonSet,
        patch: { spec: { template: { spec: { containers: [{ image: "nginx:1.27", name: "c" }] } } } },
        expected: withImage("nginx:1.27"),
      },
      {
        name: "kubectl rollout restart",
        original: liveDaemonSet,
        patch: {
          spec: {
            template: {
              metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2024-05-01T10:00:00Z" } },
            },
          },
        },
        expected: (() => {
          const copy = structuredClone(liveDaemonSet) as any;
          copy.spec.template.metadata.annotations = {
            "kubectl.kubernetes.io/restartedAt": "2024-05-01T10:00:00Z",
          };
          return copy;
        })(),
      },
      {
        name: "kubectl rollout undo: $patch: replace swaps in the revision's template, nulls included",
        original: liveDaemonSet,
        patch: {
          spec: {
            template: {
              $patch: "replace",
              metadata: { creationTimestamp: null, labels: { app: "fluentd" } },
              spec: { containers: [{ name: "c", image: "nginx:1.24" }] },
            },
          },
        },
        expected: {
          ...liveDaemonSet,
          spec: {
            ...liveDaemonSet.spec,
            template: {
              metadata: { creationTimestamp: null, labels: { app: "fluentd" } },
              spec: { containers: [{ name: "c", image: "nginx:1.24" }] },
            },
          },
        },
      },
      {
        name: "kubectl label with a removal (key-)",
        original: { metadata: { name: "n", labels: { a: "1", b: "2" } } },
        patch: { metadata: { labels: { a: null, c: "3" } } },
        expected: { metadata: { name: "n", labels: { b: "2", c: "3" } } },
      },
      {
        name: "a controller removing its finalizer",
        original: { metadata: { name: "n", finalizers: ["example.com/a", "example.com/b"] } },
        patch: {
          metadata: {
            "$setElementOrder/finalizers": ["example.com/b"],
            "$deleteFromPrimitiveList/finalizers": ["example.com/a"],
          },
        },
        expected: { metadata: { name: "n", finalizers: ["example.com/b"] } },
      },
    ],
    daemonSetSchema,
  );

  it("kubectl cordon", () => {
    const node = { metadata: { name: "n1" }, spec: { podCIDR: "10.0.1.0/24" } };
    assert.deepEqual(applyStrategicMergePatch(node, { spec: { unschedulable: true } }, nodeSchema), {
      metadata: { name: "n1" },
      spec: { podCIDR: "10.0.1.0/24", unschedulable: true },
    });
  });
});

describe("strategic merge patch: errors", () => {
  const cases: { name: string; original?: unknown; patch: unknown; code: number; message: RegExp }[] = [
    {
      name: "unknown $patch value at map level",
      original: pod([{ name: "a" }], { nodeSelector: { a: "1" } }),
      patch: { spec: { nodeSelector: { $patch: "foo" } } },
      code: 400,
      message: /unknown patch type: "foo"/,
    },
    {
      name: "$patch: merge at map level",
      patch: { $patch: "merge" },
      code: 400,
      message: /unknown patch type/,
    },
    {
      name: "unknown $patch value in a list item",
      original: pod([{ name: "a" }]),
      patch: { spec: { containers: [{ name: "a", $patch: "foo" }] } },
      code: 400,
      message: /unknown patch type: "foo"/,
    },
    {
      name: "$patch: merge in a list item",
      original: pod([{ name: "a" }]),
      patch: { spec: { containers: [{ $patch: "merge" }] } },
      code: 400,
      message: /merging lists cannot yet be specified in the patch/,
    },
    {
      name: "a patch item without the merge key",
      original: pod([{ name: "a" }]),
      patch: { spec: { containers: [{ image: "x" }] } },
      code: 400,
      message: /does not contain declared merge key: name/,
    },
    {
      name: "$patch: delete without the merge key",
      original: pod([{ name: "a" }]),
      patch: { spec: { containers: [{ $patch: "delete" }] } },
      code: 400,
      message: /does not contain declared merge key: name/,
    },
    {
      name: "a list of lists",
      original: { metadata: { finalizers: ["a"] } },
      patch: { metadata: { finalizers: [["b"]] } },
      code: 422,
      message: /lists of lists are not supported/,
    },
    {
      name: "list items of mixed types",
      original: { metadata: { finalizers: ["a"] } },
      patch: { metadata: { finalizers: [1] } },
      code: 400,
      message: /list element types are not identical/,
    },
    {
      name: "$setElementOrder disagreeing with the patch list",
      original: pod([{ name: "1" }, { name: "2" }, { name: "3" }]),
      patch: {
        spec: {
          "$setElementOrder/containers": [{ name: "1" }, { name: "2" }, { name: "3" }],
          containers: [{ name: "3" }, { name: "1" }],
        },
      },
      code: 400,
      message: /doesn't match \$setElementOrder list/,
    },
    {
      name: "$setElementOrder that is not a list",
      original: pod([{ name: "a" }]),
      patch: { spec: { "$setElementOrder/containers": { name: "a" } } },
      code: 400,
      message: /^invalid patch format of setElementOrder list$/,
    },
    {
      name: "$setElementOrder without the /field part",
      original: pod([{ name: "a" }]),
      patch: { spec: { $setElementOrderContainers: [] } },
      code: 400,
      message: /^invalid patch format of setElementOrder list$/,
    },
    {
      name: "$deleteFromPrimitiveList without the /field part",
      original: { metadata: { finalizers: ["a"] } },
      patch: { metadata: { $deleteFromPrimitiveListFinalizers: ["a"] } },
      code: 400,
      message: /^invalid patch format of primitive list$/,
    },
    {
      name: "$retainKeys that is not a list",
      original: { spec: { updateStrategy: { type: "OnDelete" } } },
      patch: { spec: { updateStrategy: { $retainKeys: "type" } } },
      code: 400,
      message: /^invalid patch format of retainKeys$/,
    },
    {
      name: "a patch setting a field that $retainKeys does not list",
      original: { spec: { updateStrategy: { type: "OnDelete" } } },
      patch: { spec: { updateStrategy: { $retainKeys: ["type"], rollingUpdate: { maxUnavailable: 2 } } } },
      code: 400,
      message: /^invalid patch format of retainKeys$/,
    },
    {
      name: "a patch that is not an object",
      patch: [{ op: "add" }],
      code: 400,
      message: /must be a JSON object/,
    },
    {
      name: "an original that is not an object",
      original: [1],
      patch: {},
      code: 400,
      message: /invalid JSON document/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => applyStrategicMergePatch(c.original ?? {}, c.patch, { ...daemonSetSchema, ...podSchema }),
        (err: unknown) => {
          assert.ok(err instanceof ApiError, `expected an ApiError, got ${err}`);
          assert.equal(err.code, c.code);
          assert.equal(err.reason, c.code === 400 ? "BadRequest" : "Invalid");
          assert.match(patchErrorText(err), c.message);
          if (err.code === 422)
            assert.equal(err.message, "the server rejected our request due to an error in our request");
          return true;
        },
      );
    });
  }
});

describe("strategic merge patch: inputs", () => {
  function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null) {
      for (const child of Object.values(value)) deepFreeze(child);
      Object.freeze(value);
    }
    return value;
  }

  it("never modifies the original or the patch", () => {
    const original = deepFreeze(
      pod([{ name: "a", env: [{ name: "X", value: "1" }] }, { name: "b" }], {
        volumes: [{ name: "v", hostPath: { path: "/x" } }],
      }),
    );
    const patch = deepFreeze({
      metadata: { "$deleteFromPrimitiveList/finalizers": ["f"], labels: { l: "1" } },
      spec: {
        "$setElementOrder/containers": [{ name: "b" }, { name: "a" }],
        containers: [{ name: "a", env: [{ name: "X", $patch: "delete" }] }],
        volumes: [{ name: "v", $retainKeys: ["name", "emptyDir"], emptyDir: {} }],
        nodeSelector: { $patch: "replace" },
      },
    });
    const before = JSON.stringify({ original, patch });
    const result = applyStrategicMergePatch(original, patch, podSchema);
    assert.equal(JSON.stringify({ original, patch }), before);
    assert.deepEqual(result, {
      metadata: { labels: { l: "1" } },
      spec: {
        containers: [{ name: "b" }, { name: "a", env: [] }],
        volumes: [{ name: "v", emptyDir: {} }],
      },
    });
  });

  it("treats a __proto__ key as data", () => {
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}');
    const result = applyStrategicMergePatch({ metadata: { labels: {} } }, patch, podSchema) as any;
    assert.equal(({} as any).polluted, undefined);
    assert.equal(Object.getPrototypeOf(result.metadata.labels), Object.prototype);
    assert.deepEqual(Object.keys(result.metadata.labels), ["__proto__"]);
  });
});
