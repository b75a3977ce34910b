// Defaulting and validation through HTTP: the fields a kube-apiserver 1.32 fills in on DaemonSets, pods and
// namespaces, and the 422 Invalid Statuses (upstream's field paths and messages) for bad objects and updates.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { configMap, daemonSet, namespace, paths, pod } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "validating";
const RFC1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe("defaulting and validation", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(async () => {
    await c.stop();
  });
  describe("defaulting", () => {
    it("a DaemonSet gets a RollingUpdate strategy, a revision history limit and pod template defaults", async () => {
      const res = await c.post(paths.daemonSets(NS), daemonSet("defaulted"));
      assertOk(res, 201);
      const spec = res.body.spec;
      assert.deepEqual(spec.updateStrategy, {
        type: "RollingUpdate",
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      });
      assert.equal(spec.revisionHistoryLimit, 10);
      const podSpec = spec.template.spec;
      assert.equal(podSpec.restartPolicy, "Always");
      assert.equal(podSpec.dnsPolicy, "ClusterFirst");
      assert.equal(podSpec.schedulerName, "default-scheduler");
      assert.equal(podSpec.terminationGracePeriodSeconds, 30);
      assert.deepEqual(podSpec.securityContext, {});
      const [container] = podSpec.containers;
      assert.equal(container.imagePullPolicy, "IfNotPresent");
      assert.equal(container.terminationMessagePath, "/dev/termination-log");
      assert.equal(container.terminationMessagePolicy, "File");
      assert.deepEqual(container.resources, {});
    });

    it("an OnDelete strategy gets no rollingUpdate", async () => {
      const ds = daemonSet("on-delete");
      ds.spec.updateStrategy = { type: "OnDelete" };
      const res = await c.post(paths.daemonSets(NS), ds);
      assertOk(res, 201);
      assert.deepEqual(res.body.spec.updateStrategy, { type: "OnDelete" });
    });

    it("containers added by a patch are defaulted too: an untagged or :latest image is pulled Always", async () => {
      assertOk(await c.post(paths.daemonSets(NS), daemonSet("patched-defaults")), 201);
      const res = await c.patch(paths.daemonSet(NS, "patched-defaults"), {
        spec: { template: { spec: { containers: [{ name: "extra", image: "busybox" }] } } },
      });
      assertOk(res);
      const extra = res.body.spec.template.spec.containers.find((x: any) => x.name === "extra");
      assert.equal(extra.imagePullPolicy, "Always");
      assert.equal(extra.terminationMessagePath, "/dev/termination-log");
    });

    it("a pod gets spec defaults and a Pending status with its QoS class", async () => {
      const res = await c.post(paths.pods(NS), pod("defaulted"));
      assertOk(res, 201);
      assert.equal(res.body.spec.enableServiceLinks, true);
      assert.equal(res.body.spec.restartPolicy, "Always");
      assert.equal(res.body.spec.terminationGracePeriodSeconds, 30);
      assert.deepEqual(res.body.status, { phase: "Pending", qosClass: "BestEffort" });
    });

    it("a namespace gets the kubernetes.io/metadata.name label", async () => {
      const res = await c.post(paths.namespaces(), namespace("labelled"));
      assertOk(res, 201);
      assert.equal(res.body.metadata.labels["kubernetes.io/metadata.name"], "labelled");
    });
  });

  describe("validation", () => {
    it("a DaemonSet whose selector does not match its template labels answers 422", async () => {
      const ds = daemonSet("mismatch");
      ds.spec.selector = { matchLabels: { app: "other" } };
      ds.spec.template.metadata.labels = { name: "x" };
      const res = await c.post(paths.daemonSets(NS), ds);
      const why = 'Invalid value: map[string]string{"name":"x"}: `selector` does not match template `labels`';
      assertFailure(res, {
        code: 422,
        reason: "Invalid",
        message: `DaemonSet.apps "mismatch" is invalid: spec.template.metadata.labels: ${why}`,
      });
      assert.deepEqual(res.body.details, {
        name: "mismatch",
        group: "apps",
        kind: "DaemonSet",
        causes: [{ reason: "FieldValueInvalid", message: why, field: "spec.template.metadata.labels" }],
      });
      assert.equal((await c.get(paths.daemonSet(NS, "mismatch"))).status, 404);
    });

    it("an object without name or generateName answers 422", async () => {
      const ds = daemonSet("x");
      ds.metadata = {};
      assertFailure(await c.post(paths.daemonSets(NS), ds), {
        code: 422,
        reason: "Invalid",
        message:
          'DaemonSet.apps "" is invalid: metadata.name: Required value: name or generateName is required',
      });
    });

    it("a name that is not a DNS subdomain answers 422 with the regex in the message", async () => {
      assertFailure(await c.post(paths.configMaps(NS), configMap("Bad_Name")), {
        code: 422,
        reason: "Invalid",
        message: `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${RFC1123_SUBDOMAIN}`,
      });
    });

    it("a pod without containers answers 422", async () => {
      const p = pod("empty");
      p.spec.containers = [];
      assertFailure(await c.post(paths.pods(NS), p), {
        code: 422,
        reason: "Invalid",
        message: 'Pod "empty" is invalid: spec.containers: Required value',
      });
    });

    it("changing a DaemonSet's selector answers 422 field is immutable", async () => {
      const created = await c.post(paths.daemonSets(NS), daemonSet("fixed"));
      assertOk(created, 201);
      const changed = structuredClone(created.body);
      changed.spec.selector = { matchLabels: { app: "y" } };
      changed.spec.template.metadata.labels = { app: "y" };
      assertFailure(await c.put(paths.daemonSet(NS, "fixed"), changed), {
        code: 422,
        reason: "Invalid",
        message:
          'DaemonSet.apps "fixed" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
      });
    });

    it("an update that empties a container image answers 422 and leaves the object as it was", async () => {
      const created = await c.post(paths.daemonSets(NS), daemonSet("imageless"));
      assertOk(created, 201);
      const res = await c.patch(
        paths.daemonSet(NS, "imageless"),
        [{ op: "remove", path: "/spec/template/spec/containers/0/image" }],
        "json",
      );
      assertFailure(res, {
        code: 422,
        reason: "Invalid",
        message:
          'DaemonSet.apps "imageless" is invalid: spec.template.spec.containers[0].image: Required value',
      });
      assert.deepEqual((await c.get(paths.daemonSet(NS, "imageless"))).body, created.body);
    });

    it("the system namespaces cannot be deleted", async () => {
      for (const ns of ["default", "kube-system", "kube-public"]) {
        assertFailure(await c.delete(paths.namespace(ns)), {
          code: 403,
          reason: "Forbidden",
          message: `namespaces "${ns}" is forbidden: this namespace may not be deleted`,
        });
      }
    });
  });
});
