// End-to-end: `kubectl describe` of a DaemonSet, its Pod, a Node and a Namespace against `everynode up`, with
// upstream's sections and Events tables, and how a later NoSchedule taint shows up (the pod stays, counted as
// misscheduled) while cordoning changes nothing for DaemonSet pods.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { describesDaemonSetNamespace, describesTemplateScheduling } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { daemonSetWith, readyPods } from "./support/day2.js";
import { describeField, describeSection, describeTable, squeeze } from "./support/describe.js";
import { getJson } from "./support/get-json.js";
import { type Manifest, namespace, toYaml } from "./support/manifests.js";
import { parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "describe";
/** kubectl's describe time format (RFC 1123 with a numeric zone). */
const DESCRIBE_TIME = /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/;
const AGE = /^\d+(s|m\d*s?)$/;

const agent = (): Manifest => {
  const ds = daemonSetWith("agent", NS, {
    imagePullPolicy: "Always",
    resources: { requests: { cpu: "100m", memory: "64Mi" } },
  });
  ds.metadata.annotations = { "example.com/team": "infra" };
  return ds;
};

/** A DaemonSet whose node selector picks node2 only. */
const pinned = (): Manifest =>
  daemonSetWith("pinned", NS, { podSpec: { nodeSelector: { "kubernetes.io/hostname": "node2" } } });

describe("kubectl describe", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  let pods: Manifest[];
  const describeDs = (name: string) => k.ok(["describe", "ds", name, "-n", NS]);

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace(NS), agent(), pinned()]) });
    pods = await readyPods(k, NS, "app=agent", 2);
    await readyPods(k, NS, "app=pinned", 1);
    // The status reaches its final counts a moment after the pods are ready.
    await waitFor(
      "the DaemonSet status",
      async () => (await getJson(k, "ds", "agent", "-n", NS)).status.numberAvailable === 2,
    );
  });
  after(() => cluster?.stop());

  it("describe ds prints the header, the counts, the pod template and the SuccessfulCreate events", async () => {
    const text = await describeDs("agent");
    const namespaceLine = describesDaemonSetNamespace(await k.clientMinor()) ? [`Namespace:      ${NS}`] : [];
    const header = text
      .split("\n")
      .slice(0, 13 + namespaceLine.length)
      .join("\n");
    assert.equal(
      header,
      [
        "Name:           agent",
        ...namespaceLine,
        "Selector:       app=agent",
        "Node-Selector:  <none>",
        "Labels:         app=agent",
        "Annotations:    deprecated.daemonset.template.generation: 1",
        "                example.com/team: infra",
        "Desired Number of Nodes Scheduled: 2",
        "Current Number of Nodes Scheduled: 2",
        "Number of Nodes Scheduled with Up-to-date Pods: 2",
        "Number of Nodes Scheduled with Available Pods: 2",
        "Number of Nodes Misscheduled: 0",
        "Pods Status:  2 Running / 0 Waiting / 0 Succeeded / 0 Failed",
        "Pod Template:",
      ].join("\n"),
    );
    const template = describeSection(text, "Pod Template").map(squeeze);
    for (const line of [
      "Labels:  app=agent",
      "Containers:",
      "main:",
      "Image:  busybox:1.36",
      "Port:  <none>",
      "Host Port:  <none>",
      "Requests:",
      "cpu:  100m",
      "memory:  64Mi",
      "Environment:  <none>",
      "Mounts:  <none>",
      "Volumes:  <none>",
      ...(describesTemplateScheduling(await k.clientMinor())
        ? ["Node-Selectors:  <none>", "Tolerations:  <none>"]
        : []),
    ]) {
      assert.ok(template.includes(line), `${line} in\n${template.join("\n")}`);
    }

    const events = describeTable(text, "Events");
    assert.deepEqual(events.header, ["Type", "Reason", "Age", "From", "Message"]);
    assert.deepEqual(
      events.rows.map((r) => [r.Type, r.Reason, r.From, r.Message]).sort(),
      pods
        .map((p) => ["Normal", "SuccessfulCreate", "daemonset-controller", `Created pod: ${p.metadata.name}`])
        .sort(),
    );
    for (const row of events.rows) assert.match(row.Age, AGE);

    const selected = await describeDs("pinned");
    assert.equal(describeField(selected, "Node-Selector"), "kubernetes.io/hostname=node2");
    assert.equal(describeField(selected, "Desired Number of Nodes Scheduled"), "1");
  });

  it("describe pod prints node, status, owner, container state, conditions, QoS, tolerations and kubelet events", async () => {
    const pod = pods[0];
    const name = pod.metadata.name;
    const text = await k.ok(["describe", "pod", name, "-n", NS]);
    const node = await getJson(k, "node", pod.spec.nodeName);
    const nodeIP = node.status.addresses.find((a: Manifest) => a.type === "InternalIP").address;

    assert.equal(describeField(text, "Name"), name);
    assert.equal(describeField(text, "Namespace"), NS);
    assert.equal(describeField(text, "Priority"), "0");
    assert.equal(describeField(text, "Node"), `${pod.spec.nodeName}/${nodeIP}`);
    assert.match(describeField(text, "Start Time") ?? "", DESCRIBE_TIME);
    assert.equal(describeField(text, "Status"), "Running");
    assert.equal(describeField(text, "IP"), pod.status.podIP);
    assert.equal(describeField(text, "Controlled By"), "DaemonSet/agent");
    const labels = text.slice(text.indexOf("Labels:"), text.indexOf("Annotations:"));
    assert.match(labels, /app=agent\n/);
    assert.match(labels, /controller-revision-hash=[a-z0-9]+\n/);
    assert.match(labels, /pod-template-generation=1\n/);

    const container = describeSection(text, "main", 2).map(squeeze);
    assert.ok(container.includes("Image:  busybox:1.36"), container.join("\n"));
    assert.ok(
      container.some((l) => /^Container ID: {2}everynode:\/\/[0-9a-f]{64}$/.test(l)),
      container.join("\n"),
    );
    assert.ok(
      container.some((l) => /^Image ID: {2}docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/.test(l)),
    );
    assert.ok(container.includes("State:  Running"), container.join("\n"));
    assert.match(container.find((l) => l.startsWith("Started:")) ?? "", /^Started: {2}[A-Z][a-z]{2}, /);
    assert.ok(container.includes("Ready:  True"));
    assert.ok(container.includes("Restart Count:  0"));
    assert.ok(container.includes("cpu:  100m") && container.includes("memory:  64Mi"));

    const conditions = describeTable(text, "Conditions");
    assert.deepEqual(
      conditions.rows.map((r) => [r.Type, r.Status]),
      [
        ["PodReadyToStartContainers", "True"],
        ["Initialized", "True"],
        ["Ready", "True"],
        ["ContainersReady", "True"],
        ["PodScheduled", "True"],
      ],
    );
    assert.equal(describeField(text, "QoS Class"), "Burstable");
    const tolerations = text
      .slice(text.indexOf("Tolerations:"), text.indexOf("Events:"))
      .replace("Tolerations:", "")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    assert.deepEqual(tolerations, [
      "node.kubernetes.io/disk-pressure:NoSchedule op=Exists",
      "node.kubernetes.io/memory-pressure:NoSchedule op=Exists",
      "node.kubernetes.io/not-ready:NoExecute op=Exists",
      "node.kubernetes.io/pid-pressure:NoSchedule op=Exists",
      "node.kubernetes.io/unreachable:NoExecute op=Exists",
      "node.kubernetes.io/unschedulable:NoSchedule op=Exists",
    ]);

    const events = describeTable(text, "Events").rows.map((r) => [r.Type, r.Reason, r.From, r.Message]);
    assert.deepEqual(events[0], [
      "Normal",
      "Scheduled",
      "default-scheduler",
      `Successfully assigned ${NS}/${name} to ${pod.spec.nodeName}`,
    ]);
    assert.deepEqual(
      events.slice(1).map(([type, reason, from]) => [type, reason, from]),
      ["Pulling", "Pulled", "Created", "Started"].map((reason) => ["Normal", reason, "kubelet"]),
    );
    assert.equal(events[1][3], 'Pulling image "busybox:1.36"');
    assert.match(
      events[2][3],
      /^Successfully pulled image "busybox:1\.36" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.$/,
    );
    assert.equal(events[3][3], "Created container: main");
    assert.equal(events[4][3], "Started container main");
  });

  it("describe pod names the pod's service account", async () => {
    const text = await k.ok(["describe", "pod", pods[0].metadata.name, "-n", NS]);
    assert.equal(describeField(text, "Service Account"), "default");
  });

  it("describe node prints roles, taints, lease, conditions, capacity, system info and the pods it runs", async () => {
    const text = await k.ok(["describe", "node", "node1"]);
    const node = await getJson(k, "node", "node1");
    assert.equal(describeField(text, "Name"), "node1");
    assert.equal(describeField(text, "Roles"), "<none>");
    assert.equal(describeField(text, "Taints"), "<none>");
    assert.equal(describeField(text, "Unschedulable"), "false");
    assert.match(describeField(text, "CreationTimestamp") ?? "", DESCRIBE_TIME);
    const lease = describeSection(text, "Lease").map(squeeze);
    assert.equal(lease[0], "HolderIdentity:  node1");
    assert.equal(lease[1], "AcquireTime:  <unset>");
    assert.match(lease[2], /^RenewTime: {2}[A-Z][a-z]{2}, /);

    const conditions = describeTable(text, "Conditions");
    assert.deepEqual(conditions.header, [
      "Type",
      "Status",
      "LastHeartbeatTime",
      "LastTransitionTime",
      "Reason",
      "Message",
    ]);
    assert.deepEqual(
      conditions.rows.map((r) => [r.Type, r.Status, r.Reason, r.Message]),
      [
        ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
        ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
        ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
        ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
      ],
    );
    assert.deepEqual(describeSection(text, "Addresses").map(squeeze), [
      `InternalIP:  ${node.status.addresses[0].address}`,
      "Hostname:  node1",
    ]);
    for (const section of ["Capacity", "Allocatable"]) {
      const lines = describeSection(text, section).map(squeeze);
      for (const line of ["cpu:  4", "memory:  8Gi", "pods:  110"])
        assert.ok(lines.includes(line), `${section}: ${line}`);
    }
    const info = describeSection(text, "System Info").map(squeeze);
    for (const line of ["Operating System:  linux", "Architecture:  amd64", "Kubelet Version:  v1.32.0"]) {
      assert.ok(info.includes(line), `${line} in\n${info.join("\n")}`);
    }
    assert.equal(describeField(text, "PodCIDR"), node.spec.podCIDR);
    assert.equal(describeField(text, "PodCIDRs"), node.spec.podCIDR);

    const agentPod = pods.find((p) => p.spec.nodeName === "node1");
    assert.ok(agentPod, "an agent pod runs on node1");
    assert.equal(describeField(text, "Non-terminated Pods"), "(1 in total)");
    const running = describeTable(text, "Non-terminated Pods");
    assert.deepEqual(running.header, [
      "Namespace",
      "Name",
      "CPU Requests",
      "CPU Limits",
      "Memory Requests",
      "Memory Limits",
      "Age",
    ]);
    assert.deepEqual(
      running.rows.map((r) => [
        r.Namespace,
        r.Name,
        r["CPU Requests"],
        r["CPU Limits"],
        r["Memory Requests"],
        r["Memory Limits"],
      ]),
      [[NS, agentPod.metadata.name, "100m (2%)", "0 (0%)", "64Mi (0%)", "0 (0%)"]],
    );
    // The first line of the section is kubectl's overcommit note; the table follows.
    const allocated = parseTable(
      describeSection(text, "Allocated resources")
        .slice(1)
        .filter((l) => !/^\s*-+(\s+-+)*\s*$/.test(l))
        .join("\n"),
    );
    assert.deepEqual(
      allocated.rows.slice(0, 2).map((r) => [r.Resource, r.Requests, r.Limits]),
      [
        ["cpu", "100m (2%)", "0 (0%)"],
        ["memory", "64Mi (0%)", "0 (0%)"],
      ],
    );
    const events = describeTable(text, "Events").rows.map((r) => [r.Type, r.Reason, r.From, r.Message]);
    assert.ok(
      events.some(
        (e) =>
          e.join("|") ===
          "Normal|RegisteredNode|node-controller|Node node1 event: Registered Node node1 in Controller",
      ),
      JSON.stringify(events),
    );

    const controlPlane = await k.ok(["describe", "node", "control-plane"]);
    assert.equal(describeField(controlPlane, "Roles"), "control-plane");
    assert.equal(describeField(controlPlane, "Taints"), "node-role.kubernetes.io/control-plane:NoSchedule");
    assert.equal(describeField(controlPlane, "Non-terminated Pods"), "(0 in total)");
  });

  it("describe node lists the kubelet's own events", async () => {
    await k.ok(["cordon", "node2"]);
    try {
      const rows = await waitFor(
        "kubelet events on node2",
        async () => {
          const text = await k.ok(["describe", "node", "node2"]);
          const rows = describeTable(text, "Events").rows.filter((r) => r.From === "kubelet");
          return rows.some((r) => r.Reason === "NodeNotSchedulable") ? rows : undefined;
        },
        { timeoutMs: 10_000 },
      );
      const events = rows.map((r) => `${r.Type}|${r.Reason}|${r.Message}`);
      for (const event of [
        "Normal|Starting|Starting kubelet.",
        "Normal|NodeHasSufficientMemory|Node node2 status is now: NodeHasSufficientMemory",
        "Normal|NodeHasNoDiskPressure|Node node2 status is now: NodeHasNoDiskPressure",
        "Normal|NodeHasSufficientPID|Node node2 status is now: NodeHasSufficientPID",
        "Normal|NodeAllocatableEnforced|Updated Node Allocatable limit across pods",
        "Normal|NodeReady|Node node2 status is now: NodeReady",
        "Normal|NodeNotSchedulable|Node node2 status is now: NodeNotSchedulable",
      ]) {
        assert.ok(events.includes(event), `${event} in ${JSON.stringify(events)}`);
      }
      // The kubelet refers to its node by name (the name as UID), as upstream's nodeRef does.
      const stored = await getJson(
        k,
        "events",
        "-n",
        "default",
        "--field-selector",
        "involvedObject.uid=node2",
      );
      const starting = stored.items.find((e: Manifest) => e.reason === "Starting");
      assert.deepEqual(
        [starting?.involvedObject.kind, starting?.involvedObject.name, starting?.source],
        ["Node", "node2", { component: "kubelet", host: "node2" }],
      );
    } finally {
      await k.ok(["uncordon", "node2"]);
    }
  });

  it("describe namespace prints its status and labels", async () => {
    const text = await k.ok(["describe", "namespace", NS]);
    assert.equal(
      text.split("\n").slice(0, 4).join("\n"),
      [
        `Name:         ${NS}`,
        `Labels:       kubernetes.io/metadata.name=${NS}`,
        "Annotations:  <none>",
        "Status:       Active",
      ].join("\n"),
    );
  });

  it("describe namespace says there is no quota and no limit range", async () => {
    const text = await k.ok(["describe", "namespace", NS]);
    assert.match(text, /\n\nNo resource quota\.\n\nNo LimitRange resource\.\n$/);
  });

  it("a later NoSchedule taint keeps the pod (misscheduled); cordoning changes nothing for DaemonSet pods", async () => {
    const onNode2 = pods.find((p) => p.spec.nodeName === "node2");
    assert.ok(onNode2);
    await k.ok(["taint", "node", "node2", "dedicated=infra:NoSchedule"]);
    try {
      const counts = await waitFor("the taint in the status", async () => {
        const text = await describeDs("agent");
        return describeField(text, "Number of Nodes Misscheduled") === "1" ? text : undefined;
      });
      assert.equal(describeField(counts, "Desired Number of Nodes Scheduled"), "1");
      assert.equal(describeField(counts, "Current Number of Nodes Scheduled"), "1");
      assert.equal(describeField(counts, "Number of Nodes Scheduled with Up-to-date Pods"), "1");
      assert.equal(describeField(counts, "Number of Nodes Scheduled with Available Pods"), "1");
      assert.equal(describeField(counts, "Pods Status"), "2 Running / 0 Waiting / 0 Succeeded / 0 Failed");
      const nodeText = await k.ok(["describe", "node", "node2"]);
      assert.equal(describeField(nodeText, "Taints"), "dedicated=infra:NoSchedule");
      const still = await getJson(k, "pod", onNode2.metadata.name, "-n", NS);
      assert.equal(still.metadata.deletionTimestamp, undefined, "the pod on the tainted node stays");
    } finally {
      assert.equal(await k.ok(["taint", "node", "node2", "dedicated-"]), "node/node2 untainted\n");
    }
    await waitFor("the misscheduled count to clear", async () => {
      const text = await describeDs("agent");
      return (
        describeField(text, "Number of Nodes Misscheduled") === "0" &&
        describeField(text, "Desired Number of Nodes Scheduled") === "2"
      );
    });

    await k.ok(["cordon", "node1"]);
    try {
      const cordoned = await k.ok(["describe", "node", "node1"]);
      assert.equal(describeField(cordoned, "Unschedulable"), "true");
      const text = await describeDs("agent");
      assert.equal(describeField(text, "Desired Number of Nodes Scheduled"), "2");
      assert.equal(describeField(text, "Number of Nodes Misscheduled"), "0");
    } finally {
      await k.ok(["uncordon", "node1"]);
    }
  });
});
