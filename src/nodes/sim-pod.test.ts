import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import { podStatusDiffers } from "./pod-status-diff.js";
import { type PodTimings, SimPod } from "./sim-pod.js";
import { testPodHost } from "./test-pod-host.js";

const T0 = Date.parse("2025-01-01T00:00:00Z");

function fakeHost(timings: Partial<PodTimings> = {}) {
  return testPodHost({ hostIP: "10.0.0.2", timings });
}

function pod(o: {
  annotations?: Record<string, string>;
  containers?: Record<string, unknown>[];
  initContainers?: Record<string, unknown>[];
  restartPolicy?: string;
  grace?: number;
}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "default", uid: "uid-1", annotations: o.annotations ?? {} },
    spec: {
      nodeName: "node1",
      restartPolicy: o.restartPolicy ?? "Always",
      terminationGracePeriodSeconds: o.grace ?? 30,
      containers: o.containers ?? [{ name: "app", image: "nginx:1.25", imagePullPolicy: "IfNotPresent" }],
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
    },
    status: { phase: "Pending" },
  };
}

/** Advances `sim` step by step (as the fleet's timers would) until `until`. */
function runUntil(sim: SimPod, until: number): void {
  for (let next = sim.nextDueAt(); next !== undefined && next <= until; next = sim.nextDueAt())
    sim.advance(next);
}

const condition = (sim: SimPod, type: string) =>
  (sim.status().conditions as Record<string, unknown>[]).find((c) => c.type === type);
const container = (sim: SimPod, i = 0) => (sim.status().containerStatuses as Record<string, any>[])[i];
const state = (sim: SimPod, i = 0) => {
  const s = container(sim, i).state;
  return s.running
    ? "running"
    : s.terminated
      ? `terminated:${s.terminated.reason}:${s.terminated.exitCode}`
      : `waiting:${s.waiting.reason}`;
};

describe("SimPod", () => {
  it("creates the container, then runs it ready after the start delay", () => {
    const host = fakeHost();
    const sim = new SimPod(pod({}), host, T0);
    assert.equal(sim.phase, "Pending");
    assert.equal(state(sim), "waiting:ContainerCreating");
    assert.equal(sim.status().podIP, "10.244.1.2");
    assert.equal(sim.status().hostIP, "10.0.0.2");
    assert.deepEqual(condition(sim, "Initialized"), {
      type: "Initialized",
      status: "True",
      lastTransitionTime: "2025-01-01T00:00:00Z",
    });
    assert.equal(condition(sim, "Ready")?.reason, "ContainersNotReady");
    assert.equal(condition(sim, "Ready")?.message, "containers with unready status: [app]");
    assert.equal(sim.nextDueAt(), T0 + 50);

    runUntil(sim, T0 + 50);
    assert.equal(sim.phase, "Running");
    assert.equal(state(sim), "running");
    const status = container(sim);
    assert.equal(status.ready, true);
    assert.equal(status.started, true);
    assert.equal(status.image, "docker.io/library/nginx:1.25");
    assert.match(status.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.match(status.containerID, /^everynode:\/\/[0-9a-f]{64}$/);
    assert.equal(condition(sim, "Ready")?.status, "True");
    assert.equal(sim.nextDueAt(), undefined);
    assert.deepEqual(host.events.slice(2), [
      "Normal Created: Created container: app",
      "Normal Started: Started container app",
    ]);
    // The node had no copy of the image: the kubelet pulled it (IfNotPresent).
    assert.equal(host.events[0], 'Normal Pulling: Pulling image "nginx:1.25"');
    assert.match(
      host.events[1],
      /^Normal Pulled: Successfully pulled image "nginx:1\.25" in 50ms \(50ms including waiting\)\. Image size: \d+ bytes\.$/,
    );
  });

  it("finds an image an earlier pod pulled already present on the node; Always pulls it again", () => {
    const host = fakeHost();
    const first = new SimPod(pod({}), host, T0);
    runUntil(first, T0 + 50);
    host.events.length = 0;
    const second = new SimPod(pod({}), host, T0 + 100);
    runUntil(second, T0 + 150);
    assert.equal(host.events[0], 'Normal Pulled: Container image "nginx:1.25" already present on machine');
    host.events.length = 0;
    const always = new SimPod(
      pod({ containers: [{ name: "app", image: "nginx:1.25", imagePullPolicy: "Always" }] }),
      host,
      T0 + 200,
    );
    runUntil(always, T0 + 250);
    assert.equal(host.events[0], 'Normal Pulling: Pulling image "nginx:1.25"');
  });

  it("runs init containers to completion first", () => {
    const sim = new SimPod(
      pod({
        initContainers: [{ name: "setup", image: "busybox:1.36", command: ["sh", "-c", "echo init done"] }],
      }),
      fakeHost(),
      T0,
    );
    assert.equal(state(sim), "waiting:PodInitializing");
    assert.equal(condition(sim, "Initialized")?.message, "containers with incomplete status: [setup]");
    runUntil(sim, T0 + 50);
    assert.equal((sim.status().initContainerStatuses as any[])[0].state.running !== undefined, true);
    assert.equal(sim.phase, "Pending");
    runUntil(sim, T0 + 60);
    const init = (sim.status().initContainerStatuses as any[])[0];
    assert.equal(init.state.terminated.reason, "Completed");
    assert.equal(init.ready, true, "a completed init container reads ready");
    assert.equal(condition(sim, "Initialized")?.status, "True");
    assert.equal(state(sim), "waiting:ContainerCreating");
    runUntil(sim, T0 + 110);
    assert.equal(sim.phase, "Running");
    assert.equal(sim.container("setup")?.currentLog?.linesUntil(T0 + 110)[0]?.text, "init done");
  });

  for (const [what, annotations, image] of [
    ["the pull annotation", { "sim.everynode.dev/pull": "fail" }, "nginx:1.25"],
    ["a non-existent tag", {}, "nginx:non-existent"],
  ] as const) {
    it(`fails image pulls for ${what}: ErrImagePull, ImagePullBackOff, retries with back-off`, () => {
      const host = fakeHost();
      const sim = new SimPod(pod({ annotations, containers: [{ name: "app", image }] }), host, T0);
      runUntil(sim, T0 + 50);
      assert.equal(state(sim), "waiting:ErrImagePull");
      assert.match(
        container(sim).state.waiting.message,
        /^Failed to pull image "nginx:.*": rpc error: code = NotFound/,
      );
      runUntil(sim, T0 + 1050);
      assert.equal(state(sim), "waiting:ImagePullBackOff");
      assert.equal(container(sim).state.waiting.message, `Back-off pulling image "${image}"`);
      assert.equal(sim.phase, "Pending");
      assert.equal(sim.nextDueAt(), T0 + 10_050);
      runUntil(sim, T0 + 10_050);
      assert.equal(state(sim), "waiting:ErrImagePull");
      runUntil(sim, T0 + 11_050);
      assert.equal(sim.nextDueAt(), T0 + 30_050, "the second back-off doubles to 20s");
      assert.equal(container(sim).image, image, "an image never pulled is shown as written");
      assert.ok(host.events.includes("Warning Failed: Error: ImagePullBackOff"));
    });
  }

  it("crash-loops with the kubelet's back-off: immediate, then 10s, 20s", () => {
    const host = fakeHost();
    const sim = new SimPod(pod({ annotations: { "sim.everynode.dev/crash": "true" } }), host, T0);
    runUntil(sim, T0 + 1050);
    assert.equal(state(sim), "terminated:Error:1");
    assert.equal(container(sim).restartCount, 0);
    runUntil(sim, T0 + 2050);
    assert.equal(state(sim), "running", "the first restart is immediate");
    assert.equal(container(sim).restartCount, 1);
    assert.equal(container(sim).lastState.terminated.exitCode, 1);
    runUntil(sim, T0 + 4050);
    assert.equal(state(sim), "waiting:CrashLoopBackOff");
    assert.equal(
      container(sim).state.waiting.message,
      "back-off 10s restarting failed container=app pod=web_default(uid-1)",
    );
    assert.equal(sim.phase, "Running");
    assert.equal(condition(sim, "Ready")?.status, "False");
    runUntil(sim, T0 + 13_049);
    assert.equal(state(sim), "waiting:CrashLoopBackOff");
    runUntil(sim, T0 + 13_050);
    assert.equal(state(sim), "running");
    assert.equal(container(sim).restartCount, 2);
    runUntil(sim, T0 + 15_050);
    assert.match(container(sim).state.waiting.message, /^back-off 20s /);
    assert.ok(
      host.events.includes(
        "Warning BackOff: Back-off restarting failed container app in pod web_default(uid-1)",
      ),
    );
  });

  const exits: [string, string, string, string][] = [
    ["Never", "0", "Succeeded", "terminated:Completed:0"],
    ["Never", "3", "Failed", "terminated:Error:3"],
    ["OnFailure", "0", "Succeeded", "terminated:Completed:0"],
    ["OnFailure", "2", "Running", "running"],
    ["Always", "0", "Running", "running"],
  ];
  for (const [restartPolicy, code, phase, after] of exits) {
    it(`exit-code ${code} with restartPolicy ${restartPolicy} ends ${phase}`, () => {
      const sim = new SimPod(
        pod({ restartPolicy, annotations: { "sim.everynode.dev/exit-code": code } }),
        fakeHost(),
        T0,
      );
      runUntil(sim, T0 + 2050);
      assert.equal(sim.phase, phase);
      assert.equal(state(sim), after);
      if (phase === "Succeeded") {
        assert.equal(condition(sim, "Ready")?.reason, "PodCompleted");
        assert.equal(condition(sim, "PodReadyToStartContainers")?.status, "False");
      }
      if (after === "running") assert.equal(container(sim).lastState.terminated.exitCode, Number(code));
    });
  }

  it("never becomes ready with ready: false, and honours start-delay and ready-delay", () => {
    const never = new SimPod(pod({ annotations: { "sim.everynode.dev/ready": "false" } }), fakeHost(), T0);
    runUntil(never, T0 + 60_000);
    assert.equal(never.phase, "Running");
    assert.equal(container(never).ready, false);
    assert.equal(condition(never, "Ready")?.status, "False");

    const delayed = new SimPod(
      pod({
        annotations: { "sim.everynode.dev/start-delay": "2s", "sim.everynode.dev/ready-delay": "500ms" },
      }),
      fakeHost(),
      T0,
    );
    runUntil(delayed, T0 + 1999);
    assert.equal(state(delayed), "waiting:ContainerCreating");
    runUntil(delayed, T0 + 2000);
    assert.equal(state(delayed), "running");
    assert.equal(container(delayed).ready, false);
    runUntil(delayed, T0 + 2500);
    assert.equal(container(delayed).ready, true);
  });

  it("follows annotation changes on a running pod", () => {
    const sim = new SimPod(pod({}), fakeHost(), T0);
    runUntil(sim, T0 + 50);
    sim.update(
      pod({ annotations: { "sim.everynode.dev/crash": "true", "sim.everynode.dev/ready": "false" } }),
      T0 + 100,
    );
    assert.equal(container(sim).ready, false);
    runUntil(sim, T0 + 1100);
    assert.equal(state(sim), "terminated:Error:1");
  });

  const terminations: [string, Record<string, unknown> | undefined, number, number, number][] = [
    ["without preStop stops at once", undefined, 30, 0, 0],
    ["waits for a preStop sleep", { sleep: { seconds: 5 } }, 30, 5000, 0],
    ["reads sleep from an exec preStop", { exec: { command: ["/bin/sh", "-c", "sleep 3"] } }, 30, 3000, 0],
    ["kills at the grace period", { sleep: { seconds: 60 } }, 10, 10_000, 137],
  ];
  for (const [what, preStop, grace, stopsAfter, exitCode] of terminations) {
    it(`graceful deletion ${what}`, () => {
      const spec = { name: "app", image: "nginx:1.25", ...(preStop ? { lifecycle: { preStop } } : {}) };
      const sim = new SimPod(pod({ containers: [spec], grace }), fakeHost(), T0);
      runUntil(sim, T0 + 50);
      sim.startTermination(T0 + 100);
      if (stopsAfter > 0) {
        runUntil(sim, T0 + 100 + stopsAfter - 1);
        assert.equal(sim.finished, false);
      }
      runUntil(sim, T0 + 100 + stopsAfter);
      assert.equal(sim.finished, true);
      assert.equal(state(sim), `terminated:${exitCode === 0 ? "Completed" : "Error"}:${exitCode}`);
      assert.equal(sim.phase, exitCode === 0 ? "Succeeded" : "Failed");
    });
  }

  it("adopts what an earlier run reported, without changing it", () => {
    const first = new SimPod(pod({}), fakeHost(), T0);
    runUntil(first, T0 + 50);
    const reported = { ...pod({}), status: first.status() };
    const second = new SimPod(reported, fakeHost(), T0 + 60_000);
    assert.equal(podStatusDiffers(first.status(), second.status()), false);
    assert.equal(second.nextDueAt(), undefined);
    assert.equal(
      second.container("app")?.currentLog?.linesUntil(T0 + 60_000).length,
      16,
      "nginx start-up lines",
    );
  });

  it("keeps the previous instance's log after a restart", () => {
    const sim = new SimPod(
      pod({
        annotations: { "sim.everynode.dev/crash": "true" },
        containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "echo starting $(hostname)"] }],
      }),
      fakeHost(),
      T0,
    );
    runUntil(sim, T0 + 2050);
    const c = sim.container("app")!;
    assert.equal(c.restartCount, 1);
    const previous = c.instanceLog(c.lastTerminated?.containerID)!;
    assert.deepEqual(
      previous.linesUntil(T0 + 3000).map((l) => l.text),
      ["starting web", "app: exiting with status 1 (simulated)"],
    );
    assert.notEqual(c.currentLog, previous);
  });

  describe("probes", () => {
    const http = { httpGet: { path: "/ready", port: 8080, scheme: "HTTP" } };
    const probed = (probes: Record<string, unknown>, annotations: Record<string, string> = {}) =>
      pod({ annotations, containers: [{ name: "app", image: "nginx:1.25", ...probes }] });
    const unhealthy = (host: { events: string[] }) => host.events.filter((e) => e.includes("Unhealthy"));
    /** The container turns ready at `at` exactly: not a millisecond before. */
    const turnsReadyAt = (sim: SimPod, at: number) => {
      runUntil(sim, at - 1);
      assert.equal(container(sim).ready, false, `not ready before ${at - T0} ms`);
      runUntil(sim, at);
      assert.equal(container(sim).ready, true, `ready at ${at - T0} ms`);
    };

    it("turns ready at the prober's first tick after the initial delay, not before", () => {
      const host = fakeHost();
      const readinessProbe = { ...http, initialDelaySeconds: 5, periodSeconds: 10 };
      const sim = new SimPod(probed({ readinessProbe }), host, T0);
      runUntil(sim, T0 + 9_999);
      assert.equal(state(sim), "running");
      assert.equal(container(sim).started, true);
      assert.equal(container(sim).ready, false);
      assert.equal(condition(sim, "Ready")?.status, "False");
      // The worker ticks every 10 s from the pod's admission; the tick at 10 s is the first past the 5 s delay.
      runUntil(sim, T0 + 10_000);
      assert.equal(container(sim).ready, true);
      assert.equal(condition(sim, "Ready")?.lastTransitionTime, "2025-01-01T00:00:10Z");
      assert.deepEqual(unhealthy(host), []);
      assert.equal(sim.nextDueAt(), undefined, "a passing probe of a ready container is not run again");
    });

    it("runs the probe as the container starts when there is no initial delay", () => {
      const sim = new SimPod(probed({ readinessProbe: { ...http, periodSeconds: 10 } }), fakeHost(), T0);
      runUntil(sim, T0 + 50);
      assert.equal(container(sim).ready, true);
    });

    it("waits for successThreshold passes in a row", () => {
      const readinessProbe = { ...http, periodSeconds: 2, successThreshold: 3 };
      turnsReadyAt(new SimPod(probed({ readinessProbe }), fakeHost(), T0), T0 + 4_000);
    });

    it("holds readiness and `started` back until the startup probe passes", () => {
      const startupProbe = { ...http, periodSeconds: 5, failureThreshold: 30 };
      const sim = new SimPod(probed({ startupProbe, readinessProbe: http }), fakeHost(), T0);
      runUntil(sim, T0 + 4_999);
      assert.equal(state(sim), "running");
      assert.equal(container(sim).started, false);
      assert.equal(container(sim).ready, false);
      runUntil(sim, T0 + 5_000);
      assert.equal(container(sim).started, true);
      assert.equal(container(sim).ready, true);

      turnsReadyAt(new SimPod(probed({ startupProbe }), fakeHost(), T0), T0 + 5_000);
    });

    it("fails while the application is not up yet (ready-delay), one Unhealthy event per run", () => {
      const host = fakeHost();
      const sim = new SimPod(
        probed(
          { readinessProbe: { ...http, periodSeconds: 10 } },
          { "sim.everynode.dev/ready-delay": "15s" },
        ),
        host,
        T0,
      );
      turnsReadyAt(sim, T0 + 20_000);
      assert.deepEqual(unhealthy(host), [
        "Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503",
        "Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503",
      ]);
    });

    it("never passes with ready: false, and passes at the next run once the annotation goes", () => {
      const host = fakeHost();
      const tcp = { tcpSocket: { port: "web" }, periodSeconds: 10 };
      const spec = { name: "app", image: "nginx:1.25", ports: [{ name: "web", containerPort: 8080 }] };
      const never = { "sim.everynode.dev/ready": "false" };
      const sim = new SimPod(
        pod({ annotations: never, containers: [{ ...spec, readinessProbe: tcp }] }),
        host,
        T0,
      );
      runUntil(sim, T0 + 30_000);
      assert.equal(container(sim).ready, false);
      assert.equal(unhealthy(host).length, 4, "at start, 10 s, 20 s and 30 s");
      assert.equal(
        unhealthy(host)[0],
        "Warning Unhealthy: Readiness probe failed: dial tcp 10.244.1.2:8080: connect: connection refused",
      );
      sim.update(pod({ containers: [{ ...spec, readinessProbe: tcp }] }), T0 + 31_000);
      turnsReadyAt(sim, T0 + 40_000);
    });

    it("turns a ready container unready after failureThreshold failed runs", () => {
      const host = fakeHost();
      const readinessProbe = { ...http, periodSeconds: 10, failureThreshold: 3 };
      const sim = new SimPod(probed({ readinessProbe }), host, T0);
      runUntil(sim, T0 + 50);
      assert.equal(container(sim).ready, true);
      sim.update(probed({ readinessProbe }, { "sim.everynode.dev/ready": "false" }), T0 + 1_000);
      runUntil(sim, T0 + 29_999);
      assert.equal(container(sim).ready, true, "two failures: still ready");
      runUntil(sim, T0 + 30_000);
      assert.equal(container(sim).ready, false);
      assert.equal(unhealthy(host).length, 3);
    });

    it("starts probing afresh after a restart, counting the initial delay from the new start", () => {
      const readinessProbe = { ...http, initialDelaySeconds: 3, periodSeconds: 1 };
      const sim = new SimPod(
        probed({ readinessProbe }, { "sim.everynode.dev/crash": "true" }),
        fakeHost({ exitAfterMs: 10_000 }),
        T0,
      );
      // Started at 0.05 s: the tick at 3 s is 2.95 s in, the one at 4 s the first to count.
      turnsReadyAt(sim, T0 + 4_000);
      runUntil(sim, T0 + 10_050);
      assert.equal(container(sim).ready, false, "exited");
      // The kubelet notices 1 s later and restarts at once (the first back-off is zero): started at 11.05 s.
      runUntil(sim, T0 + 11_050);
      assert.equal(container(sim).restartCount, 1);
      turnsReadyAt(sim, T0 + 15_000);
    });
  });

  it("runs an ephemeral container added to a running pod (kubectl debug): never ready, ended by its process", () => {
    const host = fakeHost();
    const sim = new SimPod(pod({}), host, T0);
    runUntil(sim, T0 + 50);
    const debug = {
      name: "debugger",
      image: "busybox:1.36",
      stdin: true,
      tty: true,
      targetContainerName: "app",
    };
    const debugged = pod({});
    debugged.spec.ephemeralContainers = [debug];
    sim.update(debugged, T0 + 1_000);
    assert.equal(
      (sim.status().ephemeralContainerStatuses as any[])[0].state.waiting.reason,
      "ContainerCreating",
    );
    runUntil(sim, T0 + 1_050);
    const running = (sim.status().ephemeralContainerStatuses as any[])[0];
    assert.ok(running.state.running);
    assert.equal(running.ready, false);
    assert.ok(host.events.includes("Normal Started: Started container debugger"));
    assert.equal(condition(sim, "Ready")?.status, "True", "the pod's readiness does not depend on it");
    const id = sim.container("debugger")?.containerID;
    assert.equal(sim.processExited("debugger", id, 0, T0 + 5_000), true);
    runUntil(sim, T0 + 60_000);
    const ended = (sim.status().ephemeralContainerStatuses as any[])[0];
    assert.equal(ended.state.terminated.reason, "Completed");
    assert.equal(ended.restartCount, 0, "never restarted");
    assert.equal(sim.phase, "Running");
  });
});
