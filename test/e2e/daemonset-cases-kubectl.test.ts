// End-to-end: the non-conformance DaemonSet cases of reference §8 (upstream e2e 3, 5, 8 and the integration cases
// on terminal pods, affinity, taints, cordoned and network-unavailable nodes, capacity, quota-refused creations,
// revisions and a surge rollout switching tolerations), driven only through the real kubectl against one
// `everynode up --nodes 6` (a tainted control-plane node and five workers); the NotReady-node case runs on its own
// small cluster with a 3 s node-monitor grace period, so the rest keep the default timings.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/object.js";
import { computeHash } from "../../src/controllers/daemonset/history.js";
import {
  CONDITIONS_ANNOTATION,
  HEARTBEAT_ANNOTATION,
  READY_DELAY_ANNOTATION,
} from "../../src/nodes/sim-annotations.js";
import {
  daemonPodsOnNodesProblem,
  describePods,
  isDeleting,
  isPodReady,
  isTerminal,
  podEnv,
  podHash,
  podImage,
} from "../support/daemon-pods.js";
import { AGNHOST_IMAGE, daemonSetManifest, HTTPD_IMAGE } from "../support/daemonset-manifests.js";
import type { Kubectl } from "../support/kubectl.js";
import { SurgeInvariants } from "../support/surge-invariants.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { DS, daemonSetCases, LABEL, WAIT } from "./support/daemonset-cases.js";
import { getJson } from "./support/get-json.js";
import { KubectlWatch } from "./support/kubectl-watch.js";
import { LiveWatch } from "./support/live-watch.js";
import { type Manifest, toYaml } from "./support/manifests.js";
import { parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const COLOR = "daemonset-color";
const HASH_LABEL = "controller-revision-hash";
const NOT_READY = "node.kubernetes.io/not-ready";
const UNREACHABLE = "node.kubernetes.io/unreachable";
const UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
const NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
/** The zone taints of the tolerations-switch case, on nodes of their own carrying ZONE_NODE_LABEL. */
const ZONES = ["zone-y", "zone-z", "zone-common"];
const ZONE_NODE_LABEL = "e2e-zone-node";

const requiredAffinity = (terms: unknown[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});
const zoneTolerations = (zones: string[]) => zones.map((key) => ({ key, operator: "Exists" }));
/** A pod's version in the tolerations-switch case: its zone toleration keys, in order. */
const zoneVersion = (pod: Manifest): string =>
  (pod.spec.tolerations ?? [])
    .map((t: { key: string }) => t.key)
    .filter((key: string) => ZONES.includes(key))
    .join(",");
/** Whether the pod tolerates `key:effect` as the DaemonSet controller adds it: Exists, for ever. */
const tolerates = (pod: Manifest, key: string, effect: string): boolean =>
  (pod.spec.tolerations ?? []).some(
    (t: Manifest) =>
      t.key === key && t.effect === effect && t.operator === "Exists" && t.tolerationSeconds === undefined,
  );
const taintsOf = (node: Manifest): string[] =>
  (node.spec.taints ?? []).map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`);
const conditionStatus = (node: Manifest, type: string): string | undefined =>
  (node.status?.conditions ?? []).find((c: { type: string }) => c.type === type)?.status;
/** The nodes without taints (the workers), sorted. */
const untaintedNodes = async (k: Kubectl): Promise<string[]> =>
  (await getJson(k, "nodes")).items
    .filter((n: Manifest) => taintsOf(n).length === 0)
    .map((n: Manifest) => n.metadata.name)
    .sort();

describe("DaemonSet non-conformance cases through kubectl", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  /** The five untainted workers, sorted. */
  let workers: string[];
  before(async () => {
    cluster = await startCluster(["--nodes", "6"]);
    k = cluster.kubectl;
    workers = await untaintedNodes(k);
    assert.equal(workers.length, 5, "five untainted workers");
  });
  after(() => cluster?.stop());

  const { newNamespace, applyIn, daemonSetIn, daemonPods, waitRunningOn, waitStatus } = daemonSetCases(
    () => k,
    "ds-cases",
  );
  const revisions = async (ns: string) =>
    (await getJson(k, "controllerrevisions", "-n", ns, "-l", LABEL)).items as Manifest[];

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
    const watch = LiveWatch.start(k, ["pods", "-n", ns, "-l", LABEL], workers.length, (pods) =>
      invariants.observe(pods as KubeObject[]),
    );
    const snapshot = () => invariants.observe(watch.catchUp() as KubeObject[]);
    await waitFor("the watch to list the pods", () => watch.catchUp().length >= workers.length, {
      detail: () => watch.output(),
    });

    const patch = {
      spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "VERSION", value: "2" }] }] } } },
    };
    await k.ok(["patch", "ds", DS, "-n", ns, "--type=strategic", "-p", JSON.stringify(patch)]);
    await waitFor(
      "the surge rollout to complete",
      () => {
        const snap = snapshot();
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
        detail: () => {
          const live = watch.catchUp();
          return `${describePods(live)}\n${live.map((p) => JSON.stringify(p.status?.conditions)).join("\n")}`;
        },
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

  it("cordoned and network-unavailable nodes get hostNetwork daemon pods (TestUnschedulableNodeDaemonDoesLaunchPod)", async () => {
    const [cordoned, offline] = workers.slice(3);
    try {
      await k.ok(["cordon", cordoned]);
      await k.ok(["annotate", "node", offline, `${CONDITIONS_ANNOTATION}=NetworkUnavailable`]);
      // The simulated route controller reports the condition; the node lifecycle controller taints the node.
      const node = await waitNoScheduleTaint(offline, NETWORK_UNAVAILABLE, true);
      assert.equal(conditionStatus(node, "NetworkUnavailable"), "True");

      const hostNs = await newNamespace();
      await applyIn(hostNs, daemonSetManifest(DS, { podSpec: { hostNetwork: true } }));
      const hostPods = await waitRunningOn(hostNs, workers);
      await readyStatus(hostNs, 5);
      for (const pod of hostPods) {
        assert.ok(
          tolerates(pod, UNSCHEDULABLE, "NoSchedule"),
          `${pod.metadata.name} tolerates unschedulable`,
        );
        assert.ok(tolerates(pod, NETWORK_UNAVAILABLE, "NoSchedule"), "hostNetwork pods tolerate it");
      }

      // A pod on the pod network does not tolerate it: the DaemonSet leaves that node out (the cordon does not).
      const podNetworkNs = await newNamespace();
      await applyIn(podNetworkNs, daemonSetManifest(DS));
      const podNetworkPods = await waitRunningOn(
        podNetworkNs,
        workers.filter((n) => n !== offline),
      );
      await readyStatus(podNetworkNs, 4);
      for (const pod of podNetworkPods) assert.ok(!tolerates(pod, NETWORK_UNAVAILABLE, "NoSchedule"));
      assert.ok(taintsOf(await getJson(k, "node", offline)).includes(`${NETWORK_UNAVAILABLE}:NoSchedule`));
    } finally {
      await k.run(["uncordon", cordoned]);
      await k.run(["annotate", "node", offline, `${CONDITIONS_ANNOTATION}-`]);
    }
    // The next cases need every worker untainted again.
    await waitNoScheduleTaint(offline, NETWORK_UNAVAILABLE, false);
  });

  it("pod creations a ResourceQuota refuses do not stop status updates (TestUpdateStatusDespitePodCreationFailure)", async () => {
    const ns = await newNamespace();
    const limit = 2;
    await k.ok(["create", "quota", "pod-cap", "-n", ns, `--hard=pods=${limit}`]);
    // Quota admission refuses every pod until the quota controller has filled in the usage.
    await waitFor("the quota's status", async () => {
      const quota = await getJson(k, "quota", "pod-cap", "-n", ns);
      return quota.status?.used?.pods === "0";
    });
    await applyIn(ns, daemonSetManifest(DS));

    let last = "";
    await waitFor(
      `${limit} running pods`,
      async () => {
        const pods = await daemonPods(ns);
        last = describePods(pods);
        return pods.length === limit && pods.every((p) => p.status?.phase === "Running");
      },
      { ...WAIT, detail: () => last },
    );
    await waitStatus(ns, { desiredNumberScheduled: 5, currentNumberScheduled: limit, numberReady: limit });
    const refusal = await waitFor("a FailedCreate event on the DaemonSet", async () =>
      (await getJson(k, "events", "-n", ns, "--field-selector", "reason=FailedCreate")).items.find(
        (e: Manifest) => e.involvedObject?.kind === "DaemonSet" && e.involvedObject.name === DS,
      ),
    );
    assert.equal(refusal.type, "Warning");
    assert.match(
      refusal.message,
      /^Error creating: pods "daemon-set-[a-z0-9]{5}" is forbidden: exceeded quota: pod-cap, requested: pods=1, used: pods=2, limited: pods=2$/,
    );
    assert.equal((await daemonPods(ns)).length, limit, "no pod past the quota");

    await k.ok([
      "patch",
      "quota",
      "pod-cap",
      "-n",
      ns,
      "--type=merge",
      "-p",
      '{"spec":{"hard":{"pods":"5"}}}',
    ]);
    await waitRunningOn(ns, workers);
    await readyStatus(ns, 5);
  });

  it("surge 1 with tolerations switched across tainted nodes (TestDaemonSetRollingUpdateWithTolerations)", async () => {
    const ns = await newNamespace();
    const zoneNodes = (zone: string) => [1, 2].map((i) => `${zone}-${i}`);
    const [zoneY, zoneZ, common] = ZONES.map(zoneNodes);
    const nodes = ZONES.flatMap((zone) =>
      zoneNodes(zone).map((name) => ({
        apiVersion: "v1",
        kind: "Node",
        metadata: { name, labels: { [ZONE_NODE_LABEL]: "true" } },
        spec: { taints: [{ key: zone, effect: "NoSchedule" }] },
      })),
    );
    try {
      await k.ok(["apply", "-f", "-"], { stdin: toYaml(nodes) });
      await applyIn(
        ns,
        daemonSetManifest(DS, {
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          // Only the zone nodes, so the rollout is upstream's six-node one.
          podSpec: {
            nodeSelector: { [ZONE_NODE_LABEL]: "true" },
            tolerations: zoneTolerations(["zone-y", "zone-common"]),
          },
          // Upstream's pods stay unready until the test marks them; a short ready delay keeps new pods unready
          // long enough for the surge to be seen.
          templateAnnotations: { [READY_DELAY_ANNOTATION]: "300ms" },
        }),
      );
      const settled = (n: number) =>
        waitStatus(ns, {
          desiredNumberScheduled: n,
          currentNumberScheduled: n,
          numberReady: n,
          updatedNumberScheduled: n,
        });
      await waitRunningOn(ns, [...zoneY, ...common]);
      await settled(4);

      // 2 new pods on zone-z, 1 surge pod on a common node, and the 2 old zone-y pods kept until the new ones are
      // available: 7 at once.
      const first = await switchTolerations(
        ns,
        ["zone-y", "zone-common"],
        ["zone-z", "zone-common"],
        [...zoneZ, ...common],
      );
      assert.ok(first >= 7, `peak ${first} active pods`);
      await settled(4);

      const second = await switchTolerations(ns, ["zone-z", "zone-common"], ZONES, [
        ...zoneY,
        ...zoneZ,
        ...common,
      ]);
      assert.ok(second >= 7, `peak ${second} active pods`);
      await settled(6);

      const patch = { spec: { template: { spec: { tolerations: null } } } };
      await k.ok(["patch", "ds", DS, "-n", ns, "--type=merge", "-p", JSON.stringify(patch)]);
      await waitRunningOn(ns, []);
      await waitStatus(ns, {
        desiredNumberScheduled: 0,
        currentNumberScheduled: 0,
        updatedNumberScheduled: 0,
      });
    } finally {
      await k.run(["delete", "ns", ns, "--wait=false"]);
      await k.run(["delete", "node", "-l", ZONE_NODE_LABEL, "--wait=false"]);
    }
  });

  /** Waits until `node` carries (or, with `present` false, no longer carries) the NoSchedule taint `key`. */
  function waitNoScheduleTaint(node: string, key: string, present: boolean) {
    let last = "";
    return waitFor(
      `${node} ${present ? "with" : "without"} ${key}:NoSchedule`,
      async () => {
        const n = await getJson(k, "node", node);
        last = JSON.stringify(n.spec.taints ?? []);
        return taintsOf(n).includes(`${key}:NoSchedule`) === present && n;
      },
      { ...WAIT, detail: () => last },
    );
  }

  /**
   * Switches the DaemonSet's zone tolerations from `from` to `to` and follows its pods with `kubectl get -w` until
   * exactly `nodes` run the new template. On every event it checks upstream's surge invariants and that at most
   * maxSurge (1) node holds an old pod beside a new one that is not ready yet; returns the most pods active at once.
   */
  async function switchTolerations(
    ns: string,
    from: string[],
    to: string[],
    nodes: string[],
  ): Promise<number> {
    const [oldVersion, newVersion] = [from.join(","), to.join(",")];
    const ds = (await daemonSetIn(ns)) as KubeObject;
    const invariants = new SurgeInvariants({
      ds,
      versionOf: zoneVersion,
      oldVersion,
      newVersion,
      maxSurge: 1,
      maxOverlapMs: 10_000,
    });
    let peak = 0;
    const surgeViolations: string[] = [];
    const listed = (await daemonPods(ns)).length;
    const watch = LiveWatch.start(k, ["pods", "-n", ns, "-l", LABEL], listed, (pods) => {
      invariants.observe(pods as KubeObject[]);
      const active = pods.filter((p) => !isDeleting(p) && !isTerminal(p));
      peak = Math.max(peak, active.length);
      const surging = new Set(
        active
          .filter((p) => zoneVersion(p) === newVersion && !isPodReady(p) && p.spec.nodeName)
          .filter((p) =>
            active.some((o) => o.spec.nodeName === p.spec.nodeName && zoneVersion(o) !== newVersion),
          )
          .map((p) => p.spec.nodeName),
      );
      if (surging.size > 1) surgeViolations.push(`surging on ${[...surging]}\n${describePods(active)}`);
    });
    try {
      await waitFor("the watch to list the pods", () => watch.catchUp().length >= listed, {
        detail: () => watch.output(),
      });
      const patch = { spec: { template: { spec: { tolerations: zoneTolerations(to) } } } };
      await k.ok(["patch", "ds", DS, "-n", ns, "--type=merge", "-p", JSON.stringify(patch)]);
      // Done when the watch has seen every old pod go and a ready new one on each of `nodes`.
      let last = "";
      await waitFor(
        `the watch to see the new template on exactly [${nodes}]`,
        () => {
          const live = watch.catchUp();
          last = describePods(live);
          return (
            live.length === nodes.length &&
            daemonPodsOnNodesProblem(live, ds, nodes) === undefined &&
            live.every((p) => zoneVersion(p) === newVersion)
          );
        },
        { timeoutMs: 20_000, intervalMs: 50, detail: () => last },
      );
    } finally {
      await watch.stop();
    }
    assert.deepEqual(invariants.violations, []);
    assert.deepEqual(surgeViolations, []);
    const pods = await waitRunningOn(ns, nodes);
    for (const pod of pods) assert.equal(zoneVersion(pod), newVersion, pod.metadata.name);
    return peak;
  }
});

describe("DaemonSet on a node that stops heartbeating, through kubectl (--node-monitor-grace-period 3s)", () => {
  const GRACE_MS = 3000;
  let cluster: E2eCluster;
  let k: Kubectl;
  /** The three untainted workers, sorted. */
  let workers: string[];
  before(async () => {
    cluster = await startCluster(["--nodes", "4", "--node-monitor-grace-period", `${GRACE_MS / 1000}s`]);
    k = cluster.kubectl;
    workers = await untaintedNodes(k);
    assert.equal(workers.length, 3, "three untainted workers");
  });
  after(() => cluster?.stop());

  const { newNamespace, applyIn, daemonPods, waitRunningOn, waitStatus } = daemonSetCases(
    () => k,
    "ds-not-ready",
  );

  it("a NotReady node keeps its daemon pod and gets one only where tolerated (TestNotReadyNodeDaemonDoesLaunchPod)", async () => {
    const silent = workers[2];
    const healthy = workers.slice(0, 2);
    const plainNs = await newNamespace();
    await applyIn(plainNs, daemonSetManifest(DS));
    const kept = (await waitRunningOn(plainNs, workers)).find((p) => p.spec.nodeName === silent);
    assert.ok(kept, `a pod on ${silent}`);
    // The control: a pod that tolerates the node being unreachable for 0 s (upstream's admission would default
    // 300 s), which the taint manager evicts as soon as the NoExecute taint lands.
    const evictable = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "evictable" },
      spec: {
        nodeName: silent,
        containers: [{ name: "app", image: HTTPD_IMAGE }],
        tolerations: [{ key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 0 }],
      },
    };
    await applyIn(plainNs, evictable);
    await waitFor("the control pod to run", async () => {
      const pod = await getJson(k, "pod", "evictable", "-n", plainNs);
      return pod.status?.phase === "Running";
    });

    // Every other node must stay Ready all along: their kubelets heartbeat well within the grace period.
    const nodeWatch = KubectlWatch.start(k, ["nodes"]);
    try {
      const silencedAt = Date.now();
      await k.ok(["annotate", "node", silent, `${HEARTBEAT_ANNOTATION}=stopped`]);
      let last = "";
      const node = await waitFor(
        `${silent} NotReady and tainted unreachable:NoSchedule`,
        async () => {
          const row = parseTable(await k.ok(["get", "nodes"])).rows.find((r) => r.NAME === silent);
          const n = await getJson(k, "node", silent);
          last = `${row?.STATUS} ${taintsOf(n)}`;
          return row?.STATUS === "NotReady" && taintsOf(n).includes(`${UNREACHABLE}:NoSchedule`) && n;
        },
        { timeoutMs: 15_000, intervalMs: 200, detail: () => last },
      );
      // Not before the grace period: the last heartbeat came at most one Lease renewal (a quarter of it) earlier.
      const silentFor = Date.now() - silencedAt;
      assert.ok(silentFor >= (GRACE_MS * 3) / 4 - 100, `NotReady after ${silentFor} ms`);
      assert.equal(conditionStatus(node, "Ready"), "Unknown");

      // Its pods are marked not Ready.
      await waitFor("the kept pod to be marked not Ready", async () => {
        const pod = (await daemonPods(plainNs)).find((p) => p.metadata.uid === kept.metadata.uid);
        return pod && !isPodReady(pod);
      });
      // The untolerated unreachable:NoSchedule taint means the DaemonSet would not place a pod there now, so the
      // kept one counts as misscheduled (as upstream reports it).
      await waitStatus(plainNs, {
        desiredNumberScheduled: 2,
        currentNumberScheduled: 2,
        numberReady: 2,
        numberMisscheduled: 1,
      });

      // Tolerating that taint isolates upstream's point: the controller never looks at readiness itself. The pod
      // is bound to the silent node, whose kubelet never starts it.
      const tolerantNs = await newNamespace();
      const tolerations = [{ key: UNREACHABLE, operator: "Exists", effect: "NoSchedule" }];
      await applyIn(tolerantNs, daemonSetManifest(DS, { podSpec: { tolerations } }));
      const stuck = await waitFor(
        `ready pods on [${healthy}] and a pod bound to ${silent}`,
        async () => {
          const pods = await daemonPods(tolerantNs);
          last = describePods(pods);
          const on = (node: string) => pods.find((p) => p.spec.nodeName === node);
          return pods.length === 3 && healthy.every((n) => isPodReady(on(n) ?? {})) && on(silent);
        },
        { ...WAIT, detail: () => last },
      );
      assert.equal(stuck.status?.phase, "Pending");
      assert.ok(tolerates(stuck, UNREACHABLE, "NoExecute"));
      await waitStatus(tolerantNs, {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 2,
        numberMisscheduled: 0,
      });
      // Mark it Ready by hand, as upstream does: the DaemonSet counts it.
      const ready = { status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } };
      await k.ok([
        "patch",
        "pod",
        stuck.metadata.name,
        "-n",
        tolerantNs,
        "--subresource=status",
        "--type=strategic",
        "-p",
        JSON.stringify(ready),
      ]);
      await waitStatus(tolerantNs, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3 });

      // A monitor pass later the node is tainted unreachable:NoExecute too (upstream taints on the pass after the
      // one that saw the node go silent). The taint manager evicts the control pod (it stays Terminating: the
      // silent kubelet never confirms), but not the daemon pod, which tolerates not-ready and unreachable
      // NoExecute for ever.
      await waitFor(`${silent} tainted unreachable:NoExecute`, async () =>
        taintsOf(await getJson(k, "node", silent)).includes(`${UNREACHABLE}:NoExecute`),
      );
      await waitFor("the taint manager to evict the control pod", async () =>
        isDeleting(await getJson(k, "pod", "evictable", "-n", plainNs)),
      );
      for (const key of [NOT_READY, UNREACHABLE]) assert.ok(tolerates(kept, key, "NoExecute"), key);
      const daemonPod = (await daemonPods(plainNs)).find((p) => p.metadata.uid === kept.metadata.uid);
      assert.ok(daemonPod && !isDeleting(daemonPod), "the daemon pod is not evicted");

      // Heartbeats resume: the node is Ready and schedulable again (the NoExecute taint goes at the next monitor
      // pass), and the kept pod was never replaced.
      await k.ok(["annotate", "node", silent, `${HEARTBEAT_ANNOTATION}-`]);
      await waitFor(`${silent} Ready without the unreachable:NoSchedule taint`, async () => {
        const n = await getJson(k, "node", silent);
        return conditionStatus(n, "Ready") === "True" && !taintsOf(n).includes(`${UNREACHABLE}:NoSchedule`);
      });
      // Back in touch, its kubelet finishes the eviction.
      await waitFor("the control pod to be gone", async () => {
        const r = await k.run(["get", "pod", "evictable", "-n", plainNs]);
        return r.code !== 0 && r.stderr.includes("NotFound");
      });
      const pods = await waitRunningOn(plainNs, workers);
      assert.ok(
        pods.some((p) => p.metadata.uid === kept.metadata.uid),
        `the pod on ${silent} was neither evicted nor replaced\n${describePods(pods)}`,
      );
      await waitStatus(plainNs, {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 3,
        numberMisscheduled: 0,
      });

      const flaps = (await nodeWatch.stop())
        .map((e) => e.object)
        .filter((n) => n.metadata.name !== silent && conditionStatus(n, "Ready") !== "True")
        .map((n) => `${n.metadata.name} Ready=${conditionStatus(n, "Ready")}`);
      assert.deepEqual(flaps, [], "healthy nodes stay Ready");
    } finally {
      await nodeWatch.stop();
      await k.run(["annotate", "node", silent, `${HEARTBEAT_ANNOTATION}-`]);
    }
  });
});
