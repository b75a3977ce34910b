// The Priority admission plugin through the registry: the system classes exist from the start and cannot be
// deleted; pods get spec.priority and preemptionPolicy from their class or the global default; unknown classes,
// hand-set priorities and a second global default are refused with upstream's messages.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { PODS, PRIORITY_CLASSES } from "../../api/resources.js";
import { openBackend } from "../../storage/registry.js";
import { Registry } from "./registry.js";

const NS = "default";

const pod = (
  name: string,
  spec: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, ...meta },
  spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
});

const priorityClass = (name: string, fields: Record<string, unknown>): KubeObject => ({
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name },
  ...fields,
});

/** The 403 a promise rejects with, as status code and message. */
async function forbidden(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => assert.fail("expected the request to be refused"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError, String(err));
  assert.equal(err.code, 403);
  assert.equal(err.reason, "Forbidden");
  return err.message;
}

describe("Priority admission", () => {
  let registry: Registry;
  before(async () => {
    registry = await Registry.open(await openBackend("memory://"));
  });
  after(() => registry.stop());
  const pods = () => registry.store(PODS);
  const classes = () => registry.store(PRIORITY_CLASSES);

  it("creates the system classes with upstream's values and the defaulted policy", async () => {
    const { items } = await classes().list(undefined);
    const view = items.map((c) => [c.metadata.name, c.value, c.preemptionPolicy, c.globalDefault ?? false]);
    assert.deepEqual(view, [
      ["system-cluster-critical", 2000000000, "PreemptLowerPriority", false],
      ["system-node-critical", 2000001000, "PreemptLowerPriority", false],
    ]);
    assert.match(items[1].description, /must not be moved from their current node/);
  });

  it("refuses to delete a system class", async () => {
    const message = await forbidden(classes().delete("", "system-node-critical"));
    assert.equal(
      message,
      'priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted',
    );
  });

  it("gives a pod without a class priority 0 while no class is the global default", async () => {
    const created = await pods().create(NS, pod("plain"));
    assert.equal(created.spec.priority, 0);
    assert.equal(created.spec.priorityClassName, undefined);
    assert.equal(created.spec.preemptionPolicy, undefined);
  });

  it("resolves a system class in any namespace", async () => {
    const created = await pods().create(NS, pod("agent", { priorityClassName: "system-node-critical" }));
    assert.equal(created.spec.priority, 2000001000);
    assert.equal(created.spec.preemptionPolicy, "PreemptLowerPriority");
  });

  it("refuses an unknown class, naming the generateName of a generated pod", async () => {
    assert.equal(
      await forbidden(pods().create(NS, pod("x", { priorityClassName: "foo" }))),
      'pods "x" is forbidden: no PriorityClass with name foo was found',
    );
    assert.equal(
      await forbidden(pods().create(NS, pod("", { priorityClassName: "foo" }, { generateName: "ds-" }))),
      'pods "ds-" is forbidden: no PriorityClass with name foo was found',
    );
  });

  it("refuses a hand-set priority or policy that differs from the class, accepts matching ones", async () => {
    assert.equal(
      await forbidden(pods().create(NS, pod("sneaky", { priority: 100 }))),
      'pods "sneaky" is forbidden: the integer value of priority (100) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    );
    assert.equal(
      await forbidden(
        pods().create(
          NS,
          pod("never", { priorityClassName: "system-cluster-critical", preemptionPolicy: "Never" }),
        ),
      ),
      'pods "never" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    );
    const same = await pods().create(
      NS,
      pod("honest", { priorityClassName: "system-cluster-critical", priority: 2000000000 }),
    );
    assert.equal(same.spec.priority, 2000000000);
  });

  it("applies the global default class and allows only one", async () => {
    await classes().create(
      "",
      priorityClass("batch", { value: 10, globalDefault: true, preemptionPolicy: "Never" }),
    );
    const created = await pods().create(NS, pod("defaulted"));
    assert.deepEqual(
      [created.spec.priorityClassName, created.spec.priority, created.spec.preemptionPolicy],
      ["batch", 10, "Never"],
    );
    assert.equal(
      await forbidden(classes().create("", priorityClass("other", { value: 5, globalDefault: true }))),
      'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass batch is already marked as default. Only one default can exist',
    );
    await classes().create("", priorityClass("other", { value: 5 }));
    assert.equal(
      await forbidden(classes().patch("", "other", "merge", { globalDefault: true })),
      'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass batch is already marked as default. Only one default can exist',
    );
    // The default itself may be updated, and user classes may be deleted.
    await classes().patch("", "batch", "merge", { description: "bulk work" });
    await classes().delete("", "batch");
    await classes().delete("", "other");
  });

  it("keeps the admitted priority when an update leaves it out", async () => {
    const created = await pods().create(NS, pod("kept", { priorityClassName: "system-cluster-critical" }));
    const { priority, preemptionPolicy, ...spec } = created.spec;
    const updated = await pods().update(NS, "kept", {
      ...created,
      metadata: { ...created.metadata, labels: { touched: "yes" } },
      spec,
    });
    assert.equal(updated.spec.priority, 2000000000);
    assert.equal(updated.spec.preemptionPolicy, "PreemptLowerPriority");
  });
});
