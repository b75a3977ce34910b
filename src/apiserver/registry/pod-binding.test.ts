import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { openBackend } from "../../storage/registry.js";
import { bindPod } from "./pod-binding.js";
import { Registry } from "./registry.js";

const NS = "default";

function pod(
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...metadata },
    spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
  };
}

const binding = (name: string, node = "node-1", extra: Record<string, any> = {}) => ({
  apiVersion: "v1",
  kind: "Binding",
  metadata: { name, ...extra.metadata },
  target: { kind: "Node", name: node, ...extra.target },
});

describe("bindPod", () => {
  let registry: Registry;
  let now = Date.parse("2026-03-01T10:00:00Z");
  before(async () => {
    registry = await Registry.open(await openBackend("memory://"), { clock: { now: () => now } });
  });
  after(() => registry.stop());
  const pods = () => registry.store({ group: "", resource: "pods" });

  it("sets spec.nodeName, merges the binding's annotations and marks the pod PodScheduled=True", async () => {
    const created = await pods().create(NS, pod("web", {}, { annotations: { a: "1" } }));
    const status = await bindPod(
      registry,
      NS,
      "web",
      binding("web", "node-1", { metadata: { annotations: { b: "2" } } }),
    );
    assert.deepEqual(status, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      code: 201,
    });
    const bound = pods().get(NS, "web");
    assert.equal(bound.spec.nodeName, "node-1");
    assert.deepEqual(bound.metadata.annotations, { a: "1", b: "2" });
    assert.deepEqual(bound.status.conditions, [
      {
        type: "PodScheduled",
        status: "True",
        lastProbeTime: null,
        lastTransitionTime: "2026-03-01T10:00:00Z",
      },
    ]);
    assert.equal(bound.metadata.uid, created.metadata.uid);
    assert.ok(Number(bound.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
  });

  it("keeps an existing PodScheduled=True transition time", async () => {
    await pods().create(NS, pod("again"));
    const p = pods().get(NS, "again");
    await pods().update(
      NS,
      "again",
      {
        ...p,
        status: {
          ...p.status,
          conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" }],
        },
      },
      { subresource: "status" },
    );
    now += 60_000;
    await bindPod(registry, NS, "again", binding("again"));
    assert.equal(pods().get(NS, "again").status.conditions[0].lastTransitionTime, "2026-01-01T00:00:00Z");
  });

  it("changes nothing under dryRun", async () => {
    await pods().create(NS, pod("dry"));
    const before = pods().get(NS, "dry");
    await bindPod(registry, NS, "dry", binding("dry"), { dryRun: true });
    assert.equal(pods().get(NS, "dry"), before);
  });

  const failures: [string, () => Promise<unknown>, number, string, RegExp][] = [
    [
      "a pod already bound",
      async () => {
        await pods().create(NS, pod("bound", { nodeName: "node-9" }));
        return bindPod(registry, NS, "bound", binding("bound"));
      },
      409,
      "Conflict",
      /^Operation cannot be fulfilled on pods\/binding "bound": pod bound is already assigned to node "node-9"$/,
    ],
    [
      "a pod with scheduling gates",
      async () => {
        await pods().create(NS, pod("gated", { schedulingGates: [{ name: "wait" }] }));
        return bindPod(registry, NS, "gated", binding("gated"));
      },
      409,
      "Conflict",
      /pod gated has non-empty \.spec\.schedulingGates/,
    ],
    [
      "a pod being deleted",
      async () => {
        await pods().create(NS, pod("leaving", {}, { finalizers: ["example.com/hold"] }));
        await pods().delete(NS, "leaving");
        return bindPod(registry, NS, "leaving", binding("leaving"));
      },
      409,
      "Conflict",
      /pod leaving is being deleted, cannot be assigned to a host/,
    ],
    [
      "a stale resourceVersion precondition",
      async () => {
        await pods().create(NS, pod("pinned"));
        return bindPod(
          registry,
          NS,
          "pinned",
          binding("pinned", "n", { metadata: { resourceVersion: "1" } }),
        );
      },
      409,
      "Conflict",
      /^Operation cannot be fulfilled on pods "pinned": Precondition failed: ResourceVersion in precondition: 1/,
    ],
    [
      "a wrong uid precondition",
      async () => {
        await pods().create(NS, pod("uid"));
        return bindPod(registry, NS, "uid", binding("uid", "n", { metadata: { uid: "other" } }));
      },
      409,
      "Conflict",
      /Precondition failed: UID in precondition: other/,
    ],
    [
      "a missing pod",
      () => bindPod(registry, NS, "ghost", binding("ghost")),
      404,
      "NotFound",
      /^pods "ghost" not found$/,
    ],
    [
      "a name that differs from the URL",
      () => bindPod(registry, NS, "web", binding("other")),
      400,
      "BadRequest",
      /^name in URL does not match name in Binding object$/,
    ],
    [
      "a target that is not a Node",
      () => bindPod(registry, NS, "web", binding("web", "x", { target: { kind: "Pod" } })),
      422,
      "Invalid",
      /^Binding "web" is invalid: target\.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"$/,
    ],
    [
      "a target without a name",
      () => bindPod(registry, NS, "web", binding("web", "")),
      422,
      "Invalid",
      /target\.name: Required value/,
    ],
    [
      "a body that is not an object",
      () => bindPod(registry, NS, "web", "node-1"),
      400,
      "BadRequest",
      /not a Binding object/,
    ],
  ];
  for (const [what, run, code, reason, message] of failures) {
    it(`refuses ${what} (${code})`, async () => {
      await assert.rejects(run(), (e: any) => {
        assert.equal(e.code, code, e.message);
        assert.equal(e.reason, reason);
        assert.match(e.message, message);
        return true;
      });
    });
  }
});
