// End-to-end: the non-conformance DaemonSet cases of reference §8 (upstream e2e 3, 5 and the integration cases
// on terminal pods, affinity, taints, cordoned nodes, capacity and revisions), driven only through the real kubectl
// against one `everynode up --nodes 6` (a tainted control-plane node and five workers).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/object.js";
import { computeHash } from "../../src/controllers/daemonset/history.js";
import { describePods, isDeleting, podEnv, podHash, podImage } from "../support/daemon-pods.js";
import { AGNHOST_IMAGE, daemonSetManifest, HTTPD_IMAGE } from "../support/daemonset-manifests.js";
import type { Kubectl } from "../support/kubectl.js";
import { SurgeInvariants } from "../support/surge-invariants.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { DS, daemonSetCases, LABEL, WAIT } from "./support/daemonset-cases.js";
import { getJson } from "./support/get-json.js";
import { KubectlWatch } from "./support/kubectl-watch.js";
import { type Manifest, toYaml } from "./support/manifests.js";
import { waitFor } from "./support/wait.js";

const COLOR = "daemonset-color";
const HASH_LABEL = "controller-revision-hash";

const requiredAffinity = (terms: unknown[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});

describe("DaemonSet non-conformance cases through kubectl", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  /** The five untainted workers, sorted. */
  let workers: string[];
  before(async () => {
    cluster = await startCluster(["--nodes", "6"]);
    k = cluster.kubectl;
    workers = (await getJson(k, "nodes")).items
      .filter((n: Manifest) => (n.spec.taints ?? []).length === 0)
      .map((n: Manifest) => n.metadata.name)
      .sort();
    assert.equal(workers.length, 5, "five untainted workers");
  });
  after(() => cluster?.stop());

  const { newNamespace, applyIn, daemonSetIn, daemonPods, waitRunningOn } = daemonSetCases(
    () => k,
    "ds-cases",
  );
  const revisions = async (ns: string) =>
    (await getJson(k, "controllerrevisions", "-n", ns, "-l", LABEL)).items as Manifest[];

  /** Waits until every field of `want` matches the DaemonSet's status (for the current generation). */
  const waitStatus = (ns: string, want: Record<string, number>) => {
    let last = "";
    return waitFor(
      `status ${JSON.stringify(want)}`,
      async () => {
        const ds = await daemonSetIn(ns);
        const s = ds.status ?? {};
        last = JSON.stringify(s);
        const synced = s.observedGeneration === ds.metadata.generation;
        return synced && Object.entries(want).every(([key, v]) => (s[key] ?? 0) === v) && ds;
      },
      { ...WAIT, detail: () => last },
    );
  };
  const readyStatus = (ns: string, n: number) =>
    waitStatus(ns, { desiredNumberScheduled: n, currentNumberScheduled: n, numberReady: n });
  const waitRevisions = (ns: string, n: number) =>
    waitFor(`${n} controller revisions`, async () => {
      const revs = await revisions(ns);
      return revs.length === n && revs;
    });

  it("should run and stop complex daemon with node affinity (e2e 3)", async () => {
    const ns = await newNamespace();
    const node = workers[0];
    const affinity = requiredAffinity([
      { matchExpressions: [{ key: COLOR, operator: "In", values: ["blue"] }] },
    ]);
    try {
      await applyIn(ns, daemonSetManifest(DS, { podSpec: { affinity } }));
      await readyStatus(ns, 0);
      await waitRunningOn(ns, []);

      await k.ok(["label", "node", node, `${COLOR}=blue`]);
      const [pod] = await waitRunningOn(ns, [node]);
      await readyStatus(ns, 1);
      // The daemon pod is pinned to its node by a metadata.name term replacing the user's terms.
      assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
        nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] }],
      });

      await k.ok(["label", "node", node, `${COLOR}-`]);
      await waitRunningOn(ns, []);
    } finally {
      await k.run(["label", "node", node, `${COLOR}-`]);
    }
  });

  it("should not update pod when spec was updated and update strategy is OnDelete (e2e 5)", async () => {
    const ns = await newNamespace();
    await applyIn(ns, daemonSetManifest(DS, { strategy: { type: "OnDelete" } }));
    const pods = await waitRunningOn(ns, workers);
    const [first] = await waitRevisions(ns, 1);
    assert.equal(first.revision, 1);
    const firstHash = first.metadata.labels[HASH_LABEL];
    assert.deepEqual(
      pods.map(podHash),
      pods.map(() => firstHash),
    );

    await k.ok(["set", "image", `ds/${DS}`, `app=${AGNHOST_IMAGE}`, "-n", ns]);
    const revs = await waitRevisions(ns, 2);
    await waitStatus(ns, { desiredNumberScheduled: 5, numberReady: 5, updatedNumberScheduled: 0 });
    const current = revs.find((r) => r.revision === 2);
    assert.ok(current, "revision 2 exists");
    assert.notEqual(current.metadata.labels[HASH_LABEL], firstHash);
    const now = await daemonPods(ns);
    assert.deepEqual(
      now.map((p) => [p.metadata.uid, podImage(p), podHash(p), isDeleting(p)]).sort(),
      pods.map((p) => [p.metadata.uid, HTTPD_IMAGE, firstHash, false]).sort(),
      "the same pods, old image, old hash",
    );
  });

  for (const phase of ["Succeeded", "Failed"]) {
    it(`a ${phase} pod is replaced (TestSimpleDaemonSetRestartsPodsOnTerminalPhase)`, async () => {
      const ns = await newNamespace();
      await applyIn(ns, daemonSetManifest(DS));
      const [pod] = await waitRunningOn(ns, workers);
      await k.ok([
        "patch",
        "pod",
        pod.metadata.name,
        "-n",
        ns,
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify({ status: { phase } }),
      ]);
      await waitRunningOn(ns, workers, (pods) =>
        pods.some((p) => p.metadata.uid === pod.metadata.uid) ? `the ${phase} pod is still there` : undefined,
      );
      await readyStatus(ns, 5);
    });
  }

  it("required affinity zone In [test] OR metadata.name In [node] (TestDaemonSetWithNodeSelectorLaunchesPods)", async () => {
    const ns = await newNamespace();
    const [byName, zoned1, zoned2] = workers;
    const affinity = requiredAffinity([
      { matchExpressions: [{ key: "zone", operator: "In", values: ["test"] }] },
      { matchFields: [{ key: "metadata.name", operator: "In", values: [byName] }] },
    ]);
    try {
      await k.ok(["label", "node", zoned1, zoned2, "zone=test"]);
      await applyIn(ns, daemonSetManifest(DS, { podSpec: { affinity } }));
      await waitRunningOn(ns, [byName, zoned1, zoned2].sort());
      await readyStatus(ns, 3);
    } finally {
      await k.run(["label", "node", zoned1, zoned2, "zone-"]);
    }
  });

  it("a NoSchedule taint keeps the pod away until it is removed (TestTaintedNode)", async () => {
    const ns = await newNamespace();
    const tainted = workers[1];
    const taint = "key1=val1:NoSchedule";
    try {
      await k.ok(["taint", "node", tainted, taint]);
      await applyIn(ns, daemonSetManifest(DS));
      await waitRunningOn(
        ns,
        workers.filter((n) => n !== tainted),
      );
      await readyStatus(ns, 4);

      await k.ok(["taint", "node", tainted, `${taint}-`]);
      await waitRunningOn(ns, workers);
      await readyStatus(ns, 5);
    } finally {
      await k.run(["taint", "node", tainted, `${taint}-`]);
    }
  });

  it("a cordoned node still gets a daemon pod (TestUnschedulableNodeDaemonDoesLaunchPod)", async () => {
    const ns = await newNamespace();
    const cordoned = workers[2];
    try {
      await k.ok(["cordon", cordoned]);
      await applyIn(ns, daemonSetManifest(DS));
      const pods = await waitRunningOn(ns, workers);
      await readyStatus(ns, 5);
      const onCordoned = pods.find((p) => p.spec.nodeName === cordoned);
      const keys = onCordoned?.spec.tolerations.map((t: { key: string }) => t.key);
      assert.ok(keys.includes("node.kubernetes.io/unschedulable"), `tolerations ${keys}`);
    } finally {
      await k.run(["uncordon", cordoned]);
    }
  });

  it("insufficient capacity: the pod is created but Unschedulable (TestInsufficientCapacityNode…)", async () => {
    const ns = await newNamespace();
    const name = "node-with-little-cpu";
    // A copy of a worker with 100m of cpu, selected alone by the DaemonSet so the other cases never see it.
    const template = await getJson(k, "node", workers[0]);
    const resources = { ...template.status.capacity, cpu: "100m" };
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "e2e-capacity": "tiny" },
      },
      spec: {},
      status: { ...template.status, capacity: resources, allocatable: resources },
    };
    try {
      await k.ok(["apply", "-f", "-"], { stdin: toYaml([node]) });
      await applyIn(
        ns,
        daemonSetManifest(DS, {
          podSpec: { nodeSelector: { "e2e-capacity": "tiny" } },
          container: { resources: { requests: { cpu: "1" } } },
        }),
      );
      const jsonpath =
        '{range .items[*]}{.spec.nodeName}|{.status.conditions[?(@.type=="PodScheduled")].status}|' +
        '{.status.conditions[?(@.type=="PodScheduled")].reason}{"\\n"}{end}';
      let last = "";
      await waitFor(
        "one pod, PodScheduled False Unschedulable",
        async () => {
          last = await k.ok(["get", "pods", "-n", ns, "-l", LABEL, "-o", `jsonpath=${jsonpath}`]);
          return last === "|False|Unschedulable\n";
        },
        { ...WAIT, detail: () => last },
      );
      await waitStatus(ns, { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 0 });
    } finally {
      await k.run(["delete", "ns", ns, "--wait=false"]);
      await k.run(["delete", "node", name, "--wait=false"]);
    }
  });

  it("duplicate current revisions: pods move to the higher one and the other is deleted", async () => {
    const ns = await newNamespace();
    await applyIn(ns, daemonSetManifest(DS));
    const pods = await waitRunningOn(ns, workers);
    const [original] = await waitRevisions(ns, 1);
    // The same data under another name and hash, one revision higher.
    const duplicate = {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: `${DS}-duplicate`,
        labels: { ...original.metadata.labels, [HASH_LABEL]: "duplicate" },
        ownerReferences: original.metadata.ownerReferences,
      },
      data: original.data,
      revision: original.revision + 1,
    };
    await k.ok(["create", "-n", ns, "-f", "-"], { stdin: toYaml([duplicate]) });
    let last = "";
    await waitFor(
      "the duplicate revision to win",
      async () => {
        const [revs, now] = await Promise.all([revisions(ns), daemonPods(ns)]);
        const names = revs.map((r) => r.metadata.name);
        last = `revisions ${names}\n${describePods(now)}`;
        const relabelled = JSON.stringify(now.map((p) => [p.metadata.uid, podHash(p)]).sort());
        const expected = JSON.stringify(pods.map((p) => [p.metadata.uid, "duplicate"]).sort());
        return names.length === 1 && names[0] === `${DS}-duplicate` && relabelled === expected;
      },
      { ...WAIT, detail: () => last },
    );
    await waitStatus(ns, { desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberReady: 5 });
  });

  it("a hash collision bumps collisionCount and the rollout proceeds (TestLaunchWithHashCollision)", async () => {
    const ns = await newNamespace();
    await applyIn(ns, daemonSetManifest(DS, { strategy: { type: "RollingUpdate" } }));
    await waitRunningOn(ns, workers);
    const [revision] = await waitRevisions(ns, 1);
    const ds = await daemonSetIn(ns);
    const collisionCount: number = ds.status.collisionCount ?? 0;

    // The name the next template's revision will take, occupied first by a revision with other data.
    const template = structuredClone(ds.spec.template);
    template.spec.terminationGracePeriodSeconds = 1;
    const newHash = computeHash(template, ds.status.collisionCount);
    const colliding = {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: `${DS}-${newHash}`,
        labels: { ...template.metadata.labels, [HASH_LABEL]: newHash },
        ownerReferences: revision.metadata.ownerReferences,
      },
      data: revision.data,
      revision: revision.revision + 1,
    };
    await k.ok(["create", "-n", ns, "-f", "-"], { stdin: toYaml([colliding]) });
    const patch = { spec: { template: { spec: { terminationGracePeriodSeconds: 1 } } } };
    await k.ok(["patch", "ds", DS, "-n", ns, "--type=merge", "-p", JSON.stringify(patch)]);

    const after = await waitStatus(ns, { collisionCount: collisionCount + 1, updatedNumberScheduled: 5 });
    const rehashed = computeHash(template, after.status.collisionCount);
    assert.notEqual(rehashed, newHash);
    await waitRunningOn(ns, workers, (pods) =>
      pods.every((p) => podHash(p) === rehashed && p.spec.terminationGracePeriodSeconds === 1)
        ? undefined
        : describePods(pods),
    );
    const names = (await revisions(ns)).map((r) => r.metadata.name);
    assert.ok(names.includes(`${DS}-${rehashed}`) && names.includes(`${DS}-${newHash}`), names.join(", "));
  });

  it("should surge pods onto nodes when spec was updated and update strategy is RollingUpdate (e2e 8)", async () => {
    const ns = await newNamespace();
    await applyIn(
      ns,
      daemonSetManifest(DS, {
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "20%" } },
        minReadySeconds: 1,
        container: { env: [{ name: "VERSION", value: "1" }] },
      }),
    );
    await waitRunningOn(ns, workers);
    await waitRevisions(ns, 1);

    const invariants = new SurgeInvariants({
      ds: (await daemonSetIn(ns)) as KubeObject,
      versionOf: (p) => podEnv(p, "VERSION") ?? "",
      oldVersion: "1",
      newVersion: "2",
      maxSurge: 1, // 20% of 5 nodes
      maxOverlapMs: 10_000,
    });
    // Replays kubectl's watch output as it arrives, so availability is judged at (about) the time of each change.
    const watch = KubectlWatch.start(k, ["pods", "-n", ns, "-l", LABEL]);
    const live = new Map<string, KubeObject>();
    let seen = 0;
    const catchUp = () => {
      const events = watch.events();
      for (; seen < events.length; seen++) {
        const e = events[seen];
        if (e.type === "DELETED") live.delete(e.object.metadata.uid);
        else live.set(e.object.metadata.uid, e.object as KubeObject);
        if (seen + 1 >= workers.length) invariants.observe([...live.values()]);
      }
      return invariants.observe([...live.values()]);
    };
    await waitFor("the watch to list the pods", () => catchUp() && live.size >= workers.length, {
      detail: () => watch.output(),
    });

    const patch = {
      spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "VERSION", value: "2" }] }] } } },
    };
    await k.ok(["patch", "ds", DS, "-n", ns, "--type=strategic", "-p", JSON.stringify(patch)]);
    await waitFor(
      "the surge rollout to complete",
      () => {
        const snap = catchUp();
        return workers.every(
          (n) =>
            snap.nodesToVersions.get(n)?.get("2") === 1 &&
            snap.nodesToVersions.get(n)?.size === 1 &&
            !snap.nodesToDeletedVersions.has(n) &&
            snap.newUnavailable === 0,
        );
      },
      {
        timeoutMs: 30_000,
        intervalMs: 50,
        detail: () =>
          `${describePods([...live.values()])}\n${[...live.values()].map((p) => JSON.stringify(p.status?.conditions)).join("\n")}`,
      },
    );
    await watch.stop();
    assert.deepEqual(invariants.violations, []);

    const status = await k.ok(["rollout", "status", `ds/${DS}`, "-n", ns, "--timeout=20s"]);
    assert.match(status, /successfully rolled out/);
    const revs = await waitRevisions(ns, 2);
    const current = revs.find((r) => r.revision === 2);
    assert.ok(current, "revision 2 exists");
    await waitRunningOn(ns, workers, (pods) =>
      pods.every((p) => podHash(p) === current.metadata.labels[HASH_LABEL]) ? undefined : describePods(pods),
    );
  });
});
