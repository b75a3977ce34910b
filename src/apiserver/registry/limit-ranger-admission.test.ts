// The LimitRanger admission plugin through the registry: pods in a namespace without LimitRanges are untouched;
// a LimitRange created a moment before a pod already applies its container defaults; pods outside the bounds
// are refused with 403 and upstream's messages (one alone, several bracketed, named by generateName when the
// server makes up the name); defaults that leave a container's request above its limit fail pod validation (422).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { LIMIT_RANGES, NAMESPACES, PODS } from "../../api/resources.js";
import { openBackend } from "../../storage/registry.js";
import { LIMIT_RANGER_ANNOTATION } from "../admission/limit-ranger.js";
import { Registry } from "./registry.js";

const pod = (name: string, resources: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, ...meta },
  spec: { containers: [{ name: "app", image: "nginx", resources }] },
});

const limitRange = (name: string, limits: Record<string, unknown>[]): KubeObject => ({
  apiVersion: "v1",
  kind: "LimitRange",
  metadata: { name },
  spec: { limits },
});

/** The ApiError a promise rejects with. */
async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => assert.fail("expected the request to be refused"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError, String(err));
  return err;
}

describe("LimitRanger admission", () => {
  let registry: Registry;
  before(async () => {
    registry = await Registry.open(await openBackend("memory://"));
    for (const name of ["plain", "limited"]) {
      await registry
        .store(NAMESPACES)
        .create("", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    }
  });
  after(() => registry.stop());
  const pods = () => registry.store(PODS);

  it("leaves pods alone in a namespace without LimitRanges", async () => {
    const created = await pods().create("plain", pod("free"));
    assert.deepEqual(created.spec.containers[0].resources, {});
    assert.equal(created.metadata.annotations, undefined);
  });

  it("applies the defaults of a LimitRange created just before the pod", async () => {
    await registry.store(LIMIT_RANGES).create(
      "limited",
      limitRange("cpu-mem", [
        {
          type: "Container",
          min: { cpu: "100m" },
          max: { cpu: "2", memory: "1Gi" },
          default: { cpu: "500m", memory: "512Mi" },
          defaultRequest: { cpu: "250m", memory: "256Mi" },
        },
      ]),
    );
    const created = await pods().create("limited", pod("defaulted"));
    assert.deepEqual(created.spec.containers[0].resources, {
      limits: { cpu: "500m", memory: "512Mi" },
      requests: { cpu: "250m", memory: "256Mi" },
    });
    assert.equal(
      created.metadata.annotations?.[LIMIT_RANGER_ANNOTATION],
      "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app",
    );
  });

  it("refuses a pod below the min with upstream's message", async () => {
    const err = await refusal(pods().create("limited", pod("small", { requests: { cpu: "50m" } })));
    assert.equal(err.code, 403);
    assert.equal(err.reason, "Forbidden");
    assert.equal(
      err.message,
      'pods "small" is forbidden: minimum cpu usage per Container is 100m, but request is 50m',
    );
  });

  it("lists several violations in brackets and names a generated pod by its generateName", async () => {
    const resources = { requests: { cpu: "50m" }, limits: { cpu: "3", memory: "2Gi" } };
    const err = await refusal(pods().create("limited", pod("", resources, { generateName: "big-" })));
    assert.equal(
      err.message,
      'pods "big-" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, ' +
        "maximum cpu usage per Container is 2, but limit is 3, maximum memory usage per Container is 1Gi, but limit is 2Gi]",
    );
  });

  it("validates the defaulted pod: a default limit below the explicit request is invalid", async () => {
    const err = await refusal(pods().create("limited", pod("greedy", { requests: { cpu: "1" } })));
    assert.equal(err.code, 422);
    assert.equal(
      err.message,
      'Pod "greedy" is invalid: spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m',
    );
  });

  it("refuses an invalid LimitRange with 422", async () => {
    const err = await refusal(
      registry.store(LIMIT_RANGES).create("limited", limitRange("twice", [{ type: "Pod" }, { type: "Pod" }])),
    );
    assert.equal(err.code, 422);
    assert.equal(err.message, 'LimitRange "twice" is invalid: spec.limits[1].type: Duplicate value: "Pod"');
  });
});
