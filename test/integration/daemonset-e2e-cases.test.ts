// Upstream's DaemonSet e2e cases (test/e2e/apps/daemon_set.go, "Daemon set [Serial]"; reference §8 e2e 1–10) run
// against an in-process cluster with everything `everynode up` runs: API server, DaemonSet controller, scheduler,
// garbage collector, node lifecycle and the fleet of simulated kubelets. Rollout invariants are checked on every
// pod event of a watch rather than between 1 s polls as upstream does.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DAEMON_SETS, EVENTS, PODS } from "../../src/api/resources.js";
import {
  daemonPodsOnNodesProblem,
  describePods,
  isDeleting,
  isPodReady,
  nodesWithoutAvailablePod,
  podEnv,
  podHash,
  podImage,
} from "../support/daemon-pods.js";
import {
  AGNHOST_IMAGE,
  DaemonSetCluster,
  daemonSetManifest,
  HTTPD_IMAGE,
} from "../support/daemonset-cluster.js";
import { ObjectWatch } from "../support/object-watch.js";
import { SurgeInvariants } from "../support/surge-invariants.js";
import { eventually } from "../support/test-cluster.js";

const DS = "daemon-set";
const COLOR = "daemonset-color";
const imagePatch = (image: string) => ({
  spec: { template: { spec: { containers: [{ name: "app", image }] } } },
});

describe("DaemonSet e2e cases (upstream test/e2e/apps/daemon_set.go)", () => {
  let c: DaemonSetCluster;
  let ns: string;
  beforeEach(async () => {
    c = await DaemonSetCluster.start();
    ns = await c.createNamespace("daemonsets");
  });
  afterEach(() => c.stop());

  /** checkRunningOnAllNodes / checkDaemonPodOnNodes: one available pod on each of `nodes`, none elsewhere. */
  const runningOn = (nodes: string[], timeoutMs = 5000) =>
    c.waitForPods(
      ns,
      DS,
      `daemon pods on exactly [${nodes}]`,
      (pods, ds) => daemonPodsOnNodesProblem(pods, ds, nodes),
      timeoutMs,
    );
  /** CheckDaemonStatus: desired = current = ready = n, nothing misscheduled. */
  const statusIs = (n: number) =>
    c.waitForStatus(ns, DS, {
      desiredNumberScheduled: n,
      currentNumberScheduled: n,
      numberReady: n,
      numberMisscheduled: 0,
    });
  /** The ControllerRevision whose template holds `image` (upstream curHistory matches the DaemonSet's data). */
  const revisionWithImage = async (image: string) => {
    const matching = (await c.revisions(ns, DS)).filter(
      (r) => r.data?.spec?.template?.spec?.containers?.[0]?.image === image,
    );
    assert.equal(matching.length, 1, `one revision with ${image}`);
    return matching[0];
  };
  const waitForRevisions = (count: number) =>
    eventually(async () => (await c.revisions(ns, DS)).length === count, 5000, `${count} revisions`);

  it("should run and stop simple daemon [Conformance]", async () => {
    const workers = await c.addClusterNodes(3);
    await c.createDaemonSet(ns, daemonSetManifest(DS));
    const pods = await runningOn(workers);
    await statusIs(3);
    await c.waitForStatus(ns, DS, { numberAvailable: 3, numberUnavailable: 0, updatedNumberScheduled: 3 });
    // One SuccessfulCreate event per pod, on the DaemonSet.
    await eventually(async () => {
      const created = (await c.client.list(EVENTS, ns)).items
        .filter((e) => e.reason === "SuccessfulCreate" && e.involvedObject.name === DS)
        .map((e) => e.message)
        .sort();
      assert.deepEqual(created, pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
      return true;
    });

    // A deleted daemon pod is revived on its node, as a new pod.
    const victim = pods[0];
    await c.client.delete(PODS, ns, victim.metadata.name!);
    const revived = await c.waitForPods(
      ns,
      DS,
      "the deleted pod to be replaced",
      (now, ds) =>
        daemonPodsOnNodesProblem(now, ds, workers) ??
        (now.some((p) => p.metadata.uid === victim.metadata.uid)
          ? "the deleted pod is still there"
          : undefined),
    );
    const replacement = revived.find((p) => p.spec.nodeName === victim.spec.nodeName)!;
    assert.notEqual(replacement.metadata.name, victim.metadata.name);

    // Stop: deleting the DaemonSet removes its pods (background cascade by the garbage collector).
    await c.client.delete(DAEMON_SETS, ns, DS);
    await eventually(async () => (await c.labelledPods(ns, DS)).length === 0, 5000, "no daemon pods left");
  });

  it("should run and stop complex daemon [Conformance]", async () => {
    const [first] = await c.addClusterNodes(3);
    await c.createDaemonSet(
      ns,
      daemonSetManifest(DS, {
        podSpec: { nodeSelector: { [COLOR]: "blue" } },
        strategy: { type: "OnDelete" },
      }),
    );
    // Initially no node matches: the controller has looked (observedGeneration) and wants nothing.
    await c.waitForStatus(ns, DS, { desiredNumberScheduled: 0, currentNumberScheduled: 0 });
    await runningOn([]);

    await c.patchNode(first, { metadata: { labels: { [COLOR]: "blue" } } });
    await runningOn([first]);
    await statusIs(1);

    // Relabelled green: the pod no longer belongs on the node and is removed.
    await c.patchNode(first, { metadata: { labels: { [COLOR]: "green" } } });
    await runningOn([]);
    await c.waitForStatus(ns, DS, { desiredNumberScheduled: 0, currentNumberScheduled: 0 });

    // The selector follows to green, and the strategy becomes RollingUpdate with its defaults filled in.
    const patched = await c.patchDaemonSet(ns, DS, {
      spec: {
        template: { spec: { nodeSelector: { [COLOR]: "green" } } },
        updateStrategy: { type: "RollingUpdate" },
      },
    });
    assert.deepEqual(patched.spec.updateStrategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    await runningOn([first]);
    await statusIs(1);
  });

  it("should run and stop complex daemon with node affinity", async () => {
    const [first] = await c.addClusterNodes(3);
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: COLOR, operator: "In", values: ["blue"] }] }],
        },
      },
    };
    await c.createDaemonSet(ns, daemonSetManifest(DS, { podSpec: { affinity } }));
    await c.waitForStatus(ns, DS, { desiredNumberScheduled: 0, currentNumberScheduled: 0 });
    await runningOn([]);

    await c.patchNode(first, { metadata: { labels: { [COLOR]: "blue" } } });
    const [pod] = await runningOn([first]);
    await statusIs(1);
    // The daemon pod targets its node through node affinity on metadata.name, replacing the user's terms.
    assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
      nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [first] }] }],
    });

    await c.patchNode(first, { metadata: { labels: { [COLOR]: null } } });
    await runningOn([]);
  });

  it("should retry creating failed daemon pods [Conformance]", async () => {
    const workers = await c.addClusterNodes(3);
    await c.createDaemonSet(ns, daemonSetManifest(DS));
    const [pod] = await runningOn(workers);
    await statusIs(3);

    // UpdateStatus with phase Failed (no resourceVersion: an unconditional update, as upstream sends it).
    const failed = structuredClone(pod);
    delete failed.metadata.resourceVersion;
    failed.status.phase = "Failed";
    await c.client.update(PODS, ns, failed, { subresource: "status" });

    await runningOn(workers);
    await eventually(
      () =>
        c.client.get(PODS, ns, pod.metadata.name!).then(
          () => false,
          (e) => e.code === 404,
        ),
      5000,
      "the failed pod to be NotFound",
    );
    const events = await eventually(async () => {
      const { items } = await c.client.list(EVENTS, ns);
      return items.find((e) => e.reason === "FailedDaemonPod");
    });
    assert.equal(events.type, "Warning");
    assert.equal(
      events.message,
      `Found failed daemon pod ${ns}/${pod.metadata.name} on node ${pod.spec.nodeName}, will try to kill it`,
    );
  });

  it("should not update pod when spec was updated and update strategy is OnDelete", async () => {
    const workers = await c.addClusterNodes(3);
    await c.createDaemonSet(ns, daemonSetManifest(DS, { strategy: { type: "OnDelete" } }));
    const pods = await runningOn(workers);
    await waitForRevisions(1);
    const first = await revisionWithImage(HTTPD_IMAGE);
    assert.equal(first.revision, 1);
    const firstHash = first.metadata.labels![`controller-revision-hash`];
    assert.deepEqual(
      pods.map((p) => podHash(p)),
      pods.map(() => firstHash),
    );

    const updated = await c.patchDaemonSet(ns, DS, imagePatch(AGNHOST_IMAGE));
    // The controller has fully synced the new generation: a second revision exists and is current.
    await waitForRevisions(2);
    await c.waitForStatus(ns, DS, { desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 0 });
    const cur = await revisionWithImage(AGNHOST_IMAGE);
    assert.equal(cur.revision, 2);
    assert.notEqual(cur.metadata.labels!["controller-revision-hash"], firstHash);
    // ...and left every pod alone: same pods, old image, old hash.
    const after = await c.daemonPods(ns, updated);
    assert.deepEqual(
      after.map((p) => [p.metadata.uid, podImage(p), podHash(p), isDeleting(p)]).sort(),
      pods.map((p) => [p.metadata.uid, HTTPD_IMAGE, firstHash, false]).sort(),
    );

    // OnDelete: a pod deleted by hand comes back with the current template.
    await c.client.delete(PODS, ns, pods[0].metadata.name!);
    const replaced = await c.waitForPods(
      ns,
      DS,
      "the deleted pod to be replaced",
      (now, ds) =>
        daemonPodsOnNodesProblem(now, ds, workers) ??
        (now.some((p) => p.metadata.uid === pods[0].metadata.uid)
          ? "the deleted pod is still there"
          : undefined),
    );
    const fresh = replaced.find((p) => p.spec.nodeName === pods[0].spec.nodeName)!;
    assert.equal(podImage(fresh), AGNHOST_IMAGE);
    assert.equal(podHash(fresh), cur.metadata.labels!["controller-revision-hash"]);
    await c.waitForStatus(ns, DS, { updatedNumberScheduled: 1 });
  });

  it("should update pod when spec was updated and update strategy is RollingUpdate [Conformance]", async () => {
    const workers = await c.addClusterNodes(4);
    await c.createDaemonSet(ns, daemonSetManifest(DS, { strategy: { type: "RollingUpdate" } }));
    await runningOn(workers);
    await waitForRevisions(1);
    assert.equal((await revisionWithImage(HTTPD_IMAGE)).revision, 1);

    // Watch every pod change during the rollout: at most maxUnavailable (1) node without an available pod, and
    // never two live pods on one node (no surge).
    const violations: string[] = [];
    let ds = await c.getDaemonSet(ns, DS);
    const watch = await ObjectWatch.start(c.client, PODS, ns, (pods) => {
      const down = nodesWithoutAvailablePod(pods, ds, workers);
      if (down.length > 1) violations.push(`unavailable on ${down}\n${describePods(pods)}`);
      const perNode = new Map<string, number>();
      for (const p of pods.filter((p) => !isDeleting(p))) {
        perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
      }
      for (const [node, n] of perNode) if (n > 1) violations.push(`${n} live pods on ${node}`);
    });
    ds = await c.patchDaemonSet(ns, DS, imagePatch(AGNHOST_IMAGE));
    const pods = await c.waitForPods(
      ns,
      DS,
      "every pod to run the new image",
      (now, d) =>
        daemonPodsOnNodesProblem(now, d, workers) ??
        (now.every((p) => podImage(p) === AGNHOST_IMAGE) ? undefined : describePods(now)),
      10_000,
    );
    await watch.stop();
    assert.deepEqual(violations, []);

    await waitForRevisions(2);
    const cur = await revisionWithImage(AGNHOST_IMAGE);
    assert.equal(cur.revision, 2);
    for (const p of pods) {
      assert.equal(podHash(p), cur.metadata.labels!["controller-revision-hash"]);
      assert.equal(p.metadata.labels!["pod-template-generation"], "2");
    }
    await c.waitForStatus(ns, DS, {
      desiredNumberScheduled: 4,
      updatedNumberScheduled: 4,
      numberAvailable: 4,
    });
  });

  it("should rollback without unnecessary restarts [Conformance]", async () => {
    const workers = await c.addClusterNodes(3);
    await c.createDaemonSet(ns, daemonSetManifest(DS, { strategy: { type: "RollingUpdate" } }));
    await runningOn(workers);
    const original = await revisionWithImage(HTTPD_IMAGE);

    // A nonexistent image: the fleet fails the pull, so the rollout cannot finish.
    const badImage = "foo:non-existent";
    await c.patchDaemonSet(ns, DS, imagePatch(badImage));
    const stuck = await c.waitForPods(ns, DS, "a new pod failing its image pull", (pods) =>
      pods.some(
        (p) =>
          podImage(p) === badImage &&
          ["ErrImagePull", "ImagePullBackOff"].includes(
            p.status?.containerStatuses?.[0]?.state?.waiting?.reason,
          ),
      )
        ? undefined
        : describePods(pods),
    );
    const existing = stuck.filter((p) => podImage(p) === HTTPD_IMAGE && !isDeleting(p));
    const fresh = stuck.filter((p) => podImage(p) === badImage);
    assert.ok(existing.length >= 1, "old pods remain in the middle of the rollout");
    assert.ok(fresh.length >= 1);
    assert.ok(
      stuck.every((p) => [HTTPD_IMAGE, badImage].includes(podImage(p))),
      `unexpected pod image\n${describePods(stuck)}`,
    );

    // Roll back before the rollout completes; watch that at most one node is without an available pod.
    const violations: string[] = [];
    let ds = await c.getDaemonSet(ns, DS);
    const alreadyDown = nodesWithoutAvailablePod(stuck, ds, workers).length;
    const watch = await ObjectWatch.start(c.client, PODS, ns, (pods) => {
      const down = nodesWithoutAvailablePod(pods, ds, workers);
      if (down.length > Math.max(1, alreadyDown))
        violations.push(`unavailable on ${down}\n${describePods(pods)}`);
    });
    ds = await c.patchDaemonSet(ns, DS, imagePatch(HTTPD_IMAGE));
    const rolledBack = await c.waitForPods(
      ns,
      DS,
      "every pod back on the old image",
      (pods, d) =>
        daemonPodsOnNodesProblem(pods, d, workers) ??
        (pods.every((p) => podImage(p) === HTTPD_IMAGE) ? undefined : describePods(pods)),
    );
    await watch.stop();
    assert.deepEqual(violations, []);

    // No unnecessary restarts: every pod that kept the old image through the rollout is still there.
    const names = new Set(rolledBack.map((p) => p.metadata.uid));
    for (const p of existing)
      assert.ok(names.has(p.metadata.uid), `old pod ${p.metadata.name} was restarted`);
    // History: the original revision is current again and renumbered above the bad one (1, 2 → 2, 3).
    const current = await revisionWithImage(HTTPD_IMAGE);
    assert.equal(current.metadata.name, original.metadata.name);
    await eventually(async () => (await revisionWithImage(HTTPD_IMAGE)).revision === 3, 5000, "revision 3");
    assert.equal((await revisionWithImage(badImage)).revision, 2);
  });

  it("should surge pods onto nodes when spec was updated and update strategy is RollingUpdate", async () => {
    const workers = await c.addClusterNodes(5);
    // Upstream uses minReadySeconds 10 and a 15 s preStop; 1 s each keeps the same overlaps in a few seconds.
    await c.createDaemonSet(
      ns,
      daemonSetManifest(DS, {
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "20%" } },
        minReadySeconds: 1,
        container: {
          env: [{ name: "VERSION", value: "1" }],
          lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", "sleep 1"] } } },
        },
      }),
    );
    await runningOn(workers);
    await waitForRevisions(1);
    const first = (await c.revisions(ns, DS))[0];
    assert.equal(first.revision, 1);

    let ds = await c.getDaemonSet(ns, DS);
    const invariants = new SurgeInvariants({
      ds,
      versionOf: (p) => podEnv(p, "VERSION") ?? "",
      oldVersion: "1",
      newVersion: "2",
      maxSurge: 1, // 20% of 5 nodes, rounded up
      maxOverlapMs: 10_000,
    });
    const watch = await ObjectWatch.start(c.client, PODS, ns, (pods) => invariants.observe(pods));
    ds = await c.patchDaemonSet(ns, DS, {
      spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "VERSION", value: "2" }] }] } } },
    });

    // Faults while the rollout runs (upstream injects them at random): once the first new pod is up, one old pod
    // turns unready and another old pod is deleted.
    const mid = await c.waitForPods(ns, DS, "the first surge pod", (pods) =>
      pods.some((p) => podEnv(p, "VERSION") === "2") ? undefined : describePods(pods),
    );
    const surged = new Set(mid.filter((p) => podEnv(p, "VERSION") === "2").map((p) => p.spec.nodeName));
    const oldOnOtherNodes = mid.filter(
      (p) => podEnv(p, "VERSION") === "1" && !isDeleting(p) && !surged.has(p.spec.nodeName) && isPodReady(p),
    );
    assert.ok(oldOnOtherNodes.length >= 2, describePods(mid));
    const [toUnready, toDelete] = oldOnOtherNodes;
    await c.client.patch(PODS, ns, toUnready.metadata.name!, "merge", {
      metadata: { annotations: { "sim.everynode.dev/ready": "false" } },
    });
    invariants.deliberatelyDeleted.add(toDelete.metadata.uid!);
    await c.client.delete(PODS, ns, toDelete.metadata.name!);

    // Done when every node runs only the new version, available, with nothing left terminating.
    await eventually(
      () => {
        const snap = invariants.observe(watch.snapshot());
        return workers.every(
          (n) =>
            (snap.nodesToVersions.get(n)?.get("2") ?? 0) === 1 &&
            snap.nodesToVersions.get(n)?.size === 1 &&
            !snap.nodesToDeletedVersions.has(n) &&
            snap.newUnavailable === 0,
        );
      },
      20_000,
      "the surge rollout to complete",
    );
    await watch.stop();
    assert.deepEqual(invariants.violations, []);

    await runningOn(workers);
    await waitForRevisions(2);
    const cur = (await c.revisions(ns, DS)).find((r) => r.revision === 2)!;
    for (const p of await c.daemonPods(ns, ds)) {
      if (!isDeleting(p)) assert.equal(podHash(p), cur.metadata.labels!["controller-revision-hash"]);
    }
  });

  it("should list and delete a collection of DaemonSets [Conformance]", async () => {
    const workers = await c.addClusterNodes(3);
    const label = `daemonset-name=${DS}`;
    await c.createDaemonSet(ns, daemonSetManifest(DS, { objectLabels: { "daemonset-name": DS } }));
    await runningOn(workers);
    await statusIs(3);

    const listed = await c.http.get(`/apis/apps/v1/daemonsets?labelSelector=${encodeURIComponent(label)}`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.items.length, 1);

    const deleted = await c.http.delete(
      `/apis/apps/v1/namespaces/${ns}/daemonsets?labelSelector=${encodeURIComponent(label)}&gracePeriodSeconds=1`,
    );
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    const after = await c.http.get(`/apis/apps/v1/daemonsets?labelSelector=${encodeURIComponent(label)}`);
    assert.equal(after.body.items.length, 0);
    // Upstream's cleanup then waits for the pods to go: the garbage collector removes them.
    await eventually(async () => (await c.labelledPods(ns, DS)).length === 0, 5000, "no daemon pods left");
  });

  it("should verify changes to a daemon set status [Conformance]", async () => {
    const workers = await c.addClusterNodes(3);
    const watch = await ObjectWatch.start(c.client, DAEMON_SETS, ns);
    await c.createDaemonSet(ns, daemonSetManifest(DS, { objectLabels: { "daemonset-name": DS } }));
    await runningOn(workers);
    await statusIs(3);

    const status = await c.http.get(`/apis/apps/v1/namespaces/${ns}/daemonsets/${DS}/status`);
    assert.equal(status.status, 200);
    assert.equal(status.body.kind, "DaemonSet");
    assert.equal(status.body.status.numberReady, 3);

    // UpdateStatus, retried on conflict (the controller writes status too).
    const statusUpdate = {
      type: "StatusUpdate",
      status: "True",
      reason: "E2E",
      message: "Set from e2e test",
    };
    await eventually(async () => {
      const ds = structuredClone(await c.getDaemonSet(ns, DS));
      ds.status.conditions = [...(ds.status.conditions ?? []), statusUpdate];
      return c.client.update(DAEMON_SETS, ns, ds, { subresource: "status" });
    });
    const hasCondition = (type: string) =>
      watch.events.some((e) =>
        (e.object.status?.conditions ?? []).some((cond: { type: string }) => cond.type === type),
      );
    await eventually(() => hasCondition("StatusUpdate"), 5000, "the updated status on the watch");
    const updatedEvent = watch.events.find((e) =>
      (e.object.status?.conditions ?? []).some((cond: { type: string }) => cond.type === "StatusUpdate"),
    )!;
    assert.equal(updatedEvent.type, "MODIFIED");
    assert.deepEqual(
      updatedEvent.object.status.conditions.find((cond: { type: string }) => cond.type === "StatusUpdate"),
      statusUpdate,
    );

    const patched = await c.http.patch(
      `/apis/apps/v1/namespaces/${ns}/daemonsets/${DS}/status`,
      { status: { conditions: [{ type: "StatusPatched", status: "True" }] } },
      "merge",
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    await eventually(() => hasCondition("StatusPatched"), 5000, "the patched status on the watch");
    await watch.stop();

    // The controller's own status writes keep the conditions it does not manage.
    const [pod] = await c.daemonPods(ns, await c.getDaemonSet(ns, DS));
    await c.client.delete(PODS, ns, pod.metadata.name!);
    await c.waitForPods(
      ns,
      DS,
      "the pod to be replaced",
      (pods, ds) =>
        daemonPodsOnNodesProblem(pods, ds, workers) ??
        (pods.some((p) => p.metadata.uid === pod.metadata.uid)
          ? "the deleted pod is still there"
          : undefined),
    );
    const final = await statusIs(3);
    assert.deepEqual(
      final.status.conditions.map((cond: { type: string }) => cond.type),
      ["StatusPatched"],
      "a merge patch replaces the conditions list",
    );
  });
});
