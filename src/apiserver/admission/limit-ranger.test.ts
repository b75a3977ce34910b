// Tests of LimitRanger's pod logic against one LimitRange: container defaults (what is filled in, what is kept,
// the annotation naming it), and the bounds of Container items (per container and init container) and Pod items
// (the pod's aggregate, sidecars included), reported in upstream's order and words.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { applyContainerDefaults, LIMIT_RANGER_ANNOTATION, podLimitViolations } from "./limit-ranger.js";

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
type Container = { name: string; resources?: Resources; restartPolicy?: string };

const limitRange = (...limits: Record<string, unknown>[]): KubeObject => ({
  apiVersion: "v1",
  kind: "LimitRange",
  metadata: { name: "limits", namespace: "team-a" },
  spec: { limits },
});
const pod = (containers: Container[], initContainers: Container[] = []): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "team-a" },
  spec: {
    containers: containers.map((c) => ({ image: "nginx", resources: {}, ...c })),
    ...(initContainers.length
      ? { initContainers: initContainers.map((c) => ({ image: "busybox", ...c })) }
      : {}),
  },
});
const resourcesOf = (p: KubeObject) => ({
  containers: p.spec.containers.map((c: { resources: Resources }) => c.resources),
  initContainers: (p.spec.initContainers ?? []).map((c: { resources: Resources }) => c.resources),
});

const DEFAULTS = limitRange({
  type: "Container",
  default: { cpu: "500m", memory: "256Mi" },
  defaultRequest: { cpu: "100m", memory: "128Mi" },
});

describe("LimitRanger defaults", () => {
  it("fills every unset request and limit of containers and init containers, and says so", () => {
    const p = pod(
      [
        { name: "app" },
        { name: "proxy", resources: { requests: { cpu: "50m" }, limits: { memory: "64Mi" } } },
      ],
      [{ name: "setup" }],
    );
    assert.equal(applyContainerDefaults(DEFAULTS, p), true);
    assert.deepEqual(resourcesOf(p), {
      containers: [
        { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
        { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "64Mi", cpu: "500m" } },
      ],
      initContainers: [
        { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
      ],
    });
    assert.equal(
      p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION],
      "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; " +
        "memory request for container proxy; cpu limit for container proxy; " +
        "cpu, memory request for init container setup; cpu, memory limit for init container setup",
    );
  });

  it("changes nothing when every container already sets what the defaults cover", () => {
    const set = { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } };
    const p = pod([{ name: "app", resources: structuredClone(set) }]);
    assert.equal(applyContainerDefaults(DEFAULTS, p), false);
    assert.deepEqual(resourcesOf(p).containers, [set]);
    assert.equal(p.metadata.annotations, undefined);
  });

  it("ignores LimitRanges without Container defaults", () => {
    const p = pod([{ name: "app" }]);
    assert.equal(applyContainerDefaults(limitRange({ type: "Pod", max: { cpu: "2" } }), p), false);
    assert.deepEqual(resourcesOf(p).containers, [{}]);
  });
});

describe("LimitRanger bounds", () => {
  const CONTAINER_BOUNDS = limitRange({
    type: "Container",
    min: { cpu: "100m" },
    max: { cpu: "1", memory: "1Gi" },
    maxLimitRequestRatio: { cpu: "4" },
  });
  const cases: [string, KubeObject, KubeObject, string[]][] = [
    [
      "a container below the min and without a memory limit",
      CONTAINER_BOUNDS,
      pod([{ name: "app", resources: { requests: { cpu: "50m" }, limits: { cpu: "100m" } } }]),
      [
        "minimum cpu usage per Container is 100m, but request is 50m",
        "maximum memory usage per Container is 1Gi.  No limit is specified",
      ],
    ],
    [
      "init containers are held to the same bounds, after the containers",
      CONTAINER_BOUNDS,
      pod(
        [{ name: "app", resources: { requests: { cpu: "200m" }, limits: { cpu: "400m", memory: "1Gi" } } }],
        [{ name: "setup", resources: { requests: { cpu: "100m" }, limits: { cpu: "2", memory: "1Gi" } } }],
      ),
      [
        "maximum cpu usage per Container is 1, but limit is 2",
        "cpu max limit to request ratio per Container is 4, but provided ratio is 20.000000",
      ],
    ],
    [
      "a pod within every bound",
      CONTAINER_BOUNDS,
      pod([{ name: "app", resources: { requests: { cpu: "250m" }, limits: { cpu: "1", memory: "512Mi" } } }]),
      [],
    ],
    [
      "Pod items bound the sum of the containers and the sidecars",
      limitRange({ type: "Pod", max: { cpu: "1" }, min: { memory: "256Mi" } }),
      pod(
        [
          { name: "a", resources: { requests: { cpu: "300m", memory: "64Mi" }, limits: { cpu: "600m" } } },
          { name: "b", resources: { requests: { cpu: "300m", memory: "64Mi" }, limits: { cpu: "600m" } } },
        ],
        [{ name: "mesh", restartPolicy: "Always", resources: { requests: { memory: "64Mi" } } }],
      ),
      [
        "minimum memory usage per Pod is 256Mi, but request is 192Mi",
        "maximum cpu usage per Pod is 1, but limit is 1200m",
      ],
    ],
    [
      "Pod items count the largest ordinary init container when it needs more",
      limitRange({ type: "Pod", max: { cpu: "1" } }),
      pod(
        [{ name: "a", resources: { limits: { cpu: "200m" } } }],
        [{ name: "migrate", resources: { limits: { cpu: "2" } } }],
      ),
      ["maximum cpu usage per Pod is 1, but limit is 2"],
    ],
    [
      "PersistentVolumeClaim items do not apply to pods",
      limitRange({ type: "PersistentVolumeClaim", min: { storage: "1Gi" } }),
      pod([{ name: "app" }]),
      [],
    ],
  ];
  for (const [name, lr, p, want] of cases) it(name, () => assert.deepEqual(podLimitViolations(lr, p), want));
});
