// Seed 000 ("Understanding DaemonSets in Kubernetes"), walked through top to bottom with the real kubectl against
// `everynode up --nodes 4`: the control plane plus node1, node2 and node3, the three nodes the seed draws.
// Fluentd in `logging` on every node, self-healing, nodeSelector and node affinity, RBAC, ResourceQuota, the
// practical workflow (apply, verify, logs, edit, delete) and the appendix's monitoring agent and commands.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../../support/kubectl.js";
import { type E2eCluster, startCluster } from "../support/cluster.js";
import { getJson } from "../support/get-json.js";
import { fixtureObject, fixturePath, loadFixture, type Manifest, toYaml } from "../support/manifests.js";
import { column, parseTable } from "../support/tables.js";
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
} from "./walkthrough.js";

/** The seed's three nodes. The control plane is tainted NoSchedule, so the seed's fluentd (no toleration) skips it. */
const WORKERS = ["node1", "node2", "node3"];
const NS = "logging";
/** The seed's fluentd-daemonset.yaml: the DaemonSet alone (the seed's RBAC objects come later). */
const FLUENTD = fixtureObject("seed-000-fluentd.yaml", "DaemonSet");
const RBAC = loadFixture("seed-000-fluentd.yaml").filter((d) =>
  ["ServiceAccount", "ClusterRole", "ClusterRoleBinding"].includes(d.kind),
);

/** The seed's fluentd with its pod spec changed by `edit`. */
function fluentdWith(edit: (podSpec: Manifest) => void): Manifest {
  const ds = structuredClone(FLUENTD);
  edit(ds.spec.template.spec);
  return ds;
}

describe("seed 000: Understanding DaemonSets in Kubernetes", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const apply = (docs: Manifest[]) => k.ok(["apply", "-f", "-"], { stdin: toYaml(docs) });

  before(async () => {
    cluster = await startCluster(["--nodes", "4"]);
    k = cluster.kubectl;
  });
  after(() => cluster?.stop());

  it("the DaemonSet's namespace must exist: applying fluentd first fails as on any cluster", async () => {
    const r = await k.run(["apply", "-f", "-"], { stdin: toYaml([FLUENTD]) });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'Error from server (NotFound): error when creating "STDIN": namespaces "logging" not found\n',
    );
  });

  it("kubectl create namespace logging, then kubectl apply creates the Fluentd DaemonSet", async () => {
    assert.equal(await k.ok(["create", "namespace", NS]), "namespace/logging created\n");
    assert.equal(await apply([FLUENTD]), "daemonset.apps/fluentd created\n");
  });

  it("the DaemonSet creates one pod per node, in the DaemonSet's namespace, each running the fluentd container", async () => {
    const ds = await getJson(k, "ds", "fluentd", "-n", NS);
    const pods = await waitForDaemonSet(k, NS, "fluentd", WORKERS);
    for (const pod of pods) {
      assert.equal(pod.metadata.namespace, NS, "the pods live in the DaemonSet's namespace");
      assert.deepEqual(
        pod.metadata.ownerReferences.map((r: Manifest) => [r.kind, r.name, r.uid, r.controller]),
        [["DaemonSet", "fluentd", ds.metadata.uid, true]],
        "DaemonSet → pod: the DaemonSet is the pod's controller",
      );
      assert.deepEqual(
        pod.spec.containers.map((c: Manifest) => [c.name, c.image]),
        [["fluentd", "fluent/fluentd:latest"]],
        "pod → container",
      );
      assert.deepEqual(pod.spec.volumes.find((v: Manifest) => v.name === "varlog").hostPath, {
        path: "/var/log",
        type: "",
      });
    }
  });

  it("kubectl get daemonset -n logging: 3 desired, current, ready, up-to-date and available", async () => {
    // The seed abbreviates the table; kubectl also prints NODE SELECTOR and AGE.
    const table = parseTable(await k.ok(["get", "daemonset", "-n", NS]));
    assert.deepEqual(table.header, [
      "NAME",
      "DESIRED",
      "CURRENT",
      "READY",
      "UP-TO-DATE",
      "AVAILABLE",
      "NODE SELECTOR",
      "AGE",
    ]);
    const { AGE: _age, ...row } = table.rows[0];
    assert.deepEqual(row, {
      NAME: "fluentd",
      DESIRED: "3",
      CURRENT: "3",
      READY: "3",
      "UP-TO-DATE": "3",
      AVAILABLE: "3",
      "NODE SELECTOR": "<none>",
    });
  });

  it("kubectl get pods -n logging -o wide: one Running fluentd pod on each node", async () => {
    const table = parseTable(await k.ok(["get", "pods", "-n", NS, "-o", "wide"]));
    assert.deepEqual(table.header, [
      "NAME",
      "READY",
      "STATUS",
      "RESTARTS",
      "AGE",
      "IP",
      "NODE",
      "NOMINATED NODE",
      "READINESS GATES",
    ]);
    assert.deepEqual([...column(table, "NODE")].sort(), WORKERS);
    for (const row of table.rows) {
      assert.match(row.NAME, /^fluentd-[a-z0-9]{5}$/);
      assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ["1/1", "Running", "0"]);
      assert.match(row.IP, /^\d+\.\d+\.\d+\.\d+$/);
    }
  });

  it("namespaces are logical, nodes physical: app pods of other namespaces share the nodes with fluentd", async () => {
    const appPod = (name: string, ns: string, node: string): Manifest => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: ns },
      spec: {
        nodeSelector: { "kubernetes.io/hostname": node },
        containers: [{ name: "app", image: "nginx:1.27" }],
      },
    });
    await k.ok(["create", "namespace", "prod"]);
    await k.ok(["create", "namespace", "dev"]);
    await apply([appPod("app-a", "prod", "node1"), appPod("app-c", "dev", "node3")]);
    await k.ok(["wait", "--for=condition=Ready", "pod/app-a", "-n", "prod", "--timeout=30s"]);

    const onNode1 = parseTable(
      await k.ok(["get", "pods", "-A", "-o", "wide", "--field-selector", "spec.nodeName=node1"]),
    );
    assert.deepEqual(
      onNode1.rows.map((r) => `${r.NAMESPACE}/${r.NAME.replace(/-[a-z0-9]{5}$/, "")}`).sort(),
      ["logging/fluentd", "prod/app-a"],
    );
    // Nodes belong to no namespace: -n is ignored for them, and api-resources says so.
    assert.deepEqual(column(parseTable(await k.ok(["get", "nodes", "-n", NS])), "NAME"), [
      "control-plane",
      ...WORKERS,
    ]);
    const clusterScoped = column(parseTable(await k.ok(["api-resources", "--namespaced=false"])), "NAME");
    const namespaced = column(parseTable(await k.ok(["api-resources", "--namespaced=true"])), "NAME");
    assert.ok(clusterScoped.includes("nodes") && clusterScoped.includes("namespaces"));
    assert.ok(namespaced.includes("daemonsets") && namespaced.includes("pods"));
  });

  it("self-healing: a deleted fluentd pod is recreated on the same node", async () => {
    const before = podsByNode(await daemonPods(k, NS, "fluentd"));
    const victim = before.node1[0];
    assert.equal(await k.ok(["delete", "pod", victim, "-n", NS]), `pod "${victim}" deleted\n`);
    const after = podsByNode(await waitForDaemonSet(k, NS, "fluentd", WORKERS));
    assert.equal(after.node1.length, 1);
    assert.notEqual(after.node1[0], victim, "a new pod");
    assert.deepEqual(
      [after.node2, after.node3],
      [before.node2, before.node3],
      "the other pods are untouched",
    );
    assert.match(
      (await eventMessages(k, NS, "involvedObject.kind=DaemonSet,reason=SuccessfulCreate")).join("\n"),
      new RegExp(`Created pod: ${after.node1[0]}`),
    );
  });

  it("nodeSelector logging=true: fluentd runs only on the labelled nodes", async () => {
    assert.equal(
      await apply([fluentdWith((spec) => (spec.nodeSelector = { logging: "true" }))]),
      "daemonset.apps/fluentd configured\n",
    );
    // No node carries the label yet, so the DaemonSet removes its pods.
    await waitForDaemonSet(k, NS, "fluentd", []);
    assert.equal(await k.ok(["label", "nodes", "node1", "logging=true"]), "node/node1 labeled\n");
    assert.equal(await k.ok(["label", "nodes", "node2", "logging=true"]), "node/node2 labeled\n");
    // node3 has no label, so no Fluentd pod there.
    await waitForDaemonSet(k, NS, "fluentd", ["node1", "node2"]);
    const table = parseTable(await k.ok(["get", "ds", "fluentd", "-n", NS]));
    assert.equal(table.rows[0]["NODE SELECTOR"], "logging=true");
  });

  it("node affinity kubernetes.io/hostname In [node1, node2] places fluentd on those two nodes", async () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "kubernetes.io/hostname", operator: "In", values: ["node1", "node2"] },
              ],
            },
          ],
        },
      },
    };
    assert.equal(
      await apply([fluentdWith((spec) => (spec.affinity = affinity))]),
      "daemonset.apps/fluentd configured\n",
    );
    // The labels no longer matter: the affinity alone decides.
    await k.ok(["label", "nodes", "node1", "node2", "logging-"]);
    const pods = await waitForDaemonSet(k, NS, "fluentd", ["node1", "node2"]);
    // Like upstream, the controller pins each pod to its node by replacing the required terms with metadata.name.
    for (const pod of pods) {
      assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
        nodeSelectorTerms: [
          { matchFields: [{ key: "metadata.name", operator: "In", values: [pod.spec.nodeName] }] },
        ],
      });
    }
    // Back to the seed's plain DaemonSet: every node again.
    assert.equal(await apply([FLUENTD]), "daemonset.apps/fluentd configured\n");
    await waitForDaemonSet(k, NS, "fluentd", WORKERS);
  });

  it("RBAC for cross-namespace access: the ServiceAccount, ClusterRole and ClusterRoleBinding are created", async () => {
    assert.equal(
      await apply(RBAC),
      "serviceaccount/fluentd created\n" +
        "clusterrole.rbac.authorization.k8s.io/fluentd created\n" +
        "clusterrolebinding.rbac.authorization.k8s.io/fluentd created\n",
    );
    const binding = await getJson(k, "clusterrolebinding", "fluentd");
    assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "fluentd", namespace: NS }]);
  });

  it("RBAC: the fluentd ServiceAccount may get, list and watch pods and namespaces everywhere, and nothing more", async () => {
    const as = "--as=system:serviceaccount:logging:fluentd";
    const canI = (...args: string[]) => k.run(["auth", "can-i", ...args, as]);
    assert.deepEqual(await canI("list", "pods", "--all-namespaces"), {
      code: 0,
      stdout: "yes\n",
      stderr: "",
    });
    // Namespaces are cluster-scoped: without --all-namespaces kubectl warns that it ignores the namespace.
    assert.deepEqual(await canI("watch", "namespaces", "--all-namespaces"), {
      code: 0,
      stdout: "yes\n",
      stderr: "",
    });
    assert.deepEqual(await canI("delete", "pods", "-n", "prod"), { code: 1, stdout: "no\n", stderr: "" });
    // Reading pods of another namespace works; deleting one is forbidden with upstream's message.
    assert.match(await k.ok(["get", "pods", "-n", "prod", as]), /^app-a\s/m);
    const refused = await k.run(["delete", "pod", "app-a", "-n", "prod", as]);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      'Error from server (Forbidden): pods "app-a" is forbidden: User "system:serviceaccount:logging:fluentd" ' +
        'cannot delete resource "pods" in API group "" in the namespace "prod"\n',
    );
  });

  it("ResourceQuota: DaemonSet pods count against the namespace's quota (10 nodes, 5 pods allowed)", async () => {
    const extra = ["node4", "node5", "node6", "node7", "node8", "node9", "node10"];
    const tenWorkers = [...WORKERS, ...extra];
    const quota: Manifest = {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "logging-quota", namespace: NS },
      spec: { hard: { pods: "5", "requests.cpu": "2", "requests.memory": "4Gi" } },
    };
    const failedCreates = () => eventMessages(k, NS, "involvedObject.name=fluentd,reason=FailedCreate");
    try {
      // A fresh start (the quota counts pods that already exist) on the seed's 10-node cluster.
      await k.ok(["delete", "ds", "fluentd", "-n", NS]);
      await waitFor(
        "fluentd's pods to go",
        async () => (await getJson(k, "pods", "-n", NS)).items.length === 0,
        {
          timeoutMs: SETTLE_MS,
        },
      );
      await apply(extra.map((name) => nodeManifest(name)));
      await waitForNodesReady(k, extra);
      assert.equal(await apply([quota]), "resourcequota/logging-quota created\n");

      // Upstream differs from the seed here: a quota on requests.cpu and requests.memory makes every container
      // declare both, and the seed's fluentd declares neither, so not one pod is admitted.
      await apply([FLUENTD]);
      // The Forbidden message names the pod by its generated name (validating admission runs after it).
      const missing =
        /^(\(combined from similar events\): )?Error creating: pods "fluentd-[a-z0-9]{5}" is forbidden: failed quota: logging-quota: must specify requests\.cpu for: fluentd; requests\.memory for: fluentd$/;
      await waitFor("a FailedCreate event for the missing requests", async () =>
        (await failedCreates()).some((m) => missing.test(m)),
      );
      assert.equal((await daemonPods(k, NS, "fluentd")).length, 0);

      // With requests that ten pods would fit (1 CPU, 2000Mi), the pods limit decides: 5 of the 10 are created.
      await apply([
        fluentdWith(
          (spec) => (spec.containers[0].resources = { requests: { cpu: "100m", memory: "200Mi" } }),
        ),
      ]);
      const exceeded =
        /^(\(combined from similar events\): )?Error creating: pods "fluentd-[a-z0-9]{5}" is forbidden: exceeded quota: logging-quota, requested: pods=1, used: pods=5, limited: pods=5$/;
      await waitFor("five pods and an exceeded-quota event", async () => {
        const ds = await getJson(k, "ds", "fluentd", "-n", NS);
        return (
          ds.status?.desiredNumberScheduled === 10 &&
          ds.status?.currentNumberScheduled === 5 &&
          (await failedCreates()).some((m) => exceeded.test(m))
        );
      });
      assert.equal((await daemonPods(k, NS, "fluentd")).length, 5);
      const described = await k.ok(["describe", "quota", "logging-quota", "-n", NS]);
      assert.match(described, /^pods\s+5\s+5$/m);
      assert.match(described, /^requests\.cpu\s+500m\s+2$/m);

      // The seed's solution: a quota that fits the DaemonSet. The controller retries and fills every node.
      await k.ok([
        "patch",
        "quota",
        "logging-quota",
        "-n",
        NS,
        "--type=merge",
        "-p",
        '{"spec":{"hard":{"pods":"10"}}}',
      ]);
      await waitForDaemonSet(k, NS, "fluentd", tenWorkers, { timeoutMs: 90_000 });
    } finally {
      await k.run(["delete", "quota", "logging-quota", "-n", NS, "--ignore-not-found"]);
      await k.run(["delete", "ds", "fluentd", "-n", NS, "--ignore-not-found"]);
      await k.run(["delete", "nodes", ...extra, "--ignore-not-found"]);
    }
  });

  it("practical workflow 1–3: apply the DaemonSet, verify it, check its pods", async () => {
    await k.ok(["delete", "ds", "fluentd", "-n", NS, "--ignore-not-found"]);
    await waitFor(
      "an empty logging namespace",
      async () => (await getJson(k, "pods", "-n", NS)).items.length === 0,
      {
        timeoutMs: SETTLE_MS,
      },
    );
    assert.equal(await apply([FLUENTD]), "daemonset.apps/fluentd created\n");
    await waitForDaemonSet(k, NS, "fluentd", WORKERS);
    assert.deepEqual(column(parseTable(await k.ok(["get", "daemonset", "-n", NS])), "NAME"), ["fluentd"]);
    assert.deepEqual(
      [...column(parseTable(await k.ok(["get", "pods", "-n", NS, "-o", "wide"])), "NODE")].sort(),
      WORKERS,
    );
  });

  it("practical workflow 4: kubectl logs shows the fluentd pod's output", async () => {
    const pod = (await daemonPods(k, NS, "fluentd"))[0].metadata.name;
    const logs = await k.ok(["logs", pod, "-n", NS]);
    assert.match(logs, /\[info\]: starting fluentd-\d+\.\d+\.\d+/);
    assert.match(logs, /\[info\]: #0 fluentd worker is now running worker=0$/m);
  });

  it("practical workflow 5: update with kubectl edit, or by applying the updated YAML", async () => {
    const editor = `${process.execPath} ${fixturePath("editor-replace.mjs")}`;
    const edited = await k.run(["edit", "daemonset", "fluentd", "-n", NS], {
      env: {
        EDITOR: editor,
        EDIT_FIND: "image: fluent/fluentd:latest",
        EDIT_REPLACE: "image: fluent/fluentd:v1.16-1",
      },
    });
    assert.deepEqual(edited, { code: 0, stdout: "daemonset.apps/fluentd edited\n", stderr: "" });
    assert.match(await rolloutStatus(k, NS, "fluentd"), /daemon set "fluentd" successfully rolled out\n$/);
    let pods = await waitForDaemonSet(k, NS, "fluentd", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["fluent/fluentd:v1.16-1"]));

    const updated = fluentdWith((spec) => (spec.containers[0].image = "fluent/fluentd:v1.17-1"));
    assert.equal(await apply([updated]), "daemonset.apps/fluentd configured\n");
    await rolloutStatus(k, NS, "fluentd");
    pods = await waitForDaemonSet(k, NS, "fluentd", WORKERS);
    assert.deepEqual(new Set(pods.map(firstImage)), new Set(["fluent/fluentd:v1.17-1"]));
  });

  it("practical workflow 6: deleting the DaemonSet deletes all its pods", async () => {
    assert.equal(
      await k.ok(["delete", "daemonset", "fluentd", "-n", NS]),
      'daemonset.apps "fluentd" deleted\n',
    );
    await waitFor(
      "no pods left in logging",
      async () =>
        (await k.run(["get", "pods", "-n", NS])).stderr === "No resources found in logging namespace.\n",
      { timeoutMs: SETTLE_MS, intervalMs: 100 },
    );
  });

  it("appendix: the monitoring agent in kube-system, listed by kubectl get ds -A", async () => {
    assert.equal(
      await k.ok(["apply", "-f", fixturePath("seed-000-monitoring-agent.yaml")]),
      "daemonset.apps/monitoring-agent created\n",
    );
    const pods = await waitForDaemonSet(k, "kube-system", "monitoring-agent", WORKERS);
    assert.deepEqual(pods[0].spec.containers[0].resources, {
      limits: { memory: "200Mi" },
      requests: { cpu: "100m", memory: "200Mi" },
    });
    const all = parseTable(await k.ok(["get", "ds", "-A"]));
    assert.deepEqual(
      all.rows.map((r) => [r.NAMESPACE, r.NAME, r.DESIRED, r.READY]),
      [["kube-system", "monitoring-agent", "3", "3"]],
    );
    // `kubectl get pods -o wide` reads the current namespace (default); the agent's pods are in kube-system.
    const here = await k.run(["get", "pods", "-o", "wide"]);
    assert.equal(here.stderr, "No resources found in default namespace.\n");
    const there = parseTable(await k.ok(["get", "pods", "-n", "kube-system", "-o", "wide"]));
    assert.deepEqual([...column(there, "NODE")].sort(), WORKERS);
  });

  it("appendix: kubectl describe ds monitoring-agent looks in the current namespace; -n kube-system finds it", async () => {
    // The seed omits the namespace; upstream then answers NotFound from the default namespace.
    const missing = await k.run(["describe", "ds", "monitoring-agent"]);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      'Error from server (NotFound): daemonsets.apps "monitoring-agent" not found\n',
    );
    const out = await k.ok(["describe", "ds", "monitoring-agent", "-n", "kube-system"]);
    assert.match(out, /^Name:\s+monitoring-agent$/m);
    assert.match(out, /^Selector:\s+name=monitoring-agent$/m);
    assert.match(out, /^Desired Number of Nodes Scheduled: 3$/m);
    assert.match(out, /^Number of Nodes Misscheduled: 0$/m);
    assert.match(out, /^Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    assert.match(out, /^\s+Image:\s+prometheus\/node-exporter:latest$/m);
    assert.match(
      out,
      /^\s+Normal\s+SuccessfulCreate\s+.*daemonset-controller\s+Created pod: monitoring-agent-\w{5}$/m,
    );
  });

  it("appendix: a new node automatically gets a pod", async () => {
    assert.equal(await apply([nodeManifest("node4")]), "node/node4 created\n");
    await waitForDaemonSet(k, "kube-system", "monitoring-agent", [...WORKERS, "node4"]);
  });

  it("appendix: DaemonSet pods tolerate node.kubernetes.io/unschedulable, so a cordoned node still runs one", async () => {
    assert.equal(await k.ok(["cordon", "node4"]), "node/node4 cordoned\n");
    const onNode4 = podsByNode(await daemonPods(k, "kube-system", "monitoring-agent")).node4[0];
    await k.ok(["delete", "pod", onNode4, "-n", "kube-system"]);
    const pods = await waitForDaemonSet(k, "kube-system", "monitoring-agent", [...WORKERS, "node4"]);
    const replacement = pods.find((p) => p.spec.nodeName === "node4")!;
    assert.notEqual(replacement.metadata.name, onNode4);
    assert.ok(
      replacement.spec.tolerations.some(
        (t: Manifest) =>
          t.key === "node.kubernetes.io/unschedulable" &&
          t.operator === "Exists" &&
          t.effect === "NoSchedule",
      ),
    );
    assert.equal(await k.ok(["uncordon", "node4"]), "node/node4 uncordoned\n");
  });

  it("appendix: a DaemonSet has no replicas, so kubectl scale has nothing to scale", async () => {
    const r = await k.run(["scale", "ds", "monitoring-agent", "-n", "kube-system", "--replicas=2"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "Error from server (NotFound): the server could not find the requested resource\n",
    );
    // A replicas field is unknown to the DaemonSet schema: the server drops it with a warning.
    const ignored = await k.run([
      "patch",
      "ds",
      "monitoring-agent",
      "-n",
      "kube-system",
      "--type=merge",
      "-p",
      '{"spec":{"replicas":2}}',
    ]);
    assert.deepEqual(ignored, {
      code: 0,
      stdout: "daemonset.apps/monitoring-agent patched (no change)\n",
      stderr: 'Warning: unknown field "spec.replicas"\n',
    });
  });
});
