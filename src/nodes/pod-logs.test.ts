import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import { FakeClock } from "../util/clock.js";
import { followLog, readLog, selectContainer, selectInstance } from "./pod-logs.js";
import { type PodHost, SimPod } from "./sim-pod.js";
import { testPodHost } from "./test-pod-host.js";

const T0 = Date.parse("2025-01-01T00:00:00Z");

function host(): PodHost {
  return testPodHost({ podIP: "10.244.1.2", maxLogLines: 5 });
}

const loop = ["sh", "-c", 'echo "hello from $NODE"; while true; do echo "tick $(date)"; sleep 2; done'];
function pod(containers: Record<string, unknown>[], annotations: Record<string, string> = {}): KubeObject {
  return {
    metadata: { name: "web", namespace: "default", uid: "u", annotations },
    spec: { nodeName: "node1", containers },
  };
}
const busybox = {
  name: "app",
  image: "busybox",
  command: loop,
  env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
};

function runUntil(sim: SimPod, until: number): void {
  for (let next = sim.nextDueAt(); next !== undefined && next <= until; next = sim.nextDueAt())
    sim.advance(next);
}

describe("pod logs", () => {
  it("prints a shell script's echoes, its loop as time passes, and the last lines of a ring", () => {
    const sim = new SimPod(pod([busybox]), host(), T0);
    runUntil(sim, T0 + 50);
    const log = sim.container("app")?.currentLog;
    // The loop echoes once as it starts, then after every sleep, as a real shell does.
    assert.deepEqual(readLog(log, {}, T0 + 4100), [
      "hello from node1",
      "tick Wed Jan  1 00:00:00 UTC 2025",
      "tick Wed Jan  1 00:00:02 UTC 2025",
      "tick Wed Jan  1 00:00:04 UTC 2025",
    ]);
    assert.equal(readLog(log, {}, T0 + 60_000).length, 5, "bounded by maxLogLines");
    assert.deepEqual(readLog(log, { tailLines: 1, timestamps: true }, T0 + 4100), [
      "2025-01-01T00:00:04.05Z tick Wed Jan  1 00:00:04 UTC 2025",
    ]);
    assert.deepEqual(readLog(log, { sinceTime: "2025-01-01T00:00:03Z" }, T0 + 4100), [
      "tick Wed Jan  1 00:00:04 UTC 2025",
    ]);
    assert.deepEqual(readLog(log, { limitBytes: 8 }, T0 + 4100), ["hello fr"]);
  });

  it("selects containers and instances with the API server's and kubelet's messages", () => {
    const sim = new SimPod(pod([busybox, { name: "side", image: "nginx" }]), host(), T0);
    assert.throws(() => selectContainer(sim, undefined), {
      message: "a container name must be specified for pod web, choose one of: [app side]",
    });
    assert.throws(() => selectContainer(sim, "nope"), { message: "container nope is not valid for pod web" });
    const app = selectContainer(sim, "app");
    assert.throws(() => selectInstance(sim, app, false), {
      message: 'container "app" in pod "web" is waiting to start: ContainerCreating',
    });
    runUntil(sim, T0 + 50);
    assert.throws(() => selectInstance(sim, app, true), {
      message: 'previous terminated container "app" in pod "web" not found',
    });
    assert.equal(selectInstance(sim, app, false), app.containerID);

    const failing = new SimPod(pod([{ name: "app", image: "nginx:non-existent" }]), host(), T0);
    runUntil(failing, T0 + 50);
    assert.throws(() => selectInstance(failing, failing.containers[0], false), {
      message: `container "app" in pod "web" is waiting to start: image can't be pulled`,
    });
  });

  it("follows new lines until the container stops", async () => {
    const clock = new FakeClock(T0 + 50);
    const sim = new SimPod(pod([busybox], { "sim.everynode.dev/crash": "true" }), host(), T0);
    runUntil(sim, T0 + 50);
    const log = sim.container("app")?.currentLog;
    const lines: string[] = [];
    const done = (async () => {
      for await (const line of followLog(log, { follow: true }, clock)) lines.push(line);
    })();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(lines, ["hello from node1", "tick Wed Jan  1 00:00:00 UTC 2025"]);
    clock.advance(1000);
    runUntil(sim, clock.now());
    await done;
    assert.deepEqual(lines, [
      "hello from node1",
      "tick Wed Jan  1 00:00:00 UTC 2025",
      "app: exiting with status 1 (simulated)",
    ]);
  });
});
