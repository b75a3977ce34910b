// Upstream's DaemonSet integration cases (test/integration/daemonset/daemonset_test.go; reference §8) against an
// in-process cluster running everything `everynode up` runs. Upstream marks pods Ready by hand and runs neither
// kubelets nor the node lifecycle controller; here the simulated kubelets run the pods, and where the node
// lifecycle controller changes the picture (NotReady nodes get a not-ready:NoSchedule taint) the test says so.
// Each case runs with OnDelete and with RollingUpdate (maxUnavailable 1) where upstream does (forEachStrategy).
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/object.js";
import { CONTROLLER_REVISIONS, EVENTS, NODES, PODS } from "../../src/api/resources.js";
import { computeHash } from "../../src/controllers/daemonset/history.js";
import {
  CONTROLLER_REVISION_HASH_LABEL,
  daemonPodsOnNodesProblem,
  describePods,
  isControlledBy,
  isDeleting,
  isPodReady,
  isTerminal,
  podHash,
} from "../support/daemon-pods.js";
import {
  BOTH_STRATEGIES,
  type ClusterOptions,
  DaemonSetCluster,
  type DaemonSetOptions,
  daemonSetManifest,
} from "../support/daemonset-cluster.js";
import { ObjectWatch } from "../support/object-watch.js";
import { limitPodCreations } from "../support/pod-creation-limit.js";
import { eventually } from "../support/test-cluster.js";

const NS = "daemonset-test";
const DS = "foo";

/** The `zone-*` toleration keys of a pod, in order. */
const tolerationKeys = (pod: KubeObject): string[] =>
  (pod.spec.tolerations ?? [])
    .map((t: { key: string }) => t.key)
    .filter((k: string) => k.startsWith("zone-"));

describe("DaemonSet integration cases (upstream test/integration/daemonset)", () => {
  let c: DaemonSetCluster | undefined;
  afterEach(async () => {
    await c?.stop();
    c = undefined;
  });

  /** A fresh cluster and namespace, and the DaemonSet created with `options`. */
  async function setup(options: DaemonSetOptions, clusterOptions: ClusterOptions = {}) {
    c = await DaemonSetCluster.start(clusterOptions);
    await c.createNamespace(NS);
    const ds = await c.createDaemonSet(NS, daemonSetManifest(DS, options));
    return { c, ds };
  }
  const podsOn = (cluster: DaemonSetCluster, nodes: string[], timeoutMs = 5000) =>
    cluster.waitForPods(
      NS,
      DS,
      `daemon pods on exactly [${nodes}]`,
      (pods, ds) => daemonPodsOnNodesProblem(pods, ds, nodes),
      timeoutMs,
    );
  const statusReady = (cluster: DaemonSetCluster, n: number) =>
    cluster.waitForStatus(NS, DS, { desiredNumberScheduled: n, currentNumberScheduled: n, numberReady: n });

  for (const { name: strategyName, strategy } of BOTH_STRATEGIES) {
    describe(strategyName, () => {
      it("one node: one pod with a single controller reference (TestOneNodeDaemonLaunchesPod)", async () => {
        const { c, ds } = await setup({ strategy });
        await c.addNode("single-node");
        const [pod] = await podsOn(c, ["single-node"]);
        assert.deepEqual(pod.metadata.ownerReferences, [
          {
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            name: DS,
            uid: ds.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ]);
        await statusReady(c, 1);
      });

      it("five nodes: five pods (TestSimpleDaemonSetLaunchesPods)", async () => {
        const { c } = await setup({ strategy });
        const nodes = await c.addNodes(0, 5);
        await podsOn(c, nodes);
        await statusReady(c, 5);
      });

      for (const phase of ["Succeeded", "Failed"] as const) {
        for (const finalizer of [false, true]) {
          it(`a ${phase} pod${finalizer ? " held by a finalizer" : ""} is replaced (TestSimpleDaemonSetRestartsPodsOnTerminalPhase)`, async () => {
            const { c } = await setup({
              strategy,
              templateFinalizers: finalizer ? ["test.k8s.io/finalizer"] : undefined,
            });
            const nodes = await c.addNodes(0, 3);
            const [pod] = await podsOn(c, nodes);
            await statusReady(c, 3);

            const terminal = structuredClone(pod);
            terminal.status.phase = phase;
            await c.client.update(PODS, NS, terminal, { subresource: "status" });

            // Three active pods again, the terminal one replaced by a new pod on its node.
            await c.waitForPods(NS, DS, "the terminal pod to be replaced", (pods, ds) =>
              daemonPodsOnNodesProblem(
                pods.filter((p) => !isTerminal(p)),
                ds,
                nodes,
              ),
            );
            const left = await c.client.get(PODS, NS, pod.metadata.name!).catch((e) => {
              if (e.code === 404) return undefined;
              throw e;
            });
            if (finalizer) {
              // The finalizer keeps the deleted terminal pod; it no longer counts for its node.
              assert.ok(left && isDeleting(left), "the terminal pod is kept, marked for deletion");
            } else {
              await eventually(
                () =>
                  c.client.get(PODS, NS, pod.metadata.name!).then(
                    () => false,
                    (e) => e.code === 404,
                  ),
                5000,
                "the terminal pod to be gone",
              );
            }
            await statusReady(c, 3);
            const reason = phase === "Succeeded" ? "SucceededDaemonPod" : "FailedDaemonPod";
            await eventually(
              async () => (await c.client.list(EVENTS, NS)).items.some((e) => e.reason === reason),
              5000,
              `a ${reason} event`,
            );
          });
        }
      }

      it("required node affinity: zone In [test] OR metadata.name In [node-1] over 6 nodes → 3 (TestDaemonSetWithNodeSelectorLaunchesPods)", async () => {
        const affinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "zone", operator: "In", values: ["test"] }] },
                { matchFields: [{ key: "metadata.name", operator: "In", values: ["node-1"] }] },
              ],
            },
          },
        };
        const { c } = await setup({ strategy, podSpec: { affinity } });
        await c.addNodes(0, 2);
        await c.addNodes(2, 2, { labels: { zone: "test" } });
        await c.addNodes(4, 2);
        await podsOn(c, ["node-1", "node-2", "node-3"]);
        await statusReady(c, 3);
      });

      it("a NotReady node still gets a daemon pod (TestNotReadyNodeDaemonDoesLaunchPod)", async () => {
        c = await DaemonSetCluster.start();
        await c.createNamespace(NS);
        // Ready False, and a silent kubelet so nothing reports it Ready.
        await c.addNode("single-node", {
          conditions: { Ready: "False" },
          annotations: { "sim.everynode.dev/heartbeat": "stopped" },
        });
        // Upstream runs no node lifecycle controller; here it taints the node not-ready:NoSchedule, which daemon
        // pods do not tolerate by default (only not-ready:NoExecute), so a default DaemonSet does not want it.
        const cluster = c;
        await eventually(
          async () =>
            ((await cluster.client.get(NODES, undefined, "single-node")).spec.taints ?? []).some(
              (t: { key: string; effect: string }) =>
                t.key === "node.kubernetes.io/not-ready" && t.effect === "NoSchedule",
            ),
          5000,
          "the not-ready:NoSchedule taint",
        );
        await c.createDaemonSet(NS, daemonSetManifest("plain", { strategy }));
        await c.waitForStatus(NS, "plain", { desiredNumberScheduled: 0, currentNumberScheduled: 0 });

        // Tolerating that taint isolates upstream's point: the controller never looks at readiness itself.
        const tolerations = [
          { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
        ];
        const ds = await c.createDaemonSet(NS, daemonSetManifest(DS, { strategy, podSpec: { tolerations } }));
        const [pod] = await c.waitForPods(NS, DS, "a pod bound to the NotReady node", (pods) =>
          pods.length === 1 && pods[0].spec.nodeName === "single-node" ? undefined : describePods(pods),
        );
        assert.ok(
          pod.spec.tolerations.some(
            (t: { key: string; effect: string }) =>
              t.key === "node.kubernetes.io/not-ready" && t.effect === "NoExecute",
          ),
          "daemon pods tolerate not-ready:NoExecute, so the node lifecycle controller does not evict them",
        );
        await c.waitForStatus(NS, DS, {
          desiredNumberScheduled: 1,
          currentNumberScheduled: 1,
          numberReady: 0,
        });

        // Mark it Ready by hand, as upstream does (the node's kubelet is silent).
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
        const ready = structuredClone(pod);
        ready.status = {
          ...ready.status,
          phase: "Running",
          conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }],
        };
        await c.client.update(PODS, NS, ready, { subresource: "status" });
        await c.waitForStatus(NS, DS, {
          desiredNumberScheduled: 1,
          currentNumberScheduled: 1,
          numberReady: 1,
        });
        assert.ok(isControlledBy(pod, ds));
      });

      it("insufficient capacity: the pod is created but Unschedulable (TestInsufficientCapacityNodeWhenScheduleDaemonSetPodsEnabled)", async () => {
        const { c } = await setup({
          strategy,
          container: { resources: { requests: { memory: "120M", cpu: "75m" } } },
        });
        await c.addNode("node-with-limited-memory", { resources: { memory: "100M", cpu: "200m" } });
        const [pod] = await c.waitForPods(NS, DS, "an Unschedulable pod", (pods) => {
          const scheduled = pods[0]?.status?.conditions?.find(
            (x: { type: string }) => x.type === "PodScheduled",
          );
          return pods.length === 1 && scheduled?.status === "False" && scheduled.reason === "Unschedulable"
            ? undefined
            : describePods(pods);
        });
        assert.equal(pod.spec.nodeName, undefined);

        await c.addNode("node-with-enough-memory", { resources: { memory: "200M", cpu: "2000m" } });
        const pods = await c.waitForPods(NS, DS, "two pods, one running", (pods) =>
          pods.length === 2 && pods.some((p) => p.spec.nodeName === "node-with-enough-memory")
            ? undefined
            : describePods(pods),
        );
        assert.ok(pods.some((p) => p.metadata.uid === pod.metadata.uid && !p.spec.nodeName));
        // Both nodes want a pod and have one (an unbound pending pod counts as scheduled); one is ready.
        await c.waitForStatus(NS, DS, {
          desiredNumberScheduled: 2,
          currentNumberScheduled: 2,
          numberReady: 1,
        });
      });

      it("a NoSchedule taint keeps the pod away until it is removed (TestTaintedNode)", async () => {
        const { c } = await setup({ strategy });
        await c.addNode("node-with-taint", {
          taints: [{ key: "key1", value: "val1", effect: "NoSchedule" }],
        });
        await c.addNode("node-without-taint");
        await podsOn(c, ["node-without-taint"]);
        await statusReady(c, 1);

        await c.patchNode("node-with-taint", { spec: { taints: [] } });
        await podsOn(c, ["node-with-taint", "node-without-taint"]);
        await statusReady(c, 2);

        // Tainted again: NoSchedule only blocks new pods, so the running one stays, counted as misscheduled.
        await c.patchNode("node-with-taint", {
          spec: { taints: [{ key: "key1", value: "val1", effect: "NoSchedule" }] },
        });
        await c.waitForStatus(NS, DS, {
          desiredNumberScheduled: 1,
          currentNumberScheduled: 1,
          numberMisscheduled: 1,
          numberReady: 1,
        });
        await podsOn(c, ["node-with-taint", "node-without-taint"]);
      });

      it("unschedulable and network-unavailable nodes get daemon pods (TestUnschedulableNodeDaemonDoesLaunchPod)", async () => {
        const { c } = await setup({ strategy, podSpec: { hostNetwork: true } });
        await c.addNode("unschedulable-node", {
          unschedulable: true,
          taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }],
        });
        // Upstream also reports this node Ready False; here that would add a not-ready:NoSchedule taint (see the
        // NotReady case), so only the network is down. The annotation keeps the kubelet reporting it.
        await c.addNode("network-unavailable-node", {
          conditions: { NetworkUnavailable: "True" },
          annotations: { "sim.everynode.dev/conditions": "NetworkUnavailable" },
          taints: [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }],
        });
        const pods = await podsOn(c, ["unschedulable-node", "network-unavailable-node"]);
        await statusReady(c, 2);
        for (const pod of pods) {
          const keys = pod.spec.tolerations.map((t: { key: string }) => t.key);
          assert.ok(keys.includes("node.kubernetes.io/unschedulable"));
          assert.ok(keys.includes("node.kubernetes.io/network-unavailable"), "hostNetwork pods tolerate it");
        }
        const node = await c.client.get(NODES, undefined, "network-unavailable-node");
        assert.ok(
          node.spec.taints.some((t: { key: string }) => t.key === "node.kubernetes.io/network-unavailable"),
          "the node is still tainted",
        );
      });

      it("duplicate current revisions: pods move to the higher one and the other is deleted", async () => {
        const { c, ds } = await setup({ strategy });
        const nodes = await c.addNodes(0, 3);
        const pods = await podsOn(c, nodes);
        const [original] = await eventually(async () => {
          const revs = await c.revisions(NS, DS);
          return revs.length === 1 ? revs : undefined;
        });
        // The same data under another name and hash, one revision higher.
        await c.client.create(CONTROLLER_REVISIONS, NS, {
          apiVersion: "apps/v1",
          kind: "ControllerRevision",
          metadata: {
            name: `${DS}-duplicate`,
            labels: { ...original.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: "duplicate" },
            ownerReferences: original.metadata.ownerReferences,
          },
          data: original.data,
          revision: original.revision + 1,
        });
        await eventually(
          async () => {
            const names = (await c.revisions(NS, DS)).map((r) => r.metadata.name);
            assert.deepEqual(names, [`${DS}-duplicate`]);
            const now = await c.daemonPods(NS, ds);
            assert.deepEqual(
              now.map((p) => [p.metadata.uid, podHash(p)]).sort(),
              pods.map((p) => [p.metadata.uid, "duplicate"]).sort(),
              "the same pods, relabelled",
            );
            return true;
          },
          5000,
          "the duplicate revision to win",
        );
        await c.waitForStatus(NS, DS, {
          desiredNumberScheduled: 3,
          updatedNumberScheduled: 3,
          numberReady: 3,
        });
      });

      it("pod creation failures do not stop status updates (TestUpdateStatusDespitePodCreationFailure)", async () => {
        const limit = 2;
        const { c } = await setup(
          { strategy },
          { componentClient: (client) => limitPodCreations(client, limit) },
        );
        await c.addNodes(0, 5);
        await c.waitForPods(NS, DS, `${limit} running pods`, (pods) =>
          pods.length === limit && pods.every((p) => p.status?.phase === "Running")
            ? undefined
            : describePods(pods),
        );
        await c.waitForStatus(NS, DS, {
          desiredNumberScheduled: 5,
          currentNumberScheduled: limit,
          numberReady: limit,
        });
        await eventually(
          async () =>
            (await c.client.list(EVENTS, NS)).items.some(
              (e) => e.reason === "FailedCreate" && e.message.includes("reached maximum number of pods"),
            ),
          5000,
          "a FailedCreate event",
        );
      });
    });
  }

  it("a hash collision bumps collisionCount and the rollout proceeds (TestLaunchWithHashCollision)", async () => {
    const { c } = await setup({ strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } } });
    await c.addNode("single-node");
    await podsOn(c, ["single-node"]);
    const [revision] = await eventually(async () => {
      const revs = await c.revisions(NS, DS);
      return revs.length === 1 ? revs : undefined;
    });
    const ds = await c.getDaemonSet(NS, DS);
    const collisionCount: number = ds.status.collisionCount ?? 0;

    // The name the next template's revision will take, occupied first by a revision with other data.
    const template = structuredClone(ds.spec.template);
    template.spec.terminationGracePeriodSeconds = 1;
    const newHash = computeHash(template, ds.status.collisionCount);
    await c.client.create(CONTROLLER_REVISIONS, NS, {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: `${DS}-${newHash}`,
        labels: { ...template.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: newHash },
        annotations: ds.metadata.annotations,
        ownerReferences: revision.metadata.ownerReferences,
      },
      data: revision.data,
      revision: revision.revision + 1,
    });
    await c.patchDaemonSet(NS, DS, { spec: { template: { spec: { terminationGracePeriodSeconds: 1 } } } });

    const [pod] = await c.waitForPods(
      NS,
      DS,
      "a pod of the new template",
      (pods, d) =>
        daemonPodsOnNodesProblem(pods, d, ["single-node"]) ??
        (pods.every((p) => p.spec.terminationGracePeriodSeconds === 1) ? undefined : describePods(pods)),
    );
    const after = await c.waitForStatus(NS, DS, {
      collisionCount: collisionCount + 1,
      updatedNumberScheduled: 1,
    });
    // The new revision was named with the bumped count; the colliding one is still there, untouched.
    const rehashed = computeHash(template, after.status.collisionCount);
    assert.notEqual(rehashed, newHash);
    assert.equal(podHash(pod), rehashed);
    const names = (await c.revisions(NS, DS)).map((r) => r.metadata.name).sort();
    assert.ok(names.includes(`${DS}-${rehashed}`) && names.includes(`${DS}-${newHash}`), names.join(", "));
  });

  it("surge 1 with tolerations switched across tainted nodes (TestDaemonSetRollingUpdateWithTolerations)", async () => {
    const toleration = (key: string) => ({ key, operator: "Exists" });
    const { c } = await setup({
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      podSpec: { tolerations: [toleration("zone-y"), toleration("zone-common")] },
      // Upstream's pods stay unready until the test marks them; a short ready delay keeps new pods unready long
      // enough for the surge to be seen, without a fake clock.
      templateAnnotations: { "sim.everynode.dev/ready-delay": "300ms" },
    });
    const zone = (key: string) => ({ taints: [{ key, effect: "NoSchedule" }] });
    const zoneY = await c.addNodes(0, 2, zone("zone-y"));
    const zoneZ = await c.addNodes(2, 2, zone("zone-z"));
    const common = await c.addNodes(4, 2, zone("zone-common"));

    /**
     * Switches the tolerations and watches the pods until `nodes` run the new template: returns the most pods
     * active at once, and checks on every event that at most maxSurge (1) node holds an old pod beside a new
     * one that is not ready yet.
     */
    const switchTo = async (keys: string[], nodes: string[]) => {
      let peak = 0;
      const violations: string[] = [];
      const watch = await ObjectWatch.start(c.client, PODS, NS, (pods) => {
        const active = pods.filter((p) => !isDeleting(p) && !isTerminal(p));
        peak = Math.max(peak, active.length);
        const zoneKeys = (p: KubeObject) => tolerationKeys(p).join(",");
        const surging = new Set(
          active
            .filter((p) => zoneKeys(p) === keys.join(",") && !isPodReady(p) && p.spec.nodeName)
            .filter((p) =>
              active.some((o) => o.spec.nodeName === p.spec.nodeName && zoneKeys(o) !== keys.join(",")),
            )
            .map((p) => p.spec.nodeName),
        );
        if (surging.size > 1) violations.push(`surging on ${[...surging]}\n${describePods(active)}`);
      });
      await c.patchDaemonSet(
        NS,
        DS,
        { spec: { template: { spec: { tolerations: keys.map(toleration) } } } },
        "merge",
      );
      const pods = await podsOn(c, nodes, 10_000);
      await watch.stop();
      assert.deepEqual(violations, []);
      for (const pod of pods) assert.deepEqual(tolerationKeys(pod), keys);
      return peak;
    };

    await podsOn(c, [...zoneY, ...common]);
    await statusReady(c, 4);
    await c.waitForStatus(NS, DS, { updatedNumberScheduled: 4 });

    // 2 new pods on zone-z, 1 surge pod on a common node, and the 2 old zone-y pods kept until the new ones are
    // available: 7 at once. (One more can show for a moment: a sync creates the next surge pod before it deletes
    // the old pod its available new one replaces, as upstream's syncNodes does creations first.)
    assert.ok((await switchTo(["zone-z", "zone-common"], [...zoneZ, ...common])) >= 7);
    await statusReady(c, 4);
    await c.waitForStatus(NS, DS, { updatedNumberScheduled: 4 });

    assert.ok((await switchTo(["zone-y", "zone-z", "zone-common"], [...zoneY, ...zoneZ, ...common])) >= 7);
    await statusReady(c, 6);
    await c.waitForStatus(NS, DS, { updatedNumberScheduled: 6 });

    await c.patchDaemonSet(NS, DS, { spec: { template: { spec: { tolerations: null } } } }, "merge");
    await podsOn(c, []);
    await c.waitForStatus(NS, DS, {
      desiredNumberScheduled: 0,
      currentNumberScheduled: 0,
      updatedNumberScheduled: 0,
    });
  });
});
