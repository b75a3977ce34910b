import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, TestCluster } from "../../test/support/test-cluster.js";
import { microTime, rfc3339 } from "../api/kube-time.js";
import type { KubeObject } from "../api/object.js";
import { LocalClient } from "../apiserver/local-client.js";
import type { Client, ResourceType } from "../client/client.js";
import { InformerFactory } from "../informer/factory.js";
import { type Clock, FakeClock, realClock } from "../util/clock.js";
import { createLogger } from "../util/log.js";
import { NodeFleet } from "./fleet.js";
import { LEASES, NODE_LEASE_NAMESPACE, NODES } from "./node-agent.js";
import { buildNode } from "./node-template.js";

const PODS: ResourceType = { group: "", version: "v1", resource: "pods", namespaced: true, kind: "Pod" };
const silent = createLogger("test", "silent");

/** A control plane, a fleet on `clock` and the informers it needs, stopped by `stop()`. */
async function startFleet(clock: Clock, nodes: KubeObject[]) {
  const cluster = await TestCluster.start();
  const client: Client = new LocalClient(cluster.cp.registry);
  for (const node of nodes) await client.create(NODES, undefined, node);
  const informers = new InformerFactory(client, { logger: silent });
  const fleet = new NodeFleet({
    client,
    informers,
    clock,
    logger: silent,
    timings: { backOffScale: 0.001, exitAfterMs: 100 },
    random: () => 0,
  });
  const abort = new AbortController();
  const running = Promise.all([fleet.start(abort.signal), informers.start(abort.signal)]);
  const stop = async () => {
    abort.abort();
    await running;
    await cluster.stop();
  };
  return { cluster, client, informers, fleet, stop };
}

function pod(
  name: string,
  o: { node?: string; annotations?: Record<string, string>; spec?: object } = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, annotations: o.annotations ?? {} },
    spec: {
      nodeName: o.node ?? "node1",
      containers: [{ name: "web", image: "nginx:1.25" }],
      ...o.spec,
    },
  };
}

/** Fetches until `ok` holds, and returns what was fetched last. */
async function waitFor<T>(fetch: () => Promise<T>, ok: (value: T) => unknown, what: string): Promise<T> {
  let value: T | undefined;
  await eventually(
    async () => {
      value = await fetch();
      return ok(value);
    },
    2000,
    what,
  );
  return value as T;
}

const waitingReason = (p: KubeObject) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
const condition = (obj: KubeObject, type: string) =>
  (obj.status?.conditions ?? []).find((c: { type: string }) => c.type === type);

describe("NodeFleet", () => {
  const clock = new FakeClock(Date.now());
  let env: Awaited<ReturnType<typeof startFleet>>;
  const getPod = (name: string) => env.client.get(PODS, "default", name);
  const getNode = (name: string) => env.client.get(NODES, undefined, name);
  const getLease = (name: string) => env.client.get(LEASES, NODE_LEASE_NAMESPACE, name);
  /** Moves fake time on, then waits for the writes it caused. */
  const advanceUntil = <T>(ms: number, fetch: () => Promise<T>, ok: (value: T) => unknown, what: string) => {
    clock.advance(ms);
    return waitFor(fetch, ok, what);
  };
  /** The informer has the object, so the fleet (which hears first) has reacted to it. */
  const seenByFleet = (name: string, check: (node: KubeObject) => boolean) =>
    eventually(
      () => {
        const node = env.informers.informerFor(NODES).store.get(name);
        return node !== undefined && check(node);
      },
      2000,
      `fleet sees ${name}`,
    );

  before(async () => {
    // node1's last report is old, so the fleet reports at once.
    env = await startFleet(clock, [buildNode("node1", 1, clock.now() - 600_000)]);
  });
  after(() => env.stop());

  it("reports node status and creates and renews the node's Lease", async () => {
    const node = await getNode("node1");
    const lease = await advanceUntil(0, () => getLease("node1"), Boolean, "lease");
    assert.equal(lease.spec.holderIdentity, "node1");
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.equal(lease.spec.renewTime, microTime(clock.now()));
    assert.deepEqual(lease.metadata.ownerReferences, [
      { apiVersion: "v1", kind: "Node", name: "node1", uid: node.metadata.uid },
    ]);
    const reported = await waitFor(
      () => getNode("node1"),
      (n) => condition(n, "Ready").lastHeartbeatTime === rfc3339(clock.now()),
      "status report",
    );
    assert.equal(condition(reported, "Ready").reason, "KubeletReady");
    assert.equal(
      condition(reported, "Ready").lastTransitionTime,
      rfc3339(clock.now() - 600_000),
      "no transition: only the heartbeat moved",
    );

    const renewed = await advanceUntil(
      10_000,
      () => getLease("node1"),
      (l) => l.spec.renewTime === microTime(clock.now()),
      "lease renewal",
    );
    assert.notEqual(renewed.metadata.resourceVersion, lease.metadata.resourceVersion);
  });

  it("runs a Node added later, filling in labels and status, and lets a deleted Node go", async () => {
    await env.client.create(NODES, undefined, {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "edge-1", labels: { "kubernetes.io/arch": "arm64" } },
      status: { capacity: { cpu: "2" } },
    });
    const node = await advanceUntil(
      1,
      () => getNode("edge-1"),
      (n) => condition(n, "Ready")?.status === "True" && n.metadata.labels?.["kubernetes.io/hostname"],
      "edge-1 registered",
    );
    assert.equal(node.metadata.labels?.["kubernetes.io/os"], "linux");
    assert.equal(node.metadata.labels?.["kubernetes.io/arch"], "arm64");
    assert.deepEqual(node.status.capacity, {
      cpu: "2",
      memory: "8Gi",
      "ephemeral-storage": "100Gi",
      "hugepages-1Gi": "0",
      "hugepages-2Mi": "0",
      pods: "110",
    });
    assert.equal(node.status.nodeInfo.architecture, "arm64");
    assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, 10250);
    assert.deepEqual(
      node.status.conditions.map((c: Record<string, string>) => `${c.type}=${c.status}`),
      ["MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "Ready=True"],
    );
    const lease = await eventually(() => getLease("edge-1"), 2000, "edge-1 lease");
    assert.equal(env.fleet.nodeCount, 2);

    await env.client.delete(NODES, undefined, "edge-1");
    await eventually(() => env.fleet.nodeCount === 1, 2000, "edge-1 leaves");
    clock.advance(30_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(
      (await getLease("edge-1")).spec.renewTime,
      lease.spec.renewTime,
      "no renewal after deletion",
    );
  });

  it("stops heartbeating while annotated heartbeat=stopped, and resumes when the annotation goes", async () => {
    await env.client.patch(NODES, undefined, "node1", "merge", {
      metadata: { annotations: { "sim.everynode.dev/heartbeat": "stopped" } },
    });
    await seenByFleet("node1", (n) => n.metadata.annotations?.["sim.everynode.dev/heartbeat"] === "stopped");
    const before = (await getLease("node1")).spec.renewTime;
    clock.advance(30_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await getLease("node1")).spec.renewTime, before);

    await env.client.patch(NODES, undefined, "node1", "merge", {
      metadata: { annotations: { "sim.everynode.dev/heartbeat": null } },
    });
    await eventually(
      async () => (await getLease("node1")).spec.renewTime === microTime(clock.now()),
      2000,
      "resumed",
    );
  });

  it("reports simulated node conditions True with upstream reasons, and False once removed", async () => {
    await env.client.patch(NODES, undefined, "node1", "merge", {
      metadata: { annotations: { "sim.everynode.dev/conditions": "MemoryPressure,PIDPressure" } },
    });
    const pressured = await waitFor(
      () => getNode("node1"),
      (n) => condition(n, "MemoryPressure").status === "True",
      "memory pressure",
    );
    assert.equal(condition(pressured, "MemoryPressure").reason, "KubeletHasInsufficientMemory");
    assert.equal(condition(pressured, "PIDPressure").reason, "KubeletHasInsufficientPID");
    assert.equal(condition(pressured, "DiskPressure").status, "False");
    assert.equal(condition(pressured, "Ready").status, "True");

    await env.client.patch(NODES, undefined, "node1", "merge", {
      metadata: { annotations: { "sim.everynode.dev/conditions": null } },
    });
    await eventually(
      async () => condition(await getNode("node1"), "MemoryPressure").status === "False",
      2000,
      "relief",
    );
  });

  it("runs a bound pod: ContainerCreating with IPs, then Running and Ready", async () => {
    await env.client.create(PODS, "default", pod("web-1"));
    const creating = await waitFor(
      () => getPod("web-1"),
      (p) => waitingReason(p) === "ContainerCreating",
      "ContainerCreating",
    );
    assert.equal(creating.status.phase, "Pending");
    assert.equal(creating.status.hostIP, "10.0.0.3");
    assert.match(creating.status.podIP, /^10\.244\.1\.\d+$/);
    assert.equal(creating.status.startTime, rfc3339(clock.now()));

    const running = await advanceUntil(
      50,
      () => getPod("web-1"),
      (p) => p.status.phase === "Running",
      "Running",
    );
    const status = running.status.containerStatuses[0];
    assert.equal(status.ready, true);
    assert.equal(status.started, true);
    assert.match(status.containerID, /^everynode:\/\/[0-9a-f]{64}$/);
    assert.equal(condition(running, "Ready").status, "True");
    assert.equal(condition(running, "PodScheduled").status, "True");
    assert.ok(env.fleet.logs("default", "web-1").some((l) => l.includes("nginx/1.25")));
  });

  it("reports a container with a readiness probe Ready at the prober's first tick after its initial delay", async () => {
    const readinessProbe = {
      httpGet: { path: "/ready", port: 8080 },
      initialDelaySeconds: 5,
      periodSeconds: 10,
    };
    const containers = [{ name: "web", image: "nginx:1.25", readinessProbe }];
    await env.client.create(PODS, "default", pod("probed", { spec: { containers } }));
    await waitFor(
      () => getPod("probed"),
      (p) => p.status?.startTime,
      "admitted",
    );
    const running = await advanceUntil(
      50,
      () => getPod("probed"),
      (p) => p.status.phase === "Running",
      "Running",
    );
    assert.equal(running.status.containerStatuses[0].ready, false);
    assert.equal(condition(running, "Ready").status, "False");
    const ready = await advanceUntil(
      9_950,
      () => getPod("probed"),
      (p) => condition(p, "Ready")?.status === "True",
      "Ready at the tick 10 s after admission",
    );
    assert.equal(condition(ready, "Ready").lastTransitionTime, rfc3339(clock.now()));
  });

  it("follows a container's own command: what it prints is its log, and it exits when the command ends", async () => {
    const commanded = (name: string, command: string[]) =>
      pod(name, {
        spec: { restartPolicy: "Never", containers: [{ name: "web", image: "busybox:1.36", command }] },
      });
    await env.client.create(
      PODS,
      "default",
      commanded("once", ["sh", "-c", "echo hello from $(hostname); exit 3"]),
    );
    await env.client.create(PODS, "default", commanded("nap", ["sleep", "30"]));
    await env.client.create(
      PODS,
      "default",
      commanded("loop", ["sh", "-c", "while true; do echo tick; sleep 5; done"]),
    );
    await env.client.create(PODS, "default", commanded("forever", ["sleep", "infinity"]));
    await env.client.create(PODS, "default", commanded("app", ["sh", "-c", "exec my-app --serve"]));
    const state = (p: KubeObject) => p.status?.containerStatuses?.[0]?.state ?? {};
    clock.advance(50);
    // The command is followed off the pod's timeline (a few real milliseconds); fake time then moves on a little.
    const failed = await waitFor(
      () => {
        clock.advance(1);
        return getPod("once");
      },
      (p) => p.status?.phase === "Failed",
      "the pod whose command exits 3 to fail",
    );
    assert.equal(state(failed).terminated.exitCode, 3);
    assert.equal(state(failed).terminated.reason, "Error");
    assert.deepEqual(env.fleet.logs("default", "once"), ["hello from once"]);
    for (const name of ["nap", "loop", "forever", "app"]) {
      await waitFor(
        () => getPod(name),
        (p) => p.status?.phase === "Running",
        `${name} to run`,
      );
    }
    const napped = await advanceUntil(
      30_000,
      () => getPod("nap"),
      (p) => p.status?.phase === "Succeeded",
      "sleep 30 to end 30 s later",
    );
    assert.equal(state(napped).terminated.reason, "Completed");
    for (const name of ["loop", "forever", "app"])
      assert.equal((await getPod(name)).status.phase, "Running", name);
  });

  it("keeps a terminal phase someone else wrote, as the kubelet does", async () => {
    await env.client.create(PODS, "default", pod("ended"));
    const running = await advanceUntil(
      50,
      () => getPod("ended"),
      (p) => p.status?.phase === "Running",
      "Running",
    );
    await env.client.update(
      PODS,
      "default",
      { ...running, status: { ...running.status, phase: "Failed" } },
      { subresource: "status" },
    );
    // The fleet hears of the write and gets every chance to report the pod again.
    await seenByFleet(
      "node1",
      () => env.informers.informerFor(PODS).store.get("default/ended")?.status?.phase === "Failed",
    );
    clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await getPod("ended")).status.phase, "Failed");
  });

  it("honours the pod simulation annotations", async () => {
    await env.client.create(
      PODS,
      "default",
      pod("pull", { annotations: { "sim.everynode.dev/pull": "fail" } }),
    );
    await env.client.create(PODS, "default", {
      ...pod("missing-tag"),
      spec: { nodeName: "node1", containers: [{ name: "web", image: "nginx:non-existent" }] },
    });
    await env.client.create(
      PODS,
      "default",
      pod("crash", { annotations: { "sim.everynode.dev/crash": "true" } }),
    );
    await env.client.create(
      PODS,
      "default",
      pod("unready", { annotations: { "sim.everynode.dev/ready": "false" } }),
    );
    await env.client.create(
      PODS,
      "default",
      pod("slow", { annotations: { "sim.everynode.dev/start-delay": "2s" } }),
    );
    await env.client.create(
      PODS,
      "default",
      pod("job", { annotations: { "sim.everynode.dev/exit-code": "0" }, spec: { restartPolicy: "Never" } }),
    );
    await env.client.create(
      PODS,
      "default",
      pod("failing", {
        annotations: { "sim.everynode.dev/exit-code": "3" },
        spec: { restartPolicy: "Never" },
      }),
    );
    await eventually(() => env.fleet.podCount >= 8, 2000, "pods picked up");

    // 50ms: containers start (or fail to pull); 100ms later the crashing and completing ones exit; the
    // scaled kubelet sync (1ms) then restarts the crashing one, which exits again and backs off.
    for (const step of [50, 1, 100, 1, 1, 100, 1, 1]) clock.advance(step);
    await eventually(
      async () => waitingReason(await getPod("pull")) === "ImagePullBackOff",
      2000,
      "ImagePullBackOff",
    );
    await eventually(
      async () => waitingReason(await getPod("missing-tag")) === "ImagePullBackOff",
      2000,
      "tag",
    );
    assert.equal((await getPod("pull")).status.phase, "Pending");

    const crash = await waitFor(
      () => getPod("crash"),
      (p) => waitingReason(p) === "CrashLoopBackOff",
      "CrashLoopBackOff",
    );
    const crashed = crash.status.containerStatuses[0];
    assert.equal(crashed.restartCount, 1);
    assert.deepEqual(
      [crashed.lastState.terminated.exitCode, crashed.lastState.terminated.reason],
      [1, "Error"],
    );
    assert.equal(crash.status.phase, "Running");
    assert.ok(env.fleet.logs("default", "crash", "web", { previous: true }).length > 0, "logs -p");

    const unready = await getPod("unready");
    assert.equal(unready.status.phase, "Running");
    assert.equal(unready.status.containerStatuses[0].ready, false);
    assert.equal(condition(unready, "Ready").status, "False");

    await eventually(async () => (await getPod("job")).status.phase === "Succeeded", 2000, "Succeeded");
    await eventually(async () => (await getPod("failing")).status.phase === "Failed", 2000, "Failed");

    assert.equal(waitingReason(await getPod("slow")), "ContainerCreating");
    await advanceUntil(
      2000,
      () => getPod("slow"),
      (p) => p.status.phase === "Running",
      "start-delay",
    );
  });

  it("stops containers on graceful deletion, reports them terminated, then deletes the pod", async () => {
    const preStop = { lifecycle: { preStop: { sleep: { seconds: 5 } } } };
    await env.client.create(PODS, "default", {
      ...pod("graceful"),
      spec: { nodeName: "node1", containers: [{ name: "web", image: "nginx:1.25", ...preStop }] },
    });
    await advanceUntil(
      50,
      () => getPod("graceful"),
      (p) => p.status.phase === "Running",
      "running",
    );
    const watch = new AbortController();
    const seen: KubeObject[] = [];
    const watching = (async () => {
      const current = await getPod("graceful");
      for await (const e of env.client.watch(
        PODS,
        "default",
        {
          fieldSelector: "metadata.name=graceful",
          resourceVersion: current.metadata.resourceVersion,
        },
        watch.signal,
      )) {
        seen.push(e.object);
        if (e.type === "DELETED") return;
      }
    })();

    await env.client.delete(PODS, "default", "graceful");
    await eventually(
      () => env.fleet.podCount > 0 && seen.some((p) => p.metadata.deletionTimestamp),
      2000,
      "marked",
    );
    await new Promise((r) => setTimeout(r, 20));
    assert.ok((await getPod("graceful")).metadata.deletionTimestamp, "still there during preStop");
    clock.advance(5000);
    await watching;
    watch.abort();
    const final = seen[seen.length - 1];
    const terminated = final.status.containerStatuses[0].state.terminated;
    assert.deepEqual([terminated.exitCode, terminated.reason], [0, "Completed"]);
    assert.equal(final.status.phase, "Succeeded");
    await assert.rejects(getPod("graceful"), { code: 404 });

    // Without a preStop hook the containers stop at once.
    await env.client.delete(PODS, "default", "web-1");
    await eventually(
      async () =>
        getPod("web-1").then(
          () => false,
          (e) => e.code === 404,
        ),
      2000,
      "web-1 gone",
    );
  });
});

describe("NodeFleet on the real clock", () => {
  // The ~100 ms default is checked on the fake clock above (50 ms to start); here real timers drive it end to end.
  it("takes a bound pod from Pending to Running and Ready on real timers", async () => {
    const env = await startFleet(realClock, [buildNode("node1", 1, Date.now())]);
    try {
      await eventually(() => env.fleet.nodeCount === 1, 2000, "node");
      await env.client.create(PODS, "default", pod("quick"));
      await eventually(
        async () => condition(await env.client.get(PODS, "default", "quick"), "Ready")?.status === "True",
        2000,
        "ready",
      );
    } finally {
      await env.stop();
    }
  });
});
