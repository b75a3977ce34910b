// Table tests for pod rows: every cell, the STATUS derivation cases of upstream printPod, RESTARTS ages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ContainerStatus, Pod } from "kubernetes-types/core/v1.js";
import { podPrinter } from "./pod.js";
import { ago, DAY, HOUR, MINUTE, NOW, SECOND } from "./testing.js";

const running = (name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  image: "nginx:1.27",
  imageID: "",
  ready: true,
  restartCount: 0,
  started: true,
  state: { running: { startedAt: ago(HOUR) } },
  ...extra,
});

const waiting = (name: string, reason: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  image: "nginx:1.27",
  imageID: "",
  ready: false,
  restartCount: 0,
  state: { waiting: { reason } },
  ...extra,
});

const terminated = (
  name: string,
  t: { exitCode: number; reason?: string; signal?: number },
  extra: Partial<ContainerStatus> = {},
): ContainerStatus => ({
  name,
  image: "busybox",
  imageID: "",
  ready: false,
  restartCount: 0,
  state: { terminated: { finishedAt: ago(MINUTE), ...t } },
  ...extra,
});

/** A pod of the fluentd DaemonSet with one container by default; `containers` adds more. */
function pod(
  status: Pod["status"],
  overrides: { spec?: Partial<NonNullable<Pod["spec"]>>; meta?: object } = {},
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "fluentd-x7k2p",
      namespace: "kube-system",
      uid: "5b1c7d2e-0000-4000-8000-000000000001",
      creationTimestamp: ago(3 * DAY + 2 * HOUR),
      labels: { app: "fluentd" },
      ...overrides.meta,
    },
    spec: { containers: [{ name: "fluentd", image: "fluentd:v1" }], nodeName: "worker-1", ...overrides.spec },
    status,
  };
}

const twoContainers = { spec: { containers: [{ name: "app" }, { name: "sidecar" }] } };

interface Case {
  name: string;
  pod: Pod;
  ready: string;
  status: string;
  restarts?: string;
}

const cases: Case[] = [
  {
    name: "running and ready",
    pod: pod({ phase: "Running", containerStatuses: [running("fluentd")] }),
    ready: "1/1",
    status: "Running",
  },
  {
    name: "pending with no container statuses yet",
    pod: pod({ phase: "Pending" }, { spec: { nodeName: undefined } }),
    ready: "0/1",
    status: "Pending",
  },
  {
    name: "no status at all",
    pod: pod(undefined),
    ready: "0/1",
    status: "",
  },
  {
    name: "container creating",
    pod: pod({ phase: "Pending", containerStatuses: [waiting("fluentd", "ContainerCreating")] }),
    ready: "0/1",
    status: "ContainerCreating",
  },
  {
    name: "image pull failing on the first of two containers",
    pod: pod(
      { phase: "Pending", containerStatuses: [waiting("app", "ErrImagePull"), running("sidecar")] },
      twoContainers,
    ),
    ready: "1/2",
    status: "ErrImagePull",
  },
  {
    name: "the first container's reason wins over later ones",
    pod: pod(
      {
        phase: "Pending",
        containerStatuses: [waiting("app", "ImagePullBackOff"), waiting("sidecar", "CrashLoopBackOff")],
      },
      twoContainers,
    ),
    ready: "0/2",
    status: "ImagePullBackOff",
  },
  {
    name: "crash loop with restarts and when the last one was",
    pod: pod({
      phase: "Running",
      containerStatuses: [
        waiting("fluentd", "CrashLoopBackOff", {
          restartCount: 4,
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(65 * SECOND) } },
        }),
      ],
    }),
    ready: "0/1",
    status: "CrashLoopBackOff",
    restarts: "4 (65s ago)",
  },
  {
    name: "restarts without a recorded finish time print the count only",
    pod: pod({ phase: "Running", containerStatuses: [running("fluentd", { restartCount: 2 })] }),
    ready: "1/1",
    status: "Running",
    restarts: "2",
  },
  {
    name: "restarts of several containers add up; the latest finish counts",
    pod: pod(
      {
        phase: "Running",
        containerStatuses: [
          running("app", {
            restartCount: 1,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * HOUR) } },
          }),
          running("sidecar", {
            restartCount: 2,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MINUTE + 30 * SECOND) } },
          }),
        ],
      },
      twoContainers,
    ),
    ready: "2/2",
    status: "Running",
    restarts: "3 (5m30s ago)",
  },
  {
    name: "completed",
    pod: pod({
      phase: "Succeeded",
      containerStatuses: [terminated("fluentd", { exitCode: 0, reason: "Completed" })],
    }),
    ready: "0/1",
    status: "Completed",
  },
  {
    name: "error",
    pod: pod({
      phase: "Failed",
      containerStatuses: [terminated("fluentd", { exitCode: 1, reason: "Error" })],
    }),
    ready: "0/1",
    status: "Error",
  },
  {
    name: "terminated by a signal without a reason",
    pod: pod({ phase: "Failed", containerStatuses: [terminated("fluentd", { exitCode: 137, signal: 9 })] }),
    ready: "0/1",
    status: "Signal:9",
  },
  {
    name: "terminated with an exit code and no reason",
    pod: pod({ phase: "Failed", containerStatuses: [terminated("fluentd", { exitCode: 2 })] }),
    ready: "0/1",
    status: "ExitCode:2",
  },
  {
    name: "one container completed, the other running and the pod ready",
    pod: pod(
      {
        phase: "Running",
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [terminated("app", { exitCode: 0, reason: "Completed" }), running("sidecar")],
      },
      twoContainers,
    ),
    ready: "1/2",
    status: "Running",
  },
  {
    name: "one container completed, the other running but the pod not ready",
    pod: pod(
      {
        phase: "Running",
        conditions: [{ type: "Ready", status: "False" }],
        containerStatuses: [terminated("app", { exitCode: 0, reason: "Completed" }), running("sidecar")],
      },
      twoContainers,
    ),
    ready: "1/2",
    status: "NotReady",
  },
  {
    name: "evicted: the pod's own reason",
    pod: pod({ phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory." }),
    ready: "0/1",
    status: "Evicted",
  },
  {
    name: "scheduling gated",
    pod: pod(
      {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
      },
      { spec: { nodeName: undefined, schedulingGates: [{ name: "example.com/gate" }] } },
    ),
    ready: "0/1",
    status: "SchedulingGated",
  },
  {
    name: "terminating",
    pod: pod(
      { phase: "Running", containerStatuses: [running("fluentd")] },
      { meta: { deletionTimestamp: ago(5 * SECOND) } },
    ),
    ready: "1/1",
    status: "Terminating",
  },
  {
    name: "a finished pod being deleted keeps its status",
    pod: pod(
      {
        phase: "Succeeded",
        containerStatuses: [terminated("fluentd", { exitCode: 0, reason: "Completed" })],
      },
      { meta: { deletionTimestamp: ago(5 * SECOND) } },
    ),
    ready: "0/1",
    status: "Completed",
  },
  {
    name: "node lost and being deleted",
    pod: pod(
      { phase: "Running", reason: "NodeLost", containerStatuses: [running("fluentd")] },
      { meta: { deletionTimestamp: ago(5 * SECOND) } },
    ),
    ready: "1/1",
    status: "Unknown",
  },
  {
    name: "node lost, not deleted: the container state still decides",
    pod: pod({ phase: "Running", reason: "NodeLost" }),
    ready: "0/1",
    status: "NodeLost",
  },
];

const withInit = (initStatuses: ContainerStatus[], status: Partial<NonNullable<Pod["status"]>> = {}): Pod =>
  pod(
    {
      phase: "Pending",
      initContainerStatuses: initStatuses,
      containerStatuses: [waiting("fluentd", "PodInitializing")],
      ...status,
    },
    { spec: { initContainers: [{ name: "setup" }, { name: "migrate" }] } },
  );

const initCases: Case[] = [
  {
    name: "first init container still running",
    pod: withInit([running("setup", { ready: false }), waiting("migrate", "PodInitializing")]),
    ready: "0/1",
    status: "Init:0/2",
  },
  {
    name: "second init container running after the first succeeded",
    pod: withInit([
      terminated("setup", { exitCode: 0, reason: "Completed" }),
      running("migrate", { ready: false }),
    ]),
    ready: "0/1",
    status: "Init:1/2",
  },
  {
    name: "init image pull backing off",
    pod: withInit([waiting("setup", "ImagePullBackOff"), waiting("migrate", "PodInitializing")]),
    ready: "0/1",
    status: "Init:ImagePullBackOff",
  },
  {
    name: "init container failed with a reason, restarts from init containers",
    pod: withInit([
      terminated(
        "setup",
        { exitCode: 1, reason: "Error" },
        { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(20 * SECOND) } } },
      ),
      waiting("migrate", "PodInitializing"),
    ]),
    ready: "0/1",
    status: "Init:Error",
    restarts: "3 (20s ago)",
  },
  {
    name: "init container failed with an exit code only",
    pod: withInit([terminated("setup", { exitCode: 1 }), waiting("migrate", "PodInitializing")]),
    ready: "0/1",
    status: "Init:ExitCode:1",
  },
  {
    name: "init container killed by a signal",
    pod: withInit([terminated("setup", { exitCode: 137, signal: 9 }), waiting("migrate", "PodInitializing")]),
    ready: "0/1",
    status: "Init:Signal:9",
  },
  {
    name: "init containers done: the main container decides and init restarts no longer count",
    pod: withInit(
      [
        terminated("setup", { exitCode: 0, reason: "Completed" }, { restartCount: 2 }),
        terminated("migrate", { exitCode: 0, reason: "Completed" }),
      ],
      { phase: "Running", containerStatuses: [running("fluentd")] },
    ),
    ready: "1/1",
    status: "Running",
  },
  {
    name: "a sidecar (restartable init container) counts as a container once started",
    pod: pod(
      {
        phase: "Running",
        conditions: [{ type: "Initialized", status: "True" }],
        initContainerStatuses: [
          running("proxy", {
            restartCount: 1,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * HOUR) } },
          }),
        ],
        containerStatuses: [running("fluentd")],
      },
      { spec: { initContainers: [{ name: "proxy", restartPolicy: "Always" }] } },
    ),
    ready: "2/2",
    status: "Running",
    restarts: "1 (120m ago)",
  },
  {
    name: "a sidecar not started yet holds initialisation",
    pod: pod(
      {
        phase: "Pending",
        initContainerStatuses: [waiting("proxy", "ContainerCreating")],
        containerStatuses: [waiting("fluentd", "PodInitializing")],
      },
      { spec: { initContainers: [{ name: "proxy", restartPolicy: "Always" }] } },
    ),
    ready: "0/2",
    status: "Init:ContainerCreating",
  },
];

describe("pod rows", () => {
  for (const c of [...cases, ...initCases]) {
    it(c.name, () => {
      const cells = podPrinter.cells(c.pod, NOW);
      assert.deepEqual(cells.slice(0, 5), ["fluentd-x7k2p", c.ready, c.status, c.restarts ?? "0", "3d2h"]);
    });
  }

  it("prints the wide columns", () => {
    const p = pod(
      {
        phase: "Running",
        podIP: "10.244.1.7",
        podIPs: [{ ip: "10.244.1.7" }, { ip: "fd00::7" }],
        nominatedNodeName: "worker-2",
        conditions: [
          { type: "example.com/feature-a", status: "True" },
          { type: "example.com/feature-b", status: "False" },
        ],
        containerStatuses: [running("fluentd")],
      },
      {
        spec: {
          readinessGates: [
            { conditionType: "example.com/feature-a" },
            { conditionType: "example.com/feature-b" },
          ],
        },
      },
    );
    assert.deepEqual(podPrinter.cells(p, NOW), [
      "fluentd-x7k2p",
      "1/1",
      "Running",
      "0",
      "3d2h",
      "10.244.1.7",
      "worker-1",
      "worker-2",
      "1/2",
    ]);
  });

  it("prints <none> for unset wide columns", () => {
    const p = pod({ phase: "Pending" }, { spec: { nodeName: undefined } });
    assert.deepEqual(podPrinter.cells(p, NOW).slice(5), ["<none>", "<none>", "<none>", "<none>"]);
  });

  it("prints <unknown> age without a creation timestamp", () => {
    const p = pod({ phase: "Running" }, { meta: { creationTimestamp: undefined } });
    assert.equal(podPrinter.cells(p, NOW)[4], "<unknown>");
  });

  it("marks finished pods with a Completed row condition", () => {
    assert.deepEqual(podPrinter.conditions?.(pod({ phase: "Succeeded" })), [
      {
        type: "Completed",
        status: "True",
        reason: "Succeeded",
        message: "The pod has completed successfully.",
      },
    ]);
    assert.deepEqual(podPrinter.conditions?.(pod({ phase: "Failed" })), [
      { type: "Completed", status: "True", reason: "Failed", message: "The pod failed." },
    ]);
    assert.equal(podPrinter.conditions?.(pod({ phase: "Running" })), undefined);
  });

  it("has upstream's columns", () => {
    assert.deepEqual(
      podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ["Name", "string", "name", 0],
        ["Ready", "string", "", 0],
        ["Status", "string", "", 0],
        ["Restarts", "string", "", 0],
        ["Age", "string", "", 0],
        ["IP", "string", "", 1],
        ["Node", "string", "", 1],
        ["Nominated Node", "string", "", 1],
        ["Readiness Gates", "string", "", 1],
      ],
    );
  });
});
