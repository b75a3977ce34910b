// End-to-end: the commands that change objects in place — label, annotate, the three patch types, edit with a
// scripted editor, replace (plain and --force), delete (by file, by name, whole namespaces), node taints and
// cordoning, and `create namespace`.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { annotatedLine } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { rolledOut } from "./support/day2.js";
import { getJson } from "./support/get-json.js";
import {
  configMap,
  fixturePath,
  inNamespace,
  loadFixture,
  type Manifest,
  namespace,
  toYaml,
} from "./support/manifests.js";
import { column, parseTable } from "./support/tables.js";
import { waitFor, waitForStable } from "./support/wait.js";

/** Seed 000's ServiceAccount and DaemonSet (both named fluentd), moved into namespace `ns`. */
const fluentdIn = (ns: string): Manifest[] => inNamespace(loadFixture("seed-000-fluentd.yaml"), ns);

/** A node's taints as key/value/effect, by key (kubectl decides their order, not the server). */
const taintsOf = (node: Manifest): Manifest[] =>
  (node.spec.taints ?? [])
    .map(({ key, value, effect }: Manifest) =>
      value === undefined ? { key, effect } : { key, value, effect },
    )
    .sort((a: Manifest, b: Manifest) => a.key.localeCompare(b.key));

describe("kubectl label, annotate, patch, edit, replace, delete, taint, cordon, create namespace", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const get = (...args: string[]): Promise<Manifest> => getJson(k, ...args);

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
  });
  after(() => cluster?.stop());

  /** Creates namespace `ns` holding seed 000's fluentd ServiceAccount and DaemonSet. */
  async function fluentdNamespace(ns: string): Promise<void> {
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace(ns), ...fluentdIn(ns)]) });
  }

  it("label adds, refuses to overwrite without --overwrite, overwrites, and removes with key-", async () => {
    await fluentdNamespace("labels");
    const ds = ["ds", "fluentd", "-n", "labels"];
    assert.equal(await k.ok(["label", ...ds, "tier=logging"]), "daemonset.apps/fluentd labeled\n");

    const refused = await k.run(["label", ...ds, "tier=infra"]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, "error: 'tier' already has a value (logging), and --overwrite is false\n");

    assert.equal(
      await k.ok(["label", ...ds, "tier=infra", "--overwrite"]),
      "daemonset.apps/fluentd labeled\n",
    );
    assert.equal((await get(...ds)).metadata.labels?.tier, "infra");

    assert.equal(await k.ok(["label", ...ds, "tier-"]), "daemonset.apps/fluentd unlabeled\n");
    assert.equal((await get(...ds)).metadata.labels?.tier, undefined);

    // Seed 000: "kubectl label nodes node1 logging=true".
    assert.equal(await k.ok(["label", "nodes", "node1", "logging=true"]), "node/node1 labeled\n");
    assert.equal(await k.ok(["get", "nodes", "-l", "logging=true", "-o", "name"]), "node/node1\n");
    assert.equal(await k.ok(["label", "nodes", "node1", "logging-"]), "node/node1 unlabeled\n");
  });

  it("annotate adds, refuses to overwrite without --overwrite, overwrites, and removes with key-", async () => {
    await fluentdNamespace("annotations");
    const ds = ["ds", "fluentd", "-n", "annotations"];
    const annotation = async () => (await get(...ds)).metadata.annotations?.["example.com/owner"];
    const annotated = annotatedLine(await k.clientMinor(), "daemonset.apps/fluentd");
    assert.equal(await k.ok(["annotate", ...ds, "example.com/owner=team-a"]), annotated);
    assert.equal(await annotation(), "team-a");

    const refused = await k.run(["annotate", ...ds, "example.com/owner=team-b"]);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      "error: --overwrite is false but found the following declared annotation(s): 'example.com/owner' already has a value (team-a)\n",
    );

    assert.equal(await k.ok(["annotate", ...ds, "example.com/owner=team-b", "--overwrite"]), annotated);
    assert.equal(await annotation(), "team-b");
    assert.equal(await k.ok(["annotate", ...ds, "example.com/owner-"]), annotated);
    assert.equal(await annotation(), undefined);
  });

  it("patch: strategic merge (default) merges lists by key; a repeated patch is a no-op", async () => {
    await fluentdNamespace("strategic");
    const ds = ["ds", "fluentd", "-n", "strategic"];
    // Seed 001: kubectl patch daemonset <name> -p '{"spec":{"template":{"spec":{"nodeSelector":{"key":"value"}}}}}'
    const selector = '{"spec":{"template":{"spec":{"nodeSelector":{"logging":"true"}}}}}';
    assert.equal(await k.ok(["patch", ...ds, "-p", selector]), "daemonset.apps/fluentd patched\n");
    // kubectl says "(no change)" only when the object it read before patching equals the one the patch returns,
    // so the controller must be done removing the pods and counting them in status first.
    await waitFor("fluentd's pods to leave the unlabelled nodes", async () => {
      const pods = await get("pods", "-n", "strategic");
      return pods.items.length === 0;
    });
    await waitForStable("the DaemonSet", () => get(...ds));
    assert.equal(
      await k.ok(["patch", ...ds, "-p", selector]),
      "daemonset.apps/fluentd patched (no change)\n",
    );

    // containers merge by name: the env var joins the existing container, image and mounts stay.
    const env =
      '{"spec":{"template":{"spec":{"containers":[{"name":"fluentd","env":[{"name":"LOG_LEVEL","value":"debug"}]}]}}}}';
    assert.equal(await k.ok(["patch", ...ds, "-p", env]), "daemonset.apps/fluentd patched\n");
    const spec = (await get(...ds)).spec.template.spec;
    assert.deepEqual(spec.nodeSelector, { logging: "true" });
    assert.equal(spec.containers.length, 1);
    assert.equal(spec.containers[0].image, "fluent/fluentd:latest");
    assert.deepEqual(spec.containers[0].env, [{ name: "LOG_LEVEL", value: "debug" }]);
    assert.deepEqual(spec.containers[0].volumeMounts, [{ name: "varlog", mountPath: "/var/log" }]);
  });

  it("patch --type=merge replaces lists whole", async () => {
    await fluentdNamespace("merge");
    const ds = ["ds", "fluentd", "-n", "merge"];
    const patch =
      '{"metadata":{"labels":{"patched":"merge"}},"spec":{"template":{"spec":{"containers":[{"name":"fluentd","image":"fluent/fluentd:v1.16-1"}]}}}}';
    assert.equal(
      await k.ok(["patch", ...ds, "--type=merge", "-p", patch]),
      "daemonset.apps/fluentd patched\n",
    );
    const stored = await get(...ds);
    assert.equal(stored.metadata.labels?.patched, "merge");
    const containers = stored.spec.template.spec.containers;
    assert.equal(containers.length, 1);
    assert.equal(containers[0].image, "fluent/fluentd:v1.16-1");
    assert.equal(containers[0].volumeMounts, undefined, "a merge patch replaces the containers list");
  });

  it("patch --type=json applies the seeds' operations, remove and replace", async () => {
    await fluentdNamespace("jsonpatch");
    const ds = ["ds", "fluentd", "-n", "jsonpatch"];
    await k.ok([
      "patch",
      ...ds,
      "-p",
      '{"spec":{"template":{"spec":{"nodeSelector":{"test-daemonset":"true"}}}}}',
    ]);
    // Seed 001: remove the selector to roll out to all nodes.
    const remove = '[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]';
    assert.equal(
      await k.ok(["patch", ...ds, "--type", "json", "-p", remove]),
      "daemonset.apps/fluentd patched\n",
    );
    assert.equal((await get(...ds)).spec.template.spec.nodeSelector, undefined);

    // Seed 001: raise maxUnavailable (the path exists because the server defaulted the rolling update).
    const replace =
      '[{"op": "replace", "path": "/spec/updateStrategy/rollingUpdate/maxUnavailable", "value":2}]';
    assert.equal(
      await k.ok(["patch", ...ds, "--type=json", "-p", replace]),
      "daemonset.apps/fluentd patched\n",
    );
    assert.equal((await get(...ds)).spec.updateStrategy.rollingUpdate.maxUnavailable, 2);
    // Seed 001: raise a memory limit by array index.
    const limit =
      '[{"op": "replace", "path": "/spec/template/spec/containers/0/resources/limits/memory", "value":"500Mi"}]';
    const limits = {
      op: "add",
      path: "/spec/template/spec/containers/0/resources",
      value: { limits: { memory: "200Mi" } },
    };
    await k.ok(["patch", ...ds, "--type=json", "-p", JSON.stringify([limits])]);
    assert.equal(
      await k.ok(["patch", ...ds, "--type=json", "-p", limit]),
      "daemonset.apps/fluentd patched\n",
    );
    assert.equal((await get(...ds)).spec.template.spec.containers[0].resources.limits.memory, "500Mi");

    // Removing what is no longer there fails and changes nothing; upstream's 422 keeps the detail to itself.
    const again = await k.run(["patch", ...ds, "--type=json", "-p", remove]);
    assert.equal(again.code, 1);
    assert.equal(again.stdout, "");
    assert.equal(
      again.stderr,
      "The request is invalid: the server rejected our request due to an error in our request\n",
    );
  });

  it("edit saves what the editor wrote; an untouched buffer cancels", async () => {
    await fluentdNamespace("edited");
    const ds = ["ds", "fluentd", "-n", "edited"];
    const editor = `${process.execPath} ${fixturePath("editor-replace.mjs")}`;
    const edited = await k.run(["edit", ...ds], {
      env: {
        EDITOR: editor,
        EDIT_FIND: "image: fluent/fluentd:latest",
        EDIT_REPLACE: "image: fluent/fluentd:v1.16-1",
      },
    });
    assert.equal(edited.stderr, "");
    assert.equal(edited.stdout, "daemonset.apps/fluentd edited\n");
    assert.equal(edited.code, 0);
    const stored = await get(...ds);
    assert.equal(stored.spec.template.spec.containers[0].image, "fluent/fluentd:v1.16-1");
    assert.equal(stored.metadata.generation, 2);

    const cancelled = await k.run(["edit", ...ds], { env: { EDITOR: "true" } });
    assert.equal(cancelled.code, 0);
    assert.equal(cancelled.stderr, "Edit cancelled, no changes made.\n");
    const unchanged = await get(...ds);
    assert.equal(unchanged.metadata.generation, 2);
    assert.equal(unchanged.spec.template.spec.containers[0].image, "fluent/fluentd:v1.16-1");
  });

  it("replace -f swaps the object in place, refuses a stale resourceVersion, and --force recreates it", async () => {
    await fluentdNamespace("replaced");
    const ds = ["ds", "fluentd", "-n", "replaced"];
    // The DaemonSet controller writes status right after creation; read once it has settled, as a user
    // replacing from a fresh `get` would (a replace from an older read is refused, as checked below).
    await rolledOut(k, "replaced", "fluentd");
    const live = await waitForStable("the DaemonSet", () => get(...ds));
    const next = structuredClone(live);
    next.spec.template.spec.containers[0].image = "fluent/fluentd:v1.16-1";
    assert.equal(
      await k.ok(["replace", "-f", "-"], { stdin: JSON.stringify(next) }),
      "daemonset.apps/fluentd replaced\n",
    );
    const replaced = await get(...ds);
    assert.equal(replaced.spec.template.spec.containers[0].image, "fluent/fluentd:v1.16-1");
    assert.equal(replaced.metadata.uid, live.metadata.uid);

    // `next` still carries the resourceVersion it was read at.
    const stale = await k.run(["replace", "-f", "-"], { stdin: JSON.stringify(next) });
    assert.equal(stale.code, 1);
    assert.equal(
      stale.stderr,
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on daemonsets.apps "fluentd": ' +
        "the object has been modified; please apply your changes to the latest version and try again\n",
    );

    const forced = structuredClone(replaced);
    forced.spec.template.spec.containers[0].image = "fluent/fluentd:v1.17-1";
    assert.equal(
      await k.ok(["replace", "--force", "-f", "-"], { stdin: JSON.stringify(forced) }),
      'daemonset.apps "fluentd" deleted\ndaemonset.apps/fluentd replaced\n',
    );
    const recreated = await get(...ds);
    assert.notEqual(recreated.metadata.uid, live.metadata.uid);
    assert.equal(recreated.spec.template.spec.containers[0].image, "fluent/fluentd:v1.17-1");
  });

  it("delete -f removes what a file declares; delete ds NAME removes one DaemonSet", async () => {
    await fluentdNamespace("deleting");
    const docs = fluentdIn("deleting");
    assert.equal(
      await k.ok(["delete", "-f", "-"], { stdin: toYaml(docs) }),
      'serviceaccount "fluentd" deleted\ndaemonset.apps "fluentd" deleted\n',
    );
    // The namespace keeps the ServiceAccount its controller creates, as on a real cluster.
    const gone = await k.run(["get", "ds,sa", "-n", "deleting", "-o", "name"]);
    assert.equal(gone.stdout, "serviceaccount/default\n");

    await k.ok(["apply", "-f", "-"], { stdin: toYaml(docs) });
    assert.equal(
      await k.ok(["delete", "ds", "fluentd", "-n", "deleting"]),
      'daemonset.apps "fluentd" deleted\n',
    );
    const missing = await k.run(["get", "ds", "fluentd", "-n", "deleting"]);
    assert.equal(missing.stderr, 'Error from server (NotFound): daemonsets.apps "fluentd" not found\n');
    assert.equal(
      await k.ok(["get", "sa", "-n", "deleting", "-o", "name"]),
      "serviceaccount/default\nserviceaccount/fluentd\n",
    );

    const again = await k.run(["delete", "ds", "fluentd", "-n", "deleting"]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error from server (NotFound): daemonsets.apps "fluentd" not found\n');
  });

  it("delete ns removes the namespace and everything in it", async () => {
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([
        namespace("doomed"),
        ...fluentdIn("doomed"),
        configMap("fluentd-config", "doomed", { a: "1" }),
      ]),
    });
    // kubectl waits until the namespace is gone, which happens only once its contents are.
    assert.equal(await k.ok(["delete", "ns", "doomed"]), 'namespace "doomed" deleted\n');
    const missing = await k.run(["get", "ns", "doomed"]);
    assert.equal(missing.stderr, 'Error from server (NotFound): namespaces "doomed" not found\n');
    const contents = await k.run(["get", "ds,sa,cm", "-n", "doomed"]);
    assert.equal(contents.stdout, "");
    assert.equal(contents.stderr, "No resources found in doomed namespace.\n");
  });

  it("taint adds a taint, refuses a duplicate, and key- removes it", async () => {
    // Seed 001: kubectl taint nodes node-1 dedicated=logging:NoSchedule
    assert.equal(
      await k.ok(["taint", "nodes", "node1", "dedicated=logging:NoSchedule"]),
      "node/node1 tainted\n",
    );
    assert.deepEqual(taintsOf(await get("node", "node1")), [
      { key: "dedicated", value: "logging", effect: "NoSchedule" },
    ]);
    const duplicate = await k.run(["taint", "nodes", "node1", "dedicated=logging:NoSchedule"]);
    assert.equal(duplicate.code, 1);
    assert.equal(
      duplicate.stderr,
      "error: node node1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n",
    );

    // A second taint on the control plane keeps the one it was born with.
    assert.equal(
      await k.ok(["taint", "nodes", "control-plane", "dedicated=logging:NoExecute"]),
      "node/control-plane tainted\n",
    );
    assert.deepEqual(taintsOf(await get("node", "control-plane")), [
      { key: "dedicated", value: "logging", effect: "NoExecute" },
      { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
    ]);

    assert.equal(await k.ok(["taint", "nodes", "node1", "dedicated-"]), "node/node1 untainted\n");
    assert.equal((await get("node", "node1")).spec.taints, undefined);
    assert.equal(
      await k.ok(["taint", "nodes", "control-plane", "dedicated:NoExecute-"]),
      "node/control-plane untainted\n",
    );
    assert.deepEqual((await get("node", "control-plane")).spec.taints, [
      { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
    ]);
  });

  it("cordon marks a node unschedulable (SchedulingDisabled) and uncordon undoes it", async () => {
    assert.equal(await k.ok(["cordon", "node2"]), "node/node2 cordoned\n");
    assert.equal((await get("node", "node2")).spec.unschedulable, true);
    const table = parseTable(await k.ok(["get", "nodes"]));
    assert.deepEqual(column(table, "STATUS"), ["Ready", "Ready", "Ready,SchedulingDisabled"]);
    assert.equal(await k.ok(["cordon", "node2"]), "node/node2 already cordoned\n");

    assert.equal(await k.ok(["uncordon", "node2"]), "node/node2 uncordoned\n");
    assert.equal((await get("node", "node2")).spec.unschedulable, undefined);
    assert.deepEqual(column(parseTable(await k.ok(["get", "nodes"])), "STATUS"), ["Ready", "Ready", "Ready"]);
    assert.equal(await k.ok(["uncordon", "node2"]), "node/node2 already uncordoned\n");
  });

  it("create namespace (a protobuf request body) creates an Active namespace", async () => {
    const created = await k.run(["create", "namespace", "team-a"]);
    assert.equal(created.stderr, "");
    assert.equal(created.stdout, "namespace/team-a created\n");
    const ns = await get("ns", "team-a");
    assert.deepEqual(ns.spec, { finalizers: ["kubernetes"] });
    assert.equal(ns.status.phase, "Active");
    assert.equal(ns.metadata.labels?.["kubernetes.io/metadata.name"], "team-a");

    const again = await k.run(["create", "namespace", "team-a"]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error from server (AlreadyExists): namespaces "team-a" already exists\n');
  });
});
