// PodDisruptionBudgets and the pods/eviction subresource over HTTP, as a kube-apiserver 1.32 answers them:
// the PDB resource (discovery, defaults, validation, generation, status, Table) and every answer of an
// eviction (no budget, budgets that allow or refuse, stale budgets, several budgets, unready, finished and
// deleting pods, dry runs and preconditions). The disruption controller is not running here: budget status is
// written by the test, as the controller would.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../src/api/errors.js";
import type { KubeObject } from "../../src/api/object.js";
import { PODS } from "../../src/api/resources.js";
import { LocalClient } from "../../src/apiserver/local-client.js";
import { namespace, paths, pod, TABLE_ACCEPT } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { type Response, TestCluster } from "../support/test-cluster.js";

const NS = "evicting";
const pdbs = (ns: string) => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`;
const pdbPath = (ns: string, name: string) => `${pdbs(ns)}/${name}`;
const evictionPath = (ns: string, name: string) => `${paths.pod(ns, name)}/eviction`;
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };

function budget(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name }, spec };
}

function eviction(name: string, deleteOptions?: Record<string, unknown>, apiVersion = "policy/v1") {
  return {
    apiVersion,
    kind: "Eviction",
    metadata: { name, namespace: NS },
    ...(deleteOptions ? { deleteOptions } : {}),
  };
}

describe("PodDisruptionBudgets and pod eviction", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(async () => {
    await c.stop();
  });

  /** A pod bound to node-1 in `phase`, ready or not, labelled app=<app>. */
  async function runningPod(name: string, o: { app?: string; ready?: boolean; phase?: string } = {}) {
    const created = await c.post(
      paths.pods(NS),
      pod(name, { nodeName: "node-1", labels: { app: o.app ?? "web" } }),
    );
    assertOk(created, 201);
    const body = created.body;
    body.status = {
      ...body.status,
      phase: o.phase ?? "Running",
      conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }],
    };
    const res = await c.put(`${paths.pod(NS, name)}/status`, body);
    assertOk(res);
    return res.body;
  }

  /** A budget whose status is what the disruption controller would have written. */
  async function observedBudget(
    name: string,
    spec: Record<string, unknown>,
    status: Record<string, unknown>,
  ) {
    const created = await c.post(pdbs(NS), budget(name, spec));
    assertOk(created, 201);
    const body = created.body;
    body.status = { ...body.status, observedGeneration: body.metadata.generation, ...status };
    const res = await c.put(`${pdbPath(NS, name)}/status`, body);
    assertOk(res);
    return res.body;
  }

  const gone = async (name: string) => (await c.get(paths.pod(NS, name))).status === 404;
  const deleteBudget = async (name: string) => assertOk(await c.delete(pdbPath(NS, name)));

  describe("the PodDisruptionBudget resource", () => {
    it("is discovered as policy/v1 poddisruptionbudgets (pdb) with a status subresource", async () => {
      const list = await c.get("/apis/policy/v1");
      assertOk(list);
      const entry = list.body.resources.find((r: any) => r.name === "poddisruptionbudgets");
      assert.equal(entry.kind, "PodDisruptionBudget");
      assert.equal(entry.singularName, "poddisruptionbudget");
      assert.equal(entry.namespaced, true);
      assert.deepEqual(entry.shortNames, ["pdb"]);
      const status = list.body.resources.find((r: any) => r.name === "poddisruptionbudgets/status");
      assert.deepEqual(status.verbs, ["get", "patch", "update"]);
      const v3 = await c.get("/openapi/v3");
      assert.ok(v3.body.paths["apis/policy/v1"], "the OpenAPI v3 index has the policy/v1 document");
    });

    it("starts at generation 1 with the zero counts always shown", async () => {
      const res = await c.post(
        pdbs(NS),
        budget("fresh", { minAvailable: 1, selector: { matchLabels: { app: "x" } } }),
      );
      assertOk(res, 201);
      assert.equal(res.body.metadata.generation, 1);
      assert.deepEqual(res.body.status, {
        disruptionsAllowed: 0,
        currentHealthy: 0,
        desiredHealthy: 0,
        expectedPods: 0,
      });
      await deleteBudget("fresh");
    });

    it("refuses minAvailable together with maxUnavailable, and unknown eviction policies", async () => {
      const both = await c.post(pdbs(NS), budget("both", { minAvailable: 1, maxUnavailable: 1 }));
      assertFailure(both, {
        code: 422,
        reason: "Invalid",
        message:
          /^PodDisruptionBudget\.policy "both" is invalid: spec: Invalid value: .*minAvailable and maxUnavailable cannot be both set$/,
      });
      const policy = await c.post(
        pdbs(NS),
        budget("odd", { minAvailable: 1, unhealthyPodEvictionPolicy: "Never" }),
      );
      assertFailure(policy, {
        code: 422,
        reason: "Invalid",
        message:
          'PodDisruptionBudget.policy "odd" is invalid: spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
      });
    });

    it("bumps generation on spec changes only, and keeps spec and status apart", async () => {
      const created = await c.post(pdbs(NS), budget("gen", { minAvailable: 1 }));
      const spec = await c.patch(pdbPath(NS, "gen"), { spec: { minAvailable: "50%" } }, "merge");
      assertOk(spec);
      assert.equal(spec.body.metadata.generation, 2);
      const labels = await c.patch(pdbPath(NS, "gen"), { metadata: { labels: { a: "b" } } }, "merge");
      assert.equal(labels.body.metadata.generation, 2);
      const status = await c.patch(
        `${pdbPath(NS, "gen")}/status`,
        { spec: { minAvailable: 9 }, status: { disruptionsAllowed: 3, observedGeneration: 2 } },
        "merge",
      );
      assertOk(status);
      assert.equal(status.body.spec.minAvailable, "50%", "a status write cannot change spec");
      assert.equal(status.body.status.disruptionsAllowed, 3);
      const main = await c.patch(pdbPath(NS, "gen"), { status: { disruptionsAllowed: 7 } }, "merge");
      assert.equal(main.body.status.disruptionsAllowed, 3, "a main-resource write cannot change status");
      const negative = await c.patch(
        `${pdbPath(NS, "gen")}/status`,
        { status: { expectedPods: -1 } },
        "merge",
      );
      assertFailure(negative, {
        code: 422,
        reason: "Invalid",
        message: /status\.expectedPods: Invalid value: -1/,
      });
      assert.equal(created.body.metadata.uid, main.body.metadata.uid);
      await deleteBudget("gen");
    });

    it("prints kubectl's columns", async () => {
      await observedBudget("printed", { maxUnavailable: "25%" }, { disruptionsAllowed: 2 });
      const res = await c.get(pdbs(NS), { Accept: TABLE_ACCEPT });
      assertOk(res);
      assert.deepEqual(
        res.body.columnDefinitions.map((col: any) => col.name),
        ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"],
      );
      assert.deepEqual(res.body.rows[0].cells.slice(0, 4), ["printed", "N/A", "25%", 2]);
      await deleteBudget("printed");
    });
  });

  describe("POST pods/{name}/eviction", () => {
    it("without a budget deletes the pod gracefully and answers 201 Success", async () => {
      await runningPod("free");
      const res = await c.post(evictionPath(NS, "free"), eviction("free"));
      assertOk(res, 201);
      assert.deepEqual(res.body, SUCCESS);
      const still = await c.get(paths.pod(NS, "free"));
      assertOk(still);
      assert.equal(
        still.body.metadata.deletionGracePeriodSeconds,
        30,
        "the pod's kubelet finishes the deletion",
      );
      const target = still.body.status.conditions.find((cond: any) => cond.type === "DisruptionTarget");
      assert.equal(target.status, "True");
      assert.equal(target.reason, "EvictionByEvictionAPI");
      assert.equal(target.message, "Eviction API: evicting");
      // Evicting again, now with no grace, removes it at once.
      assertOk(await c.post(evictionPath(NS, "free"), eviction("free", { gracePeriodSeconds: 0 })), 201);
      assert.ok(await gone("free"));
    });

    it("accepts a policy/v1beta1 Eviction", async () => {
      await runningPod("beta");
      const res = await c.post(
        evictionPath(NS, "beta"),
        eviction("beta", { gracePeriodSeconds: 0 }, "policy/v1beta1"),
      );
      assertOk(res, 201);
      assert.ok(await gone("beta"));
    });

    it("deletes a pending pod at once, whatever its budget says", async () => {
      await observedBudget(
        "pending-pdb",
        { minAvailable: 5, selector: { matchLabels: { app: "pending" } } },
        {},
      );
      assertOk(await c.post(paths.pods(NS), pod("unscheduled", { labels: { app: "pending" } })), 201);
      assertOk(await c.post(evictionPath(NS, "unscheduled"), eviction("unscheduled")), 201);
      assert.ok(await gone("unscheduled"));
      await deleteBudget("pending-pdb");
    });

    it("answers 404 for a missing pod and 400 for a body naming another pod", async () => {
      assertFailure(await c.post(evictionPath(NS, "nope"), eviction("nope")), {
        code: 404,
        reason: "NotFound",
        message: 'pods "nope" not found',
      });
      await runningPod("named");
      assertFailure(await c.post(evictionPath(NS, "named"), eviction("other")), {
        code: 400,
        reason: "BadRequest",
        message: "name in URL does not match name in Eviction object",
      });
      assertOk(await c.post(evictionPath(NS, "named"), eviction("named", { gracePeriodSeconds: 0 })), 201);
    });

    it("spends an allowed disruption: disruptionsAllowed goes down and the pod is recorded", async () => {
      await runningPod("spend-1", { app: "spend" });
      await runningPod("spend-2", { app: "spend" });
      const before = await observedBudget(
        "spend",
        { minAvailable: 1, selector: { matchLabels: { app: "spend" } } },
        { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 },
      );
      const started = Date.now();
      assertOk(await c.post(evictionPath(NS, "spend-1"), eviction("spend-1")), 201);
      const after = (await c.get(pdbPath(NS, "spend"))).body;
      assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
      assert.equal(after.status.disruptionsAllowed, 0);
      assert.deepEqual(Object.keys(after.status.disruptedPods), ["spend-1"]);
      const granted = Date.parse(after.status.disruptedPods["spend-1"]);
      assert.ok(
        granted >= Math.floor(started / 1000) * 1000 && granted <= Date.now(),
        after.status.disruptedPods["spend-1"],
      );
      const condition = after.status.conditions.find((cond: any) => cond.type === "DisruptionAllowed");
      assert.deepEqual([condition.status, condition.reason], ["False", "InsufficientPods"]);
      assert.ok((await c.get(paths.pod(NS, "spend-1"))).body.metadata.deletionTimestamp);

      // The budget is spent: the next eviction is refused with the Status kubectl drain retries on.
      const refused = await c.post(evictionPath(NS, "spend-2"), eviction("spend-2"));
      assertFailure(refused, { code: 429, reason: "TooManyRequests", message: VIOLATION });
      assert.deepEqual(refused.body.details, {
        causes: [
          {
            reason: "DisruptionBudget",
            message: "The disruption budget spend needs 1 healthy pods and has 2 currently",
          },
        ],
      });
      assert.equal(refused.headers.get("retry-after"), null);
      assert.equal((await c.get(paths.pod(NS, "spend-2"))).body.metadata.deletionTimestamp, undefined);
      await deleteBudget("spend");
    });

    it("refuses with 429 and Retry-After while the budget's status is older than its spec", async () => {
      await runningPod("stale-1", { app: "stale" });
      assertOk(
        await c.post(
          pdbs(NS),
          budget("stale", { minAvailable: 0, selector: { matchLabels: { app: "stale" } } }),
        ),
        201,
      );
      const res: Response = await c.post(evictionPath(NS, "stale-1"), eviction("stale-1"));
      assertFailure(res, { code: 429, reason: "TooManyRequests", message: VIOLATION });
      assert.deepEqual(res.body.details, {
        causes: [
          {
            reason: "DisruptionBudget",
            message: "The disruption budget stale is still being processed by the server.",
          },
        ],
        retryAfterSeconds: 10,
      });
      assert.equal(res.headers.get("retry-after"), "10");
      await deleteBudget("stale");
    });

    it("answers 500 when several budgets select the pod", async () => {
      await runningPod("double", { app: "double" });
      const selector = { matchLabels: { app: "double" } };
      await observedBudget("double-a", { minAvailable: 0, selector }, { disruptionsAllowed: 1 });
      await observedBudget("double-b", { maxUnavailable: 1, selector }, { disruptionsAllowed: 1 });
      const res = await c.post(evictionPath(NS, "double"), eviction("double"));
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message:
          "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
        code: 500,
      });
      assert.equal((await c.get(paths.pod(NS, "double"))).body.metadata.deletionTimestamp, undefined);
      await deleteBudget("double-a");
      await deleteBudget("double-b");
    });

    it("lets an unready pod go without spending the budget while the application is healthy", async () => {
      await runningPod("unready-1", { app: "unready", ready: false });
      const selector = { matchLabels: { app: "unready" } };
      const healthy = await observedBudget(
        "unready",
        { minAvailable: 2, selector },
        { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 },
      );
      assertOk(
        await c.post(evictionPath(NS, "unready-1"), eviction("unready-1", { gracePeriodSeconds: 0 })),
        201,
      );
      assert.ok(await gone("unready-1"));
      const untouched = (await c.get(pdbPath(NS, "unready"))).body;
      assert.equal(untouched.metadata.resourceVersion, healthy.metadata.resourceVersion, "nothing was spent");

      // Below its budget, the application keeps even its unready pods...
      await runningPod("unready-2", { app: "unready", ready: false });
      untouched.status = { ...untouched.status, currentHealthy: 1 };
      assertOk(await c.put(`${pdbPath(NS, "unready")}/status`, untouched));
      assertFailure(await c.post(evictionPath(NS, "unready-2"), eviction("unready-2")), {
        code: 429,
        reason: "TooManyRequests",
        message: VIOLATION,
      });
      // ...unless its budget says unhealthy pods may always go.
      assertOk(
        await c.patch(
          pdbPath(NS, "unready"),
          { spec: { unhealthyPodEvictionPolicy: "AlwaysAllow" } },
          "merge",
        ),
      );
      assertOk(
        await c.post(evictionPath(NS, "unready-2"), eviction("unready-2", { gracePeriodSeconds: 0 })),
        201,
      );
      assert.ok(await gone("unready-2"));
      await deleteBudget("unready");
    });

    it("deletes finished and already deleting pods without consulting their budget", async () => {
      await observedBudget(
        "closed",
        { minAvailable: "100%", selector: { matchLabels: { app: "closed" } } },
        {},
      );
      await runningPod("done", { app: "closed", phase: "Succeeded" });
      assertOk(await c.post(evictionPath(NS, "done"), eviction("done")), 201);
      assert.ok(await gone("done"), "a finished pod has no grace period");
      await runningPod("leaving", { app: "closed" });
      assertOk(await c.delete(paths.pod(NS, "leaving")));
      assertOk(
        await c.post(evictionPath(NS, "leaving"), eviction("leaving", { gracePeriodSeconds: 0 })),
        201,
      );
      assert.ok(await gone("leaving"));
      await deleteBudget("closed");
    });

    it("with dryRun checks everything and changes nothing", async () => {
      await runningPod("dry", { app: "dry" });
      const before = await observedBudget(
        "dry",
        { minAvailable: 0, selector: { matchLabels: { app: "dry" } } },
        { disruptionsAllowed: 1 },
      );
      assertOk(await c.post(`${evictionPath(NS, "dry")}?dryRun=All`, eviction("dry")), 201);
      assertOk(await c.post(evictionPath(NS, "dry"), eviction("dry", { dryRun: ["All"] })), 201);
      const pdb = (await c.get(pdbPath(NS, "dry"))).body;
      assert.equal(pdb.metadata.resourceVersion, before.metadata.resourceVersion);
      const p = (await c.get(paths.pod(NS, "dry"))).body;
      assert.equal(p.metadata.deletionTimestamp, undefined);
      assert.equal(p.status.conditions.length, 1, "no DisruptionTarget condition either");
      await deleteBudget("dry");
    });

    it("honours a resourceVersion precondition in the Eviction's deleteOptions", async () => {
      const p = await runningPod("pinned");
      const stale = await c.post(
        evictionPath(NS, "pinned"),
        eviction("pinned", { preconditions: { resourceVersion: "1" } }),
      );
      assertFailure(stale, {
        code: 409,
        reason: "Conflict",
        message: `Operation cannot be fulfilled on Pod "pinned": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${p.metadata.resourceVersion}). The object might have been modified`,
      });
      const current = await c.post(
        evictionPath(NS, "pinned"),
        eviction("pinned", {
          gracePeriodSeconds: 0,
          preconditions: { resourceVersion: p.metadata.resourceVersion },
        }),
      );
      assertOk(current, 201);
      assert.ok(await gone("pinned"));
    });

    it("is served the same way in-process: LocalClient resolves Success and throws refusals", async () => {
      const client = new LocalClient(c.cp.registry);
      await runningPod("local-1", { app: "local" });
      await runningPod("local-2", { app: "local" });
      const selector = { matchLabels: { app: "local" } };
      await observedBudget("local-a", { minAvailable: 0, selector }, { disruptionsAllowed: 1 });
      await observedBudget("local-b", { maxUnavailable: 1, selector }, { disruptionsAllowed: 1 });
      const several = await client
        .createSubresource(PODS, NS, "local-1", "eviction", eviction("local-1"))
        .catch((e: unknown) => e);
      assert.ok(several instanceof ApiError);
      assert.equal(several.code, 500);
      assert.equal(
        several.message,
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
      );
      await deleteBudget("local-b");
      const ok = await client.createSubresource(
        PODS,
        NS,
        "local-1",
        "eviction",
        eviction("local-1", { gracePeriodSeconds: 0 }),
      );
      assert.deepEqual(ok, SUCCESS);
      assert.ok(await gone("local-1"));
      const refused = await client
        .createSubresource(PODS, NS, "local-2", "eviction", eviction("local-2"))
        .catch((e: unknown) => e);
      assert.ok(refused instanceof ApiError);
      assert.deepEqual([refused.code, refused.reason, refused.message], [429, "TooManyRequests", VIOLATION]);
      await deleteBudget("local-a");
    });
  });
});
