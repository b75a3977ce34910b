// End-to-end: `kubectl logs` from the node fleet's simulated containers (a shell loop that ticks every second):
// whole logs, --tail, --timestamps, -l with --prefix, logs ds/NAME, -f streaming (ended by the client's timeout or
// by the pod going away), -p after a crash restart; and `kubectl wait` for conditions, jsonpath and deletion.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { daemonSetWith, linesOf, podsOf, readyPods, TICKER_SCRIPT } from "./support/day2.js";
import { getJson } from "./support/get-json.js";
import { namespace, toYaml } from "./support/manifests.js";
import { waitFor } from "./support/wait.js";

const NS = "logs";
/** A line the ticker prints, `date` as busybox formats it. */
const TICK = /^tick [A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/;
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
const ticker = { command: ["sh", "-c", TICKER_SCRIPT] };

describe("kubectl logs and kubectl wait", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  let talkers: string[];
  const logs = (...args: string[]) => k.ok(["logs", "-n", NS, ...args]);

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([
        namespace(NS),
        daemonSetWith("talker", NS, ticker),
        daemonSetWith("crasher", NS, {
          ...ticker,
          templateAnnotations: { "sim.everynode.dev/crash": "true" },
          podSpec: { nodeSelector: { "kubernetes.io/hostname": "node1" } },
        }),
        daemonSetWith("unready", NS, {
          templateAnnotations: { "sim.everynode.dev/ready": "false" },
          podSpec: { nodeSelector: { "kubernetes.io/hostname": "node1" } },
        }),
        // Pods that take six seconds to stop (a preStop sleep), so a deletion can be watched even when each
        // kubectl run takes a second on a loaded machine.
        daemonSetWith("lingering", NS, {
          podSpec: { terminationGracePeriodSeconds: 15, nodeSelector: { "kubernetes.io/hostname": "node2" } },
          container: { lifecycle: { preStop: { exec: { command: ["sleep", "6"] } } } },
        }),
      ]),
    });
    talkers = (await readyPods(k, NS, "app=talker", 2)).map((p) => p.metadata.name);
    // Three ticks on each pod.
    await waitFor(
      "three ticks in every talker's log",
      async () => {
        const all = await Promise.all(talkers.map((pod) => logs(pod)));
        return all.every((text) => linesOf(text).length >= 4);
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
  });
  after(() => cluster?.stop());

  it("logs prints what the container wrote, in order", async () => {
    const [first, ...ticks] = linesOf(await logs(talkers[0]));
    assert.equal(first, `hello from ${talkers[0]}`);
    assert.ok(ticks.length >= 3);
    for (const line of ticks) assert.match(line, TICK);
  });

  it("--tail=N prints the last N lines; --timestamps prefixes each with its RFC 3339 time", async () => {
    const tail = linesOf(await logs(talkers[0], "--tail=2"));
    assert.equal(tail.length, 2);
    const full = linesOf(await logs(talkers[0]));
    const at = full.indexOf(tail[0]);
    assert.ok(at > 0 && full[at + 1] === tail[1], "the tail is two consecutive lines of the log");

    const stamped = linesOf(await logs(talkers[0], "--tail=3", "--timestamps"));
    assert.equal(stamped.length, 3);
    const times = stamped.map((line) => {
      const space = line.indexOf(" ");
      assert.match(line.slice(0, space), RFC3339_NANO);
      assert.match(line.slice(space + 1), TICK);
      return Date.parse(line.slice(0, space));
    });
    assert.ok(times[0] < times[1] && times[1] < times[2], "one tick a second");
  });

  it("-l selects every pod's log; --prefix names pod and container", async () => {
    const lines = linesOf(await logs("-l", "app=talker", "--prefix", "--tail=1"));
    assert.equal(lines.length, 2);
    const prefixes = lines.map((l) => l.slice(0, l.indexOf("] ") + 1)).sort();
    assert.deepEqual(prefixes, talkers.map((pod) => `[pod/${pod}/main]`).sort());
    for (const line of lines) assert.match(line.slice(line.indexOf("] ") + 2), TICK);
  });

  it("logs ds/NAME reads one of the DaemonSet's pods and says which", async () => {
    const r = await k.run(["logs", "-n", NS, "ds/talker", "--tail=1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^tick .*\n$/);
    const chosen = /^Found 2 pods, using pod\/(\S+)\n$/.exec(r.stderr)?.[1];
    assert.ok(chosen && talkers.includes(chosen), r.stderr);
  });

  it("-f streams new lines as they are written, until the client's timeout", async () => {
    const started = Date.now();
    const r = await k.run(["logs", "-n", NS, talkers[1], "-f", "--tail=1", "--request-timeout=3s"]);
    const took = Date.now() - started;
    assert.equal(r.code, 1);
    // Go's HTTP client words the same timeout two ways, depending on whether it fires mid-read.
    assert.match(
      r.stderr,
      /^error: (context deadline exceeded|net\/http: request canceled \(Client\.Timeout or context cancellation while reading body\))/,
    );
    const lines = linesOf(r.stdout);
    assert.ok(lines.length >= 2, `the tail, then a tick a second for 3 s: ${r.stdout}`);
    for (const line of lines) assert.match(line, TICK);
    assert.ok(took >= 3000 && took < 8000, `took ${took} ms`);
  });

  it("-f ends by itself when the pod's container stops", async () => {
    const [pod] = talkers;
    const follow = k.start(["logs", "-n", NS, pod, "-f", "--tail=1"]);
    await waitFor("two streamed lines", () => linesOf(follow.output()).length >= 2, { timeoutMs: 10_000 });
    await k.ok(["delete", "pod", pod, "-n", NS, "--wait=false"]);
    await Promise.race([
      follow.exited,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`still following:\n${follow.output()}`)), 15_000),
      ),
    ]);
    assert.equal(await follow.exited, 0);
    talkers = (await readyPods(k, NS, "app=talker", 2)).map((p) => p.metadata.name);
  });

  it("-p prints the previous container's log after a crash restart; without one it is a BadRequest", async () => {
    const crasher = await waitFor(
      "a restarted crasher",
      async () => {
        const [pod] = await podsOf(k, NS, "app=crasher");
        return pod?.status?.containerStatuses?.[0]?.restartCount >= 1 ? pod.metadata.name : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const previous = linesOf(await logs(crasher, "-p"));
    assert.equal(previous[0], `hello from ${crasher}`);

    const none = await k.run(["logs", "-n", NS, talkers[0], "-p"]);
    assert.equal(none.code, 1);
    assert.equal(
      none.stderr,
      `Error from server (BadRequest): previous terminated container "main" in pod "${talkers[0]}" not found\n`,
    );
    const wrong = await k.run(["logs", "-n", NS, talkers[0], "-c", "nope"]);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr, `error: container nope is not valid for pod ${talkers[0]}\n`);
  });

  it("wait --for=condition=Ready pod -l reports each pod; a pod that never gets ready times out", async () => {
    const met = await k.ok([
      "wait",
      "--for=condition=Ready",
      "pod",
      "-l",
      "app=talker",
      "-n",
      NS,
      "--timeout=20s",
    ]);
    assert.deepEqual(linesOf(met).sort(), talkers.map((pod) => `pod/${pod} condition met`).sort());

    const [unready] = await podsOf(k, NS, "app=unready");
    const r = await k.run([
      "wait",
      "--for=condition=Ready",
      `pod/${unready.metadata.name}`,
      "-n",
      NS,
      "--timeout=1s",
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: timed out waiting for the condition on pods/${unready.metadata.name}\n`);
  });

  it("wait --for=jsonpath waits for a DaemonSet's status field", async () => {
    assert.equal(
      await k.ok(["wait", "--for=jsonpath={.status.numberReady}=2", "ds/talker", "-n", NS, "--timeout=20s"]),
      "daemonset.apps/talker condition met\n",
    );
    assert.equal(
      await k.ok(["wait", "--for=jsonpath={.status.numberReady}=0", "ds/unready", "-n", NS, "--timeout=20s"]),
      "daemonset.apps/unready condition met\n",
    );
  });

  it("wait --for=delete returns once a terminating pod is gone", async () => {
    const [pod] = await readyPods(k, NS, "app=lingering", 1);
    const name = pod.metadata.name;
    assert.equal(await k.ok(["delete", "pod", name, "-n", NS, "--wait=false"]), `pod "${name}" deleted\n`);
    assert.ok((await getJson(k, "pod", name, "-n", NS)).metadata.deletionTimestamp, "still terminating");
    const started = Date.now();
    assert.equal(
      await k.ok(["wait", "--for=delete", `pod/${name}`, "-n", NS, "--timeout=20s"]),
      `pod/${name} condition met\n`,
    );
    assert.ok(Date.now() - started >= 500, "it waited for the preStop hook");
    const gone = await k.run(["get", "pod", name, "-n", NS]);
    assert.equal(gone.stderr, `Error from server (NotFound): pods "${name}" not found\n`);
  });
});
