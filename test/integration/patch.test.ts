// PATCH over HTTP: strategic merge patch with its directives on a DaemonSet, JSON merge patch and JSON patch,
// and the failures a kube-apiserver 1.32 answers (415, 404, 409, 422).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { daemonSet, namespace, paths } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "patching";
const MODIFIED =
  "the object has been modified; please apply your changes to the latest version and try again";

/** A DaemonSet with two containers, env and ports on the first, and one toleration. */
function twoContainerDs(name: string) {
  return daemonSet(name, {
    containers: [
      {
        name: "main",
        image: "nginx:1.27",
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
        ports: [{ containerPort: 80, name: "http", protocol: "TCP" }],
      },
      { name: "sidecar", image: "busybox:1.36" },
    ],
    tolerations: [{ key: "a", operator: "Exists", effect: "NoSchedule" }],
  });
}

const podSpecPatch = (spec: Record<string, unknown>) => ({ spec: { template: { spec } } });

describe("PATCH", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(async () => {
    await c.stop();
  });

  const create = async (name: string) => {
    const res = await c.post(paths.daemonSets(NS), twoContainerDs(name));
    assertOk(res, 201);
    return res.body;
  };
  const containersOf = (ds: any) => ds.spec.template.spec.containers;

  describe("strategic merge patch", () => {
    it("merges containers by name, leaving the others untouched", async () => {
      const before = await create("smp-merge");
      const res = await c.patch(
        paths.daemonSet(NS, "smp-merge"),
        podSpecPatch({ containers: [{ name: "sidecar", image: "busybox:1.37" }] }),
      );
      assertOk(res);
      const [main, sidecar] = containersOf(res.body);
      assert.equal(containersOf(res.body).length, 2);
      assert.deepEqual(main, containersOf(before)[0]);
      assert.equal(sidecar.name, "sidecar");
      assert.equal(sidecar.image, "busybox:1.37");
    });

    it("$setElementOrder reorders the merged list", async () => {
      await create("smp-order");
      const res = await c.patch(
        paths.daemonSet(NS, "smp-order"),
        podSpecPatch({
          "$setElementOrder/containers": [{ name: "sidecar" }, { name: "main" }],
          containers: [{ name: "main", image: "nginx:1.28" }],
        }),
      );
      assertOk(res);
      assert.deepEqual(
        containersOf(res.body).map((x: any) => [x.name, x.image]),
        [
          ["sidecar", "busybox:1.36"],
          ["main", "nginx:1.28"],
        ],
      );
    });

    it("$patch: delete removes the element with that merge key", async () => {
      await create("smp-delete");
      const res = await c.patch(
        paths.daemonSet(NS, "smp-delete"),
        podSpecPatch({ containers: [{ name: "sidecar", $patch: "delete" }] }),
      );
      assertOk(res);
      assert.deepEqual(
        containersOf(res.body).map((x: any) => x.name),
        ["main"],
      );
    });

    it("$retainKeys drops the keys of updateStrategy it does not list", async () => {
      const ds = twoContainerDs("smp-retain");
      ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } };
      assertOk(await c.post(paths.daemonSets(NS), ds), 201);
      const res = await c.patch(paths.daemonSet(NS, "smp-retain"), {
        spec: { updateStrategy: { $retainKeys: ["type"], type: "OnDelete" } },
      });
      assertOk(res);
      assert.deepEqual(res.body.spec.updateStrategy, { type: "OnDelete" });
    });

    it("merges env by name: existing entries are updated in place and new ones appended", async () => {
      await create("smp-env");
      const res = await c.patch(
        paths.daemonSet(NS, "smp-env"),
        podSpecPatch({
          containers: [
            {
              name: "main",
              env: [
                { name: "B", value: "20" },
                { name: "C", value: "3" },
              ],
            },
          ],
        }),
      );
      assertOk(res);
      assert.deepEqual(containersOf(res.body)[0].env, [
        { name: "A", value: "1" },
        { name: "B", value: "20" },
        { name: "C", value: "3" },
      ]);
    });

    it("replaces tolerations as a whole (the list has no merge key)", async () => {
      await create("smp-tolerations");
      const res = await c.patch(
        paths.daemonSet(NS, "smp-tolerations"),
        podSpecPatch({ tolerations: [{ key: "b", operator: "Exists" }] }),
      );
      assertOk(res);
      assert.deepEqual(res.body.spec.template.spec.tolerations, [{ key: "b", operator: "Exists" }]);
    });
  });

  describe("JSON merge patch", () => {
    it("null deletes a key and lists are replaced whole", async () => {
      const ds = twoContainerDs("merge-null");
      ds.metadata.labels = { keep: "yes", drop: "yes" };
      assertOk(await c.post(paths.daemonSets(NS), ds), 201);
      const res = await c.patch(
        paths.daemonSet(NS, "merge-null"),
        {
          metadata: { labels: { drop: null } },
          ...podSpecPatch({ containers: [{ name: "only", image: "nginx:1.28" }] }),
        },
        "merge",
      );
      assertOk(res);
      assert.deepEqual(res.body.metadata.labels, { keep: "yes" });
      assert.deepEqual(
        containersOf(res.body).map((x: any) => x.name),
        ["only"],
      );
    });
  });

  describe("JSON patch", () => {
    it("applies add, remove and replace in order", async () => {
      const ds = twoContainerDs("json-ops");
      ds.metadata.labels = { old: "x" };
      assertOk(await c.post(paths.daemonSets(NS), ds), 201);
      const res = await c.patch(
        paths.daemonSet(NS, "json-ops"),
        [
          { op: "add", path: "/metadata/labels/new", value: "y" },
          { op: "remove", path: "/metadata/labels/old" },
          { op: "replace", path: "/spec/template/spec/containers/1/image", value: "busybox:1.37" },
          { op: "add", path: "/spec/minReadySeconds", value: 4 },
        ],
        "json",
      );
      assertOk(res);
      assert.deepEqual(res.body.metadata.labels, { new: "y" });
      assert.equal(containersOf(res.body)[1].image, "busybox:1.37");
      assert.equal(res.body.spec.minReadySeconds, 4);
    });

    it("a failed test operation answers 422 with upstream's generic message and changes nothing", async () => {
      const created = await create("json-test");
      const res = await c.patch(
        paths.daemonSet(NS, "json-test"),
        [
          { op: "test", path: "/spec/template/spec/containers/0/image", value: "nginx:0.1" },
          { op: "replace", path: "/spec/template/spec/containers/0/image", value: "nginx:1.28" },
        ],
        "json",
      );
      assertFailure(res, {
        code: 422,
        reason: "Invalid",
        message: "the server rejected our request due to an error in our request",
      });
      assert.deepEqual(res.body.details, {});
      assert.deepEqual((await c.get(paths.daemonSet(NS, "json-test"))).body, created);
    });

    it("a test on the resourceVersion guards a patch like a precondition", async () => {
      const created = await create("json-guard");
      const rv = created.metadata.resourceVersion;
      const guard = (value: string) => [
        { op: "test", path: "/metadata/resourceVersion", value },
        { op: "add", path: "/metadata/labels", value: { guarded: "yes" } },
      ];
      const ok = await c.patch(paths.daemonSet(NS, "json-guard"), guard(rv), "json");
      assertOk(ok);
      assert.deepEqual(ok.body.metadata.labels, { guarded: "yes" });
      assertFailure(await c.patch(paths.daemonSet(NS, "json-guard"), guard(rv), "json"), {
        code: 422,
        reason: "Invalid",
      });
    });
  });

  it("a patch with an unsupported content type answers 415", async () => {
    await create("content-type");
    const res = await c.request(
      "PATCH",
      paths.daemonSet(NS, "content-type"),
      { metadata: { labels: { a: "b" } } },
      {
        "Content-Type": "application/json",
      },
    );
    assertFailure(res, { code: 415, reason: "UnsupportedMediaType" });
  });

  it("patching a missing object answers 404", async () => {
    const res = await c.patch(paths.daemonSet(NS, "ghost"), { metadata: { labels: { a: "b" } } }, "merge");
    assertFailure(res, { code: 404, reason: "NotFound", message: 'daemonsets.apps "ghost" not found' });
  });

  it("a resourceVersion in the patch that is not current answers 409 Conflict", async () => {
    const created = await create("rv-precondition");
    assertOk(
      await c.patch(paths.daemonSet(NS, "rv-precondition"), { metadata: { labels: { step: "1" } } }, "merge"),
    );
    const stale = { metadata: { resourceVersion: created.metadata.resourceVersion, labels: { step: "2" } } };
    assertFailure(await c.patch(paths.daemonSet(NS, "rv-precondition"), stale, "merge"), {
      code: 409,
      reason: "Conflict",
      message: `Operation cannot be fulfilled on daemonsets.apps "rv-precondition": ${MODIFIED}`,
    });
  });

  it("a status patch changes status; a main-resource patch of status is ignored", async () => {
    await create("status-patch");
    const s = await c.patch(
      `${paths.daemonSet(NS, "status-patch")}/status`,
      { status: { numberReady: 2 } },
      "merge",
    );
    assertOk(s);
    assert.equal(s.body.status.numberReady, 2);
    const m = await c.patch(paths.daemonSet(NS, "status-patch"), { status: { numberReady: 9 } }, "merge");
    assertOk(m);
    assert.equal(m.body.status.numberReady, 2);
  });
});
