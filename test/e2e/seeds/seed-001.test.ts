// Seed 001 ("Kubernetes DaemonSet", the production guide), walked through top to bottom with the real kubectl.
// The seed speaks of node-1, node-2, …: the cluster is `everynode up --nodes 1` (the tainted control plane) plus
// workers node-1, node-2 and node-3 added with `kubectl apply -f node.yaml` (three workers stand in for the
// seed's ten). Examples 1–3, `kubectl create daemonset`, update strategies, tolerations, affinity, the five
// troubleshooting issues, the best practices, the five real-world DaemonSets and the command cheat sheet.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import type { KubeObject } from "../../../src/api/object.js";
import { nodesWithoutAvailablePod } from "../../support/daemon-pods.js";
import type { Kubectl } from "../../support/kubectl.js";
import { type E2eCluster, startCluster } from "../support/cluster.js";
import { getJson } from "../support/get-json.js";
import { fixtureObject, fixturePath, type Manifest, toYaml } from "../support/manifests.js";
import { column, parseTable } from "../support/tables.js";
import { waitFor } from "../support/wait.js";
import {
  daemonPods,
  eventMessages,
  everynode,
  firstImage,
  isReady,
  nodeManifest,
  podsByNode,
  rolloutStatus,
  SETTLE_MS,
  waitForDaemonSet,
  waitForNodesReady,
  waitForPod,
} from "./walkthrough.js";

const WORKERS = ["node-1", "node-2", "node-3"];
const ALL = ["control-plane", ...WORKERS];
const KS = "kube-system";

/** The seed's automatic tolerations, as upstream adds them to every DaemonSet pod. */
const AUTO_TOLERATIONS = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];
const NETWORK_UNAVAILABLE = {
  key: "node.kubernetes.io/network-unavailable",
  operator: "Exists",
  effect: "NoSchedule",
};

/** A small DaemonSet in the style of the seed's snippets: one container, `app: <name>` labels. */
function daemonSet(
  name: string,
  ns: string,
  podSpec: Manifest,
  labels: Record<string, string> = {},
): Manifest {
  const selector = { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: selector },
      template: { metadata: { labels: { ...selector, ...labels } }, spec: podSpec },
    },
  };
}

const sameTolerations = (actual: Manifest[], expected: Manifest[]) =>
  assert.deepEqual(
    [...actual].map((t) => JSON.stringify(t, Object.keys(t).sort())).sort(),
    [...expected].map((t) => JSON.stringify(t, Object.keys(t).sort())).sort(),
  );

describe("seed 001: Kubernetes DaemonSet (production guide)", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const apply = (docs: Manifest[], ...args: string[]) =>
    k.ok(["apply", ...args, "-f", "-"], { stdin: toYaml(docs) });
  const podOn = async (ns: string, ds: string, node: string): Promise<string> =>
    podsByNode(await daemonPods(k, ns, ds))[node][0];

  before(async () => {
    cluster = await startCluster(["--nodes", "1"]);
    k = cluster.kubectl;
    await apply(WORKERS.map((name) => nodeManifest(name)));
    await waitForNodesReady(k, ALL);
  });
  after(() => cluster?.stop());

  it("how it works: kubectl apply, and the controller creates a pod on every node the DaemonSet tolerates", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-001-fluentd-logging.yaml")]),
      "daemonset.apps/fluentd-logging created\n",
    );
    // The control-plane toleration puts a pod on the control plane too.
    const pods = await waitForDaemonSet(k, KS, "fluentd-logging", ALL);
    assert.deepEqual(pods[0].spec.containers[0].resources, {
      limits: { cpu: "100m", memory: "200Mi" },
      requests: { cpu: "50m", memory: "100Mi" },
    });
    assert.equal(pods[0].spec.terminationGracePeriodSeconds, 30);
  });

  it("example 2: the monitoring agent runs only on nodes labelled node-role.kubernetes.io/worker=true", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-001-monitoring.yaml")]),
      "namespace/monitoring created\n" +
        "daemonset.apps/monitoring-agent created\n" +
        "daemonset.apps/gpu-monitor created\n" +
        "daemonset.apps/node-exporter created\n",
    );
    await waitForDaemonSet(k, "monitoring", "monitoring-agent", []);
    assert.equal(
      await k.ok(["label", "nodes", ...WORKERS, "node-role.kubernetes.io/worker=true"]),
      WORKERS.map((n) => `node/${n} labeled\n`).join(""),
    );
    await waitForDaemonSet(k, "monitoring", "monitoring-agent", WORKERS);
    // kubectl derives ROLES from node-role.kubernetes.io/<role> labels.
    const roles = parseTable(await k.ok(["get", "nodes"])).rows.map((r) => [r.NAME, r.ROLES]);
    assert.deepEqual(roles, [
      ["control-plane", "control-plane"],
      ["node-1", "worker"],
      ["node-2", "worker"],
      ["node-3", "worker"],
    ]);
    // The node exporter of the same file tolerates nothing: every worker, not the control plane.
    await waitForDaemonSet(k, "monitoring", "node-exporter", WORKERS);
  });

  it("example 3: the GPU monitor follows node affinity accelerator In [gpu] and needs a node with a GPU", async () => {
    await waitForDaemonSet(k, "monitoring", "gpu-monitor", []);
    // A labelled node without GPU capacity: the pod is created but cannot be scheduled.
    await k.ok(["label", "nodes", "node-3", "accelerator=gpu"]);
    const pending = await waitForPod(k, "monitoring", "app=gpu-monitor", "a Pending GPU pod", (p) => {
      return p.status?.phase === "Pending";
    });
    const failed = `involvedObject.name=${pending.metadata.name},reason=FailedScheduling`;
    await waitFor("FailedScheduling: Insufficient nvidia.com/gpu", async () =>
      (await eventMessages(k, "monitoring", failed)).some((m) =>
        /^0\/4 nodes are available: 1 Insufficient nvidia\.com\/gpu/.test(m),
      ),
    );
    assert.match(
      await k.ok(["describe", "pod", pending.metadata.name, "-n", "monitoring"]),
      /^Status:\s+Pending$/m,
    );

    // A GPU node joins (capacity from its manifest): it runs the GPU monitor, and like any new node it gets a pod
    // of every DaemonSet that tolerates it.
    const gpuNode = nodeManifest("gpu-1", {
      labels: { accelerator: "gpu" },
      capacity: { cpu: "8", memory: "32Gi", pods: "110", "nvidia.com/gpu": "1" },
    });
    assert.equal(await apply([gpuNode]), "node/gpu-1 created\n");
    await k.ok(["label", "nodes", "node-3", "accelerator-"]);
    const [pod] = await waitForDaemonSet(k, "monitoring", "gpu-monitor", ["gpu-1"]);
    assert.deepEqual(pod.spec.containers[0].resources.requests, { "nvidia.com/gpu": "1" });
    await waitForDaemonSet(k, KS, "fluentd-logging", [...ALL, "gpu-1"]);
  });

  it("automatic cleanup: when a node leaves, its DaemonSet pods go (pod GC, after upstream's 40 s quarantine)", async () => {
    assert.equal(await k.ok(["delete", "node", "gpu-1"]), 'node "gpu-1" deleted\n');
    // The DaemonSets stop counting the node at once; the pods bound to it are deleted by the pod garbage
    // collector, which (as upstream) waits until the node has been gone for 40 s and checks every 20 s.
    const gone = { timeoutMs: 90_000 };
    await waitForDaemonSet(k, "monitoring", "gpu-monitor", [], gone);
    await waitForDaemonSet(k, KS, "fluentd-logging", ALL, gone);
    await waitForDaemonSet(k, "monitoring", "node-exporter", WORKERS, gone);
  });

  it("kubectl create daemonset does not exist upstream; everynode create daemonset is the generator", async () => {
    // kubectl has no DaemonSet generator: the flag parser rejects --image before anything else. (kubectl 1.32
    // prints "error: …"; the version dispatcher some installations put on PATH capitalises it.)
    const r = await k.run([
      "create",
      "daemonset",
      "my-daemon",
      "--image=nginx",
      "--dry-run=client",
      "-o",
      "yaml",
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^[Ee]rror: unknown flag: --image\nSee 'kubectl create --help' for usage\.\n$/);
    // So the seed's pipeline hands kubectl apply nothing.
    const piped = await k.run(["apply", "-f", "-"], { stdin: r.stdout });
    assert.equal(piped.code, 1);
    assert.equal(piped.stderr, "error: no objects passed to apply\n");

    const generated = await everynode(["create", "daemonset", "my-daemon", "--image=nginx"]);
    assert.equal(generated.code, 0, generated.stderr);
    const manifest = parseYaml(generated.stdout);
    assert.equal(manifest.kind, "DaemonSet");
    assert.deepEqual(manifest.spec.selector, { matchLabels: { app: "my-daemon" } });
    assert.deepEqual(manifest.spec.template.spec.containers, [
      { image: "nginx", name: "nginx", resources: {} },
    ]);
    assert.equal(
      await k.ok(["apply", "-f", "-"], { stdin: generated.stdout }),
      "daemonset.apps/my-daemon created\n",
    );
    await waitForDaemonSet(k, "default", "my-daemon", WORKERS);
  });

  it("RollingUpdate (the default): set image replaces the pods, never more than maxUnavailable=1 down at once", async () => {
    const ds = await getJson(k, "ds", "fluentd-logging", "-n", KS);
    // The seed says DaemonSets do not use maxSurge; they do since Kubernetes 1.22 (see seed 003). Defaulted to 0.
    assert.deepEqual(ds.spec.updateStrategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    assert.equal(
      await k.ok(["set", "image", "daemonset/fluentd-logging", "fluentd=fluent/fluentd:v1.15", "-n", KS]),
      "daemonset.apps/fluentd-logging image updated\n",
    );
    let done = false;
    const status = rolloutStatus(k, KS, "fluentd-logging").finally(() => (done = true));
    let worst = 0;
    while (!done) {
      const pods = (await getJson(k, "pods", "-n", KS, "-l", "name=fluentd-elasticsearch")).items;
      worst = Math.max(worst, nodesWithoutAvailablePod(pods as KubeObject[], ds as KubeObject, ALL).length);
    }
    assert.match(await status, /daemon set "fluentd-logging" successfully rolled out\n$/);
    assert.ok(worst <= 1, `${worst} nodes were without an available pod at once`);
    const pods = await waitForDaemonSet(k, KS, "fluentd-logging", ALL);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["fluent/fluentd:v1.15"]));
  });

  it("OnDelete: a template change waits until pods are deleted by hand", async () => {
    const onDelete = fixtureObject("seed-001-fluentd-logging.yaml", "DaemonSet");
    onDelete.spec.updateStrategy = { type: "OnDelete" };
    onDelete.spec.template.spec.containers[0].image = "fluent/fluentd:v1.15";
    assert.equal(await apply([onDelete]), "daemonset.apps/fluentd-logging configured\n");
    assert.deepEqual((await getJson(k, "ds", "fluentd-logging", "-n", KS)).spec.updateStrategy, {
      type: "OnDelete",
    });

    await k.ok(["set", "image", "daemonset/fluentd-logging", "fluentd=fluent/fluentd:v1.16", "-n", KS]);
    await waitFor("the status to count no up-to-date pod", async () => {
      const ds = await getJson(k, "ds", "fluentd-logging", "-n", KS);
      return (
        ds.status.observedGeneration === ds.metadata.generation &&
        (ds.status.updatedNumberScheduled ?? 0) === 0
      );
    });
    const stale = await daemonPods(k, KS, "fluentd-logging");
    assert.deepEqual(
      new Set(stale.map(firstImage)),
      new Set(["fluent/fluentd:v1.15"]),
      "old pods keep running",
    );
    const r = await k.run(["rollout", "status", "daemonset/fluentd-logging", "-n", KS]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: rollout status is only available for RollingUpdate strategy type\n");

    const victim = await podOn(KS, "fluentd-logging", "node-1");
    assert.equal(await k.ok(["delete", "pod", victim, "-n", KS]), `pod "${victim}" deleted\n`);
    const replacement = await waitForPod(
      k,
      KS,
      "name=fluentd-elasticsearch",
      "a replacement on node-1",
      (p) => p.spec.nodeName === "node-1" && p.metadata.name !== victim && isReady(p),
    );
    assert.equal(firstImage(replacement), "fluent/fluentd:v1.16");
    const images = Object.fromEntries(
      (await daemonPods(k, KS, "fluentd-logging")).map((p) => [p.spec.nodeName, firstImage(p)]),
    );
    assert.deepEqual(images, {
      "control-plane": "fluent/fluentd:v1.15",
      "node-1": "fluent/fluentd:v1.16",
      "node-2": "fluent/fluentd:v1.15",
      "node-3": "fluent/fluentd:v1.15",
    });
  });

  it("automatic tolerations: every DaemonSet pod gets them; network-unavailable only with hostNetwork", async () => {
    // The seed lists network-unavailable among the automatic tolerations; upstream adds it to host-network pods only.
    const [fluentd] = await daemonPods(k, KS, "fluentd-logging");
    const own = fixtureObject("seed-001-fluentd-logging.yaml", "DaemonSet").spec.template.spec.tolerations;
    sameTolerations(fluentd.spec.tolerations, [...own, ...AUTO_TOLERATIONS]);
    const [exporter] = await daemonPods(k, "monitoring", "node-exporter");
    assert.equal(exporter.spec.hostNetwork, true);
    sameTolerations(exporter.spec.tolerations, [...AUTO_TOLERATIONS, NETWORK_UNAVAILABLE]);
  });

  it("taint node-1 dedicated=logging:NoSchedule: an intolerant DaemonSet keeps its pod there but places no new one", async () => {
    assert.equal(
      await k.ok(["taint", "nodes", "node-1", "dedicated=logging:NoSchedule"]),
      "node/node-1 tainted\n",
    );
    // NoSchedule does not evict: the running pod stays and is counted as misscheduled.
    const kept = await podOn("default", "my-daemon", "node-1");
    await waitForDaemonSet(k, "default", "my-daemon", ["node-2", "node-3"], {
      misscheduled: 1,
      alsoOn: ["node-1"],
    });
    assert.match(await k.ok(["describe", "ds", "my-daemon"]), /^Number of Nodes Misscheduled: 1$/m);
    await k.ok(["delete", "pod", kept]);
    await waitForDaemonSet(k, "default", "my-daemon", ["node-2", "node-3"]);
  });

  it("custom tolerations belong in the pod template, and a toleration allows a node without restricting to it", async () => {
    const tolerations = [
      {
        key: "node.kubernetes.io/not-ready",
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: 600,
      },
      { key: "dedicated", operator: "Equal", value: "logging", effect: "NoSchedule" },
    ];
    const agent = daemonSet("log-forwarder", "default", {
      containers: [{ name: "forwarder", image: "fluent/fluent-bit:2.2" }],
    });
    // The seed's "add toleration to DaemonSet" snippet puts tolerations under the DaemonSet's spec: unknown there.
    const misplaced = structuredClone(agent);
    misplaced.spec.tolerations = tolerations;
    const refused = await k.run(["apply", "-f", "-"], { stdin: toYaml([misplaced]) });
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      'Error from server (BadRequest): error when creating "STDIN": DaemonSet in version "v1" cannot be handled as a ' +
        'DaemonSet: strict decoding error: unknown field "spec.tolerations"\n',
    );

    agent.spec.template.spec.tolerations = tolerations;
    assert.equal(await apply([agent]), "daemonset.apps/log-forwarder created\n");
    // The seed says the toleration makes it run only on the tainted node; upstream runs it on every node it
    // tolerates: node-1 and the untainted workers.
    const pods = await waitForDaemonSet(k, "default", "log-forwarder", WORKERS);
    // Like upstream, the controller's own not-ready toleration (no tolerationSeconds) replaces the seed's 600 s.
    const notReady = pods[0].spec.tolerations.filter(
      (t: Manifest) => t.key === "node.kubernetes.io/not-ready",
    );
    assert.deepEqual(notReady, [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    ]);
    await k.ok(["delete", "ds", "log-forwarder"]);
  });

  it("node selectors and affinity: required kubernetes.io/os In [linux], preferred node-type worker", async () => {
    const agent = daemonSet("linux-agent", "default", {
      nodeSelector: { "kubernetes.io/os": "linux" },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              preference: { matchExpressions: [{ key: "node-type", operator: "In", values: ["worker"] }] },
            },
          ],
        },
      },
      containers: [{ name: "agent", image: "busybox:1.36", command: ["sleep", "infinity"] }],
    });
    assert.equal(await apply([agent]), "daemonset.apps/linux-agent created\n");
    // A preference never excludes a node. node-1 is still tainted dedicated=logging:NoSchedule.
    await waitForDaemonSet(k, "default", "linux-agent", ["node-2", "node-3"]);
    await k.ok(["delete", "ds", "linux-agent"]);
  });

  it("troubleshooting 1: get, describe, -o yaml and -w show the DaemonSet", async () => {
    const inNs = parseTable(await k.ok(["get", "daemonset", "-n", KS]));
    assert.deepEqual(column(inNs, "NAME"), ["fluentd-logging"]);
    const everywhere = parseTable(await k.ok(["get", "daemonset", "-A"]));
    assert.deepEqual(
      everywhere.rows.map((r) => `${r.NAMESPACE}/${r.NAME}`),
      [
        "default/my-daemon",
        "kube-system/fluentd-logging",
        "monitoring/gpu-monitor",
        "monitoring/monitoring-agent",
        "monitoring/node-exporter",
      ],
    );
    const described = await k.ok(["describe", "daemonset", "fluentd-logging", "-n", KS]);
    assert.match(described, /^Name:\s+fluentd-logging$/m);
    assert.match(described, /^Labels:\s+k8s-app=fluentd-logging$/m);
    // node-1 is still tainted dedicated=logging:NoSchedule: its fluentd pod stays but counts as misscheduled.
    assert.match(described, /^Desired Number of Nodes Scheduled: 3$/m);
    assert.match(described, /^Number of Nodes Misscheduled: 1$/m);
    assert.match(described, /^Pods Status:\s+4 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    const yaml = parseYaml(await k.ok(["get", "daemonset", "fluentd-logging", "-n", KS, "-o", "yaml"]));
    assert.equal(yaml.kind, "DaemonSet");
    assert.equal(yaml.status.desiredNumberScheduled, 3);

    const watch = k.start(["get", "daemonset", "-n", KS, "-w"]);
    await k.ok(["label", "ds", "fluentd-logging", "-n", KS, "watched=yes"]);
    await waitFor("the watch to print the DaemonSet", () =>
      /^fluentd-logging\s+3\s+3\s+3/m.test(watch.output()),
    );
    assert.match(await watch.stop(), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE/);
  });

  it("troubleshooting 2: the DaemonSet's pods — get -o wide, describe, logs, logs -f, --tail, logs -p, events", async () => {
    const table = parseTable(
      await k.ok(["get", "pods", "-l", "name=fluentd-elasticsearch", "-n", KS, "-o", "wide"]),
    );
    assert.deepEqual([...column(table, "NODE")].sort(), ALL);
    const pod = await podOn(KS, "fluentd-logging", "node-2");
    const described = await k.ok(["describe", "pod", pod, "-n", KS]);
    assert.match(described, /^Controlled By:\s+DaemonSet\/fluentd-logging$/m);
    assert.match(described, /^Node:\s+node-2\/\d+\.\d+\.\d+\.\d+$/m);
    assert.match(described, /Successfully assigned kube-system\/\S+ to node-2/);

    const logs = await k.ok(["logs", pod, "-n", KS]);
    assert.match(logs, /fluentd worker is now running/);
    const follow = k.start(["logs", "-f", pod, "-n", KS]);
    await waitFor("logs -f to stream the pod's lines", () =>
      follow.output().includes("fluentd worker is now running"),
    );
    await follow.stop();
    const tail = await k.ok(["logs", pod, "-n", KS, "--tail=2"]);
    assert.deepEqual(tail.trimEnd().split("\n"), logs.trimEnd().split("\n").slice(-2));
    const previous = await k.run(["logs", "-p", pod, "-n", KS]);
    assert.equal(previous.code, 1);
    assert.equal(
      previous.stderr,
      `Error from server (BadRequest): previous terminated container "fluentd" in pod "${pod}" not found\n`,
    );

    const events = parseTable(await k.ok(["get", "events", "-n", KS, "--sort-by=.lastTimestamp"]));
    assert.deepEqual(events.header, ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    assert.ok(
      events.rows.some((r) => r.REASON === "SuccessfulCreate" && r.OBJECT === "daemonset/fluentd-logging"),
    );
  });

  it("issue 1, pod not running on some nodes: taints in describe node, cordon shows in get nodes; untaint fixes it", async () => {
    const described = await k.ok(["describe", "node", "node-1"]);
    assert.match(described, /^Taints:\s+dedicated=logging:NoSchedule$/m);
    await k.ok(["cordon", "node-2"]);
    const nodes = parseTable(await k.ok(["get", "nodes", "-o", "wide"]));
    assert.equal(nodes.rows.find((r) => r.NAME === "node-2")!.STATUS, "Ready,SchedulingDisabled");
    assert.equal(await k.ok(["uncordon", "node-2"]), "node/node-2 uncordoned\n");
    assert.equal(
      await k.ok(["taint", "nodes", "node-1", "dedicated=logging:NoSchedule-"]),
      "node/node-1 untainted\n",
    );
    await waitForDaemonSet(k, "default", "my-daemon", WORKERS);
  });

  it("issue 2: an image that cannot be pulled stalls the rollout; set image to a good one fixes it", async () => {
    await k.ok(["set", "image", "daemonset/my-daemon", "nginx=nginx:non-existent"]);
    const broken = await waitForPod(k, "default", "app=my-daemon", "a pod failing to pull", (p) =>
      ["ErrImagePull", "ImagePullBackOff"].includes(p.status?.containerStatuses?.[0]?.state?.waiting?.reason),
    );
    assert.match(
      await k.ok(["describe", "pod", broken.metadata.name]),
      /Failed to pull image "nginx:non-existent"/,
    );
    // maxUnavailable 1: the rollout stops at the first broken pod.
    const stuck = await k.run(["rollout", "status", "daemonset/my-daemon", "--timeout=2s"]);
    assert.equal(stuck.code, 1);
    assert.equal(stuck.stderr, "error: timed out waiting for the condition\n");
    assert.match(stuck.stdout, /^Waiting for daemon set "my-daemon" rollout to finish: /m);

    assert.equal(
      await k.ok(["set", "image", "daemonset/my-daemon", "nginx=nginx:1.27"]),
      "daemonset.apps/my-daemon image updated\n",
    );
    await rolloutStatus(k, "default", "my-daemon");
    const pods = await waitForDaemonSet(k, "default", "my-daemon", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["nginx:1.27"]));
  });

  it("issue 2: a crash-looping container (sim.everynode.dev/crash) — CrashLoopBackOff, logs -p, describe, undo", async () => {
    await k.ok([
      "patch",
      "ds",
      "my-daemon",
      "-p",
      '{"spec":{"template":{"metadata":{"annotations":{"sim.everynode.dev/crash":"true"}}}}}',
    ]);
    const crashing = await waitForPod(
      k,
      "default",
      "app=my-daemon",
      "a pod in CrashLoopBackOff after a restart",
      (p) =>
        p.status?.containerStatuses?.[0]?.restartCount >= 1 &&
        p.status.containerStatuses[0].state?.waiting?.reason === "CrashLoopBackOff",
    );
    const name = crashing.metadata.name;
    const table = parseTable(await k.ok(["get", "pod", name]));
    assert.equal(table.rows[0].STATUS, "CrashLoopBackOff");
    assert.equal(table.rows[0].READY, "0/1");
    const previous = await k.run(["logs", "-p", name]);
    assert.equal(previous.code, 0, previous.stderr);
    assert.notEqual(previous.stdout, "", "the previous container's output");
    const described = await k.ok(["describe", "pod", name]);
    assert.match(described, /^\s+Last State:\s+Terminated$/m);
    assert.match(described, /Back-off restarting failed container nginx in pod/);

    assert.equal(
      await k.ok(["rollout", "undo", "daemonset/my-daemon"]),
      "daemonset.apps/my-daemon rolled back\n",
    );
    await rolloutStatus(k, "default", "my-daemon");
    const pods = await waitForDaemonSet(k, "default", "my-daemon", WORKERS);
    assert.ok(pods.every((p) => !p.metadata.annotations?.["sim.everynode.dev/crash"]));
  });

  it("issue 2: raise a memory limit with a JSON patch", async () => {
    const patch =
      '[{"op": "replace", "path": "/spec/template/spec/containers/0/resources/limits/memory", "value":"500Mi"}]';
    assert.equal(
      await k.ok(["patch", "daemonset", "fluentd-logging", "-n", KS, "--type=json", "-p", patch]),
      "daemonset.apps/fluentd-logging patched\n",
    );
    const ds = await getJson(k, "ds", "fluentd-logging", "-n", KS);
    assert.equal(ds.spec.template.spec.containers[0].resources.limits.memory, "500Mi");
  });

  it("issue 3, insufficient resources: describe node shows each pod's share, top shows usage", async () => {
    // Back to RollingUpdate so that every fluentd pod carries the 500Mi limit.
    await k.ok([
      "patch",
      "ds",
      "fluentd-logging",
      "-n",
      KS,
      "--type=merge",
      "-p",
      '{"spec":{"updateStrategy":{"type":"RollingUpdate"}}}',
    ]);
    await rolloutStatus(k, KS, "fluentd-logging");
    const pod = await podOn(KS, "fluentd-logging", "node-1");
    const node = await k.ok(["describe", "node", "node-1"]);
    assert.match(node, /^Allocated resources:$/m);
    // Namespace, name, CPU requests and limits, memory requests and limits, age (4 CPUs and 8Gi per node).
    assert.match(
      node,
      new RegExp(
        `^\\s+kube-system\\s+${pod}\\s+50m \\(1%\\)\\s+100m \\(2%\\)\\s+100Mi \\(1%\\)\\s+500Mi \\(6%\\)\\s`,
        "m",
      ),
    );
    const top = parseTable(await k.ok(["top", "pod", pod, "-n", KS]));
    assert.deepEqual(top.header, ["NAME", "CPU(cores)", "MEMORY(bytes)"]);
    assert.match(top.rows[0]["CPU(cores)"], /^\d+m$/);
    const topNode = parseTable(await k.ok(["top", "node", "node-1"]));
    assert.deepEqual(column(topNode, "NAME"), ["node-1"]);
  });

  it("issue 4: under memory pressure DaemonSet pods stay and are still placed (they tolerate the taint)", async () => {
    await k.ok(["annotate", "node", "node-2", "sim.everynode.dev/conditions=MemoryPressure"]);
    await waitFor("the memory-pressure taint on node-2", async () =>
      ((await getJson(k, "node", "node-2")).spec.taints ?? []).some(
        (t: Manifest) => t.key === "node.kubernetes.io/memory-pressure" && t.effect === "NoSchedule",
      ),
    );
    const victim = await podOn("default", "my-daemon", "node-2");
    await k.ok(["delete", "pod", victim]);
    const pods = await waitForDaemonSet(k, "default", "my-daemon", WORKERS);
    assert.notEqual(podsByNode(pods)["node-2"][0], victim);
    // Nothing was evicted, so the seed's `grep Evicted` clean-up finds nothing.
    assert.doesNotMatch(await k.ok(["get", "pods", "-A"]), /Evicted/);
    await k.ok(["annotate", "node", "node-2", "sim.everynode.dev/conditions-"]);
    await waitFor(
      "node-2 without the taint",
      async () => ((await getJson(k, "node", "node-2")).spec.taints ?? []).length === 0,
    );
  });

  it("issue 5, update not progressing: strategy in -o yaml, rollout status, history, undo, a larger maxUnavailable", async () => {
    const yaml = await k.ok(["get", "daemonset", "my-daemon", "-o", "yaml"]);
    assert.match(
      yaml,
      /^ {2}updateStrategy:\n {4}rollingUpdate:\n {6}maxSurge: 0\n {6}maxUnavailable: 1\n {4}type: RollingUpdate$/m,
    );
    assert.match(await rolloutStatus(k, "default", "my-daemon"), /successfully rolled out/);

    await k.ok(["set", "image", "daemonset/my-daemon", "nginx=nginx:1.27.1"]);
    await rolloutStatus(k, "default", "my-daemon");
    const history = parseTable(
      (await k.ok(["rollout", "history", "daemonset/my-daemon"])).replace(/^.*\n/, ""),
    );
    assert.deepEqual(history.header, ["REVISION", "CHANGE-CAUSE"]);
    const revisions = column(history, "REVISION").map(Number);
    const latest = Math.max(...revisions);
    assert.match(
      await k.ok(["rollout", "history", "daemonset/my-daemon", `--revision=${latest}`]),
      /^\s+Image:\s+nginx:1\.27\.1$/m,
    );

    assert.equal(
      await k.ok(["rollout", "undo", "daemonset/my-daemon"]),
      "daemonset.apps/my-daemon rolled back\n",
    );
    await rolloutStatus(k, "default", "my-daemon");
    const pods = await waitForDaemonSet(k, "default", "my-daemon", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["nginx:1.27"]));

    const patch =
      '[{"op": "replace", "path": "/spec/updateStrategy/rollingUpdate/maxUnavailable", "value":2}]';
    assert.equal(
      await k.ok(["patch", "daemonset", "my-daemon", "--type=json", "-p", patch]),
      "daemonset.apps/my-daemon patched\n",
    );
    assert.equal((await getJson(k, "ds", "my-daemon")).spec.updateStrategy.rollingUpdate.maxUnavailable, 2);
  });

  it("best practices 1–3: resources, probes that hold readiness back, and a preStop hook that delays termination", async () => {
    const agent = daemonSet("app-agent", "default", {
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: "app",
          image: "nginx:1.27",
          resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "200Mi" } },
          livenessProbe: {
            httpGet: { path: "/health", port: 8080 },
            initialDelaySeconds: 10,
            periodSeconds: 30,
          },
          readinessProbe: {
            httpGet: { path: "/ready", port: 8080 },
            initialDelaySeconds: 5,
            periodSeconds: 10,
          },
          lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", "sleep 15"] } } },
        },
      ],
    });
    assert.equal(await apply([agent]), "daemonset.apps/app-agent created\n");
    // The readiness probe (5 s initial delay, 10 s period) first counts at its tick 10 s after a pod's
    // admission: until then the pods run unready and the DaemonSet counts none ready.
    const unready = await waitFor("app-agent pods Running", async () => {
      const rows = parseTable(await k.ok(["get", "pods", "-l", "app=app-agent"])).rows;
      return rows.length === WORKERS.length && rows.every((r) => r.STATUS === "Running") && rows;
    });
    assert.deepEqual(
      unready.map((r) => r.READY),
      WORKERS.map(() => "0/1"),
    );
    assert.equal((await getJson(k, "ds", "app-agent")).status.numberReady ?? 0, 0);
    await waitForDaemonSet(k, "default", "app-agent", WORKERS);
    const victim = await podOn("default", "app-agent", "node-3");
    const deletedAt = Date.now();
    await k.ok(["delete", "pod", victim, "--wait=false"]);
    // The preStop sleep holds the pod in Terminating for about 15 s (within the 30 s grace period).
    await new Promise((r) => setTimeout(r, 2000));
    const table = parseTable(await k.ok(["get", "pod", victim]));
    assert.equal(table.rows[0].STATUS, "Terminating");
    await k.ok(["wait", "--for=delete", `pod/${victim}`, "--timeout=40s"]);
    const waited = (Date.now() - deletedAt) / 1000;
    // Not before the preStop sleep is over (the --timeout above bounds the other side).
    assert.ok(waited >= 14, `terminated after ${waited} s`);
    await waitForDaemonSet(k, "default", "app-agent", WORKERS);
    await k.ok(["delete", "ds", "app-agent"]);
  });

  it("best practice 4: a PodMonitor needs the Prometheus operator's CRD, which this cluster does not have", async () => {
    const podMonitor = {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "daemonset-metrics" },
      spec: {
        selector: { matchLabels: { monitoring: "true" } },
        podMetricsEndpoints: [{ port: "metrics", interval: "30s" }],
      },
    };
    const r = await k.run(["apply", "-f", "-"], { stdin: toYaml([podMonitor]) });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: resource mapping not found for name: "daemonset-metrics" namespace: "" from "STDIN": ' +
        'no matches for kind "PodMonitor" in version "monitoring.coreos.com/v1"\nensure CRDs are installed first\n',
    );
  });

  it("best practice 5: a pod template naming a missing service account is refused until the account exists", {}, async () => {
    const secured = daemonSet("secured-agent", "default", {
      serviceAccountName: "daemonset-sa",
      securityContext: { runAsNonRoot: true, runAsUser: 1000 },
      containers: [
        {
          name: "app",
          image: "nginx:1.27",
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          },
          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
        },
      ],
      volumes: [{ name: "tmp", emptyDir: {} }],
    });
    try {
      assert.equal(await apply([secured]), "daemonset.apps/secured-agent created\n");
      const missing =
        'Error creating: pods "secured-agent-" is forbidden: error looking up service account ' +
        'default/daemonset-sa: serviceaccount "daemonset-sa" not found';
      await waitFor("a FailedCreate event for the missing service account", async () =>
        (await eventMessages(k, "default", "involvedObject.name=secured-agent,reason=FailedCreate")).includes(
          missing,
        ),
      );
      assert.equal((await daemonPods(k, "default", "secured-agent")).length, 0);
      assert.equal(
        await k.ok(["create", "serviceaccount", "daemonset-sa"]),
        "serviceaccount/daemonset-sa created\n",
      );
      const pods = await waitForDaemonSet(k, "default", "secured-agent", WORKERS, { timeoutMs: 60_000 });
      assert.equal(pods[0].spec.serviceAccountName, "daemonset-sa");
    } finally {
      await k.run(["delete", "ds", "secured-agent", "--ignore-not-found"]);
    }
  });

  it("best practice 6: GitOps — kubectl apply -k overlays/production/", async () => {
    const repo = mkdtempSync(join(tmpdir(), "everynode-gitops-"));
    try {
      const overlay = join(repo, "overlays", "production");
      mkdirSync(overlay, { recursive: true });
      writeFileSync(
        join(overlay, "kustomization.yaml"),
        "namespace: kube-system\nlabels:\n  - pairs:\n      env: production\nresources:\n  - daemonset.yaml\n",
      );
      const ds = daemonSet("gitops-agent", "default", {
        containers: [{ name: "fluentd", image: "fluent/fluentd:v1.15" }],
      });
      delete ds.metadata.namespace;
      writeFileSync(join(overlay, "daemonset.yaml"), toYaml([ds]));
      assert.equal(await k.ok(["apply", "-k", overlay]), "daemonset.apps/gitops-agent created\n");
      const stored = await getJson(k, "ds", "gitops-agent", "-n", KS);
      assert.equal(stored.metadata.labels.env, "production");
      await waitForDaemonSet(k, KS, "gitops-agent", WORKERS);
      await k.ok(["delete", "-k", overlay]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it("best practice 7: one manifest without a namespace, applied into kube-system, monitoring and security", async () => {
    await k.ok(["create", "namespace", "security"]);
    const ds = daemonSet("node-scanner", "default", {
      containers: [{ name: "scan", image: "busybox:1.36" }],
    });
    delete ds.metadata.namespace;
    for (const ns of [KS, "monitoring", "security"]) {
      assert.equal(await apply([ds], "-n", ns), "daemonset.apps/node-scanner created\n");
      await waitForDaemonSet(k, ns, "node-scanner", WORKERS);
      await k.ok(["delete", "ds", "node-scanner", "-n", ns]);
    }
    // A manifest that names its namespace cannot be applied into another one.
    const pinned = { ...ds, metadata: { ...ds.metadata, namespace: "monitoring" } };
    const r = await k.run(["apply", "-n", KS, "-f", "-"], { stdin: toYaml([pinned]) });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: the namespace from the provided object "monitoring" does not match the namespace "kube-system". ' +
        "You must pass '--namespace=monitoring' to perform this operation.\n",
    );
  });

  it("best practice 8: test on a labelled node first, then remove the nodeSelector to roll out everywhere", async () => {
    assert.equal(await k.ok(["label", "node", "node-2", "test-daemonset=true"]), "node/node-2 labeled\n");
    const canary = daemonSet("canary-agent", "default", {
      nodeSelector: { "test-daemonset": "true" },
      containers: [{ name: "agent", image: "busybox:1.36" }],
    });
    await apply([canary]);
    await waitForDaemonSet(k, "default", "canary-agent", ["node-2"]);
    assert.equal(
      await k.ok([
        "patch",
        "daemonset",
        "canary-agent",
        "--type",
        "json",
        '-p=[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]',
      ]),
      "daemonset.apps/canary-agent patched\n",
    );
    await waitForDaemonSet(k, "default", "canary-agent", WORKERS);
    await k.ok(["delete", "ds", "canary-agent"]);
  });

  it("use case 1: Fluentd to Elasticsearch — the master toleration no longer matches the control plane's taint", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-001-fluentd-elasticsearch.yaml")]),
      "daemonset.apps/fluentd-elasticsearch created\n",
    );
    // Control planes are tainted node-role.kubernetes.io/control-plane since Kubernetes 1.25; the seed's
    // node-role.kubernetes.io/master toleration does not cover it, so only the workers run the shipper.
    await waitForDaemonSet(k, KS, "fluentd-elasticsearch", WORKERS);
    assert.equal(
      await k.ok(["set", "env", "daemonset/fluentd-elasticsearch", "--list", "-n", KS]),
      "# DaemonSet fluentd-elasticsearch, container fluentd\n" +
        "FLUENT_ELASTICSEARCH_HOST=elasticsearch.logging.svc.cluster.local\n" +
        "FLUENT_ELASTICSEARCH_PORT=9200\n" +
        "FLUENT_ELASTICSEARCH_SCHEME=http\n",
    );
  });

  it("use case 2: node exporter on the host network, host PID namespace and host port 9100", async () => {
    const pods = await waitForDaemonSet(k, "monitoring", "node-exporter", WORKERS);
    for (const pod of pods) {
      assert.equal(pod.spec.hostNetwork, true);
      assert.equal(pod.spec.hostPID, true);
      assert.deepEqual(pod.spec.containers[0].ports, [
        { containerPort: 9100, hostPort: 9100, protocol: "TCP" },
      ]);
      assert.deepEqual(pod.metadata.annotations, {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9100",
      });
      // On the host network the pod's IP is its node's.
      assert.equal(pod.status.podIP, pod.status.hostIP);
    }
  });

  it("use case 2: the exporter answers on localhost:9100/metrics inside the pod", async () => {
    const pod = await podOn("monitoring", "node-exporter", "node-1");
    const metrics = await k.ok([
      "exec",
      pod,
      "-n",
      "monitoring",
      "--",
      "wget",
      "-q",
      "-O-",
      "http://localhost:9100/metrics",
    ]);
    assert.match(metrics, /^# HELP node_cpu_seconds_total /m);
    // With hostNetwork the container sees the node's hostname.
    assert.equal(await k.ok(["exec", pod, "-n", "monitoring", "--", "hostname"]), "node-1\n");
  });

  it("use case 3: kube-bench as the seed writes it is invalid (restartPolicy OnFailure); with Always it runs", async () => {
    // The seed's manifest also declares the security namespace, created above.
    const bench = fixtureObject("seed-001-kube-bench.yaml", "DaemonSet");
    const r = await k.run(["apply", "-f", "-"], { stdin: toYaml([bench]) });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'The DaemonSet "kube-bench-scanner" is invalid: spec.template.spec.restartPolicy: Unsupported value: ' +
        '"OnFailure": supported values: "Always"\n',
    );
    delete bench.spec.template.spec.restartPolicy;
    assert.equal(await apply([bench]), "daemonset.apps/kube-bench-scanner created\n");
    const pods = await waitForDaemonSet(k, "security", "kube-bench-scanner", WORKERS);
    assert.equal(pods[0].spec.restartPolicy, "Always");
    assert.equal(pods[0].spec.containers[0].securityContext.privileged, true);
  });

  it("use case 4: calico-node gets system-node-critical priority and the host network", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-001-calico-node.yaml")]),
      "namespace/calico-system created\ndaemonset.apps/calico-node created\n",
    );
    const pods = await waitForDaemonSet(k, "calico-system", "calico-node", WORKERS);
    for (const pod of pods) {
      assert.equal(pod.spec.priorityClassName, "system-node-critical");
      assert.equal(pod.spec.priority, 2000001000);
      assert.equal(pod.status.podIP, pod.status.hostIP);
    }
  });

  it("use case 4: NODENAME comes from the downward API", async () => {
    const pod = await podOn("calico-system", "calico-node", "node-2");
    const env = await k.ok(["exec", pod, "-n", "calico-system", "--", "env"]);
    assert.match(env, /^NODENAME=node-2$/m);
    assert.match(env, /^DATASTORE_TYPE=kubernetes$/m);
  });

  it("use case 5: the disk clean-up loop prints its first iteration right away", {}, async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-001-disk-cleanup.yaml")]),
      "daemonset.apps/disk-cleanup created\n",
    );
    await waitForDaemonSet(k, KS, "disk-cleanup", WORKERS);
    const pod = await podOn(KS, "disk-cleanup", "node-1");
    await waitFor(
      "the clean-up loop's first lines",
      async () => {
        const logs = await k.ok(["logs", pod, "-n", KS]);
        return logs.startsWith("Cleaning up old images...\nCleaning up orphaned volumes...\n");
      },
      { timeoutMs: 5000 },
    );
  });

  it("cheat sheet: get in every form, watch pods, edit, strategic patch, set image, rollout, events, top, status", async () => {
    assert.deepEqual(column(parseTable(await k.ok(["get", "daemonset"])), "NAME"), ["my-daemon"]);
    const wide = parseTable(await k.ok(["get", "daemonset", "my-daemon", "-o", "wide"]));
    assert.deepEqual(
      [wide.rows[0].CONTAINERS, wide.rows[0].IMAGES, wide.rows[0].SELECTOR],
      ["nginx", "nginx:1.27", "app=my-daemon"],
    );
    assert.match(await k.ok(["describe", "daemonset", "my-daemon"]), /^Name:\s+my-daemon$/m);

    const watch = k.start(["get", "pods", "-l", "app=my-daemon", "-w"]);
    await waitFor(
      "the pod watch to list the pods",
      () => (watch.output().match(/^my-daemon-/gm) ?? []).length >= 3,
    );
    await watch.stop();

    const editor = `${process.execPath} ${fixturePath("editor-replace.mjs")}`;
    const edited = await k.run(["edit", "daemonset", "my-daemon"], {
      env: { EDITOR: editor, EDIT_FIND: "image: nginx:1.27", EDIT_REPLACE: "image: nginx:1.27.2" },
    });
    assert.equal(edited.stdout, "daemonset.apps/my-daemon edited\n", edited.stderr);
    assert.equal(
      await k.ok([
        "patch",
        "daemonset",
        "my-daemon",
        "-p",
        '{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"}}}}}',
      ]),
      "daemonset.apps/my-daemon patched\n",
    );
    assert.equal(
      await k.ok(["set", "image", "daemonset/my-daemon", "nginx=nginx:1.27.3"]),
      "daemonset.apps/my-daemon image updated\n",
    );
    await rolloutStatus(k, "default", "my-daemon");
    assert.match(await k.ok(["rollout", "history", "daemonset/my-daemon"]), /^REVISION\s+CHANGE-CAUSE$/m);
    assert.equal(
      await k.ok(["rollout", "undo", "daemonset/my-daemon"]),
      "daemonset.apps/my-daemon rolled back\n",
    );
    await rolloutStatus(k, "default", "my-daemon");
    const pods = await waitForDaemonSet(k, "default", "my-daemon", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["nginx:1.27.2"]));

    const listed = parseTable(await k.ok(["get", "pods", "-l", "app=my-daemon", "-o", "wide"]));
    assert.deepEqual([...column(listed, "NODE")].sort(), WORKERS);
    const pod = listed.rows[0].NAME;
    assert.match(await k.ok(["describe", "pod", pod]), /^Controlled By:\s+DaemonSet\/my-daemon$/m);
    assert.match(await k.ok(["logs", pod]), /nginx/);

    const events = await k.ok(["get", "events", "-n", "default", "--sort-by=.lastTimestamp"]);
    assert.match(events, /daemonset\/my-daemon\s+Created pod: my-daemon-/);
    assert.deepEqual(column(parseTable(await k.ok(["top", "node"])), "NAME"), ALL);
    await waitFor("top pod to see every my-daemon pod", async () => {
      const r = await k.run(["top", "pod", "-l", "app=my-daemon"]);
      return r.code === 0 && parseTable(r.stdout).rows.length === 3;
    });
    const status = (await getJson(k, "daemonset", "my-daemon")).status;
    assert.deepEqual(
      [
        status.desiredNumberScheduled,
        status.currentNumberScheduled,
        status.numberReady,
        status.numberMisscheduled,
      ],
      [3, 3, 3, 0],
    );
  });

  it("cheat sheet: exec into a DaemonSet pod", async () => {
    const [pod] = await daemonPods(k, "default", "my-daemon");
    // `kubectl exec -it … -- /bin/sh` without a terminal: the shell reads its commands from stdin.
    const out = await k.ok(["exec", "-i", pod.metadata.name, "--", "/bin/sh"], { stdin: "hostname\nexit\n" });
    assert.equal(out, `${pod.metadata.name}\n`);
  });

  it("cheat sheet: delete --cascade=orphan leaves the pods running without an owner; delete removes a DaemonSet's pods", async () => {
    const before = (await daemonPods(k, "default", "my-daemon")).map((p) => p.metadata.name).sort();
    assert.equal(
      await k.ok(["delete", "daemonset", "my-daemon", "--cascade=orphan"]),
      'daemonset.apps "my-daemon" deleted\n',
    );
    await waitFor("the orphaned pods to lose their owner", async () => {
      const pods = (await getJson(k, "pods", "-l", "app=my-daemon")).items as Manifest[];
      return (
        pods.length === 3 &&
        pods.every((p) => !p.metadata.ownerReferences?.length && !p.metadata.deletionTimestamp) &&
        JSON.stringify(pods.map((p) => p.metadata.name).sort()) === JSON.stringify(before)
      );
    });
    await k.ok(["delete", "pods", "-l", "app=my-daemon"]);

    assert.equal(
      await k.ok(["delete", "daemonset", "fluentd-logging", "-n", KS]),
      'daemonset.apps "fluentd-logging" deleted\n',
    );
    await waitFor(
      "fluentd-logging's pods to go",
      async () =>
        ((await getJson(k, "pods", "-n", KS, "-l", "name=fluentd-elasticsearch")).items as Manifest[])
          .length === 0,
      { timeoutMs: SETTLE_MS },
    );
  });
});
