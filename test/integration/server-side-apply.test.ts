// Server-side apply over HTTP (PATCH application/apply-patch+yaml) and the managedFields every write keeps:
// create by apply, pruning, shared ownership, conflicts and force, kubectl's client-side → server-side
// migration, Update entries for create/update/patch/status, and the request errors upstream answers.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { daemonSet, namespace, paths } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { type Response, TestCluster } from "../support/test-cluster.js";

const NS = "ssa";
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const IMAGE_PATH = '.spec.template.spec.containers[name="main"].image';

/** A DaemonSet configuration with one container `main` and optional object labels. */
const config = (name: string, image = "nginx:1.27", labels?: Record<string, string>) =>
  daemonSet(name, { containers: [{ name: "main", image }], objectLabels: labels });

/** `manager/Operation[/subresource]` for each managedFields entry. */
const owners = (obj: any): string[] =>
  (obj.metadata.managedFields ?? []).map(
    (e: any) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ""}`,
  );

const entryOf = (obj: any, manager: string) =>
  obj.metadata.managedFields.find((e: any) => e.manager === manager);

describe("server-side apply", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(async () => {
    await c.stop();
  });

  const apply = (name: string, body: unknown, query: string): Promise<Response> =>
    c.request(
      "PATCH",
      `${paths.daemonSet(NS, name)}?${query}`,
      typeof body === "string" ? body : JSON.stringify(body),
      {
        "Content-Type": "application/apply-patch+yaml",
      },
    );
  const get = async (name: string) => (await c.get(paths.daemonSet(NS, name))).body;

  describe("applying", () => {
    it("creates a missing object (201), owned by the applier alone", async () => {
      const res = await apply(
        "created",
        config("created"),
        "fieldManager=kubectl&fieldValidation=Strict&force=false",
      );
      assertOk(res, 201);
      assert.equal(res.body.metadata.generation, 1);
      assert.equal(res.body.spec.updateStrategy.type, "RollingUpdate", "defaults are applied");
      assert.deepEqual(owners(res.body), ["kubectl/Apply"]);
      const entry = res.body.metadata.managedFields[0];
      assert.equal(entry.apiVersion, "apps/v1");
      assert.equal(entry.fieldsType, "FieldsV1");
      assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(entry.fieldsV1["f:spec"]["f:template"]["f:spec"], {
        "f:containers": { 'k:{"name":"main"}': { ".": {}, "f:image": {}, "f:name": {} } },
      });
      assert.deepEqual(await get("created"), res.body);
    });

    it("accepts a YAML body, and re-applying the same configuration writes nothing", async () => {
      const first = await apply("yaml", stringify(config("yaml")), "fieldManager=kubectl");
      assertOk(first, 201);
      const again = await apply("yaml", stringify(config("yaml")), "fieldManager=kubectl");
      assertOk(again);
      assert.equal(again.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    });

    it("re-applying without a field removes it", async () => {
      assertOk(
        await apply("prune", config("prune", "nginx:1.27", { a: "1", b: "2" }), "fieldManager=kubectl"),
        201,
      );
      const res = await apply("prune", config("prune", "nginx:1.27", { a: "1" }), "fieldManager=kubectl");
      assertOk(res);
      assert.deepEqual(res.body.metadata.labels, { a: "1" });
    });

    it("a field two managers apply stays when one of them drops it", async () => {
      assertOk(
        await apply("shared", config("shared", "nginx:1.27", { a: "1", s: "x" }), "fieldManager=one"),
        201,
      );
      const labelOnly = {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "shared", labels: { s: "x" } },
      };
      assertOk(await apply("shared", labelOnly, "fieldManager=two"));
      const res = await apply("shared", config("shared", "nginx:1.27", { a: "1" }), "fieldManager=one");
      assertOk(res);
      assert.deepEqual(res.body.metadata.labels, { a: "1", s: "x" });
      assert.deepEqual(entryOf(res.body, "two").fieldsV1, { "f:metadata": { "f:labels": { "f:s": {} } } });
    });

    it("changing another manager's field answers 409 with upstream's message and causes", async () => {
      assertOk(await apply("conflict", config("conflict"), "fieldManager=kubectl"), 201);
      const res = await apply("conflict", config("conflict", "nginx:1.28"), "fieldManager=other&force=false");
      assertFailure(res, {
        code: 409,
        reason: "Conflict",
        message: `Apply failed with 1 conflict: conflict with "kubectl": ${IMAGE_PATH}`,
      });
      assert.deepEqual(res.body.details, {
        causes: [{ reason: "FieldManagerConflict", message: 'conflict with "kubectl"', field: IMAGE_PATH }],
      });
      assert.equal((await get("conflict")).spec.template.spec.containers[0].image, "nginx:1.27");
    });

    it("force=true takes the field over", async () => {
      assertOk(await apply("forced", config("forced"), "fieldManager=kubectl"), 201);
      const res = await apply("forced", config("forced", "nginx:1.28"), "fieldManager=other&force=true");
      assertOk(res);
      assert.equal(res.body.spec.template.spec.containers[0].image, "nginx:1.28");
      assert.deepEqual(owners(res.body), ["kubectl/Apply", "other/Apply"]);
      assert.ok(!JSON.stringify(entryOf(res.body, "kubectl").fieldsV1).includes('"f:image"'));
    });

    it("dryRun=All answers the result without storing it", async () => {
      const res = await apply("dry", config("dry"), "fieldManager=kubectl&dryRun=All");
      assertOk(res, 201);
      assert.equal((await c.get(paths.daemonSet(NS, "dry"))).status, 404);
    });
  });

  describe("client-side apply, then server-side apply", () => {
    /** What `kubectl apply` (client-side) creates: the manifest plus its last-applied annotation. */
    const clientSideApplied = async (name: string) => {
      const manifest = config(name);
      const body = structuredClone(manifest);
      body.metadata.annotations = { [LAST_APPLIED]: `${JSON.stringify(manifest)}\n` };
      const res = await c.request(
        "POST",
        `${paths.daemonSets(NS)}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`,
        body,
      );
      assertOk(res, 201);
      assert.deepEqual(owners(res.body), ["kubectl-client-side-apply/Update"]);
    };

    it("another manager conflicts on the image with kubectl-client-side-apply", async () => {
      await clientSideApplied("csa");
      const res = await apply("csa", config("csa", "nginx:1.28"), "fieldManager=ssa-tool");
      assertFailure(res, {
        code: 409,
        reason: "Conflict",
        message: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: ${IMAGE_PATH}`,
      });
    });

    it("kubectl itself migrates: fields still as last applied are its own, and the annotation follows", async () => {
      await clientSideApplied("migrate");
      const res = await apply("migrate", config("migrate", "nginx:1.28"), "fieldManager=kubectl");
      assertOk(res);
      assert.equal(res.body.spec.template.spec.containers[0].image, "nginx:1.28");
      assert.equal(
        JSON.parse(res.body.metadata.annotations[LAST_APPLIED]).spec.template.spec.containers[0].image,
        "nginx:1.28",
      );
      assert.deepEqual(owners(res.body), ["kubectl/Apply", "kubectl-client-side-apply/Update"]);

      // kubectl's follow-up: the annotation alone, applied by kubectl-last-applied.
      const annotationOnly = {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: {
          name: "migrate",
          namespace: NS,
          annotations: { [LAST_APPLIED]: res.body.metadata.annotations[LAST_APPLIED] },
        },
      };
      const saved = await apply("migrate", annotationOnly, "fieldManager=kubectl-last-applied");
      assertOk(saved);
      // The annotation already held that value, so the entry has no time and sorts first, as upstream's does.
      assert.deepEqual(owners(saved.body), [
        "kubectl-last-applied/Apply",
        "kubectl/Apply",
        "kubectl-client-side-apply/Update",
      ]);
      assert.equal(entryOf(saved.body, "kubectl-last-applied").time, undefined);
    });
  });

  describe("managedFields of other writes", () => {
    it("records create, update, patch and status writes, each by its manager", async () => {
      const created = await c.request(
        "POST",
        `${paths.daemonSets(NS)}?fieldManager=kubectl-create`,
        config("writes"),
      );
      assertOk(created, 201);
      assert.deepEqual(owners(created.body), ["kubectl-create/Update"]);
      assert.deepEqual(
        entryOf(created.body, "kubectl-create").fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"],
        {
          'k:{"name":"main"}': {
            ".": {},
            "f:image": {},
            "f:imagePullPolicy": {},
            "f:name": {},
            "f:resources": {},
            "f:terminationMessagePath": {},
            "f:terminationMessagePolicy": {},
          },
        },
      );

      const edited = structuredClone(created.body);
      edited.metadata.labels = { edited: "yes" };
      const updated = await c.request(
        "PUT",
        `${paths.daemonSet(NS, "writes")}?fieldManager=kubectl-edit`,
        edited,
      );
      assertOk(updated);
      assert.deepEqual(entryOf(updated.body, "kubectl-edit").fieldsV1, {
        "f:metadata": { "f:labels": { ".": {}, "f:edited": {} } },
      });

      const patched = await c.request(
        "PATCH",
        `${paths.daemonSet(NS, "writes")}?fieldManager=kubectl-set`,
        { spec: { template: { spec: { containers: [{ name: "main", image: "nginx:1.28" }] } } } },
        { "Content-Type": "application/strategic-merge-patch+json" },
      );
      assertOk(patched);
      assert.ok(!JSON.stringify(entryOf(patched.body, "kubectl-create").fieldsV1).includes('"f:image"'));
      assert.deepEqual(entryOf(patched.body, "kubectl-set").fieldsV1, {
        "f:spec": {
          "f:template": { "f:spec": { "f:containers": { 'k:{"name":"main"}': { "f:image": {} } } } },
        },
      });

      const withStatus = structuredClone(patched.body);
      withStatus.status = {
        currentNumberScheduled: 1,
        numberMisscheduled: 0,
        desiredNumberScheduled: 1,
        numberReady: 0,
      };
      const status = await c.request(
        "PUT",
        `${paths.daemonSet(NS, "writes")}/status?fieldManager=ds-controller`,
        withStatus,
      );
      assertOk(status);
      // Entries of the same second sort by manager name, so compare them as a set.
      assert.deepEqual(owners(status.body).sort(), [
        "ds-controller/Update/status",
        "kubectl-create/Update",
        "kubectl-edit/Update",
        "kubectl-set/Update",
      ]);
      assert.deepEqual(Object.keys(entryOf(status.body, "ds-controller").fieldsV1), ["f:status"]);
    });

    it("without fieldManager the User-Agent's product names the manager", async () => {
      const res = await c.request("POST", paths.daemonSets(NS), config("agent"), {
        "User-Agent": "my-tool/1.2.3 (linux/amd64)",
      });
      assertOk(res, 201);
      assert.deepEqual(owners(res.body), ["my-tool/Update"]);
    });

    it("a write that changes nothing keeps the entries (and the resourceVersion)", async () => {
      const obj = await get("writes");
      const res = await c.request("PUT", `${paths.daemonSet(NS, "writes")}?fieldManager=someone-else`, obj);
      assertOk(res);
      assert.equal(res.body.metadata.resourceVersion, obj.metadata.resourceVersion);
      assert.deepEqual(res.body.metadata.managedFields, obj.metadata.managedFields);
    });
  });

  describe("request errors", () => {
    const failures: {
      name: string;
      run: () => Promise<Response>;
      code: number;
      reason: string;
      message: string | RegExp;
    }[] = [
      {
        name: "apply without fieldManager",
        run: () => apply("x", config("x"), "force=false"),
        code: 422,
        reason: "Invalid",
        message:
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      },
      {
        name: "force on a strategic merge patch",
        run: () =>
          c.request(
            "PATCH",
            `${paths.daemonSet(NS, "created")}?force=true`,
            {},
            {
              "Content-Type": "application/strategic-merge-patch+json",
            },
          ),
        code: 422,
        reason: "Invalid",
        message:
          'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
      },
      {
        name: "an unknown field",
        run: () =>
          apply("x", { ...config("x"), spec: { ...config("x").spec, bogus: 1 } }, "fieldManager=kubectl"),
        code: 400,
        reason: "BadRequest",
        message: `failed to create typed patch object (/x; apps/v1, Kind=DaemonSet): .spec.bogus: field not declared in schema`,
      },
      {
        name: "a configuration of another kind",
        run: () => apply("x", { ...config("x"), kind: "Pod" }, "fieldManager=kubectl"),
        code: 400,
        reason: "BadRequest",
        message: "invalid object type: apps/v1, Kind=Pod",
      },
      {
        name: "a name that does not match the URL",
        run: () => apply("y", config("x"), "fieldManager=kubectl"),
        code: 400,
        reason: "BadRequest",
        message: "the name of the object (x) does not match the name on the URL (y)",
      },
      {
        name: "apply to the status of a missing object",
        run: () =>
          c.request(
            "PATCH",
            `${paths.daemonSet(NS, "missing")}/status?fieldManager=kubectl`,
            JSON.stringify(config("missing")),
            {
              "Content-Type": "application/apply-patch+yaml",
            },
          ),
        code: 404,
        reason: "NotFound",
        message: 'daemonsets.apps "missing" not found',
      },
    ];
    for (const f of failures) {
      it(`${f.name}: ${f.code}`, async () => {
        assertFailure(await f.run(), { code: f.code, reason: f.reason, message: f.message });
      });
    }
  });
});
