// Create, get, update and the namespace lifecycle over HTTP against a real in-process control plane, asserting
// what a kube-apiserver 1.32 answers: server-set fields, Status bodies, optimistic concurrency, generation.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { configMap, daemonSet, namespace, paths } from "../fixtures/objects.js";
import { assertFailure, assertMarkedForDeletion, assertOk } from "../fixtures/status.js";
import { eventually, TestCluster } from "../support/test-cluster.js";

const NS = "crud";
const UID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const GENERATED_SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]{5}";
const TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";
const MODIFIED =
  "the object has been modified; please apply your changes to the latest version and try again";
/** An apps/v1 DaemonSetStatus with its non-omitempty counters at zero: what create resets status to. */
const EMPTY_DS_STATUS = {
  currentNumberScheduled: 0,
  numberMisscheduled: 0,
  desiredNumberScheduled: 0,
  numberReady: 0,
};

describe("objects over HTTP", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(async () => {
    await c.stop();
  });
  describe("create, get and update", () => {
    const createDs = async (name: string, o: Parameters<typeof daemonSet>[1] = {}) => {
      const res = await c.post(paths.daemonSets(NS), daemonSet(name, o));
      assertOk(res, 201);
      return res.body;
    };

    it("creating a DaemonSet answers 201 with uid, creationTimestamp, resourceVersion, generation 1 and a reset status", async () => {
      const body = { ...daemonSet("created"), status: { numberReady: 7, desiredNumberScheduled: 9 } };
      const res = await c.post(paths.daemonSets(NS), body);
      assertOk(res, 201);
      const m = res.body.metadata;
      assert.equal(res.body.apiVersion, "apps/v1");
      assert.equal(res.body.kind, "DaemonSet");
      assert.equal(m.name, "created");
      assert.equal(m.namespace, NS);
      assert.match(m.uid, UID_RE);
      assert.match(m.creationTimestamp, TIMESTAMP_RE);
      assert.match(m.resourceVersion, /^[1-9]\d*$/);
      assert.equal(m.generation, 1);
      assert.equal(m.annotations[TEMPLATE_GENERATION], "1");
      assert.deepEqual(res.body.status, EMPTY_DS_STATUS);
    });

    it("getting an object returns exactly what create returned", async () => {
      const created = await createDs("fetched");
      const res = await c.get(paths.daemonSet(NS, "fetched"));
      assertOk(res);
      assert.deepEqual(res.body, created);
    });

    it("getting a missing object answers 404 with a NotFound Status naming the qualified resource", async () => {
      const res = await c.get(paths.daemonSet(NS, "missing"));
      assertFailure(res, { code: 404, reason: "NotFound", message: 'daemonsets.apps "missing" not found' });
      assert.deepEqual(res.body.details, { name: "missing", group: "apps", kind: "daemonsets" });
    });

    it("a NotFound Status for a core-group resource omits the empty group from details", async () => {
      const res = await c.get(paths.configMap(NS, "missing"));
      assertFailure(res, { code: 404, reason: "NotFound", message: 'configmaps "missing" not found' });
      assert.deepEqual(res.body.details, { name: "missing", kind: "configmaps" });
    });

    it("creating an object whose name is taken answers 409 AlreadyExists", async () => {
      await createDs("taken");
      const res = await c.post(paths.daemonSets(NS), daemonSet("taken"));
      assertFailure(res, {
        code: 409,
        reason: "AlreadyExists",
        message: 'daemonsets.apps "taken" already exists',
      });
      assert.deepEqual(res.body.details, { name: "taken", group: "apps", kind: "daemonsets" });
    });

    it("generateName appends five characters from the vowel-free alphabet and keeps generateName", async () => {
      const body = daemonSet("ignored");
      body.metadata = { generateName: "web-" };
      const names = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await c.post(paths.daemonSets(NS), body);
        assertOk(res, 201);
        assert.match(res.body.metadata.name, new RegExp(`^web-${GENERATED_SUFFIX}$`));
        assert.equal(res.body.metadata.generateName, "web-");
        names.add(res.body.metadata.name);
      }
      assert.equal(names.size, 3);
    });

    it("generateName truncates a long base to 58 characters so the name stays within 63", async () => {
      const base = "a".repeat(70);
      const res = await c.post(paths.configMaps(NS), { ...configMap("x"), metadata: { generateName: base } });
      assertOk(res, 201);
      assert.equal(res.body.metadata.name.length, 63);
      assert.match(res.body.metadata.name, new RegExp(`^a{58}${GENERATED_SUFFIX}$`));
    });

    it("PUT with a stale resourceVersion answers 409 Conflict", async () => {
      const created = await createDs("stale");
      assertOk(
        await c.put(paths.daemonSet(NS, "stale"), {
          ...created,
          metadata: { ...created.metadata, labels: { v: "2" } },
        }),
      );
      const res = await c.put(paths.daemonSet(NS, "stale"), {
        ...created,
        metadata: { ...created.metadata, labels: { v: "3" } },
      });
      assertFailure(res, {
        code: 409,
        reason: "Conflict",
        message: `Operation cannot be fulfilled on daemonsets.apps "stale": ${MODIFIED}`,
      });
      assert.deepEqual(res.body.details, { name: "stale", group: "apps", kind: "daemonsets" });
    });

    it("PUT without a resourceVersion is an unconditional update", async () => {
      const created = await createDs("unconditional");
      const { resourceVersion: _rv, ...meta } = created.metadata;
      const res = await c.put(paths.daemonSet(NS, "unconditional"), {
        ...created,
        metadata: { ...meta, labels: { v: "2" } },
      });
      assertOk(res);
      assert.deepEqual(res.body.metadata.labels, { v: "2" });
      assert.ok(Number(res.body.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    });

    it("a no-op PUT or PATCH does not change the resourceVersion", async () => {
      const created = await createDs("noop", { objectLabels: { tier: "web" } });
      const put = await c.put(paths.daemonSet(NS, "noop"), created);
      assertOk(put);
      assert.equal(put.body.metadata.resourceVersion, created.metadata.resourceVersion);
      const patch = await c.patch(
        paths.daemonSet(NS, "noop"),
        { metadata: { labels: { tier: "web" } } },
        "merge",
      );
      assertOk(patch);
      assert.equal(patch.body.metadata.resourceVersion, created.metadata.resourceVersion);
      assert.deepEqual(patch.body, created);
    });

    it("generation bumps on a spec change and not on a metadata-only change", async () => {
      const created = await createDs("generations");
      const labelled = await c.patch(
        paths.daemonSet(NS, "generations"),
        { metadata: { labels: { a: "b" } } },
        "merge",
      );
      assertOk(labelled);
      assert.equal(labelled.body.metadata.generation, 1);
      assert.notEqual(labelled.body.metadata.resourceVersion, created.metadata.resourceVersion);

      const outsideTemplate = await c.patch(
        paths.daemonSet(NS, "generations"),
        { spec: { minReadySeconds: 5 } },
        "merge",
      );
      assertOk(outsideTemplate);
      assert.equal(outsideTemplate.body.metadata.generation, 2);
      assert.equal(outsideTemplate.body.metadata.annotations[TEMPLATE_GENERATION], "1");

      const image = { spec: { template: { spec: { containers: [{ name: "main", image: "nginx:1.28" }] } } } };
      const inTemplate = await c.patch(paths.daemonSet(NS, "generations"), image);
      assertOk(inTemplate);
      assert.equal(inTemplate.body.metadata.generation, 3);
      assert.equal(inTemplate.body.metadata.annotations[TEMPLATE_GENERATION], "2");
    });

    it("the status subresource changes status only, and a main-resource update ignores status", async () => {
      const created = await createDs("statusful");
      const viaStatus = {
        ...created,
        spec: { ...created.spec, minReadySeconds: 30 },
        status: { ...created.status, numberReady: 3, desiredNumberScheduled: 3 },
      };
      const s = await c.put(`${paths.daemonSet(NS, "statusful")}/status`, viaStatus);
      assertOk(s);
      assert.equal(s.body.status.numberReady, 3);
      assert.equal(s.body.spec.minReadySeconds, undefined);
      assert.equal(s.body.metadata.generation, 1);

      const got = await c.get(`${paths.daemonSet(NS, "statusful")}/status`);
      assertOk(got);
      assert.equal(got.body.status.numberReady, 3);
      assert.equal(got.body.spec.minReadySeconds, undefined);

      const viaMain = {
        ...got.body,
        spec: { ...got.body.spec, minReadySeconds: 10 },
        status: { ...got.body.status, numberReady: 0 },
      };
      const m = await c.put(paths.daemonSet(NS, "statusful"), viaMain);
      assertOk(m);
      assert.equal(m.body.spec.minReadySeconds, 10);
      assert.equal(m.body.status.numberReady, 3);
      assert.equal(m.body.metadata.generation, 2);
    });

    it("a status write answers with the object's new resourceVersion", async () => {
      const created = await createDs("status-rv");
      const s = await c.put(`${paths.daemonSet(NS, "status-rv")}/status`, {
        ...created,
        status: { ...created.status, numberReady: 1 },
      });
      assertOk(s);
      const got = await c.get(paths.daemonSet(NS, "status-rv"));
      assert.notEqual(got.body.metadata.resourceVersion, created.metadata.resourceVersion);
      assert.equal(s.body.metadata.resourceVersion, got.body.metadata.resourceVersion);
    });

    it("an object whose namespace differs from the URL's answers 400", async () => {
      const body = daemonSet("elsewhere");
      body.metadata.namespace = "default";
      assertFailure(await c.post(paths.daemonSets(NS), body), {
        code: 400,
        reason: "BadRequest",
        message: "the namespace of the provided object does not match the namespace sent on the request",
      });
    });

    it("an apiVersion the endpoint does not serve answers 400", async () => {
      const body = { ...daemonSet("wrong-version"), apiVersion: "apps/v1beta2" };
      assertFailure(await c.post(paths.daemonSets(NS), body), {
        code: 400,
        reason: "BadRequest",
        message:
          "the API version in the data (apps/v1beta2) does not match the expected API version (apps/v1)",
      });
      const pod = { ...daemonSet("wrong-group"), apiVersion: "v1", kind: "Pod" };
      assertFailure(await c.post(paths.daemonSets(NS), pod), {
        code: 400,
        reason: "BadRequest",
        message: "the API version in the data (v1) does not match the expected API version (apps/v1)",
      });
    });

    it("a kind the endpoint does not serve answers 400 from the decoder", async () => {
      const body = { ...daemonSet("wrong-kind"), kind: "ReplicaSet" };
      assertFailure(await c.post(paths.daemonSets(NS), body), {
        code: 400,
        reason: "BadRequest",
        message: /^ReplicaSet in version "v1" cannot be handled as a DaemonSet: /,
      });
    });

    it("dryRun=All validates and answers like a real write but persists nothing", async () => {
      const res = await c.post(`${paths.daemonSets(NS)}?dryRun=All`, daemonSet("dry"));
      assertOk(res, 201);
      assert.equal(res.body.metadata.name, "dry");
      assert.match(res.body.metadata.uid, UID_RE);
      assert.equal((await c.get(paths.daemonSet(NS, "dry"))).status, 404);

      const created = await createDs("dry-update");
      const changed = { ...created, metadata: { ...created.metadata, labels: { dry: "run" } } };
      const put = await c.put(`${paths.daemonSet(NS, "dry-update")}?dryRun=All`, changed);
      assertOk(put);
      assert.deepEqual(put.body.metadata.labels, { dry: "run" });
      const after = await c.get(paths.daemonSet(NS, "dry-update"));
      assert.deepEqual(after.body, created);

      assertOk(await c.delete(`${paths.daemonSet(NS, "dry-update")}?dryRun=All`));
      assertOk(await c.get(paths.daemonSet(NS, "dry-update")));
    });

    it("creating in a namespace that does not exist answers 404 for the namespace", async () => {
      const res = await c.post(paths.configMaps("nope"), configMap("orphan"));
      assertFailure(res, { code: 404, reason: "NotFound", message: 'namespaces "nope" not found' });
      assert.equal(res.body.details.name, "nope");
      assert.equal(res.body.details.kind, "namespaces");
    });
  });

  describe("namespace lifecycle", () => {
    it("a new namespace is Active and carries the kubernetes finalizer", async () => {
      const res = await c.post(paths.namespaces(), namespace("fresh"));
      assertOk(res, 201);
      assert.deepEqual(res.body.status, { phase: "Active" });
      assert.deepEqual(res.body.spec, { finalizers: ["kubernetes"] });
    });

    it("deleting a namespace removes its contents and then the namespace itself", async () => {
      assertOk(await c.post(paths.namespaces(), namespace("doomed")), 201);
      assertOk(await c.post(paths.configMaps("doomed"), configMap("content")), 201);
      assertOk(await c.post(paths.daemonSets("doomed"), daemonSet("ds")), 201);
      const del = await c.delete(paths.namespace("doomed"));
      assertMarkedForDeletion(del, "Namespace");
      assert.equal(del.body.status.phase, "Terminating");
      await eventually(
        async () => (await c.get(paths.configMap("doomed", "content"))).status === 404,
        5000,
        "contents gone",
      );
      await eventually(
        async () => (await c.get(paths.namespace("doomed"))).status === 404,
        5000,
        "namespace gone",
      );
    });

    it("creating in a terminating namespace answers 403 NamespaceTerminating", async () => {
      assertOk(await c.post(paths.namespaces(), namespace("closing")), 201);
      // A finalizer nobody removes keeps the content, and so the namespace, terminating.
      assertOk(
        await c.post(paths.configMaps("closing"), configMap("held", { finalizers: ["example.com/hold"] })),
        201,
      );
      assertMarkedForDeletion(await c.delete(paths.namespace("closing")), "Namespace");
      const res = await c.post(paths.configMaps("closing"), configMap("late"));
      assertFailure(res, {
        code: 403,
        reason: "Forbidden",
        message:
          'configmaps "late" is forbidden: unable to create new content in namespace closing because it is being terminated',
      });
      assert.deepEqual(res.body.details.causes, [
        {
          reason: "NamespaceTerminating",
          message: "namespace closing is being terminated",
          field: "metadata.namespace",
        },
      ]);
      // Releasing the held object lets the namespace finish.
      await eventually(
        async () => (await c.get(paths.configMap("closing", "held"))).body.metadata?.deletionTimestamp,
        5000,
      );
      assertOk(
        await c.patch(paths.configMap("closing", "held"), { metadata: { finalizers: null } }, "merge"),
      );
      await eventually(
        async () => (await c.get(paths.namespace("closing"))).status === 404,
        5000,
        "namespace gone",
      );
    });
  });
});
