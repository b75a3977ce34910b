// End-to-end: the seven [Conformance] DaemonSet cases of upstream's test/e2e/apps/daemon_set.go (reference §8 e2e
// 1, 2, 4, 6, 7, 9, 10), driven only through the real kubectl against `everynode up` (4 nodes: a tainted
// control-plane node and three workers run by the simulated kubelets).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { describePods, isDeleting, nodesWithoutAvailablePod, podImage } from "../support/daemon-pods.js";
import { AGNHOST_IMAGE, daemonSetManifest, HTTPD_IMAGE } from "../support/daemonset-manifests.js";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { DS, daemonSetCases, LABEL } from "./support/daemonset-cases.js";
import { getJson } from "./support/get-json.js";
import { KubectlWatch, replay } from "./support/kubectl-watch.js";
import type { Manifest } from "./support/manifests.js";
import { waitFor } from "./support/wait.js";

const COLOR = "daemonset-color";
/** Taints daemon pods tolerate by default (reference §2); any other NoSchedule/NoExecute taint keeps them off. */
const DEFAULT_TOLERATED = new Set([
  "node.kubernetes.io/not-ready",
  "node.kubernetes.io/unreachable",
  "node.kubernetes.io/disk-pressure",
  "node.kubernetes.io/memory-pressure",
  "node.kubernetes.io/pid-pressure",
  "node.kubernetes.io/unschedulable",
]);

describe("DaemonSet [Conformance] through kubectl", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  /** Nodes where a DaemonSet without tolerations or selectors should run (upstream SchedulableNodes). */
  let schedulable: string[];
  before(async () => {
    cluster = await startCluster(["--nodes", "4"]);
    k = cluster.kubectl;
    const nodes = await getJson(k, "nodes");
    schedulable = nodes.items
      .filter((n: Manifest) =>
        (n.spec.taints ?? []).every(
          (t: { key: string; effect: string }) =>
            t.effect === "PreferNoSchedule" || DEFAULT_TOLERATED.has(t.key),
        ),
      )
      .map((n: Manifest) => n.metadata.name)
      .sort();
    assert.equal(schedulable.length, 3, "three schedulable workers");
  });
  after(() => cluster?.stop());

  const {
    newNamespace,
    applyIn: applyDaemonSet,
    daemonSetIn,
    daemonPods,
    waitRunningOn,
  } = daemonSetCases(() => k, "daemonsets");
  /** CheckDaemonStatus: desired = current = ready = n, read with kubectl. */
  const waitStatus = (ns: string, n: number) =>
    waitFor(
      `desired = current = ready = ${n}`,
      async () => {
        const s = (await daemonSetIn(ns)).status ?? {};
        return s.desiredNumberScheduled === n && s.currentNumberScheduled === n && s.numberReady === n && s;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );

  it("should run and stop simple daemon", async () => {
    const ns = await newNamespace();
    assert.match(await applyDaemonSet(ns, daemonSetManifest(DS)), /daemonset.apps\/daemon-set created/);
    const pods = await waitRunningOn(ns, schedulable);
    await waitStatus(ns, 3);

    const victim = pods[0];
    await k.ok(["delete", "pod", victim.metadata.name, "-n", ns]);
    await waitRunningOn(ns, schedulable, (now) =>
      now.some((p) => p.metadata.uid === victim.metadata.uid) ? "the deleted pod is still there" : undefined,
    );

    await k.ok(["delete", "ds", DS, "-n", ns]);
    await waitFor("no daemon pods", async () => (await daemonPods(ns)).length === 0, { timeoutMs: 15_000 });
  });

  it("should run and stop complex daemon", async () => {
    const ns = await newNamespace();
    const node = schedulable[0];
    try {
      await applyDaemonSet(
        ns,
        daemonSetManifest(DS, {
          podSpec: { nodeSelector: { [COLOR]: "blue" } },
          strategy: { type: "OnDelete" },
        }),
      );
      await waitFor("the controller to want no node", async () => {
        const ds = await daemonSetIn(ns);
        return (
          ds.status?.observedGeneration === ds.metadata.generation && ds.status.desiredNumberScheduled === 0
        );
      });
      await waitRunningOn(ns, []);

      await k.ok(["label", "node", node, `${COLOR}=blue`]);
      await waitRunningOn(ns, [node]);
      await waitStatus(ns, 1);

      await k.ok(["label", "node", node, `${COLOR}=green`, "--overwrite"]);
      await waitRunningOn(ns, []);

      const patch = {
        spec: {
          template: { spec: { nodeSelector: { [COLOR]: "green" } } },
          updateStrategy: { type: "RollingUpdate" },
        },
      };
      await k.ok(["patch", "ds", DS, "-n", ns, "--type=strategic", "-p", JSON.stringify(patch)]);
      await waitRunningOn(ns, [node]);
      await waitStatus(ns, 1);
    } finally {
      await k.ok(["label", "node", node, `${COLOR}-`]);
    }
  });

  it("should retry creating failed daemon pods", async () => {
    const ns = await newNamespace();
    await applyDaemonSet(ns, daemonSetManifest(DS));
    const [pod] = await waitRunningOn(ns, schedulable);
    await waitStatus(ns, 3);

    await k.ok([
      "patch",
      "pod",
      pod.metadata.name,
      "-n",
      ns,
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"phase":"Failed"}}',
    ]);
    await waitRunningOn(ns, schedulable);
    await waitFor("the failed pod to be NotFound", async () => {
      const r = await k.run(["get", "pod", pod.metadata.name, "-n", ns]);
      return r.code !== 0 && r.stderr.includes("NotFound");
    });
  });

  it("should update pod when spec was updated and update strategy is RollingUpdate", async () => {
    const ns = await newNamespace();
    await applyDaemonSet(ns, daemonSetManifest(DS, { strategy: { type: "RollingUpdate" } }));
    await waitRunningOn(ns, schedulable);
    const before = await getJson(k, "controllerrevisions", "-n", ns, "-l", LABEL);
    assert.equal(before.items.length, 1);
    assert.equal(before.items[0].revision, 1);

    const watch = KubectlWatch.start(k, ["pods", "-n", ns, "-l", LABEL]);
    const listed = await waitFor(
      "the watch to list the pods",
      () => watch.events().length >= 3 && watch.events().length,
      {
        detail: () => watch.output(),
      },
    );
    await k.ok(["set", "image", `ds/${DS}`, `app=${AGNHOST_IMAGE}`, "-n", ns]);
    const status = await k.ok(["rollout", "status", `ds/${DS}`, "-n", ns, "--timeout=60s"]);
    assert.match(status, /daemon set "daemon-set" successfully rolled out/);
    const pods = await waitRunningOn(ns, schedulable, (now) =>
      now.every((p) => podImage(p) === AGNHOST_IMAGE) ? undefined : describePods(now),
    );

    // Every change kubectl saw during the rollout: at most one node without an available pod.
    const ds = await daemonSetIn(ns);
    const violations: string[] = [];
    replay(await watch.stop(), listed, (live) => {
      const down = nodesWithoutAvailablePod(live, ds, schedulable);
      if (down.length > 1) violations.push(`unavailable on ${down}\n${describePods(live)}`);
    });
    assert.deepEqual(violations, []);

    const revisions = (await getJson(k, "controllerrevisions", "-n", ns, "-l", LABEL)).items;
    const current = revisions.find((r: Manifest) => r.revision === 2);
    assert.ok(current, "revision 2 exists");
    for (const p of pods) {
      assert.equal(
        p.metadata.labels["controller-revision-hash"],
        current.metadata.labels["controller-revision-hash"],
      );
    }
  });

  it("should rollback without unnecessary restarts", async () => {
    const ns = await newNamespace();
    await applyDaemonSet(ns, daemonSetManifest(DS, { strategy: { type: "RollingUpdate" } }));
    await waitRunningOn(ns, schedulable);

    const badImage = "foo:non-existent";
    await k.ok(["set", "image", `ds/${DS}`, `app=${badImage}`, "-n", ns]);
    const mid = await waitFor(
      "at least one new pod",
      async () => {
        const pods = await daemonPods(ns);
        return pods.some((p) => podImage(p) === badImage) && pods;
      },
      { timeoutMs: 15_000 },
    );
    const existing = mid.filter((p) => podImage(p) === HTTPD_IMAGE && !isDeleting(p));
    assert.ok(existing.length > 0, `old pods remain while the rollout is stuck\n${describePods(mid)}`);
    // The rollout cannot finish: kubectl says so and gives up at its timeout.
    const stuck = await k.run(["rollout", "status", `ds/${DS}`, "-n", ns, "--timeout=1s"]);
    assert.notEqual(stuck.code, 0);
    assert.match(stuck.stdout, /Waiting for daemon set "daemon-set" rollout to finish/);

    const watch = KubectlWatch.start(k, ["pods", "-n", ns, "-l", LABEL]);
    const listed = await waitFor(
      "the watch to list the pods",
      () => watch.events().length >= mid.length && watch.events().length,
      { detail: () => watch.output() },
    );
    await k.ok(["set", "image", `ds/${DS}`, `app=${HTTPD_IMAGE}`, "-n", ns]);
    const status = await k.ok(["rollout", "status", `ds/${DS}`, "-n", ns, "--timeout=60s"]);
    assert.match(status, /successfully rolled out/);
    const after = await waitRunningOn(ns, schedulable, (now) =>
      now.every((p) => podImage(p) === HTTPD_IMAGE) ? undefined : describePods(now),
    );

    const ds = await daemonSetIn(ns);
    const alreadyDown = nodesWithoutAvailablePod(mid, ds, schedulable).length;
    const violations: string[] = [];
    replay(await watch.stop(), listed, (live) => {
      const down = nodesWithoutAvailablePod(live, ds, schedulable);
      if (down.length > Math.max(1, alreadyDown))
        violations.push(`unavailable on ${down}\n${describePods(live)}`);
    });
    assert.deepEqual(violations, []);
    const names = new Set(after.map((p) => p.metadata.name));
    for (const p of existing) assert.ok(names.has(p.metadata.name), `pod ${p.metadata.name} was restarted`);
  });

  it("should list and delete a collection of DaemonSets", async () => {
    const ns = await newNamespace();
    await applyDaemonSet(ns, daemonSetManifest(DS, { objectLabels: { "daemonset-name": DS } }));
    await waitRunningOn(ns, schedulable);
    await waitStatus(ns, 3);

    const listed = await getJson(k, "ds", "-A", "-l", LABEL);
    assert.equal(listed.items.length, 1);

    // DeleteCollection itself (kubectl delete -l would delete one by one).
    await k.ok([
      "delete",
      "--raw",
      `/apis/apps/v1/namespaces/${ns}/daemonsets?labelSelector=${encodeURIComponent(LABEL)}&gracePeriodSeconds=1`,
    ]);
    assert.equal((await getJson(k, "ds", "-A", "-l", LABEL)).items.length, 0);
    await waitFor("no daemon pods", async () => (await daemonPods(ns)).length === 0, { timeoutMs: 15_000 });
  });

  it("should verify changes to a daemon set status", async () => {
    const ns = await newNamespace();
    const watch = KubectlWatch.start(k, ["ds", "-n", ns, "-l", LABEL]);
    await applyDaemonSet(ns, daemonSetManifest(DS, { objectLabels: { "daemonset-name": DS } }));
    await waitRunningOn(ns, schedulable);
    await waitStatus(ns, 3);

    const statusPath = `/apis/apps/v1/namespaces/${ns}/daemonsets/${DS}/status`;
    const read = JSON.parse(await k.ok(["get", "--raw", statusPath]));
    assert.equal(read.kind, "DaemonSet");
    assert.equal(read.status.numberReady, 3);

    // UpdateStatus with a new condition, retried on conflict (the controller writes status too).
    const condition = { type: "StatusUpdate", status: "True", reason: "E2E", message: "Set from e2e test" };
    await waitFor("the status update to be accepted", async () => {
      const ds = JSON.parse(await k.ok(["get", "--raw", statusPath]));
      ds.status.conditions = [...(ds.status.conditions ?? []), condition];
      const r = await k.run(["replace", "--raw", statusPath, "-f", "-"], { stdin: JSON.stringify(ds) });
      if (r.code !== 0 && !/Conflict|modified/i.test(r.stderr)) throw new Error(r.stderr);
      return r.code === 0;
    });
    const seen = (type: string) =>
      watch
        .events()
        .find((e) => (e.object.status?.conditions ?? []).some((c: { type: string }) => c.type === type));
    const updated = await waitFor("the updated status on the watch", () => seen("StatusUpdate"), {
      detail: () => watch.output(),
    });
    assert.equal(updated.type, "MODIFIED");
    assert.deepEqual(
      updated.object.status.conditions.find((c: { type: string }) => c.type === "StatusUpdate"),
      condition,
    );

    await k.ok([
      "patch",
      "ds",
      DS,
      "-n",
      ns,
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({ status: { conditions: [{ type: "StatusPatched", status: "True" }] } }),
    ]);
    await waitFor("the patched status on the watch", () => seen("StatusPatched"), {
      detail: () => watch.output(),
    });
    await watch.stop();
  });
});
