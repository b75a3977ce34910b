// End-to-end: `kubectl rollout` on DaemonSets against `everynode up` — status (every stage, -w, --watch=false,
// --timeout, OnDelete refused), history (CHANGE-CAUSE copied from the DaemonSet, --revision=N), undo (the
// rolled-back revision renumbered, --to-revision, skipped rollbacks), restart, pause/resume refused, and the
// `kubectl set image|env|resources` changes that start a rollout.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { annotatedLine, describesTemplateScheduling } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { daemonSetWith, linesOf, podsOf, readyPods, rolledOut } from "./support/day2.js";
import { getJson } from "./support/get-json.js";
import { type Manifest, namespace, toYaml } from "./support/manifests.js";
import { column, parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "rollout";
const READY_DELAY = { "sim.everynode.dev/ready-delay": "2s" };

/** `kubectl rollout history` as kubectl prints it: the object, then REVISION and CHANGE-CAUSE rows. */
function historyText(name: string, rows: [number, string][]): string {
  const lines = rows.map(([revision, cause]) => `${String(revision).padEnd(10)}${cause}`);
  return `daemonset.apps/${name} \nREVISION  CHANGE-CAUSE\n${lines.join("\n")}\n\n`;
}

/** Every line `rollout status` may print for a two-node DaemonSet `name`. */
function statusLineKind(name: string, line: string): string | undefined {
  const prefix = `Waiting for daemon set "${name}" rollout to finish: `;
  if (line === "Waiting for daemon set spec update to be observed...") return "observing";
  if (new RegExp(`^${prefix}[0-2] out of 2 new pods have been updated\\.\\.\\.$`).test(line))
    return "updating";
  if (new RegExp(`^${prefix}[0-2] of 2 updated pods are available\\.\\.\\.$`).test(line)) return "available";
  if (line === `daemon set "${name}" successfully rolled out`) return "done";
  return undefined;
}

describe("kubectl rollout", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const ds = (name: string) => ["ds", name, "-n", NS];
  const get = (...args: string[]): Promise<Manifest> => getJson(k, ...args);
  const image = async (name: string) => (await get(...ds(name))).spec.template.spec.containers[0].image;

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([
        namespace(NS),
        daemonSetWith("web", NS, { image: "busybox:1.36" }),
        daemonSetWith("manual", NS, { updateStrategy: { type: "OnDelete" } }),
        daemonSetWith("tuned", NS),
      ]),
    });
    await Promise.all(["web", "manual", "tuned"].map((name) => readyPods(k, NS, `app=${name}`, 2)));
  });
  after(() => cluster?.stop());

  it("status -w prints each stage of a rollout and ends with `successfully rolled out`", async () => {
    // Pods that take two seconds to become ready make the stages observable.
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([daemonSetWith("staged", NS, { templateAnnotations: READY_DELAY })]),
    });
    const created = await k.run(["rollout", "status", "-w", "ds/staged", "-n", NS, "--timeout=30s"]);
    assert.equal(created.code, 0, created.stderr);
    const createdKinds = linesOf(created.stdout).map(
      (l) => statusLineKind("staged", l) ?? `unexpected: ${l}`,
    );
    assert.equal(createdKinds.at(-1), "done");
    assert.ok(createdKinds.includes("available"), created.stdout);
    assert.ok(!createdKinds.some((kind) => kind.startsWith("unexpected")), created.stdout);

    assert.equal(
      await k.ok(["set", "image", "ds/staged", "main=busybox:1.37", "-n", NS]),
      "daemonset.apps/staged image updated\n",
    );
    const updated = await k.run(["rollout", "status", "ds/staged", "-n", NS, "--timeout=30s"]);
    assert.equal(updated.code, 0, updated.stderr);
    const updatedKinds = linesOf(updated.stdout).map(
      (l) => statusLineKind("staged", l) ?? `unexpected: ${l}`,
    );
    assert.equal(updatedKinds.at(-1), "done");
    assert.ok(updatedKinds.includes("updating"), updated.stdout);
    assert.ok(!updatedKinds.some((kind) => kind.startsWith("unexpected")), updated.stdout);
    for (const pod of await podsOf(k, NS, "app=staged")) {
      assert.equal(pod.spec.containers[0].image, "busybox:1.37");
    }
  });

  it("a stuck rollout: --watch=false prints the state once, --timeout fails, undo restores it without restarting untouched pods", async () => {
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([daemonSetWith("stuck", NS)]) });
    const before = await readyPods(k, NS, "app=stuck", 2);
    // New pods that never become ready: the rolling update replaces one pod and waits for ever.
    await k.ok([
      "patch",
      ...ds("stuck"),
      "--type=merge",
      "-p",
      '{"spec":{"template":{"metadata":{"annotations":{"sim.everynode.dev/ready":"false"}}}}}',
    ]);
    const waiting =
      'Waiting for daemon set "stuck" rollout to finish: 1 out of 2 new pods have been updated...\n';
    await waitFor(
      "the controller to replace one pod",
      async () => {
        const { metadata, status } = await get(...ds("stuck"));
        return status.observedGeneration === metadata.generation && status.updatedNumberScheduled === 1;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );

    const once = await k.run(["rollout", "status", "ds/stuck", "-n", NS, "--watch=false"]);
    assert.deepEqual(once, { code: 0, stdout: waiting, stderr: "" });

    const started = Date.now();
    const timedOut = await k.run(["rollout", "status", "ds/stuck", "-n", NS, "--timeout=2s"]);
    const took = Date.now() - started;
    assert.equal(timedOut.code, 1);
    assert.equal(timedOut.stderr, "error: timed out waiting for the condition\n");
    assert.ok(
      linesOf(timedOut.stdout).every((l) => `${l}\n` === waiting),
      timedOut.stdout,
    );
    assert.ok(took >= 2000 && took < 10_000, `took ${took} ms`);

    assert.equal(await k.ok(["rollout", "undo", "ds/stuck", "-n", NS]), "daemonset.apps/stuck rolled back\n");
    await rolledOut(k, NS, "stuck");
    const after = await readyPods(k, NS, "app=stuck", 2);
    const kept = after.filter((p) => before.some((b) => b.metadata.name === p.metadata.name));
    assert.equal(kept.length, 1, "the pod the update never reached keeps running");
    const hash = before[0].metadata.labels["controller-revision-hash"];
    for (const pod of after) assert.equal(pod.metadata.labels["controller-revision-hash"], hash);
  });

  it("status refuses an OnDelete DaemonSet with upstream's error", async () => {
    const r = await k.run(["rollout", "status", "ds/manual", "-n", NS]);
    assert.deepEqual(r, {
      code: 1,
      stdout: "",
      stderr: "error: rollout status is only available for RollingUpdate strategy type\n",
    });
  });

  it("OnDelete: a new template reaches a node only when its pod is deleted", async () => {
    const before = await podsOf(k, NS, "app=manual");
    await k.ok(["set", "image", "ds/manual", "main=busybox:1.37", "-n", NS]);
    await waitFor("the second revision", async () => {
      const revisions = await get("controllerrevisions", "-n", NS, "-l", "app=manual");
      return revisions.items.length === 2;
    });
    const unchanged = await podsOf(k, NS, "app=manual");
    assert.deepEqual(
      unchanged.map((p) => [p.metadata.name, p.spec.containers[0].image]),
      before.map((p) => [p.metadata.name, "busybox:1.36"]),
    );
    await k.ok(["delete", "pod", before[0].metadata.name, "-n", NS]);
    const replaced = await waitFor("a replacement with the new image", async () => {
      const pods = await podsOf(k, NS, "app=manual");
      const fresh = pods.find(
        (p) => p.metadata.name !== before[0].metadata.name && p.metadata.name !== before[1].metadata.name,
      );
      return fresh && pods.length === 2 ? pods : undefined;
    });
    assert.deepEqual(replaced.map((p) => p.spec.containers[0].image).sort(), [
      "busybox:1.36",
      "busybox:1.37",
    ]);
  });

  it("history lists revisions with the change-cause the DaemonSet carried when each was created", async () => {
    assert.equal(await k.ok(["rollout", "history", "ds/web", "-n", NS]), historyText("web", [[1, "<none>"]]));

    const cause = "kubectl set image ds/web main=busybox:1.37";
    assert.equal(
      await k.ok(["annotate", ...ds("web"), `kubernetes.io/change-cause=${cause}`]),
      annotatedLine(await k.clientMinor(), "daemonset.apps/web"),
    );
    await k.ok(["set", "image", "ds/web", "main=busybox:1.37", "-n", NS]);
    await rolledOut(k, NS, "web");
    assert.equal(
      await k.ok(["rollout", "history", "daemonset/web", "-n", NS]),
      historyText("web", [
        [1, "<none>"],
        [2, cause],
      ]),
    );
    const revisions = parseTable(await k.ok(["get", "controllerrevisions", "-n", NS, "-l", "app=web"]));
    assert.deepEqual(revisions.header, ["NAME", "CONTROLLER", "REVISION", "AGE"]);
    assert.deepEqual(column(revisions, "CONTROLLER"), ["daemonset.apps/web", "daemonset.apps/web"]);
    assert.deepEqual(column(revisions, "REVISION").sort(), ["1", "2"]);
  });

  it("history --revision=N prints that revision's pod template", async () => {
    const scheduling = describesTemplateScheduling(await k.clientMinor())
      ? ["  Node-Selectors:\t<none>", "  Tolerations:\t<none>"]
      : [];
    const template = (img: string) =>
      [
        "Pod Template:",
        "  Labels:\tapp=web",
        "  Containers:",
        "   main:",
        `    Image:\t${img}`,
        "    Port:\t<none>",
        "    Host Port:\t<none>",
        "    Environment:\t<none>",
        "    Mounts:\t<none>",
        "  Volumes:\t<none>",
        ...scheduling,
        "",
      ].join("\n");
    assert.equal(
      await k.ok(["rollout", "history", "ds/web", "-n", NS, "--revision=2"]),
      `daemonset.apps/web with revision #2\n${template("busybox:1.37")}\n`,
    );
    assert.equal(
      await k.ok(["rollout", "history", "ds/web", "-n", NS, "--revision=1"]),
      `daemonset.apps/web with revision #1\n${template("busybox:1.36")}\n`,
    );
    const missing = await k.run(["rollout", "history", "ds/web", "-n", NS, "--revision=9"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "error: unable to find the specified revision\n");
  });

  it("undo rolls back to the previous revision, which becomes the newest number", async () => {
    assert.equal(await k.ok(["rollout", "undo", "ds/web", "-n", NS]), "daemonset.apps/web rolled back\n");
    await rolledOut(k, NS, "web");
    assert.equal(await image("web"), "busybox:1.36");
    // Revision 1 was renumbered 3; it keeps the annotations it was created with.
    assert.equal(
      await k.ok(["rollout", "history", "ds/web", "-n", NS]),
      historyText("web", [
        [2, "kubectl set image ds/web main=busybox:1.37"],
        [3, "<none>"],
      ]),
    );
    for (const pod of await readyPods(k, NS, "app=web", 2)) {
      assert.equal(pod.spec.containers[0].image, "busybox:1.36");
    }
  });

  it("undo --to-revision picks a revision, refuses a missing one and skips the current one", async () => {
    const missing = await k.run(["rollout", "undo", "ds/web", "-n", NS, "--to-revision=1"]);
    assert.deepEqual(missing, {
      code: 1,
      stdout: "",
      stderr: "error: unable to find specified revision 1 in history\n",
    });

    assert.equal(
      await k.ok(["rollout", "undo", "ds/web", "-n", NS, "--to-revision=2"]),
      "daemonset.apps/web rolled back\n",
    );
    await rolledOut(k, NS, "web");
    assert.equal(await image("web"), "busybox:1.37");
    assert.equal(
      await k.ok(["rollout", "history", "ds/web", "-n", NS]),
      historyText("web", [
        [3, "<none>"],
        [4, "kubectl set image ds/web main=busybox:1.37"],
      ]),
    );

    assert.equal(
      await k.ok(["rollout", "undo", "ds/web", "-n", NS, "--to-revision=4"]),
      "daemonset.apps/web skipped rollback (current template already matches revision 4)\n",
    );
    assert.equal((await get(...ds("web"))).metadata.generation, 4, "a skipped rollback writes nothing");
  });

  it("undo of a DaemonSet with a single revision has nothing to roll back to", async () => {
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([daemonSetWith("fresh", NS)]) });
    await waitFor("the first revision", async () => {
      const revisions = await get("controllerrevisions", "-n", NS, "-l", "app=fresh");
      return revisions.items.length === 1;
    });
    const r = await k.run(["rollout", "undo", "ds/fresh", "-n", NS]);
    assert.deepEqual(r, { code: 1, stdout: "", stderr: "error: no last revision to roll back to\n" });
  });

  it("restart replaces every pod by stamping kubectl.kubernetes.io/restartedAt on the template", async () => {
    const before = await readyPods(k, NS, "app=web", 2);
    const started = Date.now();
    assert.equal(await k.ok(["rollout", "restart", "ds/web", "-n", NS]), "daemonset.apps/web restarted\n");
    const stamp = (await get(...ds("web"))).spec.template.metadata.annotations[
      "kubectl.kubernetes.io/restartedAt"
    ];
    assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(Date.parse(stamp) - started) < 5000, stamp);

    await rolledOut(k, NS, "web");
    const after = await readyPods(k, NS, "app=web", 2);
    for (const pod of after) {
      assert.ok(
        !before.some((b) => b.metadata.name === pod.metadata.name),
        `${pod.metadata.name} was replaced`,
      );
      assert.equal(pod.metadata.annotations["kubectl.kubernetes.io/restartedAt"], stamp);
      assert.equal(pod.spec.containers[0].image, "busybox:1.37");
    }
    // The new revision copies the DaemonSet's annotations, the change-cause set earlier included.
    assert.match(
      await k.ok(["rollout", "history", "ds/web", "-n", NS]),
      /\n5 {9}kubectl set image ds\/web main=busybox:1\.37\n\n$/,
    );
  });

  it("pause and resume are refused: DaemonSets cannot be paused", async () => {
    const paused = await k.run(["rollout", "pause", "ds/web", "-n", NS]);
    assert.deepEqual(paused, {
      code: 1,
      stdout: "",
      stderr: 'error: daemonsets.apps "web" pausing is not supported\n',
    });
    const resumed = await k.run(["rollout", "resume", "ds/web", "-n", NS]);
    assert.equal(resumed.stderr, 'error: daemonsets.apps "web" resuming is not supported\n');
  });

  it("set env and set resources roll out a new template; pods default requests to their limits", async () => {
    assert.equal(
      await k.ok(["set", "env", "ds/tuned", "FOO=bar", "-n", NS]),
      "daemonset.apps/tuned env updated\n",
    );
    assert.equal(
      await k.ok(["set", "env", "ds/tuned", "--list", "-n", NS]),
      "# DaemonSet tuned, container main\nFOO=bar\n",
    );
    await rolledOut(k, NS, "tuned");
    for (const pod of await readyPods(k, NS, "app=tuned", 2)) {
      assert.deepEqual(pod.spec.containers[0].env, [{ name: "FOO", value: "bar" }]);
    }

    assert.equal(
      await k.ok(["set", "resources", "ds/tuned", "--limits=cpu=200m", "-n", NS]),
      "daemonset.apps/tuned resource requirements updated\n",
    );
    assert.deepEqual((await get(...ds("tuned"))).spec.template.spec.containers[0].resources, {
      limits: { cpu: "200m" },
    });
    await rolledOut(k, NS, "tuned");
    for (const pod of await readyPods(k, NS, "app=tuned", 2)) {
      assert.deepEqual(pod.spec.containers[0].resources, {
        limits: { cpu: "200m" },
        requests: { cpu: "200m" },
      });
    }
    assert.match(await k.ok(["rollout", "history", "ds/tuned", "-n", NS]), /\n3 {9}<none>\n\n$/);

    const wrong = await k.run(["set", "image", "ds/tuned", "nope=busybox:1.37", "-n", NS]);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr, 'error: unable to find container named "nope"\n');
  });
});
