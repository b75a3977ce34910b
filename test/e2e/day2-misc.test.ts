// End-to-end: the other day-2 commands around a DaemonSet — delete with each cascade (orphan leaves adoptable
// pods, foreground waits for them, background does not), force deletion of a pod, `scale` refused as a real
// cluster refuses it, edit/replace starting rollouts, node labels, taints and cordoning against DaemonSet
// placement, and discovery (api-resources, api-versions, explain) of the kinds the day-2 commands read.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import type { Kubectl } from "../support/kubectl.js";
import { scaleNothingPassed } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { daemonSetWith, linesOf, podsOf, readyPods, rolledOut } from "./support/day2.js";
import { getJson } from "./support/get-json.js";
import { fixturePath, type Manifest, namespace, toYaml } from "./support/manifests.js";
import { column, parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "misc";
const FORCE_WARNING =
  "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n";
/**
 * Pods that take six seconds to stop (a preStop sleep): long enough for several kubectl reads, each up to a second
 * on a loaded machine, to see them Terminating.
 */
const slowToStop = {
  podSpec: { terminationGracePeriodSeconds: 15 },
  container: { lifecycle: { preStop: { exec: { command: ["sleep", "6"] } } } },
};

describe("kubectl delete, scale, edit, replace, node placement and discovery", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const get = (...args: string[]): Promise<Manifest> => getJson(k, ...args);
  const apply = (...docs: Manifest[]) => k.ok(["apply", "-f", "-"], { stdin: toYaml(docs) });
  const notFound = async (...args: string[]) => (await k.run(["get", ...args])).stderr.includes("(NotFound)");
  const nodesOf = async (app: string) =>
    (await podsOf(k, NS, `app=${app}`))
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.spec.nodeName);

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await apply(namespace(NS));
  });
  after(() => cluster?.stop());

  it("delete --cascade=orphan keeps the pods without owner; a new DaemonSet adopts them", async () => {
    await apply(daemonSetWith("orphaned", NS));
    const before = await readyPods(k, NS, "app=orphaned", 2);
    assert.equal(
      await k.ok(["delete", "ds", "orphaned", "-n", NS, "--cascade=orphan"]),
      'daemonset.apps "orphaned" deleted\n',
    );
    assert.ok(await notFound("ds", "orphaned", "-n", NS));
    const orphans = await waitFor("owner references removed", async () => {
      const pods = await podsOf(k, NS, "app=orphaned");
      return pods.every((p) => !p.metadata.ownerReferences) ? pods : undefined;
    });
    assert.deepEqual(
      orphans.map((p) => p.metadata.name),
      before.map((p) => p.metadata.name),
    );
    assert.ok(orphans.every((p) => p.status.phase === "Running"));

    await apply(daemonSetWith("orphaned", NS));
    const uid = (await get("ds", "orphaned", "-n", NS)).metadata.uid;
    const adopted = await waitFor("the new DaemonSet to adopt the pods", async () => {
      const pods = await podsOf(k, NS, "app=orphaned");
      return pods.length === 2 && pods.every((p) => p.metadata.ownerReferences?.[0]?.uid === uid)
        ? pods
        : undefined;
    });
    assert.deepEqual(
      adopted.map((p) => p.metadata.name),
      before.map((p) => p.metadata.name),
      "the same pods, not new ones",
    );
    assert.deepEqual(adopted[0].metadata.ownerReferences, [
      {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        name: "orphaned",
        uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  it("delete --cascade=foreground keeps the DaemonSet, marked for deletion, until its pods are gone", async () => {
    await apply(daemonSetWith("fg", NS, slowToStop));
    await readyPods(k, NS, "app=fg", 2);
    const deletion = k.start(["delete", "ds", "fg", "-n", NS, "--cascade=foreground"]);
    const marked = await waitFor("the DaemonSet marked for deletion", async () => {
      const r = await k.run(["get", "ds", "fg", "-n", NS, "-o", "json"]);
      return r.code === 0 && JSON.parse(r.stdout).metadata.deletionTimestamp
        ? JSON.parse(r.stdout)
        : undefined;
    });
    assert.deepEqual(marked.metadata.finalizers, ["foregroundDeletion"]);
    assert.deepEqual(column(parseTable(await k.ok(["get", "ds", "-n", NS])), "NAME").includes("fg"), true);
    const terminating = parseTable(await k.ok(["get", "pods", "-n", NS, "-l", "app=fg"]));
    assert.deepEqual(column(terminating, "STATUS"), ["Terminating", "Terminating"]);

    assert.equal(await deletion.exited, 0);
    assert.equal(deletion.output(), 'daemonset.apps "fg" deleted\n');
    assert.ok(await notFound("ds", "fg", "-n", NS));
    assert.deepEqual(await podsOf(k, NS, "app=fg"), [], "kubectl returned only after the pods were gone");
  });

  it("delete (background cascade) removes the DaemonSet at once and its pods after", async () => {
    await apply(daemonSetWith("bg", NS, slowToStop));
    await readyPods(k, NS, "app=bg", 2);
    assert.equal(
      await k.ok(["delete", "ds", "bg", "-n", NS, "--cascade=background"]),
      'daemonset.apps "bg" deleted\n',
    );
    assert.ok(await notFound("ds", "bg", "-n", NS));
    await waitFor("the pods to go", async () => (await podsOf(k, NS, "app=bg")).length === 0, {
      timeoutMs: 15_000,
    });
  });

  it("delete pod --grace-period=0 --force skips graceful termination with kubectl's warning", async () => {
    await apply(daemonSetWith("forced", NS, slowToStop));
    const [pod] = await readyPods(k, NS, "app=forced", 2);
    const name = pod.metadata.name;
    const r = await k.run(["delete", "pod", name, "-n", NS, "--grace-period=0", "--force"]);
    assert.deepEqual(r, { code: 0, stdout: `pod "${name}" force deleted\n`, stderr: FORCE_WARNING });
    assert.ok(await notFound("pod", name, "-n", NS), "gone at once, despite its preStop hook");
    const replaced = await readyPods(k, NS, "app=forced", 2);
    assert.ok(!replaced.some((p) => p.metadata.name === name));
  });

  it("scale is refused for a DaemonSet exactly as a real API server refuses it", async () => {
    await apply(daemonSetWith("fixed", NS));
    const r = await k.run(["scale", "ds", "fixed", "-n", NS, "--replicas=2"]);
    assert.deepEqual(r, {
      code: 1,
      stdout: "",
      stderr: "Error from server (NotFound): the server could not find the requested resource\n",
    });
    const missing = await k.run(["scale", "ds", "nope", "-n", NS, "--replicas=2"]);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      scaleNothingPassed(await k.clientMinor(), 'daemonsets.apps "nope" not found'),
    );
    const scale = await k.run(["get", "--raw", `/apis/apps/v1/namespaces/${NS}/daemonsets/fixed/scale`]);
    assert.equal(
      scale.stderr,
      "Error from server (NotFound): the server could not find the requested resource\n",
    );
  });

  it("edit and replace of the template each start a rollout and add a revision", async () => {
    await apply(daemonSetWith("edited", NS));
    await readyPods(k, NS, "app=edited", 2);
    const edited = await k.run(["edit", "ds", "edited", "-n", NS], {
      env: {
        EDITOR: `${process.execPath} ${fixturePath("editor-replace.mjs")}`,
        EDIT_FIND: "image: busybox:1.36",
        EDIT_REPLACE: "image: busybox:1.37",
      },
    });
    assert.deepEqual(edited, { code: 0, stdout: "daemonset.apps/edited edited\n", stderr: "" });
    await rolledOut(k, NS, "edited");
    for (const pod of await readyPods(k, NS, "app=edited", 2))
      assert.equal(pod.spec.containers[0].image, "busybox:1.37");

    const live = await get("ds", "edited", "-n", NS);
    live.spec.template.spec.containers[0].image = "busybox:1.38";
    assert.equal(
      await k.ok(["replace", "-f", "-"], { stdin: stringify(live) }),
      "daemonset.apps/edited replaced\n",
    );
    await rolledOut(k, NS, "edited");
    for (const pod of await readyPods(k, NS, "app=edited", 2))
      assert.equal(pod.spec.containers[0].image, "busybox:1.38");
    const history = linesOf(await k.ok(["rollout", "history", "ds/edited", "-n", NS]));
    // The header line, REVISION and CHANGE-CAUSE, three revisions and kubectl's closing blank line.
    assert.deepEqual(
      history.slice(2, -1).map((l) => l.split(/\s+/)[0]),
      ["1", "2", "3"],
    );
  });

  it("node labels steer a nodeSelector DaemonSet: labelling adds a pod, unlabelling removes it", async () => {
    await apply(daemonSetWith("ssd", NS, { podSpec: { nodeSelector: { disktype: "ssd" } } }));
    await waitFor(
      "the DaemonSet status",
      async () => (await get("ds", "ssd", "-n", NS)).status?.observedGeneration === 1,
    );
    assert.deepEqual(await nodesOf("ssd"), []);
    assert.equal(await k.ok(["label", "node", "node1", "disktype=ssd"]), "node/node1 labeled\n");
    await waitFor("a pod on node1", async () => (await nodesOf("ssd")).join() === "node1");
    assert.equal(await k.ok(["label", "node", "node1", "disktype-"]), "node/node1 unlabeled\n");
    await waitFor("the pod on node1 to go", async () => (await nodesOf("ssd")).length === 0, {
      timeoutMs: 15_000,
    });
  });

  it("a NoSchedule taint blocks replacements, a NoExecute taint evicts; removing them brings the pod back", async () => {
    await apply(daemonSetWith("placed", NS));
    const pods = await readyPods(k, NS, "app=placed", 2);
    const onNode2 = pods.find((p) => p.spec.nodeName === "node2");
    assert.ok(onNode2);

    assert.equal(
      await k.ok(["taint", "node", "node2", "dedicated=infra:NoSchedule"]),
      "node/node2 tainted\n",
    );
    await waitFor(
      "desired 1",
      async () => (await get("ds", "placed", "-n", NS)).status.desiredNumberScheduled === 1,
    );
    await k.ok(["delete", "pod", onNode2.metadata.name, "-n", NS]);
    // The controller has seen the deletion when its status counts the node as no longer scheduled.
    await waitFor("the status to drop the misscheduled pod", async () => {
      const { status } = await get("ds", "placed", "-n", NS);
      return status.numberMisscheduled === 0 && status.currentNumberScheduled === 1;
    });
    assert.deepEqual(await nodesOf("placed"), ["node1"], "no replacement on the tainted node");
    await k.ok(["taint", "node", "node2", "dedicated-"]);
    await waitFor("a pod back on node2", async () => (await nodesOf("placed")).join() === "node1,node2");

    assert.equal(await k.ok(["taint", "node", "node2", "evict=now:NoExecute"]), "node/node2 tainted\n");
    try {
      await waitFor("the pod on node2 evicted", async () => (await nodesOf("placed")).join() === "node1", {
        timeoutMs: 15_000,
      });
      // The pod may go (taint eviction, or the controller itself) before the controller writes its status.
      await waitFor(
        "desired 1 again",
        async () => (await get("ds", "placed", "-n", NS)).status.desiredNumberScheduled === 1,
      );
    } finally {
      await k.ok(["taint", "node", "node2", "evict-"]);
    }
    await waitFor("a pod back on node2", async () => (await nodesOf("placed")).join() === "node1,node2");
  });

  it("a cordoned node still runs DaemonSet pods: a deleted one is recreated there", async () => {
    await apply(daemonSetWith("cordoned", NS));
    const pods = await readyPods(k, NS, "app=cordoned", 2);
    const onNode1 = pods.find((p) => p.spec.nodeName === "node1");
    assert.ok(onNode1);
    assert.equal(await k.ok(["cordon", "node1"]), "node/node1 cordoned\n");
    try {
      await k.ok(["delete", "pod", onNode1.metadata.name, "-n", NS]);
      const after = await readyPods(k, NS, "app=cordoned", 2);
      const replacement = after.find((p) => p.spec.nodeName === "node1");
      assert.ok(replacement && replacement.metadata.name !== onNode1.metadata.name);
      const nodes = parseTable(await k.ok(["get", "nodes"]));
      assert.equal(nodes.rows.find((r) => r.NAME === "node1")?.STATUS, "Ready,SchedulingDisabled");
    } finally {
      assert.equal(await k.ok(["uncordon", "node1"]), "node/node1 uncordoned\n");
    }
  });

  it("api-resources and api-versions list the kinds the day-2 commands read", async () => {
    assert.equal(
      await k.ok(["api-resources", "--api-group=apps", "-o", "wide"]),
      [
        "NAME                  SHORTNAMES   APIVERSION   NAMESPACED   KIND                 VERBS                                                        CATEGORIES",
        "controllerrevisions                apps/v1      true         ControllerRevision   create,delete,deletecollection,get,list,patch,update,watch   ",
        "daemonsets            ds           apps/v1      true         DaemonSet            create,delete,deletecollection,get,list,patch,update,watch   all",
        "",
      ].join("\n"),
    );
    const names = linesOf(await k.ok(["api-resources", "-o", "name"]));
    for (const name of [
      "events",
      "nodes",
      "pods",
      "namespaces",
      "controllerrevisions.apps",
      "daemonsets.apps",
      "leases.coordination.k8s.io",
      "poddisruptionbudgets.policy",
    ]) {
      assert.ok(names.includes(name), `${name} in ${names.join(" ")}`);
    }
    const events = parseTable(await k.ok(["api-resources", "--api-group="]));
    assert.deepEqual(
      events.rows.find((r) => r.NAME === "events"),
      { NAME: "events", SHORTNAMES: "ev", APIVERSION: "v1", NAMESPACED: "true", KIND: "Event" },
    );
    const versions = linesOf(await k.ok(["api-versions"]));
    assert.deepEqual(versions, [...versions].sort());
    for (const v of ["apps/v1", "coordination.k8s.io/v1", "policy/v1", "v1"])
      assert.ok(versions.includes(v), v);
  });

  it("explain describes ControllerRevision, Event and Lease", async () => {
    const revision = await k.ok(["explain", "controllerrevision"]);
    assert.ok(
      revision.startsWith("GROUP:      apps\nKIND:       ControllerRevision\nVERSION:    v1\n\n"),
      revision,
    );
    assert.match(revision, /\n {2}data\t<RawExtension>\n/);
    assert.match(revision, /\n {2}revision\t<integer> -required-\n/);

    const involved = await k.ok(["explain", "event.involvedObject"]);
    assert.ok(
      involved.startsWith("KIND:       Event\nVERSION:    v1\n\nFIELD: involvedObject <ObjectReference>\n"),
      involved,
    );
    for (const field of ["fieldPath", "kind", "name", "namespace", "uid"]) {
      assert.match(involved, new RegExp(`\\n {2}${field}\\t<string>\\n`));
    }

    const lease = await k.ok(["explain", "lease.spec"]);
    assert.ok(
      lease.startsWith(
        "GROUP:      coordination.k8s.io\nKIND:       Lease\nVERSION:    v1\n\nFIELD: spec <LeaseSpec>\n",
      ),
    );
    for (const field of ["holderIdentity", "renewTime", "leaseDurationSeconds"]) {
      assert.match(lease, new RegExp(`\\n {2}${field}\\t<`));
    }

    const status = await k.ok(["explain", "ds.status", "--recursive"]);
    assert.match(status, /\n {2}numberMisscheduled\t<integer> -required-\n/);
    assert.match(status, /\n {2}updatedNumberScheduled\t<integer>\n/);
  });
});
