// The DaemonSet controller against a real in-process control plane (no scheduler, no kubelets: the tests play
// their part by setting pod status), checking the I/O side: pods per node, revisions, status, adoption, updates.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, TestCluster } from "../../../test/support/test-cluster.js";
import type { KubeObject } from "../../api/object.js";
import { CONTROLLER_REVISIONS, DAEMON_SETS, NODES, PODS } from "../../api/resources.js";
import { LocalClient } from "../../apiserver/local-client.js";
import { EventRecorder } from "../../client/event-recorder.js";
import { InformerFactory } from "../../informer/factory.js";
import { buildNode } from "../../nodes/node-template.js";
import { createLogger } from "../../util/log.js";
import { DaemonSetController } from "./controller.js";

const NS = "default";

function daemonSet(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "c", image: "nginx:1.25" }] },
      },
      ...extra,
    },
  };
}

describe("DaemonSet controller", () => {
  let cluster: TestCluster;
  let client: LocalClient;
  const stop = new AbortController();
  let running: Promise<unknown>;

  const podsOf = async (name: string) =>
    (await client.list(PODS, NS, { labelSelector: `app=${name}` })).items.filter(
      (p) => !p.metadata.deletionTimestamp,
    );
  const targetNode = (pod: KubeObject) =>
    pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
      .matchFields[0].values[0];

  /** Plays scheduler and kubelet: binds each pod to its target node and makes it Running and Ready. */
  async function runPods(name: string): Promise<void> {
    for (const pod of await podsOf(name)) {
      if (pod.status?.phase === "Running") continue;
      const now = new Date().toISOString();
      await client.update(
        PODS,
        NS,
        {
          ...pod,
          status: {
            ...pod.status,
            phase: "Running",
            conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }],
          },
        },
        { subresource: "status" },
      );
    }
  }

  before(async () => {
    cluster = await TestCluster.start();
    client = new LocalClient(cluster.cp.registry);
    for (const [i, name] of ["control-plane", "node1", "node2"].entries()) {
      await client.create(NODES, undefined, buildNode(name, i, Date.now()));
    }
    const informers = new InformerFactory(client);
    const logger = createLogger("test", "silent");
    const controller = new DaemonSetController({
      client,
      informers,
      logger,
      recorder: new EventRecorder(client, { component: "daemonset-controller" }),
    });
    running = Promise.all([informers.start(stop.signal), controller.start(stop.signal)]);
  });

  after(async () => {
    stop.abort();
    await running;
    await cluster.stop();
  });

  it("creates one pod per eligible node, skipping the tainted control plane", async () => {
    await client.create(DAEMON_SETS, NS, daemonSet("simple"));
    const pods = await eventually(async () => {
      const p = await podsOf("simple");
      return p.length === 2 ? p : undefined;
    });
    assert.deepEqual(pods.map(targetNode).sort(), ["node1", "node2"]);
    for (const pod of pods) {
      assert.equal(pod.metadata.ownerReferences?.[0].kind, "DaemonSet");
      assert.equal(pod.metadata.ownerReferences?.[0].controller, true);
      assert.ok(pod.metadata.labels?.["controller-revision-hash"]);
      assert.equal(pod.metadata.labels?.["pod-template-generation"], "1");
      assert.ok(
        pod.spec.tolerations.some((t: { key: string }) => t.key === "node.kubernetes.io/unreachable"),
      );
    }
    const revisions = await client.list(CONTROLLER_REVISIONS, NS, { labelSelector: "app=simple" });
    assert.equal(revisions.items.length, 1);
    assert.equal(revisions.items[0].revision, 1);
    const ds = await eventually(async () => {
      const d = await client.get(DAEMON_SETS, NS, "simple");
      return d.status?.desiredNumberScheduled === 2 && d.status?.currentNumberScheduled === 2 ? d : undefined;
    });
    assert.equal(ds.status.numberReady, 0);
    assert.equal(ds.status.observedGeneration, 1);
  });

  it("reports ready and available pods and recreates a deleted one", async () => {
    await runPods("simple");
    await eventually(async () => (await client.get(DAEMON_SETS, NS, "simple")).status?.numberAvailable === 2);
    const [victim] = await podsOf("simple");
    await client.delete(PODS, NS, victim.metadata.name!, { gracePeriodSeconds: 0 });
    await eventually(async () => {
      const p = await podsOf("simple");
      return p.length === 2 && p.every((x) => x.metadata.name !== victim.metadata.name);
    });
  });

  it("tolerating the control-plane taint puts a pod there too", async () => {
    await client.create(
      DAEMON_SETS,
      NS,
      daemonSet("everywhere", {
        template: {
          metadata: { labels: { app: "everywhere" } },
          spec: {
            tolerations: [
              { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
            ],
            containers: [{ name: "c", image: "nginx:1.25" }],
          },
        },
      }),
    );
    await eventually(async () => (await podsOf("everywhere")).length === 3);
  });

  it("rolls out a new template one node at a time and records a new revision", async () => {
    await client.patch(DAEMON_SETS, NS, "simple", "strategic", {
      spec: { template: { spec: { containers: [{ name: "c", image: "nginx:1.26" }] } } },
    });
    // maxUnavailable 1: the controller deletes one old pod, creates its replacement, and waits for it.
    for (let round = 0; round < 4; round++) {
      await eventually(async () => {
        await runPods("simple");
        const pods = await podsOf("simple");
        return pods.length === 2;
      });
    }
    await eventually(async () => {
      await runPods("simple");
      const pods = await podsOf("simple");
      return pods.length === 2 && pods.every((p) => p.spec.containers[0].image === "nginx:1.26");
    }, 10_000);
    const revisions = await client.list(CONTROLLER_REVISIONS, NS, { labelSelector: "app=simple" });
    assert.deepEqual(revisions.items.map((r) => r.revision).sort(), [1, 2]);
    const ds = await eventually(async () => {
      const d = await client.get(DAEMON_SETS, NS, "simple");
      return d.status?.updatedNumberScheduled === 2 && d.status?.numberAvailable === 2 ? d : undefined;
    });
    assert.equal(ds.status.observedGeneration, 2);
  });

  it("adopts a matching orphan pod instead of creating another", async () => {
    await client.create(PODS, NS, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "orphan", namespace: NS, labels: { app: "adopter" } },
      spec: {
        nodeName: "node1",
        containers: [{ name: "c", image: "nginx:1.25" }],
      },
    });
    // OnDelete: an adopted pod of another template is kept (RollingUpdate would replace it, as upstream does).
    await client.create(DAEMON_SETS, NS, daemonSet("adopter", { updateStrategy: { type: "OnDelete" } }));
    const orphan = await eventually(async () => {
      const p = await client.get(PODS, NS, "orphan");
      return p.metadata.ownerReferences?.length ? p : undefined;
    });
    assert.equal(orphan.metadata.ownerReferences?.[0].name, "adopter");
    const pods = await eventually(async () => {
      const p = await podsOf("adopter");
      return p.length === 2 ? p : undefined;
    });
    assert.ok(pods.some((p) => p.metadata.name === "orphan"));
  });
});
