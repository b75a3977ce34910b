// Seed 003 ("DaemonSets: Maintaining Pod Singletons on Nodes"), walked through top to bottom with the real kubectl
// against `everynode up --nodes 4` (control-plane, node1, node2, node3): the node agent's spec, how DaemonSet pods
// are scheduled, nodeSelector and affinity, tolerations, RollingUpdate with maxUnavailable or maxSurge, OnDelete,
// the Fluent Bit and node-exporter use cases, resources and priority, status fields and rollback.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../../support/kubectl.js";
import { type E2eCluster, startCluster } from "../support/cluster.js";
import { getJson } from "../support/get-json.js";
import { fixtureObject, fixturePath, type Manifest, toYaml } from "../support/manifests.js";
import { waitFor } from "../support/wait.js";
import {
  daemonPods,
  eventMessages,
  firstImage,
  nodeManifest,
  podsByNode,
  rolloutStatus,
  SETTLE_MS,
  waitForDaemonSet,
  waitForNodesReady,
  waitForPod,
} from "./walkthrough.js";

const WORKERS = ["node1", "node2", "node3"];
const ALL = ["control-plane", ...WORKERS];
const KS = "kube-system";
const AGENT = fixtureObject("seed-003-node-agent.yaml", "DaemonSet");

/** A DaemonSet in the seed's style: `app: <name>` labels, one container. */
function daemonSet(name: string, ns: string, podSpec: Manifest): Manifest {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec },
    },
  };
}

/** One line of `kubectl get pods -w -o jsonpath=…` below: a pod as the watch saw it at one moment. */
interface PodSighting {
  name: string;
  node: string;
  hash: string;
  deleting: boolean;
  ready: boolean;
}

const SIGHTING =
  "{.metadata.name}|{.spec.nodeName}|{.metadata.labels.controller-revision-hash}|{.metadata.deletionTimestamp}|" +
  '{.status.conditions[?(@.type=="Ready")].status}{"\\n"}';

function parseSightings(text: string): PodSighting[] {
  return text
    .split("\n")
    .filter((l) => l.includes("|"))
    .map((line) => {
      const [name, node, hash, deletionTimestamp, ready] = line.trim().split("|");
      return { name, node, hash, deleting: deletionTimestamp !== "", ready: ready === "True" };
    });
}

describe("seed 003: DaemonSets — maintaining pod singletons on nodes", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const apply = (docs: Manifest[]) => k.ok(["apply", "-f", "-"], { stdin: toYaml(docs) });

  before(async () => {
    cluster = await startCluster(["--nodes", "4"]);
    k = cluster.kubectl;
  });
  after(() => cluster?.stop());

  it("DaemonSet spec: the node agent runs one pod per matching node, with no replicas field", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-003-node-agent.yaml")]),
      "daemonset.apps/node-agent created\n",
    );
    const pods = await waitForDaemonSet(k, KS, "node-agent", WORKERS);
    assert.deepEqual(pods[0].spec.containers[0].resources, {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "250m", memory: "256Mi" },
    });
    const withReplicas = structuredClone(AGENT);
    withReplicas.spec.replicas = 3;
    const r = await k.run(["apply", "-f", "-"], { stdin: toYaml([withReplicas]) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /strict decoding error: unknown field "spec\.replicas"/);
  });

  it("the selector is immutable once created", async () => {
    const r = await k.run([
      "patch",
      "ds",
      "node-agent",
      "-n",
      KS,
      "--type=merge",
      "-p",
      '{"spec":{"selector":{"matchLabels":{"app":"node-agent","tier":"node"}},"template":{"metadata":{"labels":{"tier":"node"}}}}}',
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^The DaemonSet "node-agent" is invalid: spec\.selector: Invalid value: .*: field is immutable\n$/,
    );
  });

  it("scheduling: the controller pins each pod to its node by affinity and the default scheduler binds it", async () => {
    const pods = await daemonPods(k, KS, "node-agent");
    for (const pod of pods) {
      assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
        nodeSelectorTerms: [
          { matchFields: [{ key: "metadata.name", operator: "In", values: [pod.spec.nodeName] }] },
        ],
      });
      assert.equal(pod.spec.schedulerName, "default-scheduler");
      const scheduled = await eventMessages(
        k,
        KS,
        `involvedObject.name=${pod.metadata.name},reason=Scheduled`,
      );
      assert.deepEqual(scheduled, [
        `Successfully assigned kube-system/${pod.metadata.name} to ${pod.spec.nodeName}`,
      ]);
    }
  });

  it("a node that registers and turns Ready gets a pod", async () => {
    assert.equal(await apply([nodeManifest("node4")]), "node/node4 created\n");
    await waitForNodesReady(k, ["node4"]);
    await waitForDaemonSet(k, KS, "node-agent", [...WORKERS, "node4"]);
  });

  it("a deleted node's pod is cleaned up — by the pod garbage collector, not by owner references", async () => {
    // The seed credits owner references; upstream's pod GC deletes pods bound to a node that no longer exists,
    // once the node has been gone for 40 s. The DaemonSet stops counting the node at once.
    assert.equal(await k.ok(["delete", "node", "node4"]), 'node "node4" deleted\n');
    await waitFor("the DaemonSet to stop counting node4", async () => {
      const ds = await getJson(k, "ds", "node-agent", "-n", KS);
      return ds.status.desiredNumberScheduled === 3;
    });
    await waitForDaemonSet(k, KS, "node-agent", WORKERS, { timeoutMs: 90_000 });
  });

  it("nodeSelector node-role: edge-gateway runs the proxy on the labelled nodes only", async () => {
    const proxy = daemonSet("edge-proxy", "default", {
      nodeSelector: { "node-role": "edge-gateway" },
      containers: [{ name: "proxy", image: "envoyproxy/envoy:v1.28" }],
    });
    assert.equal(await apply([proxy]), "daemonset.apps/edge-proxy created\n");
    await waitForDaemonSet(k, "default", "edge-proxy", []);
    await k.ok(["label", "nodes", "node1", "node-role=edge-gateway"]);
    await waitForDaemonSet(k, "default", "edge-proxy", ["node1"]);
  });

  it("node affinity: amd64 or arm64, but not t3.nano instances", async () => {
    const agent = daemonSet("arch-agent", "default", {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
                  { key: "node.kubernetes.io/instance-type", operator: "NotIn", values: ["t3.nano"] },
                ],
              },
            ],
          },
        },
      },
      containers: [{ name: "agent", image: "example/node-agent:1.4" }],
    });
    assert.equal(await apply([agent]), "daemonset.apps/arch-agent created\n");
    await waitForDaemonSet(k, "default", "arch-agent", WORKERS);
    await k.ok(["label", "nodes", "node2", "node.kubernetes.io/instance-type=t3.nano"]);
    await waitForDaemonSet(k, "default", "arch-agent", ["node1", "node3"]);
  });

  it("tolerations: not-ready and unreachable are added automatically; the control plane needs an explicit one", async () => {
    const [pod] = await daemonPods(k, KS, "node-agent");
    for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
      assert.ok(
        pod.spec.tolerations.some(
          (t: Manifest) => t.key === key && t.operator === "Exists" && t.effect === "NoExecute",
        ),
        key,
      );
    }
    const everywhere = daemonSet("cp-agent", "default", {
      tolerations: [
        { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
        { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
      ],
      containers: [{ name: "agent", image: "example/node-agent:1.4" }],
    });
    assert.equal(await apply([everywhere]), "daemonset.apps/cp-agent created\n");
    await waitForDaemonSet(k, "default", "cp-agent", ALL);
  });

  it("disk pressure taints a node; DaemonSet pods tolerate it and keep their place", async () => {
    await k.ok(["annotate", "node", "node3", "sim.everynode.dev/conditions=DiskPressure"]);
    await waitFor("the disk-pressure taint on node3", async () =>
      ((await getJson(k, "node", "node3")).spec.taints ?? []).some(
        (t: Manifest) => t.key === "node.kubernetes.io/disk-pressure" && t.effect === "NoSchedule",
      ),
    );
    const victim = podsByNode(await daemonPods(k, KS, "node-agent")).node3[0];
    await k.ok(["delete", "pod", victim, "-n", KS]);
    await waitForDaemonSet(k, KS, "node-agent", WORKERS);
    await k.ok(["annotate", "node", "node3", "sim.everynode.dev/conditions-"]);
    await waitFor(
      "node3 without taints",
      async () => ((await getJson(k, "node", "node3")).spec.taints ?? []).length === 0,
    );
  });

  it("RollingUpdate: maxUnavailable 0 with maxSurge 0 is refused", async () => {
    const r = await k.run([
      "patch",
      "ds",
      "node-agent",
      "-n",
      KS,
      "--type=merge",
      "-p",
      '{"spec":{"updateStrategy":{"rollingUpdate":{"maxUnavailable":0,"maxSurge":0}}}}',
    ]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'The DaemonSet "node-agent" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: ' +
        "cannot be 0 when maxSurge is 0\n",
    );
  });

  it("RollingUpdate with maxUnavailable 0 and maxSurge 1: each node gets its new pod before the old one goes", async () => {
    const surge = structuredClone(AGENT);
    surge.spec.updateStrategy.rollingUpdate = { maxUnavailable: 0, maxSurge: 1 };
    assert.equal(await apply([surge]), "daemonset.apps/node-agent configured\n");
    const before = await daemonPods(k, KS, "node-agent");
    const oldHash = before[0].metadata.labels["controller-revision-hash"];

    const watch = k.start([
      "get",
      "pods",
      "-n",
      KS,
      "-l",
      "app=node-agent",
      "-w",
      "-o",
      `jsonpath=${SIGHTING}`,
    ]);
    await waitFor("the watch's initial list", () => parseSightings(watch.output()).length >= WORKERS.length);
    await k.ok(["set", "image", "ds/node-agent", "agent=example/node-agent:1.5", "-n", KS]);
    await rolloutStatus(k, KS, "node-agent");
    const after = await waitForDaemonSet(k, KS, "node-agent", WORKERS);
    const sightings = parseSightings(await watch.stop());

    assert.deepEqual(new Set(after.map(firstImage)), new Set(["example/node-agent:1.5"]));
    for (const node of WORKERS) {
      const firstDeletion = sightings.findIndex((s) => s.node === node && s.hash === oldHash && s.deleting);
      assert.ok(firstDeletion >= 0, `the old pod on ${node} was seen terminating`);
      const readyNewBefore = sightings
        .slice(0, firstDeletion)
        .some((s) => s.node === node && s.hash !== oldHash && s.ready);
      assert.ok(readyNewBefore, `the new pod on ${node} was ready before the old one was deleted`);
    }
  });

  it("OnDelete: pods change only when deleted", async () => {
    await k.ok([
      "patch",
      "ds",
      "node-agent",
      "-n",
      KS,
      "--type=merge",
      "-p",
      '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}',
    ]);
    await k.ok(["set", "image", "ds/node-agent", "agent=example/node-agent:1.6", "-n", KS]);
    await waitFor("the status to count no up-to-date pod", async () => {
      const ds = await getJson(k, "ds", "node-agent", "-n", KS);
      return (
        ds.status.observedGeneration === ds.metadata.generation &&
        (ds.status.updatedNumberScheduled ?? 0) === 0
      );
    });
    const victim = podsByNode(await daemonPods(k, KS, "node-agent")).node1[0];
    assert.equal(await k.ok(["delete", "pod", victim, "-n", KS]), `pod "${victim}" deleted\n`);
    await waitForPod(
      k,
      KS,
      "app=node-agent",
      "node1's replacement",
      (p) => p.spec.nodeName === "node1" && p.metadata.name !== victim,
    );
    const images = Object.fromEntries(
      (await daemonPods(k, KS, "node-agent")).map((p) => [p.spec.nodeName, firstImage(p)]),
    );
    assert.deepEqual(images, {
      node1: "example/node-agent:1.6",
      node2: "example/node-agent:1.5",
      node3: "example/node-agent:1.5",
    });
    // Back to rolling updates for the rest of the walk-through.
    await k.ok([
      "patch",
      "ds",
      "node-agent",
      "-n",
      KS,
      "--type=merge",
      "-p",
      '{"spec":{"updateStrategy":{"type":"RollingUpdate"}}}',
    ]);
    await rolloutStatus(k, KS, "node-agent");
  });

  it("log collection: Fluent Bit tolerates every taint, so it runs on every node, the control plane included", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-003-fluent-bit.yaml")]),
      "namespace/logging created\ndaemonset.apps/fluent-bit created\n",
    );
    await waitForDaemonSet(k, "logging", "fluent-bit", ALL);
    assert.match(
      await rolloutStatus(k, "logging", "fluent-bit"),
      /daemon set "fluent-bit" successfully rolled out\n$/,
    );
  });

  it("node monitoring: node-exporter with hostNetwork, hostPID and host port 9100 on every node", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-003-node-exporter.yaml")]),
      "namespace/monitoring created\ndaemonset.apps/node-exporter created\n",
    );
    const pods = await waitForDaemonSet(k, "monitoring", "node-exporter", ALL);
    for (const pod of pods) {
      assert.equal(pod.spec.hostNetwork, true);
      assert.equal(pod.spec.hostPID, true);
      assert.equal(pod.status.podIP, pod.status.hostIP);
    }
    const described = await k.ok(["describe", "daemonset", "node-exporter", "-n", "monitoring"]);
    assert.match(described, /^\s+Host Port:\s+9100\/TCP$/m);
    assert.match(described, /^\s+\/host\/proc from proc \(ro\)$/m);
  });

  it("host ports are per node: a second DaemonSet wanting port 9100 cannot be scheduled", async () => {
    const clash = daemonSet("another-exporter", "default", {
      containers: [
        {
          name: "exporter",
          image: "prom/node-exporter:v1.7.0",
          ports: [{ containerPort: 9100, hostPort: 9100 }],
        },
      ],
    });
    await apply([clash]);
    const pending = await waitForPod(
      k,
      "default",
      "app=another-exporter",
      "a Pending pod",
      (p) => p.status?.phase === "Pending",
    );
    await waitFor("FailedScheduling for the port", async () =>
      (
        await eventMessages(
          k,
          "default",
          `involvedObject.name=${pending.metadata.name},reason=FailedScheduling`,
        )
      ).some((m) => /node\(s\) didn't have free ports for the requested pod ports/.test(m)),
    );
    await k.ok(["delete", "ds", "another-exporter"]);
  });

  it("resources: describe node shows each DaemonSet pod's requests and limits as shares of the node", async () => {
    const pod = podsByNode(await daemonPods(k, KS, "node-agent")).node2[0];
    const described = await k.ok(["describe", "node", "node2"]);
    assert.match(
      described,
      new RegExp(
        `^\\s+kube-system\\s+${pod}\\s+100m \\(2%\\)\\s+250m \\(6%\\)\\s+128Mi \\(1%\\)\\s+256Mi \\(3%\\)\\s`,
        "m",
      ),
    );
  });

  it("priority: system-node-critical gives the pods priority 2000001000", async () => {
    await k.ok([
      "patch",
      "ds",
      "node-agent",
      "-n",
      KS,
      "-p",
      '{"spec":{"template":{"spec":{"priorityClassName":"system-node-critical"}}}}',
    ]);
    await rolloutStatus(k, KS, "node-agent");
    const pods = await waitForDaemonSet(k, KS, "node-agent", WORKERS);
    assert.deepEqual(new Set(pods.map((p) => p.spec.priority)), new Set([2000001000]));
  });

  it("priority: a critical DaemonSet pod preempts a lower-priority pod when its node is full", async () => {
    const filler: Manifest = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "batch-job", namespace: "default" },
      spec: {
        nodeSelector: { "kubernetes.io/hostname": "node3" },
        containers: [{ name: "work", image: "busybox:1.36", resources: { requests: { cpu: "3" } } }],
      },
    };
    await apply([filler]);
    await k.ok(["wait", "--for=condition=Ready", "pod/batch-job", "--timeout=30s"]);
    // node3: 4 CPUs, 3 taken by the batch job, 100m by node-agent, 50m by fluent-bit; 1 CPU more does not fit.
    const critical = daemonSet("critical-agent", KS, {
      priorityClassName: "system-node-critical",
      containers: [{ name: "agent", image: "example/node-agent:1.4", resources: { requests: { cpu: "1" } } }],
    });
    await apply([critical]);
    await waitForDaemonSet(k, KS, "critical-agent", WORKERS);
    const preempted = await eventMessages(k, "default", "involvedObject.name=batch-job,reason=Preempted");
    assert.equal(preempted.length, 1);
    assert.match(preempted[0], /^Preempted by pod [0-9a-f-]{36} on node node3$/);
    await waitFor(
      "the batch job to be gone",
      async () => (await k.run(["get", "pod", "batch-job"])).code === 1,
      {
        timeoutMs: SETTLE_MS,
      },
    );
    await k.ok(["delete", "ds", "critical-agent", "-n", KS]);
  });

  it("status: desired, current, ready, misscheduled and up-to-date; a healthy DaemonSet has them equal", async () => {
    const healthy = (await getJson(k, "ds", "node-agent", "-n", KS)).status;
    assert.deepEqual(
      [
        healthy.desiredNumberScheduled,
        healthy.currentNumberScheduled,
        healthy.numberReady,
        healthy.updatedNumberScheduled,
      ],
      [3, 3, 3, 3],
    );
    assert.equal(healthy.numberMisscheduled, 0);
    // A pod on a node the DaemonSet would no longer choose (an untolerated NoSchedule taint) is misscheduled.
    await k.ok(["taint", "nodes", "node1", "maintenance=planned:NoSchedule"]);
    await waitForDaemonSet(k, KS, "node-agent", ["node2", "node3"], { misscheduled: 1, alsoOn: ["node1"] });
    assert.match(
      await k.ok(["describe", "ds", "node-agent", "-n", KS]),
      /^Number of Nodes Misscheduled: 1$/m,
    );
    await k.ok(["taint", "nodes", "node1", "maintenance=planned:NoSchedule-"]);
    await waitForDaemonSet(k, KS, "node-agent", WORKERS);
  });

  it("kubectl get daemonset -n kube-system, describe, rollout status, and rollout undo of a failed update", async () => {
    const table = await k.ok(["get", "daemonset", "-n", KS]);
    assert.match(table, /^node-agent\s+3\s+3\s+3\s+3\s+3\s+<none>/m);
    assert.match(
      await k.ok(["describe", "daemonset", "node-exporter", "-n", "monitoring"]),
      /^Name:\s+node-exporter$/m,
    );
    await k.ok(["set", "image", "ds/node-agent", "agent=example/node-agent:non-existent", "-n", KS]);
    await waitForPod(k, KS, "app=node-agent", "a pod failing to pull", (p) =>
      ["ErrImagePull", "ImagePullBackOff"].includes(p.status?.containerStatuses?.[0]?.state?.waiting?.reason),
    );
    assert.equal(
      await k.ok(["rollout", "undo", "daemonset/node-agent", "-n", KS]),
      "daemonset.apps/node-agent rolled back\n",
    );
    await rolloutStatus(k, KS, "node-agent");
    const pods = await waitForDaemonSet(k, KS, "node-agent", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["example/node-agent:1.6"]));
  });
});
